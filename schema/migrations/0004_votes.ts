import { sql, type Kysely } from 'kysely';

// The plenary meeting, check-ins, ballots (secret and show of hands), tokens served, cast ballots.
// secret_ballot has, on purpose, no member id, no time and no address column: a cast ballot is
// (ballot, token, signature, choices) and nothing else.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'closed')`))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('log_index', 'bigint')
    .execute();

  await db.schema
    .createTable('checkin')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meeting.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('member.id'))
    .addColumn('device_key', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('checked_in_at', 'timestamptz', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('checkin_pk', ['meeting_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('ballot')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle.id'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meeting.id'))
    .addColumn('award', 'text', (c) => c.notNull().check(sql`award in ('quality', 'innovation', 'excellence')`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('secret', 'show-of-hands')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull().check(sql`seats between 1 and 25`))
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('candidates', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('runoff_of', 'text', (c) => c.references('ballot.id'))
    .addColumn('members_total', 'integer')
    .addColumn('eligible', 'text')
    .addColumn('public_key', 'text')
    .addColumn('proof_of_possession', 'text')
    .addColumn('key_log_index', 'bigint')
    .addColumn('bulletin_log_index', 'bigint')
    .addColumn('result', 'text')
    .addColumn('result_log_index', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ballot_cycle_idx').on('ballot').columns(['cycle_id', 'award']).execute();

  await db.schema
    .createTable('ballot_phase')
    .addColumn('ballot_id', 'text', (c) => c.notNull().references('ballot.id'))
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ballot_phase_pk', ['ballot_id', 'phase'])
    .execute();

  // That a member was served a token: the member and a hash of the blinded value (for a safe retry).
  await db.schema
    .createTable('token_served')
    .addColumn('ballot_id', 'text', (c) => c.notNull().references('ballot.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('member.id'))
    .addColumn('blinded_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('token_served_pk', ['ballot_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('secret_ballot')
    .addColumn('ballot_id', 'text', (c) => c.notNull().references('ballot.id'))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('choices', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('secret_ballot_pk', ['ballot_id', 'token'])
    .execute();

  await db.schema
    .createTable('hand_vote')
    .addColumn('ballot_id', 'text', (c) => c.notNull().references('ballot.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('member.id'))
    .addColumn('choices', 'text', (c) => c.notNull())
    .addColumn('signature', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull().check(sql`recorded_by in ('member', 'staff')`))
    .addColumn('staff_name', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('hand_vote_pk', ['ballot_id', 'member_id'])
    .addCheckConstraint('hand_vote_signed', sql`recorded_by = 'staff' or signature is not null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['hand_vote', 'secret_ballot', 'token_served', 'ballot_phase', 'ballot', 'checkin', 'meeting']) {
    await db.schema.dropTable(t).execute();
  }
}
