// Test databases: every database test runs on PGlite, and also on the real PostgreSQL when
// TEST_DATABASE_URL is set (describeEachDb), each in a database of its own.
//
// PGlite: a copy of one migrated template (test/global-setup.ts builds it once per run and dumps its
// data folder), loaded in ~1 s instead of an initdb and every migration per test database.
// PostgreSQL: a schema of its own, migrated, dropped afterwards.
import * as fs from 'node:fs';
import { describe, inject, type TestOptions } from 'vitest';
import type { DbKind } from '../../src/deps.js';
import { DB_KINDS, openScratchDb, type ScratchDb } from '../../tools/harness/scratch-db.js';
import { dumpMigratedPGlite } from './pglite-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tar of a migrated PGlite data folder (written by the global setup). */
    pgliteTemplate?: string;
  }
}

export type TestDb = ScratchDb;
export { DB_KINDS };

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
  return openScratchDb(kind, { ...options, ...(kind === 'pglite' ? { pgliteDataDir: await migratedTemplate() } : {}) });
}
