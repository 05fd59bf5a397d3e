/**
 * Appending to the public log: the entry format and the append itself.
 *
 * Every public fact of an award cycle (a notice, a correction, a verification result, a revocation, a
 * ballot's public key before issuance, a ballot's result…) is a *document*, stored in full and
 * addressed by its hash, and an *entry* of one append-only RFC 9162 Merkle log (crypto/tlog.ts) that
 * commits to it. Nothing in the log is ever rewritten: a correction is a new entry whose refs carry
 * `{ corrects: <index of the corrected entry> }` (checked here to name an existing entry).
 *
 * Canonical JSON and the document hash: crypto/canonical-json.ts (shared with the pages).
 *
 * Entry format (byte-exact; the Merkle leaf data, RFC 9162 §2.1.1 leaf hash SHA-256(0x00 ‖ bytes)):
 *
 *     UTF-8( canonicalJson({ v: 1, type, cycle, doc, refs }) )
 *
 *   i.e. `{"cycle":<string|null>,"doc":"<64 hex>","refs":{…},"type":"<type>","v":1}` where `type` is
 *   1–100 characters of [A-Za-z0-9._:/-], `cycle` the award cycle id or null, `doc` the document hash,
 *   `refs` an object of string or safe-integer values (default {}). At most 65,535 bytes (C2SP
 *   tlog-tiles entry bundles carry a uint16 length): a bigger entry is refused.
 *
 * Appending (`appendRawEntry`, `appendRawEntries`: the storage layer; application code appends typed
 * documents with documents/index.ts `appendEntry`) runs inside the caller's transaction: the head row is
 * locked (`select … for update`, which also reads the tree's frontier: the hashes a new record
 * merges with), so concurrent appends from any number of server instances
 * serialize (on PostgreSQL the lock is released before the commit's WAL flush, and the fact is
 * acknowledged after it: src/db/group-commit.ts); the index is the head size, the stored hashes (crypto/tlog.ts storedHashes) are written
 * with the entry, and the head grows by one. A single append is usually one statement that takes the
 * lock and writes everything, its hashes computed beforehand from the head this process expects
 * (`expectedHead` below), so that the lock is held for that statement and the caller's commit only. A rollback leaves no entry, no document, no hash and no
 * hole. The lock is held until the caller commits: append late in the transaction, and call
 * refreshCheckpoint (checkpoint.ts) after the commit.
 * @module
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { utf8, utf8Decode } from '../../crypto/bytes.js';
import { CanonicalJsonError, canonicalJson, documentHash } from '../../crypto/canonical-json.js';
import { HASH_SIZE, MAX_ENTRY_SIZE, recordHash, storedHashIndex, storedHashesFromFrontier } from '../../crypto/tlog.js';
import { Problem } from '../errors.js';
import { dbHashReader, toBytes } from './storage.js';
import { DEFER_FLUSH_SQL, groupCommit, holdsAppendLock } from '../db/group-commit.js';

export { CanonicalJsonError, canonicalJson, documentHash };

export interface AppendInput {
  type: string;
  cycleId: string | null;
  document: unknown;
  refs?: Record<string, string | number>;
}

export interface LogEntry {
  index: number;
  type: string;
  cycleId: string | null;
  docHash: string;
  refs: Record<string, string | number>;
  bytes: Uint8Array;
}

/** Entry format version (the `v` field). */
export const ENTRY_VERSION = 1;
const TYPE_RE = /^[A-Za-z0-9._:/-]{1,100}$/;

/** The entry bytes for one append (see the module comment). Throws a 400 Problem on bad input. */
export function entryBytes(e: { type: string; cycleId: string | null; docHash: string; refs?: Record<string, string | number> }): Uint8Array {
  const bad = (en: string, zh: string) => new Problem('invalid-request', { en: `log entry: ${en}`, zh: `日志条目：${zh}` });
  if (typeof e.type !== 'string' || !TYPE_RE.test(e.type)) throw bad('type must be 1–100 characters of A-Z a-z 0-9 . _ : / -', '类型须为 1–100 个字母、数字或 . _ : / -');
  if (e.cycleId !== null && (typeof e.cycleId !== 'string' || e.cycleId.length === 0 || e.cycleId.length > 100))
    throw bad('cycleId must be null or a string of 1–100 characters', 'cycleId 须为 null 或 1–100 个字符');
  if (!/^[0-9a-f]{64}$/.test(e.docHash)) throw bad('docHash must be 64 lowercase hex digits', 'docHash 须为 64 位小写十六进制');
  const refs = e.refs ?? {};
  if (typeof refs !== 'object' || refs === null || Array.isArray(refs)) throw bad('refs must be an object', 'refs 须为对象');
  for (const [k, v] of Object.entries(refs)) {
    if (k === '' || !(typeof v === 'string' || Number.isSafeInteger(v))) throw bad(`refs.${k} must be a string or a safe integer`, `refs.${k} 须为字符串或安全整数`);
  }
  const bytes = utf8(canonicalJson({ v: ENTRY_VERSION, type: e.type, cycle: e.cycleId, doc: e.docHash, refs }));
  if (bytes.length > MAX_ENTRY_SIZE)
    throw new Problem('payload-too-large', { en: `log entry of ${bytes.length} bytes exceeds ${MAX_ENTRY_SIZE}`, zh: `日志条目 ${bytes.length} 字节，超过 ${MAX_ENTRY_SIZE}` });
  return bytes;
}

/** Parses entry bytes back (the stored bytes are always in the format above). */
export function parseEntryBytes(bytes: Uint8Array): { v: number; type: string; cycle: string | null; doc: string; refs: Record<string, string | number> } {
  return JSON.parse(utf8Decode(bytes)) as { v: number; type: string; cycle: string | null; doc: string; refs: Record<string, string | number> };
}

/**
 * Appends one entry inside `db` if it is a Transaction (the caller's), else in a transaction of its
 * own. Returns its index and its document's hash.
 */
export async function appendRawEntry(db: Kysely<Database> | Transaction<Database>, input: AppendInput): Promise<{ index: number; docHash: string }> {
  const [r] = await appendRawEntries(db, [input]);
  return r!;
}

interface Prepared {
  type: string;
  cycleId: string | null;
  docHash: string;
  body: string;
  bytes: Uint8Array;
  corrects: number | undefined;
}

function prepare(input: AppendInput): Prepared {
  let body: string;
  try {
    body = canonicalJson(input.document);
  } catch (e) {
    if (e instanceof CanonicalJsonError) throw new Problem('invalid-request', { en: e.message, zh: `文档不是可规范化的 JSON:${e.message}` });
    throw e;
  }
  const docHash = documentHash(body);
  const bytes = entryBytes({ type: input.type, cycleId: input.cycleId, docHash, refs: input.refs ?? {} });
  const c = input.refs?.corrects;
  if (c !== undefined && !(Number.isSafeInteger(c) && (c as number) >= 0))
    throw new Problem('invalid-request', { en: 'refs.corrects must be the index of an entry', zh: 'refs.corrects 须为条目序号' });
  return { type: input.type, cycleId: input.cycleId, docHash, body, bytes, corrects: c as number | undefined };
}

const INSERT_ROWS = 1000;

/**
 * Appends several entries atomically, in order (one lock, batched inserts): what appendRawEntry does
 * for one. Same transaction rule as appendRawEntry. Used for bulk loads (tests, bench) too.
 */
export async function appendRawEntries(db: Kysely<Database> | Transaction<Database>, inputs: AppendInput[]): Promise<{ index: number; docHash: string }[]> {
  const prepared = inputs.map(prepare); // validate before taking the lock
  if (prepared.length === 0) return [];
  if (!db.isTransaction) return db.transaction().execute((trx) => appendLocked(trx, prepared));
  return appendLocked(db as Transaction<Database>, prepared);
}

/** The log head: its size and its frontier (the stored hashes a new record merges with, concatenated). */
interface Head {
  size: number;
  frontier: Uint8Array;
}

/**
 * The head this process expects its next append to find: the one its latest append left behind,
 * committed or not yet. An append computes its hashes from it before it waits for the lock, and the
 * statement that takes the lock writes them only if the head is exactly that (size and frontier, which
 * fix every hash to come); otherwise it has taken the lock and read the head, and the append proceeds
 * from what it read. So each append, once it holds the lock, needs no round trip to this process
 * before its caller's commit: the lock is held for one statement and the commit.
 *
 * On PostgreSQL several appends of this process wait for the lock at once, and the database grants
 * it to them in no particular order; so they take turns here (`turn`): an append sends its statement
 * once the one before it holds the lock, with the head that one leaves as its expectation. A
 * transaction that already holds the lock does not wait for a turn; nor does anyone wait more than
 * TURN_WAIT_MS (a transaction waiting here may hold a row the lock holder needs: after that time it
 * waits in the database, where such a cycle is seen and broken). A wrong expectation (another
 * process appended, a transaction rolled back) costs the append only its hashing, done again.
 */
let expectedHead: Head | null = null;
let lastTurn: Promise<void> = Promise.resolve();
export const TURN_WAIT_MS = 50;

/** Waits until the append before this one holds the lock (or TURN_WAIT_MS), and returns the function that lets the next one go. */
async function turn(): Promise<() => void> {
  const before = lastTurn;
  let done!: () => void;
  lastTurn = new Promise<void>((resolve) => (done = resolve));
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([before, new Promise<void>((resolve) => (timer = setTimeout(resolve, TURN_WAIT_MS)))]);
  if (timer !== undefined) clearTimeout(timer);
  return done;
}

async function appendLocked(trx: Transaction<Database>, prepared: Prepared[]): Promise<{ index: number; docHash: string }[]> {
  // The append lock: every appender waits here for the previous one's commit. On PostgreSQL that
  // commit does not wait for its WAL flush, which its driver does after (src/db/group-commit.ts).
  const deferFlush = trx.getExecutor().plugins.includes(groupCommit);
  const holder = deferFlush && (await trx.getExecutor().provideConnection(async (c) => holdsAppendLock(c)));
  const done = deferFlush && !holder ? await turn() : () => {};
  try {
    return await appendInTurn(trx, prepared, deferFlush);
  } finally {
    done();
  }
}

async function appendInTurn(trx: Transaction<Database>, prepared: Prepared[], deferFlush: boolean): Promise<{ index: number; docHash: string }[]> {
  const expected = expectedHead;
  let head: { size: number; frontier: Uint8Array | null };
  if (prepared.length === 1 && expected && fitsExpected(prepared[0]!, expected)) {
    const r = await appendExpected(trx, prepared[0]!, expected, deferFlush);
    if (r.appended) return [{ index: expected.size, docHash: prepared[0]!.docHash }];
    head = r.head;
  } else {
    const row = await trx
      .selectFrom('log_head')
      .select(['size', 'frontier'])
      .$if(deferFlush, (q) => q.select(sql.raw<string>(DEFER_FLUSH_SQL).as('deferred')))
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    head = { size: Number(row.size), frontier: row.frontier ? toBytes(row.frontier) : null };
  }
  const start = head.size;
  for (const [i, p] of prepared.entries()) {
    if (p.corrects !== undefined && p.corrects >= start + i)
      throw new Problem('unprocessable', { en: `refs.corrects names entry ${p.corrects}, which does not exist`, zh: `refs.corrects 所指条目 ${p.corrects} 不存在` });
  }

  const docs = new Map<string, { hash: string; type: string; body: string }>();
  for (const p of prepared) if (!docs.has(p.docHash)) docs.set(p.docHash, { hash: p.docHash, type: p.type, body: p.body });
  const docRows = [...docs.values()];
  const single = prepared.length === 1;
  if (!single) {
    for (const chunk of chunks(docRows, INSERT_ROWS)) {
      await trx.insertInto('log_document').values(chunk).onConflict((oc) => oc.column('hash').doNothing()).execute();
    }
  }

  // The frontier came with the lock; without it (an older log, or one cut short), one read.
  const indexes = frontierIndexes(start);
  const kept = head.frontier && head.frontier.length === indexes.length * HASH_SIZE ? splitHashes(head.frontier) : await dbHashReader(trx).readHashes(indexes);
  const { hashRows, next } = grow(start, kept, prepared);

  const entryRows = prepared.map((p, i) => ({ idx: start + i, type: p.type, cycle_id: p.cycleId, doc_hash: p.docHash, bytes: p.bytes }));
  if (single) {
    // One statement for the common single append: document, entry, hashes and the new head size
    // (the entry's foreign key to the document is checked at the end of the statement).
    await trx
      .with('d', (q) => q.insertInto('log_document').values(docRows).onConflict((oc) => oc.column('hash').doNothing()))
      .with('e', (q) => q.insertInto('log_entry').values(entryRows))
      .with('h', (q) => q.insertInto('log_hash').values(hashRows))
      .updateTable('log_head')
      .set({ size: next.size, frontier: next.frontier })
      .where('id', '=', 1)
      .execute();
  } else {
    for (const chunk of chunks(entryRows, INSERT_ROWS)) await trx.insertInto('log_entry').values(chunk).execute();
    for (const chunk of chunks(hashRows, 4 * INSERT_ROWS)) await trx.insertInto('log_hash').values(chunk).execute();
    await trx.updateTable('log_head').set({ size: next.size, frontier: next.frontier }).where('id', '=', 1).execute();
  }
  expectedHead = next;
  return prepared.map((p, i) => ({ index: start + i, docHash: p.docHash }));
}

/** An expected head can be appended to without reading anything: its frontier is whole, and a correction names an entry before it. */
function fitsExpected(p: Prepared, expected: Head): boolean {
  return expected.frontier.length === frontierIndexes(expected.size).length * HASH_SIZE && !(p.corrects !== undefined && p.corrects >= expected.size);
}

/**
 * One statement: takes the lock and, if the head is `expected`, writes the document, the entry, its
 * hashes (computed here from `expected`) and the new head. Either way it returns the head it locked.
 */
async function appendExpected(trx: Transaction<Database>, p: Prepared, expected: Head, deferFlush: boolean) {
  const { hashRows, next } = grow(expected.size, splitHashes(expected.frontier), [p]);
  const deferred = deferFlush ? sql.raw(`, ${DEFER_FLUSH_SQL} as deferred`) : sql``;
  const hashValues = sql.join(hashRows.map((h) => sql`(${h.idx}::bigint, ${h.hash}::bytea)`));
  const { rows } = await sql<{ size: number | string; frontier: Uint8Array | null; appended: boolean }>`
    with head as (select size, frontier${deferred} from log_head where id = 1 for update),
    fits as (select from head where size = ${expected.size}::bigint and frontier = ${expected.frontier}::bytea),
    d as (insert into log_document (hash, type, body) select ${p.docHash}::text, ${p.type}::text, ${p.body}::text from fits on conflict (hash) do nothing),
    e as (insert into log_entry (idx, type, cycle_id, doc_hash, bytes) select ${expected.size}::bigint, ${p.type}::text, ${p.cycleId}::text, ${p.docHash}::text, ${p.bytes}::bytea from fits),
    h as (insert into log_hash (idx, hash) select v.idx, v.hash from fits, (values ${hashValues}) as v (idx, hash)),
    u as (update log_head set size = ${next.size}::bigint, frontier = ${next.frontier}::bytea where id = 1 and exists (select from fits))
    select size, frontier, exists (select from fits) as appended from head`.execute(trx);
  const row = rows[0]!;
  if (row.appended) expectedHead = next;
  return { appended: row.appended, head: { size: Number(row.size), frontier: row.frontier ? toBytes(row.frontier) : null } };
}

/** The stored hashes of `prepared` appended to a tree of `size` records with this frontier (highest level first), and the head after them. */
function grow(size: number, frontier: Uint8Array[], prepared: readonly Prepared[]): { hashRows: { idx: number; hash: Uint8Array }[]; next: Head } {
  const f = [...frontier];
  const hashRows: { idx: number; hash: Uint8Array }[] = [];
  for (const [i, p] of prepared.entries()) {
    const n = size + i;
    const first = storedHashIndex(0, n);
    storedHashesFromFrontier(n, recordHash(p.bytes), f).forEach((hash, k) => hashRows.push({ idx: first + k, hash }));
  }
  return { hashRows, next: { size: size + prepared.length, frontier: concatHashes(f) } };
}

function splitHashes(b: Uint8Array): Uint8Array[] {
  return Array.from({ length: b.length / HASH_SIZE }, (_, k) => b.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE));
}

/**
 * Stored-hash indexes of the frontier of a tree of `size` records: its maximal complete subtrees,
 * one per one bit of `size`, highest level first (the subtree of level L ends where bit L's prefix does).
 */
export function frontierIndexes(size: number): number[] {
  const out: number[] = [];
  for (let level = 52; level >= 0; level--) {
    const prefix = Math.floor(size / 2 ** level);
    if (prefix % 2 === 1) out.push(storedHashIndex(level, prefix - 1));
  }
  return out;
}

function concatHashes(hs: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hs.length * HASH_SIZE);
  hs.forEach((h, k) => out.set(h, k * HASH_SIZE));
  return out;
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

// ---------------------------------------------------------------- reads

/** The document with this hash (lowercase hex), or null. */
export async function getDocument(db: Kysely<Database>, docHashHex: string): Promise<{ hash: string; body: string; type: string } | null> {
  if (!/^[0-9a-f]{64}$/.test(docHashHex)) return null;
  const row = await db.selectFrom('log_document').select(['hash', 'body', 'type']).where('hash', '=', docHashHex).executeTakeFirst();
  return row ?? null;
}

type EntryRow = { idx: number; type: string; cycle_id: string | null; doc_hash: string; bytes: Uint8Array };

function toEntry(r: EntryRow): LogEntry {
  const bytes = toBytes(r.bytes);
  return { index: Number(r.idx), type: r.type, cycleId: r.cycle_id, docHash: r.doc_hash, refs: parseEntryBytes(bytes).refs, bytes };
}

/** Entry `index` (committed, or written by this transaction), or null. */
export async function getEntry(db: Kysely<Database>, index: number): Promise<LogEntry | null> {
  if (!Number.isSafeInteger(index) || index < 0) return null;
  const row = await db.selectFrom('log_entry').select(['idx', 'type', 'cycle_id', 'doc_hash', 'bytes']).where('idx', '=', index).executeTakeFirst();
  return row ? toEntry(row) : null;
}

/** Entries of one cycle and/or type, in log order. */
export async function listEntries(db: Kysely<Database>, filter: { cycleId?: string; type?: string }): Promise<LogEntry[]> {
  let q = db.selectFrom('log_entry').select(['idx', 'type', 'cycle_id', 'doc_hash', 'bytes']);
  if (filter.cycleId !== undefined) q = q.where('cycle_id', '=', filter.cycleId);
  if (filter.type !== undefined) q = q.where('type', '=', filter.type);
  return (await q.orderBy('idx').execute()).map(toEntry);
}

/** Entry bytes [from, to) in order (entry bundles). */
export async function readEntryBytes(db: Kysely<Database>, from: number, to: number): Promise<Uint8Array[]> {
  const rows = await db.selectFrom('log_entry').select(['idx', 'bytes']).where('idx', '>=', from).where('idx', '<', to).orderBy('idx').execute();
  if (rows.length !== to - from) throw new Error(`log: entries ${from}..${to} missing`);
  return rows.map((r) => toBytes(r.bytes));
}

/** The committed tree size (the head). */
export async function headSize(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('log_head').select('size').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(r.size);
}
