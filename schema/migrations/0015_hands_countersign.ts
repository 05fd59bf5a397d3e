import type { Kysely } from 'kysely';

// A staff-recorded show of hands counts only once a supervisor present confirmed it on their own device:
// supervisors register a device key per cycle (a public log entry, like a member's enrollment), and the
// confirmation is that key's Ed25519 signature, kept with the hand and in the named record.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('supervisor_device')
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle.id'))
    .addColumn('device_key', 'text', (c) => c.notNull())
    .addColumn('account_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('supervisor_device_pk', ['cycle_id', 'device_key'])
    .execute();
  await db.schema.alterTable('hand_vote').addColumn('countersigner_key', 'text').execute();
  await db.schema.alterTable('hand_vote').addColumn('countersignature', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('hand_vote').dropColumn('countersignature').execute();
  await db.schema.alterTable('hand_vote').dropColumn('countersigner_key').execute();
  await db.schema.dropTable('supervisor_device').execute();
}
