import type { Kysely } from 'kysely';

// Co-issued secret ballots: the two keys of a ballot (the bureau's and the supervisory group's
// co-signer's, each with its proof of possession), the co-signer's signed approval of the eligible
// list, and its signed served list once issuance closed. All of it is public (logged); the row is how
// the server finds it again without reading the log.
export async function up(db: Kysely<any>): Promise<void> {
  // The public half of each secret ballot's receipt key (src/votes/receipts.ts), logged with its key.
  await db.schema.alterTable('ballot').addColumn('receipt_key', 'text').execute();
  await db.schema
    .createTable('ballot_cosign')
    .addColumn('ballot_id', 'text', (c) => c.primaryKey().references('ballot.id'))
    .addColumn('bureau_public_key', 'text', (c) => c.notNull())
    .addColumn('bureau_pop', 'text', (c) => c.notNull())
    .addColumn('cosigner_public_key', 'text', (c) => c.notNull())
    .addColumn('cosigner_pop', 'text', (c) => c.notNull())
    .addColumn('approval', 'text', (c) => c.notNull())
    .addColumn('served_statement', 'text')
    .addColumn('served_log_index', 'bigint')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ballot_cosign').execute();
  await db.schema.alterTable('ballot').dropColumn('receipt_key').execute();
}
