// A migrated database of its own, for tests and benchmarks: an in-memory PGlite (from a migrated data
// folder when one is given, else booted and migrated here), or a schema of its own on the PostgreSQL
// at TEST_DATABASE_URL, dropped on close. No test framework here: the benchmarks use it as it is,
// the tests through test/support/db.ts (which adds the per-run PGlite template and describeEachDb).
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { DbKind } from '../../src/deps.js';
import { PGliteDialect, PGLITE_PARSERS } from '../../src/db/pglite-dialect.js';
import { openPostgres } from '../../src/db/postgres.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface ScratchDb {
  kind: DbKind;
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** The database kinds to run on: PGlite, and PostgreSQL too when TEST_DATABASE_URL is set. */
export const DB_KINDS: DbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A migrated database of the kind. `max`: PostgreSQL pool size; `pgliteDataDir`: a migrated PGlite
 * data folder (tar) to start from instead of an initdb and every migration.
 */
export async function openScratchDb(kind: DbKind, options: { max?: number; pgliteDataDir?: Blob } = {}): Promise<ScratchDb> {
  if (kind === 'pglite') {
    const pg = new PGlite({ parsers: PGLITE_PARSERS, ...(options.pgliteDataDir ? { loadDataDir: options.pgliteDataDir } : {}) });
    await pg.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pg) });
    // From a template the migrations already ran; running them again checks that it is up to date.
    await migrateToLatest(db);
    return {
      kind,
      db,
      close: async () => {
        await db.destroy();
        await pg.close();
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: no PostgreSQL to run on');
  const schema = `t_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create schema ${schema}`);
  const { db, close } = openPostgres(url, { schema, max: options.max ?? 10 });
  const t: ScratchDb = {
    kind,
    db,
    close: async () => {
      await close();
      await admin.unsafe(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
  await migrateToLatest(t.db);
  return t;
}
