// Test databases: every database test runs on PGlite, and also on the real PostgreSQL when
// TEST_DATABASE_URL is set (describeEachDb), each in a database of its own.
//
// PGlite: a copy of one migrated template (test/global-setup.ts builds it once per run and dumps its
// data folder), loaded in ~1 s instead of an initdb and every migration per test database.
// PostgreSQL: a schema of its own, migrated, dropped afterwards.
import * as fs from 'node:fs';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { describe, inject, type TestOptions } from 'vitest';
import type { Database } from '../../schema/database.js';
import type { DbKind } from '../../src/deps.js';
import { PGliteDialect, PGLITE_PARSERS } from '../../src/db/pglite-dialect.js';
import { openPostgres } from '../../src/db/postgres.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { dumpMigratedPGlite } from './pglite-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tar of a migrated PGlite data folder (written by the global setup). */
    pgliteTemplate?: string;
  }
}

export interface TestDb {
  kind: DbKind;
  db: Kysely<Database>;
  close(): Promise<void>;
}

export const DB_KINDS: DbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** `describe(name [kind], …)` once per database kind; the body gets the kind to open with openTestDb. */
export function describeEachDb(name: string, body: (kind: DbKind) => void, options: TestOptions = {}) {
  for (const kind of DB_KINDS) describe(`${name} [${kind}]`, options, () => body(kind));
}

/** A migrated PGlite data folder as a tar: built here once per process unless the global setup did. */
let template: Promise<Blob> | undefined;
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = inject('pgliteTemplate');
    if (file && fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
    return dumpMigratedPGlite();
  })();
  return template;
}

/** A migrated database of the kind; `max`: PostgreSQL pool size. */
export async function openTestDb(kind: DbKind, options: { max?: number } = {}): Promise<TestDb> {
  if (kind === 'pglite') {
    const pg = new PGlite({ parsers: PGLITE_PARSERS, loadDataDir: await migratedTemplate() });
    await pg.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pg) });
    // Migrations already ran in the template; running them again checks that it is up to date.
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
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create schema ${schema}`);
  const { db, close } = openPostgres(url, { schema, max: options.max ?? 10 });
  const t: TestDb = {
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
