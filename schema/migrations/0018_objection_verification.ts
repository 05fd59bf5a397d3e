import type { Kysely } from 'kysely';

// Verifying an objection with member units of the judging group (会同评审组相关成员单位): each unit
// assigned and its finding, each logged; the logged decision; an upheld objection's entry kept on a
// list with the judging group's reason; the organisations an initial-winners correction removes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('objection_unit')
    .addColumn('objection_id', 'text', (c) => c.notNull().references('objection.id'))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('assigned_log_index', 'int8', (c) => c.notNull())
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    .addColumn('assigned_by', 'text', (c) => c.notNull())
    .addColumn('finding', 'text')
    .addColumn('finding_log_index', 'int8')
    .addColumn('finding_at', 'timestamptz')
    .addColumn('finding_by', 'text')
    .addPrimaryKeyConstraint('objection_unit_pk', ['objection_id', 'unit'])
    .execute();
  await db.schema
    .alterTable('objection')
    .addColumn('decision_log_index', 'int8')
    .addColumn('hold_kept_reason', 'text')
    .addColumn('hold_kept_log_index', 'int8')
    .addColumn('hold_kept_at', 'timestamptz')
    .addColumn('hold_kept_by', 'text')
    .execute();
  await db.schema.alterTable('notice').addColumn('removed', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notice').dropColumn('removed').execute();
  await db.schema
    .alterTable('objection')
    .dropColumn('decision_log_index')
    .dropColumn('hold_kept_reason')
    .dropColumn('hold_kept_log_index')
    .dropColumn('hold_kept_at')
    .dropColumn('hold_kept_by')
    .execute();
  await db.schema.dropTable('objection_unit').execute();
}
