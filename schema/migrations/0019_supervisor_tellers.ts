import type { Kysely } from 'kysely';

// A supervisor attending the meeting may be named 监票人: their confirmation of a vote's count is the
// signature of the device registered to their account for the cycle, kept here beside its log entry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('supervisor_tally_confirmation')
    .addColumn('ballot_id', 'text', (c) => c.notNull().references('ballot.id'))
    .addColumn('account_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('device_key', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('supervisor_tally_confirmation_pk', ['ballot_id', 'account_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('supervisor_tally_confirmation').execute();
}
