// The app in memory, driven with app.request(), on a database of its own (scratch-db.ts), with a
// clock the caller moves, a logger that keeps its lines and an in-memory object store. Used by the
// tests (test/support/app.ts adds the response-schema check) and by the benchmarks.
import { createApp } from '../../src/app.js';
import { defaultConfig, type AppConfig } from '../../src/config.js';
import { MemoryObjectStore, type Clock, type Deps, type Logger } from '../../src/deps.js';
import { generateSignerKey } from '../../crypto/note.js';
import type { ScratchDb } from './scratch-db.js';

export class MutableClock implements Clock {
  constructor(public current: Date) {}
  now() {
    return new Date(this.current.getTime());
  }
  set(iso: string) {
    this.current = new Date(iso);
  }
}

export class MemoryLogger implements Logger {
  readonly lines: Record<string, unknown>[] = [];
  log(level: string, msg: string, fields?: Record<string, unknown>) {
    this.lines.push({ level, msg, ...fields });
  }
}

export interface MemoryApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  logger: MemoryLogger;
  objects: MemoryObjectStore;
  clock: MutableClock;
  /** `address`: the client address the entry point would have determined (the socket's peer). */
  request(path: string, init?: RequestInit & { address?: string }): Promise<Response>;
}

export function memoryApp(t: ScratchDb, overrides: { config?: Partial<AppConfig>; now?: string } = {}): MemoryApp {
  const app = createApp();
  const logger = new MemoryLogger();
  const objects = new MemoryObjectStore();
  const clock = new MutableClock(new Date(overrides.now ?? '2026-03-02T02:00:00Z'));
  // Casts commit in short batches and the pairing budget is wide, unless a test sets its own.
  const config = { ...defaultConfig(), CAST_BATCH_INTERVAL_MS: 20, CAST_VERIFY_PER_SECOND: 10_000, CAST_VERIFY_BURST: 10_000, CAST_VERIFY_PER_ADDRESS_PER_MINUTE: 1_000_000, ...overrides.config };
  const deps: Deps = {
    db: t.db,
    dbKind: t.kind,
    clock,
    config,
    logger,
    objects,
    keys: {
      logSignerKey: generateSignerKey(config.LOG_ORIGIN).signerKey,
      ballotMasterSecret: new Uint8Array(32).fill(7),
      contactKey: new Uint8Array(32).fill(9),
    },
    ready: Promise.resolve(),
  };
  return {
    app,
    deps,
    logger,
    objects,
    clock,
    request: async (path, init) => {
      const { address, ...rest } = init ?? {};
      return app.request(path, rest, { deps, ...(address ? { address } : {}) });
    },
  };
}
