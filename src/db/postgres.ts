// PostgreSQL through postgres.js and kysely-postgres-js: on Node from DATABASE_URL, on Workers from the
// Hyperdrive binding's connection string (a client per request).
import { Kysely, type Driver } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import { GroupCommitDriver, groupCommit } from './group-commit.js';
import postgres from 'postgres';
import type { Database } from '../../schema/database.js';

export interface PostgresOptions {
  max?: number;
  /** search_path for this client (tests run each in a schema of their own). */
  schema?: string;
  onnotice?: (n: unknown) => void;
  /** Log appends hold the head lock across their commit's WAL flush (the benchmark's baseline); default false. */
  synchronousAppends?: boolean;
}

/** int8 as a JS number, the same as PGlite's parsers (src/db/pglite-dialect.ts). */
const int8AsNumber = {
  to: 20,
  from: [20],
  serialize: (x: number | bigint) => String(x),
  parse: (x: string) => Number(x),
};

class GroupCommitDialect extends PostgresJSDialect {
  override createDriver(): Driver {
    return new GroupCommitDriver(super.createDriver());
  }
}

export function openPostgres(url: string, options: PostgresOptions = {}) {
  // fetch_types stays at its default: `fetch_types: false` hangs reserve(), which kysely-postgres-js uses.
  const sql = postgres(url, {
    max: options.max ?? 10,
    types: { int8: int8AsNumber },
    onnotice: options.onnotice ?? (() => {}),
    ...(options.schema ? { connection: { search_path: options.schema } } : {}),
  });
  // Log appends commit without holding the head lock across the WAL flush (src/db/group-commit.ts).
  const db = options.synchronousAppends
    ? new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) })
    : new Kysely<Database>({ dialect: new GroupCommitDialect({ postgres: sql }), plugins: [groupCommit] });
  return { db, sql, close: () => db.destroy() };
}
