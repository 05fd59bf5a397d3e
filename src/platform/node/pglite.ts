// The embedded database on Node: PGlite in a folder, locked against a second process.
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PGliteDialect, PGLITE_PARSERS } from '../../db/pglite-dialect.js';
import type { Database } from '../../../schema/database.js';

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

/**
 * PostgreSQL's shared buffers live inside PGlite's WebAssembly memory, which never shrinks: at the
 * default 128 MB they were most of the steady RSS of the embedded mode (its process ≈ 480 MB after start
 * against ≈ 390 MB with 16 MB). The award's data is small, and what the public reads most is served
 * from the app's own cache (src/cache/read-cache.ts).
 */
const PGLITE_OPTIONS = { parsers: PGLITE_PARSERS, postgresqlconf: ['shared_buffers = 16MB'] };

/** Opens the embedded PGlite in `dir` (locked), or in memory when dir is undefined. */
export async function openPGlite(dir?: string) {
  const release = dir ? lockDataDir(dir) : () => {};
  try {
    const pg = dir ? new PGlite(dir, PGLITE_OPTIONS) : new PGlite(PGLITE_OPTIONS);
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
