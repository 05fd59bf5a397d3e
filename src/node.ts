// Node entry point: parses config once, builds the dependencies (database, clock, keys, file store),
// serves the app with @hono/node-server. The only file of src/ that knows it runs on Node.
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { Hono } from 'hono';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { addressFromSocket, parseTrustedProxies } from './net/address.js';
import { assetHeaders, createApp } from './app.js';
import { ReadCache } from './cache/read-cache.js';
import { nobleVerifier, type TokenVerifier } from './tokens/verifier.js';
import { loadNativeBlst } from './tokens/native.js';
import { accessKeyFetcher } from './auth/access.js';
import { runScheduledJobs } from './jobs.js';
import { parseConfig, type AppConfig } from './config.js';
import { atLevel, clockStartingAt, cosignerFromConfig, jsonLogger, systemClock, type Deps, type Keys, type Logger, type ObjectStore } from './deps.js';
import { PGliteDialect, PGLITE_PARSERS } from './db/pglite-dialect.js';
import { openPostgres } from './db/postgres.js';
import { migrateToLatest } from './db/migrate.js';
import { generateSignerKey } from '../crypto/note.js';
import { MANIFEST_PATH, type AssetManifest } from './assets/manifest.js';
import { publishManifest } from './assets/publish.js';
import { fromHex } from '../crypto/bytes.js';
import type { Database } from '../schema/database.js';
import { AssetManifestDocument as assetManifestSchema } from './log/documents.js';

export class DataDirLockedError extends Error {}

/**
 * PGlite does not lock its folder, and two processes writing one folder corrupt it. We hold
 * `<dir>.lock` containing our pid. The lock file is created whole and atomically (a private file
 * hard-linked into place, which fails if the name exists), so nobody ever reads a half-written lock.
 * A lock whose pid is gone is taken over under a second exclusive file named after that stale pid:
 * only the process that creates `<dir>.lock.takeover-<pid>` may remove the stale lock, and it checks
 * again, holding it, that the lock still names that pid. Two processes starting together therefore
 * never both get in.
 */
export function lockDataDir(dir: string): () => void {
  const lockPath = path.resolve(dir) + '.lock';
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const mine = String(process.pid);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createExclusive(lockPath, mine)) {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === mine) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    }
    const holder = readHolder(lockPath);
    if (holder === null) continue; // removed meanwhile: try again
    if (holder > 0 && isAlive(holder)) {
      throw new DataDirLockedError(`the embedded database folder ${dir} is in use by process ${holder}; stop it or set DATA_DIR to another folder`);
    }
    takeOverStale(lockPath, holder);
  }
  throw new DataDirLockedError(`could not lock ${dir}`);
}

/** Creates `file` with `content` only if no file of that name exists; atomic (link(2) fails on EEXIST). */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The pid in a lock file; 0 for unreadable content (a stale lock of an older version); null if gone. */
function readHolder(file: string): number | null {
  try {
    const n = Number(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(n) && n > 0 ? n : 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function takeOverStale(lockPath: string, stalePid: number) {
  const takeover = `${lockPath}.takeover-${stalePid}`;
  if (!createExclusive(takeover, String(process.pid))) {
    // Another process is taking this stale lock over. If it died doing so, its takeover file is stale too.
    const taker = readHolder(takeover);
    if (taker !== null && !isAlive(taker) && ageMs(takeover) > 5_000) fs.rmSync(takeover, { force: true });
    sleepSync(5 + Math.random() * 20);
    return;
  }
  try {
    if (readHolder(lockPath) === stalePid) fs.unlinkSync(lockPath);
  } finally {
    fs.rmSync(takeover, { force: true });
  }
}

function ageMs(file: string) {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Opens the embedded PGlite in `dir` (locked), or in memory when dir is undefined. */
export async function openPGlite(dir?: string) {
  const release = dir ? lockDataDir(dir) : () => {};
  try {
    const pg = dir ? new PGlite(dir, { parsers: PGLITE_PARSERS }) : new PGlite({ parsers: PGLITE_PARSERS });
    await pg.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pg) });
    return {
      db,
      pg,
      close: async () => {
        await db.destroy();
        await pg.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** Evidence files in a folder, content-addressed: the key is the SHA-256 of the content. */
export class FolderObjectStore implements ObjectStore {
  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }
  private file(key: string) {
    if (!/^[A-Za-z0-9._-]+$/.test(key)) throw new Error('object key: letters, digits, . _ - only');
    return path.join(this.dir, key);
  }
  async put(key: string, data: Uint8Array, contentType: string) {
    const tmp = this.file(key) + `.${process.pid}.tmp`;
    await fsp.writeFile(tmp, data);
    await fsp.writeFile(this.file(key) + '.type', contentType);
    await fsp.rename(tmp, this.file(key));
  }
  async get(key: string) {
    try {
      const data = new Uint8Array(await fsp.readFile(this.file(key)));
      const contentType = await fsp.readFile(this.file(key) + '.type', 'utf8').catch(() => 'application/octet-stream');
      return { data, contentType };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
  async has(key: string) {
    return fs.existsSync(this.file(key));
  }
  async delete(key: string) {
    await fsp.rm(this.file(key), { force: true });
    await fsp.rm(this.file(key) + '.type', { force: true });
  }
  async list() {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => !n.endsWith('.type') && !n.endsWith('.tmp')).sort();
  }
}

/**
 * Keys from config; for a demo without them, generated once and kept in DATA_DIR/secrets.json (0600).
 * Production sets LOG_SIGNER_KEY, BALLOT_MASTER_SECRET and CONTACT_KEY.
 */
export function loadKeys(config: AppConfig, logger = jsonLogger): Keys {
  let stored: Partial<Record<'LOG_SIGNER_KEY' | 'BALLOT_MASTER_SECRET' | 'CONTACT_KEY', string>> = {};
  const file = path.join(config.DATA_DIR, 'secrets.json');
  const missing = !config.LOG_SIGNER_KEY || !config.BALLOT_MASTER_SECRET || !config.CONTACT_KEY;
  if (missing) {
    if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    let changed = false;
    if (!stored.LOG_SIGNER_KEY) {
      stored.LOG_SIGNER_KEY = generateSignerKey(config.LOG_ORIGIN).signerKey;
      changed = true;
    }
    for (const k of ['BALLOT_MASTER_SECRET', 'CONTACT_KEY'] as const) {
      if (!stored[k]) {
        stored[k] = randomBytes(32).toString('hex');
        changed = true;
      }
    }
    if (changed) {
      fs.mkdirSync(config.DATA_DIR, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
      logger.log('warn', 'generated demo secrets; set LOG_SIGNER_KEY, BALLOT_MASTER_SECRET, CONTACT_KEY in production', { file });
    }
  }
  return {
    logSignerKey: config.LOG_SIGNER_KEY ?? stored.LOG_SIGNER_KEY!,
    ballotMasterSecret: fromHex((config.BALLOT_MASTER_SECRET ?? stored.BALLOT_MASTER_SECRET!).toLowerCase()),
    contactKey: fromHex((config.CONTACT_KEY ?? stored.CONTACT_KEY!).toLowerCase()).slice(0, 32),
  };
}

/**
 * The build's manifest from `<publicDir>/assets/manifest.json` (written by scripts/build-assets.ts,
 * which `npm start` runs first). The server refuses to start without it: pages name their scripts
 * by the logged manifest only.
 */
export function readAssetManifest(publicDir: string): AssetManifest {
  const file = path.join(publicDir, ...MANIFEST_PATH.split('/').slice(1));
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`no asset manifest at ${file}: build the assets first (npm run build:assets)`);
  }
  const r = assetManifestSchema.safeParse(JSON.parse(text));
  if (!r.success) throw new Error(`${file} is not an asset manifest: ${r.error.message}`);
  return r.data;
}

export interface NodeServer {
  url: string;
  deps: Deps;
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
  const deps: Deps = {
    db: database.db,
    dbKind: database.kind,
    clock: config.CLOCK_START ? clockStartingAt(new Date(config.CLOCK_START)) : systemClock,
    config,
    logger,
    objects: new FolderObjectStore(path.join(config.DATA_DIR, 'objects')),
    keys: loadKeys(config, logger),
    ...(cosignerFromConfig(config) ? { cosigner: cosignerFromConfig(config)! } : {}),
    ready,
    cache: new ReadCache(),
    tokens: await chooseTokenVerifier(config.TOKEN_VERIFIER),
    ...(config.ACCESS_TEAM_DOMAIN && config.ACCESS_AUD ? { accessKeys: accessKeyFetcher(config.ACCESS_TEAM_DOMAIN) } : {}),
  };
  // The build is in the public log before the server answers anything.
  deps.assets = await publishManifest(deps, manifest);
  logger.log('info', 'asset manifest logged', { index: deps.assets.index, docHash: deps.assets.docHash, commit: manifest.commit, dirty: manifest.dirty });
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
  return {
    url: `http://127.0.0.1:${actualPort}`,
    deps,
    async close() {
      clearInterval(jobs);
      await new Promise<void>((r) => server.close(() => r()));
      await database.close();
    },
  };
}

/** The token verifier: native blst when installed (TOKEN_VERIFIER=auto) or required (blst), else noble. */
export async function chooseTokenVerifier(choice: AppConfig['TOKEN_VERIFIER']): Promise<TokenVerifier> {
  if (choice === 'noble') return nobleVerifier;
  const native = await loadNativeBlst();
  if (native) return native;
  if (choice === 'blst') throw new Error('TOKEN_VERIFIER=blst, but @chainsafe/blst is not installed');
  return nobleVerifier;
}

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

export function projectRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

async function main() {
  const config = parseConfig(process.env);
  const server = await startNodeServer(config);
  jsonLogger.log('info', 'listening', { url: server.url, db: server.deps.dbKind });
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
