import { sql, type Kysely } from 'kysely';

// The public log (src/log): an append-only RFC 9162 Merkle log published as C2SP tlog-tiles.
//   log_head        one row (id = 1) holding the tree size; `select … for update` on it is the append
//                   lock, so appends from every server instance serialize and indexes stay dense. It is
//                   the only row ever updated.
//   log_entry       entry idx (0..size-1) → its exact leaf bytes, with type / cycle / document hash.
//   log_hash        stored hash idx (Crosby–Wallach order, crypto/tlog.ts) → 32-byte hash, as bytea.
//   log_document    full documents (canonical JSON text) by lowercase hex SHA-256.
//   log_checkpoint  signed checkpoints (C2SP tlog-checkpoint, signed note with the log's signature).
//   log_cosignature witness cosignature/v1 lines, one per (checkpoint, witness key).
// A trigger refuses every UPDATE and DELETE on the five append-only tables.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('log_head')
    .addColumn('id', 'smallint', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql`size >= 0`))
    .execute();
  await db.insertInto('log_head').values({ id: 1, size: 0 }).execute();

  await db.schema
    .createTable('log_document')
    .addColumn('hash', 'text', (c) => c.primaryKey().check(sql`hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('log_entry')
    .addColumn('idx', 'bigint', (c) => c.primaryKey().check(sql`idx >= 0`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'text')
    .addColumn('doc_hash', 'text', (c) => c.notNull().references('log_document.hash'))
    .addColumn('bytes', 'bytea', (c) => c.notNull().check(sql`octet_length(bytes) <= 65535`))
    .execute();
  await db.schema.createIndex('log_entry_cycle_idx').on('log_entry').columns(['cycle_id', 'idx']).execute();
  await db.schema.createIndex('log_entry_type_idx').on('log_entry').columns(['type', 'idx']).execute();
  await db.schema.createIndex('log_entry_doc_idx').on('log_entry').column('doc_hash').execute();

  await db.schema
    .createTable('log_hash')
    .addColumn('idx', 'bigint', (c) => c.primaryKey().check(sql`idx >= 0`))
    .addColumn('hash', 'bytea', (c) => c.notNull().check(sql`octet_length(hash) = 32`))
    .execute();

  await db.schema
    .createTable('log_checkpoint')
    .addColumn('size', 'bigint', (c) => c.primaryKey().check(sql`size >= 0`))
    .addColumn('root_hash', 'bytea', (c) => c.notNull().check(sql`octet_length(root_hash) = 32`))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('log_cosignature')
    .addColumn('checkpoint_size', 'bigint', (c) => c.notNull().references('log_checkpoint.size'))
    .addColumn('witness', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull().check(sql`key_id ~ '^[0-9a-f]{8}$'`))
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('cosigned_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('log_cosignature_pk', ['checkpoint_size', 'witness', 'key_id'])
    .execute();
  await db.schema.createIndex('log_cosignature_witness_idx').on('log_cosignature').columns(['witness', 'checkpoint_size']).execute();

  await sql`
    create function log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the public log is append-only: % on % refused', tg_op, tg_table_name;
    end
    $$`.execute(db);
  for (const t of ['log_entry', 'log_hash', 'log_document', 'log_checkpoint', 'log_cosignature']) {
    await sql`create trigger ${sql.raw(`${t}_append_only`)} before update or delete on ${sql.table(t)}
      for each row execute function log_append_only()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['log_cosignature', 'log_checkpoint', 'log_hash', 'log_entry', 'log_document', 'log_head']) {
    await db.schema.dropTable(t).execute();
  }
  await sql`drop function log_append_only()`.execute(db);
}
