import { sql, type Kysely } from 'kysely';

// Objections as Chinese offices take them, and the calendar as a public fact:
// - identified objectors (identity encrypted like the contact details), the channel an objection came
//   by (online, in person, post, fax) with the postmark date, the signed/sealed letter as a file role,
//   an explicit "未提供佐证材料", and the calendar entries each deadline used (with its provisional
//   first value once corrected);
// - per cycle, the objection-intake details every windowed notice prints (受理单位, 联系人, 电话…);
// - a notice draft's chosen first day of the window;
// - calendar_entry: the calendar's public log entries (State Council tables, local overrides), the
//   only source the working-day calendar is built from besides the bundled tables.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('objection')
    .addColumn('identity_enc', 'bytea')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('online').check(sql`channel in ('online', 'in-person', 'post', 'fax')`))
    .addColumn('postmark_date', 'text')
    .addColumn('registered_by', 'text')
    .addColumn('no_evidence', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('due_calendar_entries', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('due_first', 'text')
    .execute();
  await db.schema
    .alterTable('objection_file')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('evidence').check(sql`role in ('evidence', 'letter')`))
    .execute();
  await db.schema.alterTable('notice').addColumn('first_day', 'text').execute();

  await db.schema
    .createTable('cycle_intake')
    .addColumn('cycle_id', 'text', (c) => c.primaryKey().references('cycle.id'))
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calendar_entry')
    .addColumn('log_index', 'int8', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('table', 'override', 'override-withdrawn')`))
    .addColumn('year', 'integer')
    .addColumn('date', 'text')
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('calendar_entry_table_year').on('calendar_entry').column('year').unique().where(sql.ref('kind'), '=', 'table').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_entry').execute();
  await db.schema.dropTable('cycle_intake').execute();
  await db.schema.alterTable('notice').dropColumn('first_day').execute();
  await db.schema.alterTable('objection_file').dropColumn('role').execute();
  for (const c of ['identity_enc', 'channel', 'postmark_date', 'registered_by', 'no_evidence', 'due_calendar_entries', 'due_first']) {
    await db.schema.alterTable('objection').dropColumn(c).execute();
  }
}
