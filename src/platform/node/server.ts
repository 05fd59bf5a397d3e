// The app served on Node: dependencies built from config (database, clock, keys, file store), the
// build's manifest logged, assets served beside the app, scheduled jobs every minute.
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';
import { addressFromSocket, parseTrustedProxies } from '../../net/address.js';
import { assetHeaders, createApp } from '../../app.js';
import { ReadCache } from '../../cache/read-cache.js';
import { nobleVerifier, type TokenVerifier } from '../../tokens/verifier.js';
import { loadNativeBlst } from '../../tokens/native.js';
import { createTokenPool, type TokenPool } from './token-pool.js';
import { accessKeyFetcher } from '../../auth/access.js';
import { runScheduledJobs } from '../../jobs.js';
import type { AppConfig } from '../../config.js';
import { atLevel, clockStartingAt, cosignerFromConfig, jsonLogger, systemClock, type Clock, type Deps, type Logger } from '../../deps.js';
import { openPostgres } from '../../db/postgres.js';
import { migrateToLatest } from '../../db/migrate.js';
import { publishManifest } from '../../assets/publish.js';
import { isSimulated, logSimulatedClock } from '../../calendar/simulated-clock.js';
import { openPGlite } from './pglite.js';
import { collectGarbage } from './gc.js';
import { FolderObjectStore, loadKeys, readAssetManifest } from './stores.js';
import { makeLocalKeys } from '../../auth/first-run.js';
import { removeAdminFile, writeAdminFile } from './admin-file.js';

export interface NodeServer {
  url: string;
  deps: Deps;
  /** The one-time link that creates the first staff account; only while no staff account exists. */
  setupUrl?: string;
  close(): Promise<void>;
}

/** Builds the dependencies from config and serves the app; resolves once migrations have run. */
export async function startNodeServer(
  config: AppConfig,
  options: {
    port?: number;
    quiet?: boolean;
    jobsIntervalMs?: number;
    /** The folder whose assets/ the server serves (default: the project's public/). */
    publicDir?: string;
    /** The clock (default: CLOCK_START's, or the system's); the demo passes one it moves. */
    clock?: Clock;
  } = {},
): Promise<NodeServer> {
  const logger = options.quiet ? { log() {} } : atLevel(config.LOG_LEVEL, bufferedJsonLogger());
  const publicDir = options.publicDir ?? path.join(projectRoot(), 'public');
  const manifest = readAssetManifest(publicDir);
  const database = config.DATABASE_URL
    ? { ...openPostgres(config.DATABASE_URL), kind: 'postgres' as const }
    : { ...(await openPGlite(path.join(config.DATA_DIR, 'pglite'))), kind: 'pglite' as const };
  const ready = migrateToLatest(database.db);
  await ready;
  const local = await makeLocalKeys(database.db);
  const simulated = options.clock ? (isSimulated(options.clock) ? options.clock : null) : config.CLOCK_START ? clockStartingAt(new Date(config.CLOCK_START)) : null;
  const clock = options.clock ?? simulated ?? systemClock;
  // A demonstration's clock is a public fact before anything it times (src/calendar/simulated-clock.ts).
  if (simulated) await logSimulatedClock(database.db, simulated);
  const deps: Deps = {
    db: database.db,
    dbKind: database.kind,
    clock,
    config,
    logger,
    objects: new FolderObjectStore(path.join(config.DATA_DIR, 'objects')),
    keys: loadKeys(config, logger),
    ...(cosignerFromConfig(config) ? { cosigner: cosignerFromConfig(config)! } : {}),
    ready,
    cache: new ReadCache({ maxAgeMs: config.READ_CACHE_MAX_AGE_MS }),
    tokens: await chooseTokenVerifier(config.TOKEN_VERIFIER, config.TOKEN_VERIFIER_THREADS ?? defaultTokenThreads(), (reason) =>
      logger.log('warn', 'a token check thread was given up; its tokens were checked in the main thread', { reason }),
    ),
    batchTokens: true,
    ...(config.ACCESS_TEAM_DOMAIN && config.ACCESS_AUD ? { accessKeys: accessKeyFetcher(config.ACCESS_TEAM_DOMAIN) } : {}),
    localKeys: local.hashes,
  };
  // The build is in the public log before the server answers anything.
  deps.assets = await publishManifest(deps, manifest);
  logger.log('info', 'asset manifest logged', { index: deps.assets.index, docHash: deps.assets.docHash, commit: manifest.commit, dirty: manifest.dirty });
  // What the start left behind (on a first start, PGlite's initdb instance: ≈ 400 MB) is freed before
  // the server answers, not at some later full collection.
  await collectGarbage();
  const app = createApp();
  const assets = new Hono<{ Bindings: { deps: Deps } }>();
  assets.use('/assets/*', assetHeaders);
  assets.use('/assets/*', serveStatic({ root: publicDir }));
  assets.all('*', (c) => app.fetch(c.req.raw, { deps }));
  const port = options.port ?? config.PORT;
  const trusted = parseTrustedProxies(config.TRUSTED_PROXIES);
  // Assets by their own small app; every other request straight to the app (no wrapper on the way),
  // with the client's address: the socket's peer, unless that peer is a configured trusted proxy.
  const fetch = (req: Request, env: { incoming?: { socket: { remoteAddress?: string } } }) =>
    isAssetUrl(req.url)
      ? assets.fetch(req, { deps })
      : app.fetch(req, { deps, address: addressFromSocket(env.incoming?.socket.remoteAddress, req.headers.get('x-forwarded-for') ?? undefined, trusted) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port, hostname: '0.0.0.0' }, () => resolve(s));
  });
  // The Node counterpart of the Workers cron trigger: scheduled jobs every minute (idempotent).
  const jobs = setInterval(() => void runScheduledJobs(deps), options.jobsIntervalMs ?? 60_000);
  jobs.unref();
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://127.0.0.1:${actualPort}`;
  // `npm run admin` on this machine reaches this server with this run's key (the database folder is locked).
  const adminFile = writeAdminFile(config.DATA_DIR, { pid: process.pid, url, key: local.adminKey });
  return {
    url,
    deps,
    ...(local.setupKey ? { setupUrl: `${url}/staff#setup=${local.setupKey}` } : {}),
    async close() {
      clearInterval(jobs);
      removeAdminFile(adminFile, local.adminKey);
      await new Promise<void>((r) => server.close(() => r()));
      await (deps.tokens as Partial<TokenPool> | undefined)?.close?.();
      await database.close();
    },
  };
}

/**
 * The token verifier: native blst when installed (TOKEN_VERIFIER=auto) or required (blst), else noble.
 * With `threads` > 0, blst runs in that many worker threads (token-pool.ts) and the event loop only
 * hands them tokens; noble always runs in the event loop.
 */
export async function chooseTokenVerifier(choice: AppConfig['TOKEN_VERIFIER'], threads = 0, onFailure?: (reason: string) => void): Promise<TokenVerifier> {
  if (choice === 'noble') return nobleVerifier;
  const native = await loadNativeBlst();
  if (native && threads > 0) return createTokenPool({ threads, inThread: native, ...(onFailure ? { onFailure } : {}) });
  if (native) return native;
  if (choice === 'blst') throw new Error('TOKEN_VERIFIER=blst, but @chainsafe/blst is not installed');
  return nobleVerifier;
}

/** Token check threads by default: one core is left to the event loop (none on a single core). */
export const defaultTokenThreads = () => Math.max(0, os.availableParallelism() - 1);

/**
 * jsonLogger's lines, written to stdout in one write per turn of the event loop instead of one
 * console.log (a synchronous write) per request; warnings and errors go out at once.
 */
export function bufferedJsonLogger(): Logger {
  let pending: string[] = [];
  const flush = () => {
    const lines = pending;
    pending = [];
    process.stdout.write(lines.join(''));
  };
  process.once('exit', () => pending.length && flush());
  return {
    log(level, msg, fields) {
      if (level === 'error' || level === 'warn') return jsonLogger.log(level, msg, fields);
      if (pending.length === 0) setImmediate(flush);
      pending.push(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n');
    },
  };
}

/** Whether a request URL's path starts with /assets/ (checked on the string, no URL object). */
function isAssetUrl(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  return start >= 0 && url.startsWith('/assets/', start);
}

/** The folder of package.json above this module: src/platform/node/ when run from source, dist/node/ when built. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
