import { Migrator } from 'kysely/migration';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { migrationProvider } from '../../schema/migrations/index.js';

/** Runs every migration kept in code (schema/migrations); the same on PGlite and PostgreSQL. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`, { cause: error });
  }
}
