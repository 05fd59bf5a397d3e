import type { Kysely } from 'kysely';

// The log head also keeps the tree's frontier: the hashes of the maximal complete subtrees of the
// current size (at most one per bit of the size, highest level first, 32 bytes each), copies of
// hashes already in log_hash. An append reads them with the head lock instead of a second query, and
// writes the next frontier with the new size. Null (as for a log written before this migration) means
// the next append reads them from log_hash.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('log_head').addColumn('frontier', 'bytea').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('log_head').dropColumn('frontier').execute();
}
