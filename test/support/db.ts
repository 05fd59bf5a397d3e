// Test databases: every database test runs on an in-memory PGlite, and also on the real PostgreSQL
// when TEST_DATABASE_URL is set — each in a schema of its own, dropped afterwards.
import postgres from 'postgres';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { DbKind } from '../../src/deps.js';
import { openPGlite } from '../../src/node.js';
import { openPostgres } from '../../src/db/postgres.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface TestDb {
  kind: DbKind;
  db: Kysely<Database>;
  close(): Promise<void>;
}

export const DB_KINDS: DbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function openTestDb(kind: DbKind, options: { migrate?: boolean; max?: number } = {}): Promise<TestDb> {
  let t: TestDb;
  if (kind === 'pglite') {
    const { db, close } = await openPGlite();
    t = { kind, db, close };
  } else {
    const url = process.env.TEST_DATABASE_URL!;
    const schema = `t_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create schema ${schema}`);
    const { db, close } = openPostgres(url, { schema, max: options.max ?? 10 });
    t = {
      kind,
      db,
      close: async () => {
        await close();
        await admin.unsafe(`drop schema ${schema} cascade`);
        await admin.end();
      },
    };
  }
  if (options.migrate !== false) await migrateToLatest(t.db);
  return t;
}
