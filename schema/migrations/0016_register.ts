import type { Kysely } from 'kysely';

// The register of applicants (统一社会信用代码, award applied for), the 候选组织建议名单 per
// award drawn from the on-site list, and a list notice's logged override of the publication order.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('applicant')
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle.id'))
    .addColumn('credit_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('award', 'text', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('applicant_pk', ['cycle_id', 'credit_code'])
    .addUniqueConstraint('applicant_name_uq', ['cycle_id', 'name'])
    .execute();
  await db.schema
    .createTable('candidate_list')
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle.id'))
    .addColumn('award', 'text', (c) => c.notNull())
    .addColumn('organisations', 'text', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addColumn('fixed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('candidate_list_pk', ['cycle_id', 'award'])
    .execute();
  await db.schema.alterTable('notice').addColumn('sequence_override', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notice').dropColumn('sequence_override').execute();
  await db.schema.dropTable('candidate_list').execute();
  await db.schema.dropTable('applicant').execute();
}
