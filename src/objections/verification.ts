// Verifying an objection (三(三)7 "会同评审组相关成员单位进行核查"): staff assign member units of the
// cycle's judging group (its roster, as the log's member-registered entries state it), record each
// unit's finding, and decide (成立 / 部分成立 / 不成立) citing every finding — at least one unit, all of
// them heard. For an upheld objection whose entry stays on its list, the judging group's reason is
// recorded (三(三)8). Each step is a log entry written in the same transaction as the objection's
// state; the result notice (notices/) then restates the decision in force.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, ObjectionTable } from '../../schema/database.js';
import { Problem, problem } from '../errors.js';
import { beijingIso } from '../calendar/dates.js';
import { appendEntry } from '../log/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { MemberRegisteredDocument } from '../log/documents/index.js';
import type { Decision } from './queries.js';
import { HOLDING_DECISIONS, entriesOnHold } from './holds.js';

type Db = Kysely<Database> | Transaction<Database>;
type ObjectionRow = Selectable<ObjectionTable>;

/** The name a log entry gives for the staff member who acted ("staff:3:王工" → 王工). */
export const staffName = (actor: string) => /^(?:staff|supervisor):\d+:(.*)$/.exec(actor)?.[1] ?? actor;

/** The member units of the cycle's judging group, each with the first member-registered entry that names it. */
export async function rosterUnits(db: Db, cycleId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('log_entry')
    .innerJoin('log_document', 'log_document.hash', 'log_entry.doc_hash')
    .select(['log_entry.idx', 'log_document.body'])
    .where('log_entry.cycle_id', '=', cycleId)
    .where('log_entry.type', '=', 'member-registered')
    .orderBy('log_entry.idx')
    .execute();
  const units = new Map<string, number>();
  for (const r of rows) {
    const doc = parseJsonColumn(MemberRegisteredDocument, r.body, 'log_document.body');
    if (!units.has(doc.unit)) units.set(doc.unit, Number(r.idx));
  }
  return units;
}

const notFound = (id: string) => new Problem('not-found', { en: `No objection ${id}.`, zh: `没有异议 ${id}。` });

/** Locks the objection for a step of its verification; refused once its result is published, or (`beforeDecision`) once decided. */
async function lockOpen(trx: Transaction<Database>, id: string, beforeDecision: boolean): Promise<ObjectionRow> {
  const o = await trx.selectFrom('objection').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!o) throw notFound(id);
  if (o.status === 'published') throw problem('conflict', `The result of objection ${o.tracking_no} is published; it can no longer change.`, `异议 ${o.tracking_no} 的核查结果已公示，不能再修改。`);
  if (beforeDecision && o.decision !== null)
    throw problem('conflict', `Objection ${o.tracking_no} is decided; units and findings are recorded before the decision.`, `异议 ${o.tracking_no} 已作出核查结论；会同核查单位及其核查情况须在作出结论前记录。`);
  return o;
}

const ref = (o: ObjectionRow) => ({ trackingNo: o.tracking_no, receiptLogIndex: Number(o.receipt_log_index), cycleId: o.cycle_id });

async function event(trx: Transaction<Database>, id: string, now: Date, actor: string, action: string, detail: Record<string, unknown>) {
  await trx.insertInto('objection_event').values({ objection_id: id, at: now, actor, action, detail: JSON.stringify(detail) }).execute();
}

/** Assigns member units of the roster (each once; a unit already assigned is kept). Returns the units newly assigned. */
export async function assignUnits(db: Kysely<Database>, id: string, units: string[], now: Date, actor: string): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const o = await lockOpen(trx, id, true);
    const roster = await rosterUnits(trx, o.cycle_id);
    const outside = units.filter((u) => !roster.has(u));
    if (outside.length)
      throw problem(
        'unprocessable',
        `Not a member unit of the judging group of cycle ${o.cycle_id}: ${outside.join(', ')}. Choose units from its roster.`,
        `以下单位不是本周期评审组成员单位：${outside.join('、')}。请从评审组名单中选择。`,
        { units: outside, roster: [...roster.keys()] },
      );
    const assigned = new Set((await trx.selectFrom('objection_unit').select('unit').where('objection_id', '=', id).execute()).map((r) => r.unit));
    const added = units.filter((u) => !assigned.has(u));
    if (added.length === 0) return [];
    const { index } = await appendEntry(
      trx,
      'objection-assigned',
      { ...ref(o), units: added.map((unit) => ({ unit, memberLogIndex: roster.get(unit)! })), assignedAt: beijingIso(now), assignedBy: staffName(actor) },
      { cycleId: o.cycle_id, refs: { receipt: Number(o.receipt_log_index) } },
    );
    await trx.insertInto('objection_unit').values(added.map((unit) => ({ objection_id: id, unit, assigned_log_index: index, assigned_at: now, assigned_by: actor }))).execute();
    await trx
      .updateTable('objection')
      .set({ assigned_units: JSON.stringify([...assigned, ...added]), status: o.status === 'received' ? 'verifying' : o.status })
      .where('id', '=', id)
      .execute();
    await event(trx, id, now, actor, 'assigned', { units: added, logIndex: index });
    return added;
  });
}

/** Records one assigned unit's finding, once. */
export async function recordFinding(db: Kysely<Database>, id: string, unit: string, finding: string, now: Date, actor: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const o = await lockOpen(trx, id, true);
    const row = await trx.selectFrom('objection_unit').selectAll().where('objection_id', '=', id).where('unit', '=', unit).executeTakeFirst();
    if (!row) throw problem('unprocessable', `${unit} is not assigned to verify objection ${o.tracking_no}; assign it first.`, `${unit} 未被指派会同核查异议 ${o.tracking_no}，请先指派。`, { unit });
    if (row.finding !== null) throw problem('conflict', `The finding of ${unit} on objection ${o.tracking_no} is already recorded.`, `${unit} 对异议 ${o.tracking_no} 的核查情况已记录。`, { unit });
    const { index } = await appendEntry(
      trx,
      'objection-finding',
      { ...ref(o), unit, assignedLogIndex: Number(row.assigned_log_index), finding, recordedAt: beijingIso(now), recordedBy: staffName(actor) },
      { cycleId: o.cycle_id, refs: { receipt: Number(o.receipt_log_index), assigned: Number(row.assigned_log_index) } },
    );
    await trx.updateTable('objection_unit').set({ finding, finding_log_index: index, finding_at: now, finding_by: actor }).where('objection_id', '=', id).where('unit', '=', unit).execute();
    const all = await trx.selectFrom('objection_unit').select(['unit', 'finding']).where('objection_id', '=', id).where('finding', 'is not', null).orderBy('finding_log_index').execute();
    await trx
      .updateTable('objection')
      .set({ findings: all.map((f) => `${f.unit}：${f.finding}`).join('\n'), status: o.status === 'received' ? 'verifying' : o.status })
      .where('id', '=', id)
      .execute();
    await event(trx, id, now, actor, 'findings', { unit, findings: finding, logIndex: index });
  });
}

/** 成立 / 部分成立 / 不成立, citing every assigned unit's finding; a new decision before publication supersedes the last. */
export async function decide(db: Kysely<Database>, id: string, decision: Decision, summary: string, now: Date, actor: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const o = await lockOpen(trx, id, false);
    const units = await trx.selectFrom('objection_unit').selectAll().where('objection_id', '=', id).orderBy('finding_log_index').orderBy('unit').execute();
    if (units.length === 0)
      throw problem(
        'conflict',
        `Objection ${o.tracking_no} has no member unit of the judging group verifying it: assign at least one before deciding.`,
        `异议 ${o.tracking_no} 尚未指派评审组相关成员单位会同核查：作出结论前须至少指派一个单位。`,
      );
    const unheard = units.filter((u) => u.finding === null || u.finding_log_index === null).map((u) => u.unit);
    if (unheard.length)
      throw problem('conflict', `Record the finding of ${unheard.join(', ')} before deciding: the decision cites every unit's finding.`, `请先记录 ${unheard.join('、')} 的核查情况：核查结论须依据每个会同核查单位的意见。`, { units: unheard });
    const notice = await trx.selectFrom('notice').select(['id', 'log_index']).where('id', '=', o.notice_id).executeTakeFirstOrThrow();
    const findings = units.map((u) => ({ unit: u.unit, logIndex: Number(u.finding_log_index) }));
    const refs: Record<string, number> = { receipt: Number(o.receipt_log_index) };
    findings.forEach((f, i) => (refs[`finding.${i}`] = f.logIndex));
    const { index } = await appendEntry(
      trx,
      'objection-decision',
      {
        ...ref(o),
        entry: { noticeId: notice.id, noticeLogIndex: Number(notice.log_index), organisation: o.organisation },
        decision,
        summary,
        findings,
        supersedes: o.decision_log_index === null ? null : Number(o.decision_log_index),
        decidedAt: beijingIso(now),
        decidedBy: staffName(actor),
      },
      { cycleId: o.cycle_id, refs },
    );
    await trx
      .updateTable('objection')
      .set({ decision, decision_summary: summary, decided_at: now, decided_by: actor, decision_log_index: index, status: 'decided' })
      .where('id', '=', id)
      .execute();
    await event(trx, id, now, actor, 'decided', { decision, summary, logIndex: index });
  });
}

/**
 * The judging group's reason for keeping on its list the entry of an upheld objection whose result is
 * published (三(三)8), logged; it releases the hold.
 */
export async function keepEntry(db: Kysely<Database>, id: string, reason: string, now: Date, actor: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const o = await trx.selectFrom('objection').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!o) throw notFound(id);
    if (!o.decision || !(HOLDING_DECISIONS as readonly string[]).includes(o.decision) || o.decision_log_index === null)
      throw problem('conflict', `Objection ${o.tracking_no} was not upheld: its entry is not on hold.`, `异议 ${o.tracking_no} 未被认定成立，其名单条目无须处理。`);
    if (o.status !== 'published')
      throw problem('conflict', `Publish the result of objection ${o.tracking_no} first; then the judging group decides whether its entry stays.`, `请先公示异议 ${o.tracking_no} 的核查结果，再由评审组决定其名单条目是否保留。`);
    if (o.hold_kept_log_index !== null) throw problem('conflict', `The reason for keeping the entry of objection ${o.tracking_no} is already recorded.`, `异议 ${o.tracking_no} 所涉条目保留的理由已记录。`);
    if (!(await entriesOnHold(trx, o.cycle_id)).some((e) => e.objectionId === id))
      throw problem('conflict', `${o.organisation} is no longer on the list: a correction removed it.`, `${o.organisation} 已由更正公告移出名单。`);
    const { index } = await appendEntry(
      trx,
      'objection-hold-kept',
      { ...ref(o), decisionLogIndex: Number(o.decision_log_index), entry: { noticeId: o.notice_id, organisation: o.organisation }, reason, recordedAt: beijingIso(now), recordedBy: staffName(actor) },
      { cycleId: o.cycle_id, refs: { receipt: Number(o.receipt_log_index), decision: Number(o.decision_log_index) } },
    );
    await trx.updateTable('objection').set({ hold_kept_reason: reason, hold_kept_log_index: index, hold_kept_at: now, hold_kept_by: actor }).where('id', '=', id).execute();
    await event(trx, id, now, actor, 'hold-kept', { reason, logIndex: index });
  });
}

/** The units and findings of an objection, for staff and supervisors: in order of assignment, then of the roster. */
export async function unitsOf(db: Db, id: string, roster: ReadonlyMap<string, number>) {
  const rows = await db.selectFrom('objection_unit').selectAll().where('objection_id', '=', id).execute();
  const at = (unit: string) => roster.get(unit) ?? Number.MAX_SAFE_INTEGER;
  rows.sort((a, b) => Number(a.assigned_log_index) - Number(b.assigned_log_index) || at(a.unit) - at(b.unit) || (a.unit < b.unit ? -1 : 1));
  return rows.map((r) => ({
    unit: r.unit,
    assignedAt: beijingIso(r.assigned_at),
    assignedLogIndex: Number(r.assigned_log_index),
    finding: r.finding,
    findingAt: r.finding_at ? beijingIso(r.finding_at) : null,
    findingLogIndex: r.finding_log_index === null ? null : Number(r.finding_log_index),
  }));
}

/** Whether the objection's entry is on hold, kept (with the reason), or off the list; null unless upheld. */
export async function holdOf(db: Db, o: Pick<ObjectionRow, 'id' | 'cycle_id' | 'decision' | 'hold_kept_reason' | 'hold_kept_at'>) {
  if (!o.decision || !(HOLDING_DECISIONS as readonly string[]).includes(o.decision)) return null;
  if (o.hold_kept_reason !== null) return { state: 'kept' as const, reason: o.hold_kept_reason, at: o.hold_kept_at ? beijingIso(o.hold_kept_at) : null, onLists: [] };
  const held = (await entriesOnHold(db, o.cycle_id)).find((e) => e.objectionId === o.id);
  return held ? { state: 'held' as const, reason: null, at: null, onLists: held.onLists } : { state: 'removed' as const, reason: null, at: null, onLists: [] };
}
