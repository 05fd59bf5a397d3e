// Objections after receipt: the staff's handling (assign member units, findings, decision), the
// supervisors' read-only view, the objector's status look-up, the public receipts, and the scheduled
// flagging of overdue objections and closed windows.
import type { Kysely, Selectable } from 'kysely';
import * as z from 'zod';
import type { Database, ObjectionTable } from '../../schema/database.js';
import type { Deps } from '../deps.js';
import { Problem } from '../errors.js';
import { parseJsonColumn } from '../db/json-column.js';
import { fromHex, equalBytes } from '../../crypto/bytes.js';
import { addDays, beijingDate, beijingIso, endOfDayInstant } from '../calendar/dates.js';
import { loadCalendar } from '../calendar/queries.js';
import { officialCalendar, workingDaysLeft, type Calendar } from '../calendar/workdays.js';
import { provisionalNote } from '../calendar/log.js';
import { decryptContact } from './contact.js';
import { ObjectorIdentitySchema, type ObjectorIdentity } from './objector.js';
import type { ObjectionChannel } from '../../schema/database.js';
import { hashAccessCode } from './access-code.js';
import { purgeRateLimits } from './ratelimit.js';
import { holdOf, rosterUnits, unitsOf } from './verification.js';

type ObjectionRow = Selectable<ObjectionTable>;
export type Decision = 'upheld' | 'partly-upheld' | 'rejected';
export type ObjectionStatus = ObjectionRow['status'];

export const DECISION_NAMES: Record<Decision, string> = { upheld: '成立', 'partly-upheld': '部分成立', rejected: '不成立' };

const notFound = (id: string) => new Problem('not-found', { en: `No objection ${id}.`, zh: `没有异议 ${id}。` });

async function getRow(db: Kysely<Database>, id: string): Promise<ObjectionRow> {
  const row = await db.selectFrom('objection').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(id);
  return row;
}

/** The first due date, kept once a logged correction replaced it. */
function firstDue(o: Pick<ObjectionRow, 'due_first'>): { dueDate: string; provisional: boolean } | null {
  if (!o.due_first) return null;
  const d = parseJsonColumn(z.object({ dueDate: z.string(), provisional: z.boolean() }), o.due_first, 'objection.due_first');
  return { dueDate: d.dueDate, provisional: d.provisional };
}

/** Past the 24:00 of its due date without a published result. */
export const isOverdue = (o: Pick<ObjectionRow, 'status' | 'due_ends_at'>, now: Date) => o.status !== 'published' && now.getTime() > o.due_ends_at.getTime();

/**
 * Working days of the 5-working-day clock still to come. The day of receipt is not one of them (a period
 * counts from the next day, 民法典 第二百零一条): on that day the whole clock, 5, is left.
 */
function daysLeft(cal: Calendar, o: Pick<ObjectionRow, 'status' | 'due_date' | 'received_date'>, now: Date): number | null {
  if (o.status === 'published') return null;
  const today = beijingDate(now);
  return workingDaysLeft(today > o.received_date ? today : addDays(o.received_date, 1), o.due_date, cal, { provisional: true });
}

export interface ObjectionSummary {
  id: string;
  trackingNo: string;
  noticeId: string;
  cycleId: string;
  kind: 'unit' | 'person';
  organisation: string;
  receivedAt: string;
  receivedDate: string;
  dueDate: string;
  dueEndsAt: string;
  dueProvisional: boolean;
  workingDaysLeft: number | null;
  overdue: boolean;
  status: ObjectionStatus;
  decision: Decision | null;
  assignedUnits: string[];
  files: number;
  receiptLogIndex: number;
  resultNoticeId: string | null;
}

function summary(o: ObjectionRow, cal: Calendar, now: Date, files: number): ObjectionSummary {
  return {
    id: o.id,
    trackingNo: o.tracking_no,
    noticeId: o.notice_id,
    cycleId: o.cycle_id,
    kind: o.kind,
    organisation: o.organisation,
    receivedAt: beijingIso(o.received_at),
    receivedDate: o.received_date,
    dueDate: o.due_date,
    dueEndsAt: endOfDayInstant(o.due_date).iso,
    dueProvisional: o.due_provisional,
    workingDaysLeft: daysLeft(cal, o, now),
    overdue: isOverdue(o, now),
    status: o.status,
    decision: o.decision,
    assignedUnits: parseJsonColumn(z.array(z.string()), o.assigned_units, 'objection.assigned_units'),
    files,
    receiptLogIndex: o.receipt_log_index,
    resultNoticeId: o.result_notice_id,
  };
}

export interface ObjectionFilter {
  cycleId?: string | undefined;
  noticeId?: string | undefined;
  status?: ObjectionStatus | undefined;
  overdue?: boolean | undefined;
}

/** For staff and supervisors: objections by due date (soonest first), without the objector's identity. */
export async function listObjections(db: Kysely<Database>, now: Date, f: ObjectionFilter = {}): Promise<ObjectionSummary[]> {
  let q = db.selectFrom('objection').selectAll();
  if (f.cycleId) q = q.where('cycle_id', '=', f.cycleId);
  if (f.noticeId) q = q.where('notice_id', '=', f.noticeId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.overdue === true) q = q.where('status', '!=', 'published').where('due_ends_at', '<', now);
  if (f.overdue === false) q = q.where((eb) => eb.or([eb('status', '=', 'published'), eb('due_ends_at', '>=', now)]));
  const rows = await q.orderBy('due_ends_at').orderBy('received_at').orderBy('id').execute();
  const counts = new Map<string, number>();
  if (rows.length > 0) {
    const c = await db
      .selectFrom('objection_file')
      .select(['objection_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('objection_id', 'in', rows.map((r) => r.id))
      .groupBy('objection_id')
      .execute();
    for (const r of c) counts.set(r.objection_id, Number(r.n));
  }
  const cal = await loadCalendar(db);
  return rows.map((r) => summary(r, cal, now, counts.get(r.id) ?? 0));
}

export interface ObjectionDetail extends Omit<ObjectionSummary, 'files'> {
  name: string;
  contact: string;
  facts: string;
  reasons: string;
  digest: string;
  receiptDocumentHash: string;
  calendarVersion: string;
  findings: string | null;
  decisionSummary: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  resultPublishedAt: string | null;
  files: { position: number; sha256: string; size: number; mediaType: string; name: string }[];
  events: { at: string; actor: string; action: string; detail: Record<string, unknown> }[];
  /** The objector's identity (居民身份证号码 and signature, or 统一社会信用代码 and contact person), decrypted. */
  identity: ObjectorIdentity | null;
  channel: ObjectionChannel;
  postmarkDate: string | null;
  registeredBy: string | null;
  noEvidence: boolean;
  /** The signed or sealed letter (file position 0), if any. */
  letter: { position: number; sha256: string; size: number; mediaType: string; name: string } | null;
  calendarEntries: number[];
  /** The first (provisional) due date, once a logged correction replaced it. */
  dueFirst: { dueDate: string; provisional: boolean } | null;
  /** The member units verifying it (会同核查) and each one's finding, as logged. */
  units: Awaited<ReturnType<typeof unitsOf>>;
  /** The member units of the cycle's judging group, from which units are assigned. */
  rosterUnits: string[];
  decisionLogIndex: number | null;
  /** An upheld objection's entry: on hold, kept by the judging group (with its reason), or removed by a correction. */
  hold: Awaited<ReturnType<typeof holdOf>>;
}

/** For staff and supervisors only: everything, the objector's name and contact decrypted. */
export async function getObjectionDetail(deps: Pick<Deps, 'db' | 'keys'>, id: string, now: Date): Promise<ObjectionDetail> {
  const o = await getRow(deps.db, id);
  const files = await deps.db.selectFrom('objection_file').selectAll().where('objection_id', '=', id).orderBy('position').execute();
  const events = await deps.db.selectFrom('objection_event').selectAll().where('objection_id', '=', id).orderBy('id').execute();
  const cal = await loadCalendar(deps.db);
  const { files: _n, ...s } = summary(o, cal, now, files.filter((f) => f.role === 'evidence').length);
  const roster = await rosterUnits(deps.db, o.cycle_id);
  return {
    ...s,
    name: await decryptContact(deps.keys.contactKey, o.id, 'name', o.name_enc),
    contact: await decryptContact(deps.keys.contactKey, o.id, 'contact', o.contact_enc),
    facts: o.facts,
    reasons: o.reasons,
    digest: o.digest,
    receiptDocumentHash: o.receipt_doc_hash,
    calendarVersion: o.calendar_version,
    findings: o.findings,
    decisionSummary: o.decision_summary,
    decidedAt: o.decided_at ? beijingIso(o.decided_at) : null,
    decidedBy: o.decided_by,
    resultPublishedAt: o.result_published_at ? beijingIso(o.result_published_at) : null,
    files: files.filter((f) => f.role === 'evidence').map((f) => ({ position: f.position, sha256: f.sha256, size: f.size, mediaType: f.media_type, name: f.file_name })),
    identity: o.identity_enc ? parseJsonColumn(ObjectorIdentitySchema, await decryptContact(deps.keys.contactKey, o.id, 'identity', o.identity_enc), 'objection.identity_enc') : null,
    channel: o.channel,
    postmarkDate: o.postmark_date,
    registeredBy: o.registered_by,
    noEvidence: o.no_evidence,
    letter: files.filter((f) => f.role === 'letter').map((f) => ({ position: f.position, sha256: f.sha256, size: f.size, mediaType: f.media_type, name: f.file_name }))[0] ?? null,
    calendarEntries: parseJsonColumn(z.array(z.number().int()), o.due_calendar_entries, 'objection.due_calendar_entries'),
    dueFirst: firstDue(o),
    units: await unitsOf(deps.db, o.id, roster),
    rosterUnits: [...roster.keys()],
    decisionLogIndex: o.decision_log_index === null ? null : Number(o.decision_log_index),
    hold: await holdOf(deps.db, o),
    events: events.map((e) => ({ at: beijingIso(e.at), actor: e.actor, action: e.action, detail: parseJsonColumn(z.record(z.string(), z.unknown()), e.detail, 'objection_event.detail') })),
  };
}

/** One evidence file of an objection (staff and supervisors). */
export async function getEvidenceFile(deps: Pick<Deps, 'db' | 'objects'>, id: string, position: number) {
  const f = await deps.db
    .selectFrom('objection_file')
    .selectAll()
    .where('objection_id', '=', id)
    .where('position', '=', position)
    .executeTakeFirst();
  if (!f) throw new Problem('not-found', { en: `Objection ${id} has no file ${position}.`, zh: `异议 ${id} 没有第 ${position} 个文件。` });
  const obj = await deps.objects.get(f.sha256);
  if (!obj) throw new Problem('not-found', { en: `The stored file ${f.sha256} is missing.`, zh: `存储的文件 ${f.sha256} 缺失。` });
  return { ...f, data: obj.data };
}

// ------------------------------------------------------------------ the objector's look-up

export interface PublicStatus {
  trackingNo: string;
  noticeId: string;
  organisation: string;
  receivedAt: string;
  receivedDate: string;
  dueDate: string;
  dueEndsAt: string;
  dueProvisional: boolean;
  /** For a provisional due date: "暂按…计算，待国务院公布YYYY年安排后重算". */
  provisionalNote: { zh: string; en: string } | null;
  /** Once a logged correction replaced a first (provisional) due date: that first value. */
  dueFirst: { dueDate: string; provisional: boolean } | null;
  workingDaysLeft: number | null;
  overdue: boolean;
  /** received → verifying (assigned, findings or decided but not yet published) → result-published. */
  status: 'received' | 'verifying' | 'result-published';
  digest: string;
  receiptLogIndex: number;
  result: { decision: Decision; decisionName: string; summary: string; noticeId: string; publishedAt: string } | null;
}

const DUMMY_HASH = hashAccessCode('not-a-real-code');

/**
 * The status for a tracking number and its access code. A wrong code and an unknown tracking number
 * give the same 404 (the same work is done either way).
 */
export async function lookupStatus(db: Kysely<Database>, trackingNo: string, accessCode: string, now: Date): Promise<PublicStatus> {
  const row = await db.selectFrom('objection').selectAll().where('tracking_no', '=', trackingNo.trim().toUpperCase()).executeTakeFirst();
  const given = fromHex(hashAccessCode(accessCode));
  const expected = fromHex(row?.access_code_hash ?? DUMMY_HASH);
  const ok = equalBytes(given, expected) && !!row;
  if (!ok || !row) {
    throw new Problem('not-found', {
      en: 'No objection matches this tracking number and access code.',
      zh: '没有与该受理编号和查询码相符的异议。',
    });
  }
  const cal = await loadCalendar(db);
  return {
    trackingNo: row.tracking_no,
    noticeId: row.notice_id,
    organisation: row.organisation,
    receivedAt: beijingIso(row.received_at),
    receivedDate: row.received_date,
    dueDate: row.due_date,
    dueEndsAt: endOfDayInstant(row.due_date).iso,
    dueProvisional: row.due_provisional,
    provisionalNote: row.due_provisional ? provisionalNote(row.received_date, row.due_date, cal) : null,
    dueFirst: firstDue(row),
    workingDaysLeft: daysLeft(cal, row, now),
    overdue: isOverdue(row, now),
    status: row.status === 'published' ? 'result-published' : row.status === 'received' ? 'received' : 'verifying',
    digest: row.digest,
    receiptLogIndex: row.receipt_log_index,
    result:
      row.status === 'published' && row.decision && row.decision_summary && row.result_notice_id && row.result_published_at
        ? {
            decision: row.decision,
            decisionName: DECISION_NAMES[row.decision],
            summary: row.decision_summary,
            noticeId: row.result_notice_id,
            publishedAt: beijingIso(row.result_published_at),
          }
        : null,
  };
}

// ------------------------------------------------------------------ public receipts

export interface PublicReceipt {
  trackingNo: string;
  noticeId: string;
  receivedDate: string;
  dueDate: string;
  dueEndsAt: string;
  digest: string;
  receiptLogIndex: number;
  receiptDocumentHash: string;
  dueProvisional: boolean;
  provisionalNote: { zh: string; en: string } | null;
  overdue: boolean;
  resultPublished: boolean;
  resultNoticeId: string | null;
}

/** What the public may know of objections: the facts of receipt (as in the log), never who or what. */
export async function listReceipts(db: Kysely<Database>, now: Date, f: { cycleId?: string; noticeId?: string } = {}): Promise<PublicReceipt[]> {
  return (await receiptRows(db, f)).map((r) => toPublicReceipt(r, now));
}

export type ReceiptRow = Awaited<ReturnType<typeof receiptRows>>[number];

/** The rows listReceipts reads (they change only with a log entry: a receipt, a result notice). */
export async function receiptRows(db: Kysely<Database>, f: { cycleId?: string; noticeId?: string } = {}) {
  let q = db
    .selectFrom('objection')
    .select(['tracking_no', 'notice_id', 'received_date', 'due_date', 'due_ends_at', 'due_provisional', 'digest', 'receipt_log_index', 'receipt_doc_hash', 'status', 'result_notice_id']);
  if (f.cycleId) q = q.where('cycle_id', '=', f.cycleId);
  if (f.noticeId) q = q.where('notice_id', '=', f.noticeId);
  return q.orderBy('receipt_log_index').execute();
}

export function toPublicReceipt(r: ReceiptRow, now: Date): PublicReceipt {
  return {
    dueProvisional: r.due_provisional,
    // A provisional date's missing years are those of the bundled table (entered years end provisionality).
    provisionalNote: r.due_provisional ? provisionalNote(r.received_date, r.due_date, officialCalendar) : null,
    trackingNo: r.tracking_no,
    noticeId: r.notice_id,
    receivedDate: r.received_date,
    dueDate: r.due_date,
    dueEndsAt: endOfDayInstant(r.due_date).iso,
    digest: r.digest,
    receiptLogIndex: r.receipt_log_index,
    receiptDocumentHash: r.receipt_doc_hash,
    overdue: isOverdue(r, now),
    resultPublished: r.status === 'published',
    resultNoticeId: r.result_notice_id,
  };
}

// ------------------------------------------------------------------ the scheduled job

/**
 * Flags objections past their due date without a published result, and notices whose window has
 * closed; purges ended rate-limit windows. Idempotent: each flag is set once (its time kept), so a
 * missed or doubled run changes nothing.
 */
export async function flagDeadlines(deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config' | 'keys'>) {
  const now = deps.clock.now();
  const overdue = await deps.db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('objection')
      .set({ overdue_flagged_at: now })
      .where('overdue_flagged_at', 'is', null)
      .where('status', '!=', 'published')
      .where('due_ends_at', '<', now)
      .returning(['id', 'tracking_no', 'due_date'])
      .execute();
    for (const r of rows) {
      await trx
        .insertInto('objection_event')
        .values({ objection_id: r.id, at: now, actor: 'system', action: 'overdue', detail: JSON.stringify({ dueDate: r.due_date }) })
        .execute();
    }
    return rows;
  });
  for (const r of overdue) {
    deps.logger.log('warn', 'objection verification overdue', { objectionId: r.id, trackingNo: r.tracking_no, dueDate: r.due_date });
  }
  const closedWindows = await deps.db
    .updateTable('notice')
    .set({ window_closed_flagged_at: now })
    .where('window_closed_flagged_at', 'is', null)
    .where('status', '=', 'published')
    .where('window_closes_at', '<', now)
    .returning('id')
    .execute();
  const purged = await purgeRateLimits(deps as Deps);
  return { overdueFlagged: overdue.length, windowsClosed: closedWindows.length, rateLimitRowsPurged: purged };
}
