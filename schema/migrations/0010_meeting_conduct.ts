import { sql, type Kysely } from 'kysely';

// How the meeting is conducted: the 表决办法 with the 监票人/计票人 the meeting adopts before its first
// vote (and the members' signed show of hands on it), 回避 per ballot and candidate, the tellers'
// signed confirmations of each result, and the display links of the meeting screen.
// Two columns on ballot and secret_ballot: the keys of the recusal classes of a secret ballot, and the
// class a cast ballot belongs to (the candidates its member was recused from; null for none).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_procedure')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meeting.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'adopted', 'rejected')`))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('document_hash', 'text', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addColumn('chair_record', 'text')
    .addColumn('decided_log_index', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // At most one procedure under discussion per meeting. Once one is adopted, a later one amends it (for
  // ballots prepared afterwards with rules of their own).
  await sql`create unique index meeting_procedure_proposed on meeting_procedure (meeting_id) where status = 'proposed'`.execute(db);

  await db.schema
    .createTable('procedure_vote')
    .addColumn('procedure_id', 'text', (c) => c.notNull().references('meeting_procedure.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('member.id'))
    .addColumn('choice', 'text', (c) => c.notNull().check(sql`choice in ('for', 'against', 'abstain')`))
    .addColumn('signature', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('procedure_vote_pk', ['procedure_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('recusal')
    .addColumn('ballot_id', 'text', (c) => c.notNull().references('ballot.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('member.id'))
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull().check(sql`declared_by in ('member', 'chair')`))
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('recusal_pk', ['ballot_id', 'member_id', 'candidate_id'])
    .execute();

  await db.schema
    .createTable('tally_confirmation')
    .addColumn('ballot_id', 'text', (c) => c.notNull().references('ballot.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('member.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('counter', 'scrutineer')`))
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tally_confirmation_pk', ['ballot_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('meeting_display')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meeting.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('ballot').addColumn('key_classes', 'text').execute();
  await db.schema.alterTable('meeting').addColumn('minutes_log_index', 'bigint').execute();
  await db.schema.alterTable('secret_ballot').addColumn('recused', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('secret_ballot').dropColumn('recused').execute();
  await db.schema.alterTable('ballot').dropColumn('key_classes').execute();
  await db.schema.alterTable('meeting').dropColumn('minutes_log_index').execute();
  for (const t of ['meeting_display', 'tally_confirmation', 'recusal', 'procedure_vote', 'meeting_procedure']) await db.schema.dropTable(t).execute();
}
