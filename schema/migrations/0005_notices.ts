import { sql, type Kysely } from 'kysely';

// Public notices (公示/公告, 三(三)7, 六(三), 六(五)), objections (异议) with their evidence files and
// handling history, and per-address rate-limit counters (keyed by an HMAC of address + window).
// JSON values are kept in `text` columns (serialised by the app) so that PGlite and postgres.js
// store and return exactly the same thing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notice')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle.id'))
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('material-review', 'onsite-review', 'initial-winners', 'objection-result', 'revocation')`),
    )
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'published')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('organisations', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('corrects', 'text', (c) => c.references('notice.id'))
    .addColumn('ballot_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('objection_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('revocation', 'text')
    .addColumn('window_start', 'text')
    .addColumn('window_end', 'text')
    .addColumn('window_mode', 'text')
    .addColumn('window_closes_at', 'timestamptz')
    .addColumn('calendar_version', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('published_by', 'text')
    .addColumn('log_index', 'int8', (c) => c.unique())
    .addColumn('document_hash', 'text')
    .addColumn('document', 'text')
    .addColumn('window_closed_flagged_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('notice_cycle_idx').on('notice').columns(['cycle_id', 'type']).execute();
  await db.schema.createIndex('notice_corrects_idx').on('notice').column('corrects').execute();

  await db.schema
    .createTable('objection')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tracking_no', 'text', (c) => c.notNull().unique())
    .addColumn('access_code_hash', 'text', (c) => c.notNull())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notice.id'))
    .addColumn('cycle_id', 'text', (c) => c.notNull().references('cycle.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('unit', 'person')`))
    .addColumn('name_enc', 'bytea', (c) => c.notNull())
    .addColumn('contact_enc', 'bytea', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('due_ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_mode', 'text', (c) => c.notNull())
    .addColumn('due_provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('calendar_version', 'text', (c) => c.notNull())
    .addColumn('receipt_log_index', 'int8', (c) => c.notNull().unique())
    .addColumn('receipt_doc_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('received').check(sql`status in ('received', 'verifying', 'decided', 'published')`),
    )
    .addColumn('assigned_units', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('findings', 'text')
    .addColumn('decision', 'text', (c) => c.check(sql`decision in ('upheld', 'partly-upheld', 'rejected')`))
    .addColumn('decision_summary', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'text')
    .addColumn('result_notice_id', 'text', (c) => c.references('notice.id'))
    .addColumn('result_published_at', 'timestamptz')
    .addColumn('overdue_flagged_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('objection_notice_idx').on('objection').column('notice_id').execute();
  await db.schema.createIndex('objection_cycle_idx').on('objection').columns(['cycle_id', 'status']).execute();

  await db.schema
    .createTable('objection_file')
    .addColumn('objection_id', 'text', (c) => c.notNull().references('objection.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('objection_file_pk', ['objection_id', 'position'])
    .execute();
  await db.schema.createIndex('objection_file_sha_idx').on('objection_file').column('sha256').execute();

  await db.schema
    .createTable('objection_event')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('objection_id', 'text', (c) => c.notNull().references('objection.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('objection_event_idx').on('objection_event').columns(['objection_id', 'id']).execute();

  await db.schema
    .createTable('objection_rate_limit')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('objection_rate_limit_expires_idx').on('objection_rate_limit').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['objection_rate_limit', 'objection_event', 'objection_file', 'objection', 'notice']) {
    await db.schema.dropTable(t).execute();
  }
}
