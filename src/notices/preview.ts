// What a draft will say once published, shown to staff before they confirm: the organisations of an
// initial-winners list (those typed in, then each linked ballot's winners), the objections of a result
// notice with their decisions and summaries. The same functions build the published document
// (publishNotice in publish.ts), so the preview cannot differ from what is logged.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, ObjectionTable } from '../../schema/database.js';
import { Problem, problem, invalid } from '../errors.js';
import type { NoticeDocument, ObjectionResultRef, Organisation } from './model.js';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import { HOLDING_DECISIONS } from '../objections/holds.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The list's organisations: those typed in, then each ballot's winners not already there, with their award. */
export function withWinners(organisations: Organisation[], ballots: { award: NonNullable<Organisation['award']>; winners: { name: string }[] }[]): Organisation[] {
  const out = [...organisations];
  const seen = new Set(out.map((o) => `${o.award ?? ''}\n${o.name}`));
  for (const b of ballots) {
    for (const w of b.winners) {
      if (!seen.has(`${b.award}\n${w.name}`)) {
        seen.add(`${b.award}\n${w.name}`);
        out.push({ name: w.name, award: b.award });
      }
    }
  }
  return out;
}

/** An objection as a result notice lists it; refused while it has no decision or its result is already out. */
export function objectionResultRef(o: Selectable<ObjectionTable>, correcting: string | null): ObjectionResultRef {
  if (!o.decision || !o.decision_summary) {
    throw problem('conflict', `Objection ${o.tracking_no} has no decision yet.`, `异议 ${o.tracking_no} 尚未作出核查结论。`, { objectionId: o.id });
  }
  if (o.status === 'published' && o.result_notice_id !== correcting) {
    throw problem('conflict', `The result of objection ${o.tracking_no} is already published.`, `异议 ${o.tracking_no} 的核查结果已公示。`, {
      objectionId: o.id,
      resultNoticeId: o.result_notice_id,
    });
  }
  return {
    trackingNo: o.tracking_no,
    receiptLogIndex: o.receipt_log_index,
    receivedDate: o.received_date,
    dueDate: o.due_date,
    organisation: o.organisation,
    decision: o.decision,
    summary: o.decision_summary,
    ...(o.no_evidence ? { noEvidence: true } : {}),
    ...(o.decision_log_index !== null ? { decisionLogIndex: Number(o.decision_log_index) } : {}),
  };
}

/** The objections named by a result notice (locked when publishing), in the draft's order. */
export async function objectionsOf(db: Db, cycleId: string, ids: string[], correcting: string | null, lock: boolean): Promise<ObjectionResultRef[]> {
  const out: ObjectionResultRef[] = [];
  for (const oid of ids) {
    let q = db.selectFrom('objection').selectAll().where('id', '=', oid);
    if (lock) q = q.forUpdate();
    const o = await q.executeTakeFirst();
    if (!o) throw new Problem('not-found', { en: `No objection ${oid}.`, zh: `没有异议 ${oid}。` });
    if (o.cycle_id !== cycleId) throw invalid(`Objection ${oid} belongs to another cycle.`, `异议 ${oid} 属于其他周期。`);
    out.push(objectionResultRef(o, correcting));
  }
  return out;
}

/**
 * A correction of a list of initial winners takes winners off only for an upheld objection (三(三)7–8):
 * the winners removed by the list it corrects stay removed, and each organisation the draft names must be
 * the entry of an upheld objection of the cycle still on hold; the document names each one's decision.
 */
export async function withRemovals(
  db: Db,
  cycleId: string,
  correctedDocument: string | null,
  names: readonly string[],
  organisations: Organisation[],
): Promise<{ organisations: Organisation[]; removed: NonNullable<NoticeDocument['removed']> | undefined }> {
  const carried = correctedDocument ? (parseJsonColumn(NoticeDocumentSchema, correctedDocument, 'notice.document').removed ?? []) : [];
  const removed = [...carried];
  for (const name of names) {
    if (removed.some((r) => r.name === name)) continue;
    const listed = organisations.find((o) => o.name === name);
    if (!listed) throw problem('unprocessable', `${name} is not on the list of initial winners: there is nothing to remove.`, `${name} 不在初选授奖组织名单中，无从移出。`, { organisation: name });
    const o = await db
      .selectFrom('objection')
      .select(['decision_log_index'])
      .where('cycle_id', '=', cycleId)
      .where('organisation', '=', name)
      .where('decision', 'in', [...HOLDING_DECISIONS])
      .where('decision_log_index', 'is not', null)
      .where('hold_kept_log_index', 'is', null)
      .orderBy('receipt_log_index')
      .executeTakeFirst();
    if (!o || o.decision_log_index === null)
      throw problem('unprocessable', `${name} is a winner of the cycle's ballots; only an upheld objection takes it off the list.`, `${name} 系本周期投票当选的组织，只有经核查成立的异议才能将其移出名单。`, { organisation: name });
    removed.push({ name, ...(listed.award ? { award: listed.award } : {}), decisionLogIndex: Number(o.decision_log_index) });
  }
  if (removed.length === 0) return { organisations, removed: undefined };
  const off = new Set(removed.map((r) => r.name));
  return { organisations: organisations.filter((o) => !off.has(o.name)), removed };
}
