import { sql, type Kysely } from 'kysely';

// After the 公示 (三(三)8, 四(二)): the judging group's 审定 of the 拟授奖组织名单 at a meeting (by the
// members' signed hands or the chair's record confirmed by a supervisor), the bureau's submission to the
// city government, the government's decision, and the 表彰通报 as a notice type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('award_fixing')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle.id'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meeting.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'adopted', 'rejected')`))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('document_hash', 'text', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addColumn('chair_record', 'text')
    .addColumn('decided_log_index', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One 审定 under discussion per cycle, and one adopted.
  await sql`create unique index award_fixing_proposed on award_fixing (cycle_id) where status = 'proposed'`.execute(db);
  await sql`create unique index award_fixing_adopted on award_fixing (cycle_id) where status = 'adopted'`.execute(db);
  await db.schema
    .createTable('award_fixing_vote')
    .addColumn('fixing_id', 'text', (c) => c.notNull().references('award_fixing.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('member.id'))
    .addColumn('choice', 'text', (c) => c.notNull().check(sql`choice in ('for', 'against', 'abstain')`))
    .addColumn('signature', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('award_fixing_vote_pk', ['fixing_id', 'member_id'])
    .execute();
  await db.schema
    .createTable('award_approval')
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle.id'))
    .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('submission', 'decision')`))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull().check(sql`file_sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('award_approval_pk', ['cycle_id', 'stage'])
    .execute();
  await sql`alter table notice drop constraint notice_type_check`.execute(db);
  await sql`alter table notice add constraint notice_type_check check (type in ('material-review', 'onsite-review', 'initial-winners', 'objection-result', 'revocation', 'commendation'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table notice drop constraint notice_type_check`.execute(db);
  await sql`alter table notice add constraint notice_type_check check (type in ('material-review', 'onsite-review', 'initial-winners', 'objection-result', 'revocation'))`.execute(db);
  for (const t of ['award_approval', 'award_fixing_vote', 'award_fixing']) await db.schema.dropTable(t).execute();
}
