// 审定 (三(三)8): the judging group fixes the 拟授奖组织名单 at a meeting, after every 公示 of the cycle
// closed and every objection was answered, with no entry on hold. Decided as the meeting decides its
// 表决办法 (votes/procedure.ts), in one of the same two ways:
//   hands         — each checked-in member signs 同意/不同意/弃权 on the proposal's hash on the tablet;
//                   staff close the show of hands;
//   chair-record  — the chair signs the counts of the hands in the room on the chair's tablet; a
//                   supervisor (评审工作监督小组) confirms the record with the device key registered in the
//                   log (votes/countersign.ts), signing the counts and the chair's signature.
// It is decided under the quorum and pass rule of the meeting's adopted 表决办法. The proposal names what
// it rests on (basis.ts); adopting it checks that basis again, so a list corrected or an objection
// received after the proposal is never fixed by it.
import * as z from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem, problem } from '../errors.js';
import { appendEntry, canonicalJson, type DocumentOf } from '../log/index.js';
import { randomToken } from '../auth/secrets.js';
import { parseJsonColumn } from '../db/json-column.js';
import { beijingIso } from '../calendar/dates.js';
import { AwardFixingProposedDocument } from '../log/documents/index.js';
import { awardFixingConfirmMessage, awardFixingMessage, awardFixingRecordMessage, verifyDeviceSignature } from '../votes/messages.js';
import { passes, type Choice } from '../votes/rules.js';
import { checkinDeviceKey } from '../votes/secret.js';
import { assertQuorum, presentCount } from '../votes/procedure.js';
import { assertNothingBlocks, fixingBasis } from './basis.js';

type Db = Kysely<Database> | Transaction<Database>;
type Proposal = z.infer<typeof AwardFixingProposedDocument>;

const ChairRecordSchema = z.object({ memberId: z.string(), name: z.string(), deviceKey: z.string(), for: z.number().int().min(0), against: z.number().int().min(0), abstain: z.number().int().min(0), signature: z.string() });
const columns = {
  document: (text: string): Proposal => parseJsonColumn(AwardFixingProposedDocument, text, 'award_fixing.document'),
  chairRecord: (text: string) => parseJsonColumn(ChairRecordSchema, text, 'award_fixing.chair_record'),
};

const conflict = (en: string, zh: string) => new Problem('conflict', { en, zh });
const notOpen = (status: string) => conflict(`The 审定 is ${status}.`, status === 'adopted' ? '拟授奖组织名单已审定。' : '该审定已撤回或未通过。');

/** The adopted 表决办法 of the meeting (its rules decide the 审定), or 409. */
async function adoptedRules(trx: Transaction<Database>, meetingId: string) {
  const row = await trx.selectFrom('meeting_procedure').select(['document', 'decided_log_index']).where('meeting_id', '=', meetingId).where('status', '=', 'adopted').orderBy('decided_log_index', 'desc').executeTakeFirst();
  if (!row) throw conflict('The meeting has not adopted its 表决办法 yet: the 审定 is decided under its rules.', '会议尚未通过表决办法：审定按表决办法的规则进行表决。');
  const doc = JSON.parse(row.document) as { rules: Proposal['rules'] };
  return { rules: doc.rules, procedureLogIndex: Number(row.decided_log_index) };
}

/** Staff put the 审定 to an open meeting of the cycle (a proposal still under discussion is withdrawn, logged). */
export async function proposeFixing(db: Kysely<Database>, meetingId: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const m = await trx.selectFrom('meeting').selectAll().where('id', '=', meetingId).forUpdate().executeTakeFirst();
    if (!m) throw new Problem('not-found', { en: `No meeting ${meetingId}.`, zh: `没有会议 ${meetingId}。` });
    if (m.status !== 'open') throw conflict('The meeting is closed.', '会议已结束。');
    await trx.selectFrom('cycle').select('id').where('id', '=', m.cycle_id).forUpdate().execute();
    if (await trx.selectFrom('award_fixing').select('id').where('cycle_id', '=', m.cycle_id).where('status', '=', 'adopted').executeTakeFirst())
      throw conflict('The 拟授奖组织名单 of this cycle is already fixed.', '本周期拟授奖组织名单已审定。');
    const { basis, blockers } = await fixingBasis(trx, m.cycle_id, now);
    assertNothingBlocks(blockers);
    const { rules, procedureLogIndex } = await adoptedRules(trx, meetingId);
    const live = await trx.selectFrom('award_fixing').selectAll().where('cycle_id', '=', m.cycle_id).where('status', '=', 'proposed').executeTakeFirst();
    if (live) await decide(trx, live, { mode: 'withdrawn' }, false);
    const id = 'af_' + randomToken('', 12);
    const document: Proposal = { fixingId: id, cycleId: m.cycle_id, meetingId, ...basis, rules, procedureLogIndex, proposedAt: beijingIso(now) };
    const text = canonicalJson(document);
    const refs: Record<string, number> = { initialWinners: basis.initialWinners.logIndex, procedure: procedureLogIndex };
    const { index, docHash } = await appendEntry(trx, 'award-fixing-proposed', document, { cycleId: m.cycle_id, refs });
    await trx.insertInto('award_fixing').values({ id, cycle_id: m.cycle_id, meeting_id: meetingId, status: 'proposed', document: text, document_hash: docHash, log_index: index }).execute();
    return { fixingId: id, logIndex: index, documentHash: docHash, document };
  });
}

async function fixingRow(db: Db, fixingId: string, lock = false) {
  let q = db.selectFrom('award_fixing').selectAll().where('id', '=', fixingId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new Problem('not-found', { en: `No 审定 ${fixingId}.`, zh: `没有审定事项 ${fixingId}。` });
  return row;
}

type FixingRow = Awaited<ReturnType<typeof fixingRow>>;

/** Tablet: a checked-in member's signed 同意/不同意/弃权 on the 审定. */
export async function voteFixing(db: Kysely<Database>, fixingId: string, memberId: string, choice: Choice, signature: string) {
  return db.transaction().execute(async (trx) => {
    const f = await fixingRow(trx, fixingId);
    if (f.status !== 'proposed') throw notOpen(f.status);
    const key = await checkinDeviceKey(trx, f.meeting_id, memberId);
    if (!key) throw new Problem('forbidden', { en: 'Check in first.', zh: '请先签到。' });
    if (!verifyDeviceSignature(key, awardFixingMessage(f.meeting_id, f.document_hash, memberId, choice), signature))
      throw new Problem('forbidden', { en: 'The vote is not signed by the tablet that checked in.', zh: '表决签名与签到时的设备密钥不符。' });
    await trx.insertInto('award_fixing_vote').values({ fixing_id: fixingId, member_id: memberId, choice, signature }).onConflict((oc) => oc.doNothing()).execute();
    const row = await trx.selectFrom('award_fixing_vote').select('choice').where('fixing_id', '=', fixingId).where('member_id', '=', memberId).executeTakeFirstOrThrow();
    if (row.choice !== choice) throw conflict('Your vote on the 审定 is already recorded differently.', '您对审定的表决已按不同选项记录。');
    return { fixingId, choice };
  });
}

async function decide(trx: Transaction<Database>, f: FixingRow, document: Record<string, unknown>, adopted: boolean) {
  const { index } = await appendEntry(
    trx,
    'award-fixing-decided',
    { fixingId: f.id, cycleId: f.cycle_id, meetingId: f.meeting_id, proposalLogIndex: Number(f.log_index), proposalHash: f.document_hash, ...document, adopted } as DocumentOf<'award-fixing-decided'>,
    { cycleId: f.cycle_id, refs: { proposal: Number(f.log_index) } },
  );
  await trx.updateTable('award_fixing').set({ status: adopted ? 'adopted' : 'rejected', decided_log_index: index }).where('id', '=', f.id).execute();
  return { fixingId: f.id, adopted, logIndex: index };
}

/** Before adopting: the basis the proposal named still holds (same 初选 list, nothing open, nothing on hold). */
async function assertBasisHolds(trx: Transaction<Database>, f: FixingRow, now: Date) {
  const proposal = columns.document(f.document);
  const { basis, blockers } = await fixingBasis(trx, f.cycle_id, now);
  assertNothingBlocks(blockers);
  if (basis.initialWinners.logIndex !== proposal.initialWinners.logIndex || basis.objections.length !== proposal.objections.length || basis.lists.length !== proposal.lists.length)
    throw problem('conflict', 'The cycle’s lists or objections changed since the 审定 was proposed: propose it again.', '提请审定后本周期的名单或异议有变化，请重新提请审定。');
  return proposal;
}

/** Staff close the members' show of hands on the 审定: adopted or not, logged with every signature. */
export async function closeFixingHands(db: Kysely<Database>, fixingId: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const f = await fixingRow(trx, fixingId, true);
    if (f.status !== 'proposed') throw notOpen(f.status);
    const proposal = await assertBasisHolds(trx, f, now);
    const { present, total } = await presentCount(trx, f.meeting_id, f.cycle_id);
    assertQuorum(proposal.rules, present.length, total);
    const rows = await trx
      .selectFrom('award_fixing_vote')
      .innerJoin('member', 'member.id', 'award_fixing_vote.member_id')
      .innerJoin('checkin', (j) => j.onRef('checkin.member_id', '=', 'award_fixing_vote.member_id').on('checkin.meeting_id', '=', f.meeting_id))
      .select(['member.id as memberId', 'member.name', 'award_fixing_vote.choice', 'award_fixing_vote.signature', 'checkin.device_key as deviceKey', 'checkin.log_index as checkinLogIndex'])
      .where('award_fixing_vote.fixing_id', '=', fixingId)
      .orderBy('member.id')
      .execute();
    const counts = { for: 0, against: 0, abstain: 0 };
    for (const r of rows) counts[r.choice]++;
    const votes = rows.map((r) => ({ ...r, checkinLogIndex: Number(r.checkinLogIndex) }));
    return decide(trx, f, { mode: 'hands', membersTotal: total, present: present.length, ...counts, votes }, passes(proposal.rules, counts.for, present.length));
  });
}

/** The chair's signed record of the hands in the room on the 审定; it takes effect when a supervisor confirms it. */
export async function recordFixingByChair(db: Kysely<Database>, fixingId: string, chair: { memberId: string; name: string }, counts: { for: number; against: number; abstain: number }, signature: string) {
  return db.transaction().execute(async (trx) => {
    const f = await fixingRow(trx, fixingId, true);
    if (f.status !== 'proposed') throw notOpen(f.status);
    const isChair = await trx.selectFrom('member').select('is_chair').where('id', '=', chair.memberId).executeTakeFirst();
    if (!isChair?.is_chair) throw new Problem('forbidden', { en: 'Only the chair records the show of hands.', zh: '仅主持人可记录举手表决结果。' });
    const key = await checkinDeviceKey(trx, f.meeting_id, chair.memberId);
    if (!key || !verifyDeviceSignature(key, awardFixingRecordMessage(f.meeting_id, f.document_hash, counts), signature))
      throw new Problem('forbidden', { en: 'The record is not signed by the chair’s tablet that checked in.', zh: '记录签名与主持人签到时的设备密钥不符。' });
    const { present } = await presentCount(trx, f.meeting_id, f.cycle_id);
    if (counts.for + counts.against + counts.abstain > present.length)
      throw new Problem('unprocessable', { en: `The counts add up to more than the ${present.length} members present.`, zh: `票数合计超过出席成员 ${present.length} 人。` });
    const record = { memberId: chair.memberId, name: chair.name, deviceKey: key, ...counts, signature };
    await trx.updateTable('award_fixing').set({ chair_record: JSON.stringify(record) }).where('id', '=', fixingId).execute();
    return { fixingId, awaiting: 'supervisor' as const };
  });
}

/**
 * A supervisor confirms the chair's record on their registered device: the decision is logged with the chair's
 * signature and the supervisor's name, device key (and its log entry) and signature.
 */
export async function confirmFixingRecord(db: Kysely<Database>, fixingId: string, supervisor: { accountId: number; name: string }, device: { deviceKey: string; signature: string }, now: Date) {
  return db.transaction().execute(async (trx) => {
    const f = await fixingRow(trx, fixingId, true);
    if (f.status !== 'proposed') throw notOpen(f.status);
    if (!f.chair_record) throw conflict('The chair has not recorded the show of hands yet.', '主持人尚未记录举手表决结果。');
    const chair = columns.chairRecord(f.chair_record);
    const registered = await trx.selectFrom('supervisor_device').select(['account_id', 'log_index']).where('cycle_id', '=', f.cycle_id).where('device_key', '=', device.deviceKey).executeTakeFirst();
    if (!registered || registered.account_id !== supervisor.accountId)
      throw new Problem('forbidden', { en: 'This device is not registered to you for this cycle.', zh: '该设备未登记为您在本周期使用的设备。' });
    if (!verifyDeviceSignature(device.deviceKey, awardFixingConfirmMessage(f.meeting_id, f.document_hash, chair, chair.signature), device.signature))
      throw new Problem('forbidden', { en: 'The confirmation is not signed by this device for this record.', zh: '确认签名与该设备或该记录不符。' });
    const proposal = await assertBasisHolds(trx, f, now);
    const { present, total } = await presentCount(trx, f.meeting_id, f.cycle_id);
    assertQuorum(proposal.rules, present.length, total);
    const checkin = await trx.selectFrom('checkin').select('log_index').where('meeting_id', '=', f.meeting_id).where('member_id', '=', chair.memberId).executeTakeFirstOrThrow();
    return decide(
      trx,
      f,
      { mode: 'chair-record', membersTotal: total, present: present.length, for: chair.for, against: chair.against, abstain: chair.abstain, chair: { ...chair, checkinLogIndex: Number(checkin.log_index) }, confirmedBy: { accountId: supervisor.accountId, name: supervisor.name, deviceKey: device.deviceKey, deviceLogIndex: Number(registered.log_index), signature: device.signature } },
      passes(proposal.rules, chair.for, present.length),
    );
  });
}

export interface FixingView {
  id: string;
  meetingId: string;
  status: 'proposed' | 'adopted' | 'rejected';
  document: Proposal;
  documentHash: string;
  logIndex: number;
  decidedLogIndex: number | null;
  /** The chair's record awaiting a supervisor: the signature is checked against the chair's logged check-in. */
  chairRecord: { memberId: string; name: string; for: number; against: number; abstain: number; signature: string } | null;
  counts: { for: number; against: number; abstain: number };
}

function view(row: FixingRow, votes: { choice: Choice }[]): FixingView {
  const counts = { for: 0, against: 0, abstain: 0 };
  for (const v of votes) counts[v.choice]++;
  const chair = row.chair_record ? columns.chairRecord(row.chair_record) : null;
  return {
    id: row.id,
    meetingId: row.meeting_id,
    status: row.status,
    document: columns.document(row.document),
    documentHash: row.document_hash,
    logIndex: Number(row.log_index),
    decidedLogIndex: row.decided_log_index === null ? null : Number(row.decided_log_index),
    chairRecord: chair ? { memberId: chair.memberId, name: chair.name, for: chair.for, against: chair.against, abstain: chair.abstain, signature: chair.signature } : null,
    counts,
  };
}

/** The cycle's latest 审定 (under discussion, adopted or not), or null. */
export async function latestFixing(db: Db, cycleId: string): Promise<FixingView | null> {
  const row = await db.selectFrom('award_fixing').selectAll().where('cycle_id', '=', cycleId).orderBy('log_index', 'desc').executeTakeFirst();
  if (!row) return null;
  const votes = await db.selectFrom('award_fixing_vote').select('choice').where('fixing_id', '=', row.id).execute();
  return view(row, votes);
}

/** The meeting's 审定 under discussion, or null (for the tablets and the supervisors' page). */
export async function openFixingOfMeeting(db: Db, meetingId: string): Promise<FixingView | null> {
  const row = await db.selectFrom('award_fixing').selectAll().where('meeting_id', '=', meetingId).where('status', '=', 'proposed').executeTakeFirst();
  if (!row) return null;
  const votes = await db.selectFrom('award_fixing_vote').select('choice').where('fixing_id', '=', row.id).execute();
  return view(row, votes);
}

/** The cycle's adopted 审定 (the fixed 拟授奖组织名单) with its decision's log index, or null. */
export async function adoptedFixing(db: Db, cycleId: string) {
  const row = await db.selectFrom('award_fixing').selectAll().where('cycle_id', '=', cycleId).where('status', '=', 'adopted').executeTakeFirst();
  if (!row) return null;
  return { id: row.id, document: columns.document(row.document), logIndex: Number(row.log_index), documentHash: row.document_hash, decidedLogIndex: Number(row.decided_log_index) };
}
