// The Worker's handlers (loaded by src/worker.ts on the first event): parses config once per isolate,
// builds the dependencies from the bindings (Hyperdrive → postgres.js, R2 → evidence files, secrets →
// keys) and runs the same app.
import type { ExecutionContext } from 'hono';
import { createApp } from '../../app.js';
import { ReadCache } from '../../cache/read-cache.js';
import { accessKeyFetcher } from '../../auth/access.js';
import { parseConfig, type AppConfig } from '../../config.js';
import { atLevel, cosignerFromConfig, systemClock, type Deps, type Keys, type ObjectStore } from '../../deps.js';
import { openPostgres } from '../../db/postgres.js';
import { migrateToLatest } from '../../db/migrate.js';
import { runScheduledJobs } from '../../jobs.js';
import { addressOnWorkers } from '../../net/address.js';
import { fromHex } from '../../../crypto/bytes.js';
import { MANIFEST_PATH, type PublishedAssets } from '../../assets/manifest.js';
import { publishManifest } from '../../assets/publish.js';
import { AssetManifestDocument as assetManifestSchema } from '../../log/documents/index.js';

// The few binding shapes used here (declared locally: @cloudflare/workers-types clashes with the DOM lib).
interface Hyperdrive {
  connectionString: string;
}
interface R2ObjectBody {
  arrayBuffer(): Promise<ArrayBuffer>;
  httpMetadata?: { contentType?: string };
}
interface R2Bucket {
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<R2ObjectBody | null>;
  head(key: string): Promise<unknown | null>;
  delete(key: string): Promise<void>;
  list(options?: { cursor?: string }): Promise<{ objects: { key: string }[]; truncated: boolean; cursor?: string }>;
}

/** The static assets binding (wrangler.toml [assets]): the files of this deployment's build. */
interface Fetcher {
  fetch(request: Request): Promise<Response>;
}

interface EdgeCache {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

/** The Cache API's default cache of the data centre (absent outside workerd). */
const edgeCache = (): EdgeCache | undefined => (globalThis as { caches?: { default?: EdgeCache } }).caches?.default;

export interface WorkerEnv {
  HYPERDRIVE: Hyperdrive;
  ASSETS: Fetcher;
  EVIDENCE: R2Bucket;
  [key: string]: unknown;
}

class R2ObjectStore implements ObjectStore {
  constructor(private readonly bucket: R2Bucket) {}
  async put(key: string, data: Uint8Array, contentType: string) {
    await this.bucket.put(key, data, { httpMetadata: { contentType } });
  }
  async get(key: string) {
    const o = await this.bucket.get(key);
    if (!o) return null;
    return { data: new Uint8Array(await o.arrayBuffer()), contentType: o.httpMetadata?.contentType ?? 'application/octet-stream' };
  }
  async has(key: string) {
    return (await this.bucket.head(key)) !== null;
  }
  async delete(key: string) {
    await this.bucket.delete(key);
  }
  async list() {
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.bucket.list(cursor ? { cursor } : {});
      keys.push(...page.objects.map((o) => o.key));
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return keys.sort();
  }
}

const app = createApp();
// Per isolate: immutable log files and the current log version's data (src/cache/read-cache.ts).
// No promise is shared between requests: in workerd a request's I/O belongs to that request.
const readCacheOfIsolate = new ReadCache({ coalesce: false });
let config: AppConfig | undefined;
let migrated: Promise<void> | undefined;
let keys: Keys | undefined;
// Per isolate, so the Access signing keys are fetched once an hour, not per request.
let accessKeys: (() => Promise<JsonWebKey[]>) | undefined;

function buildDeps(env: WorkerEnv): Deps {
  config ??= parseConfig(env);
  for (const k of ['LOG_SIGNER_KEY', 'BALLOT_MASTER_SECRET', 'CONTACT_KEY'] as const) {
    if (!config[k]) throw new Error(`secret ${k} is not set (wrangler secret put ${k})`);
  }
  // A client per request: Hyperdrive pools the real connections.
  const database = openPostgres(env.HYPERDRIVE.connectionString, { max: 5 });
  migrated ??= migrateToLatest(database.db).catch((e) => {
    migrated = undefined;
    throw e;
  });
  return {
    db: database.db,
    dbKind: 'postgres',
    clock: systemClock,
    config,
    logger: atLevel(config.LOG_LEVEL),
    objects: new R2ObjectStore(env.EVIDENCE),
    // Parsed once per isolate, so that what is derived from them is kept too (src/votes/secret.ts).
    keys: (keys ??= {
      logSignerKey: config.LOG_SIGNER_KEY!,
      ballotMasterSecret: fromHex((config.BALLOT_MASTER_SECRET!).toLowerCase()),
      contactKey: fromHex((config.CONTACT_KEY!).toLowerCase()).slice(0, 32),
    }),
    ...(cosignerFromConfig(config) ? { cosigner: cosignerFromConfig(config)! } : {}),
    ready: migrated,
    cache: readCacheOfIsolate,
    ...(config.ACCESS_TEAM_DOMAIN && config.ACCESS_AUD ? { accessKeys: (accessKeys ??= accessKeyFetcher(config.ACCESS_TEAM_DOMAIN)) } : {}),
  };
}

let published: Promise<PublishedAssets> | undefined;

/**
 * The deployment's asset manifest (deployed with its files by `npm run build:worker`), logged before
 * this isolate serves anything: looked up once per isolate, appended only if the log lacks it.
 */
function publishedAssets(env: WorkerEnv, deps: Deps): Promise<PublishedAssets> {
  published ??= (async () => {
    const res = await env.ASSETS.fetch(new Request(`https://assets.invalid${MANIFEST_PATH}`));
    if (!res.ok) throw new Error(`this deployment has no ${MANIFEST_PATH} (npm run build:worker builds it)`);
    return publishManifest(deps, assetManifestSchema.parse(await res.json()));
  })().catch((e: unknown) => {
    published = undefined;
    throw e;
  });
  return published;
}

export const handler = {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    // What the app marks immutable (full tiles, entry bundles, documents by hash) is answered by
    // the data centre's cache before any database connection (it answers If-None-Match too).
    const edge = request.method === 'GET' ? edgeCache() : undefined;
    const hit = edge && (await edge.match(request));
    if (hit) return hit;
    const deps = buildDeps(env);
    // No sql.end(): in workerd a request's sockets close with the request, and end() makes postgres.js's
    // socket polyfill reject an unobserved read ("Stream was cancelled."). Hyperdrive pools the real
    // connections, so a client per request costs one cheap local connection.
    await deps.ready;
    deps.assets = await publishedAssets(env, deps);
    const res = await app.fetch(request, { deps, address: addressOnWorkers(request) }, ctx);
    if (edge && res.status === 200 && /\bimmutable\b/.test(res.headers.get('Cache-Control') ?? '')) ctx.waitUntil(edge.put(request, res.clone()));
    return res;
  },
  async scheduled(_controller: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const deps = buildDeps(env);
    ctx.waitUntil(
      (async () => {
        await deps.ready;
        deps.assets = await publishedAssets(env, deps);
        await runScheduledJobs(deps);
      })(),
    );
  },
};
