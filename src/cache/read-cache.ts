/**
 * What the public read path keeps in memory, per server process (per isolate on Workers).
 *
 *   immutable  full tiles, entry bundles and documents by hash: the bytes at such a path never
 *              change once published, so they are kept (bounded LRU) and served without a query.
 *   versioned  the latest checkpoint and each notice's public data: kept together with the log
 *              version they were read at, and reloaded as soon as the log version changes.
 *
 * The log version is (head size, latest checkpoint size, number of cosignatures): every public fact
 * is a log entry written in the transaction of its state, and checkpoints and cosignatures are the
 * only other things the public log shows, so data read at an unchanged version is still current.
 * Reading the version is one small query. Concurrent readers share it (`coalesce`), but never one
 * that started before they arrived: a caller that finds a query in flight waits for the next one,
 * so what it is answered was read after its request came in.
 *
 * A version read can also be trusted for a while (`maxAgeMs`) instead of read for every request:
 * this process tells its cache when it may have grown the log (`logMayHaveGrown`: after every request
 * that may write, after scheduled jobs, after signing a checkpoint), and any such call makes the next
 * reader query again, so what this process wrote is seen by its next request. What another process
 * sharing the database writes (a second server, the admin tool) is seen within `maxAgeMs`. With
 * `maxAgeMs` 0 (the default) every request reads the version.
 *
 * On Workers a promise must not be shared across requests (their I/O belongs to one request), and
 * isolates never see each other's writes, so the Worker builds its cache with `coalesce: false` and
 * reads the version for every request.
 * @module
 */
import { sql, type Kysely } from 'kysely';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Database } from '../../schema/database.js';
import { toBase64 } from '../../crypto/bytes.js';
import { Lru } from './lru.js';

export interface LogVersion {
  head: number;
  checkpoint: number;
  cosignatures: number;
  /** The three numbers as one comparable string. */
  key: string;
}

export interface CachedBody {
  body: Uint8Array | string;
  /** A strong entity tag (quoted), from the SHA-256 of the body. */
  etag: string;
}

export interface ReadCacheOptions {
  /** Bytes of immutable bodies kept (default 32 MiB). */
  maxBytes?: number;
  /** Versioned values kept (default 2,000). */
  maxVersioned?: number;
  /** Share in-flight reads between concurrent requests (not on Workers). Default true. */
  coalesce?: boolean;
  /** How long a version read stays current while this process has not written (ms; default 0: never). */
  maxAgeMs?: number;
  /** Milliseconds of a monotonic clock (default performance.now). */
  now?: () => number;
}

/** A strong ETag for `body`: 128 bits of its SHA-256, base64url. */
export function etagOf(body: Uint8Array | string): string {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return `"${toBase64(sha256(bytes).subarray(0, 16)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}"`;
}

export async function readLogVersion(db: Kysely<Database>): Promise<LogVersion> {
  const { rows } = await sql<{ head: number | string; checkpoint: number | string; cosignatures: number | string }>`
    select (select size from log_head where id = 1) as head,
           (select coalesce(max(size), -1) from log_checkpoint) as checkpoint,
           (select count(*) from log_cosignature) as cosignatures`.execute(db);
  const r = rows[0]!;
  const head = Number(r.head);
  const checkpoint = Number(r.checkpoint);
  const cosignatures = Number(r.cosignatures);
  return { head, checkpoint, cosignatures, key: `${head}.${checkpoint}.${cosignatures}` };
}

export class ReadCache {
  private readonly immutable: Lru<Promise<CachedBody | null> | CachedBody>;
  private readonly versioned: Lru<Versioned>;
  private readonly coalesce: boolean;
  private current: Promise<LogVersion> | null = null;
  private next: Promise<LogVersion> | null = null;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  /** Bumped by logMayHaveGrown: a version read before the last bump is not trusted. */
  private generation = 0;
  /** The latest version read (once arrived), when its query started and at which generation. */
  private known: { version: Promise<LogVersion>; value: LogVersion; startedAt: number; generation: number } | null = null;
  /** Queries of the log version made (for tests and the benchmark). */
  versionReads = 0;

  constructor(options: ReadCacheOptions = {}) {
    this.immutable = new Lru(options.maxBytes ?? 32 * 1024 * 1024);
    this.versioned = new Lru(Number.POSITIVE_INFINITY, options.maxVersioned ?? 2000);
    this.coalesce = options.coalesce ?? true;
    this.maxAgeMs = options.maxAgeMs ?? 0;
    this.now = options.now ?? (() => performance.now());
  }

  /** This process may just have committed something to the log: the next reader reads the version. */
  logMayHaveGrown(): void {
    this.generation++;
  }

  /** The version `version()` would answer without a query, if it would (else null: ask `version()`). */
  trustedVersion(): LogVersion | null {
    const k = this.known;
    return k && k.generation === this.generation && this.now() - k.startedAt < this.maxAgeMs ? k.value : null;
  }

  /**
   * The log version, read after this call began (see the module comment), or, with `maxAgeMs`, the
   * last one read if it started less than `maxAgeMs` ago and this process has not written since.
   */
  version(db: Kysely<Database>): Promise<LogVersion> {
    const k = this.known;
    if (k && k.generation === this.generation && this.now() - k.startedAt < this.maxAgeMs) return k.version;
    if (!this.coalesce) return this.read(db);
    if (!this.current) return (this.current = this.start(db));
    return (this.next ??= this.current.then(
      () => this.follow(db),
      () => this.follow(db),
    ));
  }

  private follow(db: Kysely<Database>): Promise<LogVersion> {
    this.next = null;
    return (this.current ??= this.start(db));
  }

  private start(db: Kysely<Database>): Promise<LogVersion> {
    const p: Promise<LogVersion> = this.read(db).finally(() => {
      if (this.current === p) this.current = null;
    });
    return p;
  }

  private read(db: Kysely<Database>): Promise<LogVersion> {
    this.versionReads++;
    const generation = this.generation;
    const startedAt = this.now();
    const version = readLogVersion(db);
    if (this.maxAgeMs > 0) {
      // Trusted only once it has arrived, and only if no later read began meanwhile.
      version.then(
        (value) => {
          if (!this.known || this.known.startedAt <= startedAt) this.known = { version, value, startedAt, generation };
        },
        () => {},
      );
    }
    return version;
  }

  /**
   * The immutable body at `key`, loaded once by `load` (null: nothing there yet, not kept).
   * Concurrent misses share one load when coalescing.
   */
  async immutableBody(key: string, load: () => Promise<Uint8Array | string | null>): Promise<CachedBody | null> {
    const hit = this.immutable.get(key);
    if (hit) return hit;
    const loading = load().then((body) => (body === null ? null : { body, etag: etagOf(body) }));
    if (this.coalesce) this.immutable.set(key, loading, 0);
    try {
      const value = await loading;
      if (value) this.immutable.set(key, value, sizeOf(value.body) + key.length + 64);
      else if (this.coalesce) this.forgetImmutable(key, loading);
      return value;
    } catch (e) {
      if (this.coalesce) this.forgetImmutable(key, loading);
      throw e;
    }
  }

  /** The immutable body at `key` if it is in memory now (never loads). */
  immutableHit(key: string): CachedBody | null {
    const hit = this.immutable.get(key);
    return hit && !(hit instanceof Promise) ? hit : null;
  }

  /** The value at `key` if one read at `version` is in memory now (never loads): `{ value }`, else null. */
  versionedHit<T>(key: string, version: LogVersion): { value: T } | null {
    const hit = this.versioned.get(key);
    return hit && hit.settled && hit.version === version.key ? { value: hit.value as T } : null;
  }

  private forgetImmutable(key: string, loading: Promise<unknown>) {
    if (this.immutable.peek(key) === loading) this.immutable.delete(key);
  }

  /** The value at `key` as of log version `version`, loading it again when the version changed. */
  async versionedValue<T>(key: string, version: LogVersion, load: () => Promise<T>): Promise<T> {
    const hit = this.versioned.get(key);
    if (hit && hit.version === version.key) {
      if (hit.settled) return hit.value as T;
      if (hit.loading) return hit.loading as Promise<T>;
    }
    const loading = load();
    const entry: Versioned = { version: version.key, at: version, settled: false, value: undefined, loading: this.coalesce ? loading : null };
    if (this.coalesce) this.versioned.set(key, entry, 1);
    try {
      const value = await loading;
      const current = this.versioned.peek(key);
      // Kept unless a value of a later version was stored meanwhile.
      if (!current || current === entry || !isLater(current.at, version)) {
        this.versioned.set(key, { version: version.key, at: version, settled: true, value, loading: null }, 1);
      }
      return value;
    } catch (e) {
      if (this.versioned.peek(key) === entry) this.versioned.delete(key);
      throw e;
    }
  }
}

interface Versioned {
  version: string;
  at: LogVersion;
  settled: boolean;
  value: unknown;
  loading: Promise<unknown> | null;
}

/** a is later than b (every part of the version only grows). */
const isLater = (a: LogVersion, b: LogVersion) =>
  a.key !== b.key && a.head >= b.head && a.checkpoint >= b.checkpoint && a.cosignatures >= b.cosignatures;

const sizeOf = (b: Uint8Array | string) => (typeof b === 'string' ? b.length * 2 : b.byteLength);

const byDb = new WeakMap<object, ReadCache>();

/** The read cache of these dependencies: the entry point's, else one per database handle. */
export function readCache(deps: { cache?: ReadCache | undefined; db: object }): ReadCache {
  if (deps.cache) return deps.cache;
  let c = byDb.get(deps.db);
  if (!c) byDb.set(deps.db, (c = new ReadCache()));
  return c;
}
