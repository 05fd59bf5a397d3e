import { Migrator } from 'kysely';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { migrationProvider } from '../../schema/migrations/index.js';

/** Runs every migration kept in code (schema/migrations); the same on PGlite and PostgreSQL. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  // Name the schema: without it kysely looks for its migration tables in *any* schema of the database
  // and, finding another schema's, skips creating its own.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  // Unordered: migration numbers are handed out to work done side by side, so a database may already
  // have run a higher number when a lower one lands; each still runs once.
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider: migrationProvider, migrationTableSchema: rows[0]!.schema, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`, { cause: error });
  }
}
