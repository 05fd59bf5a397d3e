// The migrated PGlite every test database on PGlite starts from (no vitest here: the global setup
// imports it too).
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { PGliteDialect, PGLITE_PARSERS } from '../../src/db/pglite-dialect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** Boots an empty PGlite, runs every migration, and dumps its data folder (uncompressed tar). */
export async function dumpMigratedPGlite(): Promise<Blob> {
  const pg = new PGlite({ parsers: PGLITE_PARSERS });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pg) });
  await migrateToLatest(db);
  const dump = await pg.dumpDataDir('none');
  await db.destroy();
  await pg.close();
  return dump;
}
