// What the app receives from its entry point (src/node.ts or src/worker.ts). The app itself never
// reads process.env or Cloudflare bindings: everything runtime-specific arrives here.
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import type { AppConfig } from './config.js';
import type { Principal } from './auth/principal.js';
import type { PublishedAssets } from './assets/manifest.js';
import type { ReadCache } from './cache/read-cache.js';
import type { TokenVerifier } from './tokens/verifier.js';

export type DbKind = 'pglite' | 'postgres';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at `start` and runs at real speed (demos on a fixed date; CLOCK_START). */
export function clockStartingAt(start: Date): Clock & { offsetMs: number } {
  const offsetMs = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offsetMs), offsetMs };
}

/** A clock that runs at real speed from `start` and can be moved forward (`npm run demo` walks a cycle's weeks). */
export function movableClock(start: Date): Clock & { set(iso: string): void; readonly offsetMs: number } {
  let offset = start.getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    set: (iso: string) => void (offset = Date.parse(iso) - Date.now()),
    get offsetMs() {
      return offset;
    },
  };
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger that passes on events at `min` (config LOG_LEVEL) or above and drops the rest. */
export function atLevel(min: LogLevel, sink: Logger = jsonLogger): Logger {
  return { log: (level, msg, fields) => void (LEVEL_RANK[level] >= LEVEL_RANK[min] && sink.log(level, msg, fields)) };
}

/** JSON lines on stdout/stderr: one object per event, never a request body. */
export const jsonLogger: Logger = {
  log(level, msg, fields) {
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  },
};

/** Content-addressed file storage (evidence files): a folder on Node, R2 on Workers. */
export interface ObjectStore {
  put(key: string, data: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<{ data: Uint8Array; contentType: string } | null>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  list(): Promise<string[]>;
}

export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, { data: Uint8Array; contentType: string }>();
  async put(key: string, data: Uint8Array, contentType: string) {
    this.objects.set(key, { data: data.slice(), contentType });
  }
  async get(key: string) {
    return this.objects.get(key) ?? null;
  }
  async has(key: string) {
    return this.objects.has(key);
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
  async list() {
    return [...this.objects.keys()].sort();
  }
}

/** Secrets, parsed once by the entry point. */
export interface Keys {
  /** C2SP signed-note signer key text (PRIVATE+KEY+…) of the public log. */
  logSignerKey: string;
  /** ≥ 32 bytes from which each ballot's BLS key is derived. */
  ballotMasterSecret: Uint8Array;
  /** 32-byte AES-GCM key for objector contact details at rest. */
  contactKey: Uint8Array;
}

/** The supervisory group's co-signer, reached by relaying (src/votes/cosign.ts). */
export interface CosignerLink {
  /** Its verifier key text, pinned in config (COSIGNER_KEY). */
  verifierKey: string;
  /** A request to the co-signer (path from its root: /ballots/…). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** The co-signer from config, when both COSIGNER_URL and COSIGNER_KEY are set. */
export function cosignerFromConfig(config: AppConfig): CosignerLink | undefined {
  if (!config.COSIGNER_URL || !config.COSIGNER_KEY) return undefined;
  const base = config.COSIGNER_URL.replace(/\/+$/, '');
  return { verifierKey: config.COSIGNER_KEY, fetch: (p, init) => fetch(base + p, init) };
}

export interface Deps {
  db: Kysely<Database>;
  dbKind: DbKind;
  clock: Clock;
  config: AppConfig;
  logger: Logger;
  objects: ObjectStore;
  keys: Keys;
  /** Set: every secret ballot is co-issued with the supervisory group's co-signer. */
  cosigner?: CosignerLink;
  /** Resolves once migrations have run; /healthz answers 503 until then. */
  ready: Promise<void>;
  /**
   * The deployed build's asset manifest as logged (src/assets/publish.ts). Set by both entry points
   * before any page is served; pages load their script and stylesheet with its integrity values and
   * declare its index. Absent only in an app driven in memory, which serves no assets at all.
   */
  assets?: PublishedAssets;
  /** The public read path's memory (src/cache/); without it, one per database handle. */
  cache?: ReadCache;
  /** Token verification backend chosen at start (src/tokens/verifier.ts); noble when absent. */
  tokens?: TokenVerifier;
  /**
   * Casts arriving together share one token check (src/tokens/verifier.ts verifyTogether). Node only:
   * a Worker may not settle one request's promise from another request's timer.
   */
  batchTokens?: boolean;
  /** Cloudflare Access signing keys, when ACCESS_TEAM_DOMAIN/ACCESS_AUD are configured. */
  accessKeys?: () => Promise<JsonWebKey[]>;
  /** Node's first run and local admin command (src/auth/first-run.ts): hashes of keys held by this process only. */
  localKeys?: LocalKeys;
}

/** `setup`: the one-time setup link's key while no staff account exists; `admin`: `npm run admin`'s key for this run. */
export interface LocalKeys {
  setup?: string | undefined;
  admin?: string | undefined;
}

export interface AppEnv {
  /** `address`: the client's address as the entry point determined it (src/net/address.ts). */
  Bindings: { deps: Deps; address?: string };
  Variables: { requestId: string; principal: Principal };
}
