// PostgreSQL through postgres.js and kysely-postgres-js: on Node from DATABASE_URL, on Workers from the
// Hyperdrive binding's connection string (a client per request).
import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { Database } from '../../schema/database.js';

export interface PostgresOptions {
  max?: number;
  /** search_path for this client (tests run each in a schema of their own). */
  schema?: string;
  onnotice?: (n: unknown) => void;
}

/** int8 as a JS number, the same as PGlite's parsers (src/db/pglite-dialect.ts). */
const int8AsNumber = {
  to: 20,
  from: [20],
  serialize: (x: number | bigint) => String(x),
  parse: (x: string) => Number(x),
};

export function openPostgres(url: string, options: PostgresOptions = {}) {
  // fetch_types stays at its default: `fetch_types: false` hangs reserve(), which kysely-postgres-js uses.
  const sql = postgres(url, {
    max: options.max ?? 10,
    types: { int8: int8AsNumber },
    onnotice: options.onnotice ?? (() => {}),
    ...(options.schema ? { connection: { search_path: options.schema } } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) });
  return { db, sql, close: () => db.destroy() };
}
