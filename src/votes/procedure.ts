// The 表决办法 of the plenary meeting: the quorum and pass rules of its ballots, with the 计票人 and
// 监票人 named for the meeting, put to the meeting and adopted before its first vote. Two ways, as the
// meeting is really held:
//   hands         — each checked-in member signs 同意/不同意/弃权 on the proposal's hash on the tablet;
//                   the chair or staff close the show of hands;
//   chair-record  — the chair records the counts of a show of hands in the room and signs them on the
//                   chair's tablet; a supervisor (评审工作监督小组) confirms the record.
// It is adopted with 同意 from more than half of the members present, under the proposed quorum. The
// proposal and the decision are log entries; the decision carries every signature it was taken on.
import * as z from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { appendEntry, canonicalJson, documentHash, type DocumentOf } from '../log/index.js';
import { randomToken } from '../auth/secrets.js';
import { MeetingProcedureDocument } from '../log/documents/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { procedureMessage, procedureRecordMessage, verifyDeviceSignature } from './messages.js';
import { quorumMet, quorumNeeded, RulesSchema, type Choice, type Rules } from './rules.js';
import { checkedInMembers } from './meetings.js';
import { checkinDeviceKey } from './secret.js';
import { supervisorsAttending } from './countersign.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface Teller {
  memberId: string;
  name: string;
  unit: string;
}

export interface ProcedureDocument {
  procedureId: string;
  meetingId: string;
  cycleId: string;
  /** The meeting's rules; a ballot listed in `ballots` may state its own. */
  rules: Rules;
  ballots: { ballotId: string; title: string; rules: Rules }[];
  /** 计票人 */
  counters: Teller[];
  /** 监票人 */
  scrutineers: Teller[];
  /** 监票人 from the supervisory group's attendees (a device registered for the cycle), by account. */
  supervisorScrutineers?: { accountId: number; name: string }[];
}

/** The chair's signed record of the hands in the room, kept until a supervisor confirms it. */
const ChairRecordSchema = z.object({ memberId: z.string(), name: z.string(), deviceKey: z.string(), for: z.number().int().min(0), against: z.number().int().min(0), abstain: z.number().int().min(0), signature: z.string() });

/** The procedure row's JSON columns, read back through the schemas of what was written. */
const procedureColumns = {
  document: (text: string): ProcedureDocument => parseJsonColumn(MeetingProcedureDocument, text, 'meeting_procedure.document'),
  chairRecord: (text: string) => parseJsonColumn(ChairRecordSchema, text, 'meeting_procedure.chair_record'),
};

const conflict = (en: string, zh: string) => new Problem('conflict', { en, zh });

/** 同意 from more than half of the members present adopts the 表决办法. */
export const procedurePasses = (forCount: number, present: number) => forCount * 2 > present;

export async function proposeProcedure(db: Kysely<Database>, meetingId: string, input: { rules: Rules; counters: string[]; scrutineers: string[]; supervisorScrutineers?: number[] }) {
  const supervisorIds = input.supervisorScrutineers ?? [];
  if (new Set(supervisorIds).size !== supervisorIds.length) throw new Problem('invalid-request', { en: 'A supervisor is named 监票人 twice.', zh: '监督小组成员重复担任监票人。' });
  RulesSchema.parse(input.rules);
  const both = input.counters.filter((id) => input.scrutineers.includes(id));
  if (both.length) throw new Problem('invalid-request', { en: 'A member cannot be both 计票人 and 监票人.', zh: '同一成员不能同时担任计票人和监票人。' });
  if (new Set(input.counters).size !== input.counters.length || new Set(input.scrutineers).size !== input.scrutineers.length) {
    throw new Problem('invalid-request', { en: 'A teller is named twice.', zh: '计票人或监票人重复。' });
  }
  return db.transaction().execute(async (trx) => {
    const m = await trx.selectFrom('meeting').selectAll().where('id', '=', meetingId).forUpdate().executeTakeFirst();
    if (!m) throw new Problem('not-found', { en: `No meeting ${meetingId}.`, zh: `没有会议 ${meetingId}。` });
    if (m.status !== 'open') throw conflict('The meeting is closed.', '会议已结束。');
    const live = await trx.selectFrom('meeting_procedure').selectAll().where('meeting_id', '=', meetingId).where('status', '=', 'proposed').executeTakeFirst();
    // A proposal still under discussion is withdrawn (logged as such) and replaced by this one.
    if (live) await decide(trx, live, m.cycle_id, { mode: 'withdrawn' }, false);
    const members = await trx.selectFrom('member').select(['id', 'name', 'unit']).where('cycle_id', '=', m.cycle_id).execute();
    const byId = new Map(members.map((x) => [x.id, { memberId: x.id, name: x.name, unit: x.unit }]));
    const pick = (ids: string[]) =>
      ids.map((id) => {
        const t = byId.get(id);
        if (!t) throw new Problem('invalid-request', { en: `Member ${id} is not of this cycle.`, zh: `成员 ${id} 不属于本周期。` });
        return t;
      });
    // A supervisor attends by registering a device for the cycle on the supervisors' page: that key signs the counts.
    const attending = new Map((await supervisorsAttending(trx, m.cycle_id)).map((x) => [x.accountId, x]));
    const supervisorScrutineers = supervisorIds.map((id) => {
      const sup = attending.get(id);
      if (!sup) throw new Problem('invalid-request', { en: `Supervisor account ${id} has no device registered for this cycle.`, zh: `监督小组成员（账号 ${id}）尚未在监督页面登记本周期使用的设备，不能担任监票人。` });
      return sup;
    });
    const ballots = await trx.selectFrom('ballot').select(['id', 'title', 'rules']).where('meeting_id', '=', meetingId).where('phase', '=', 'prepared').orderBy('created_at').orderBy('id').execute();
    const id = 'pr_' + randomToken('', 12);
    const document: ProcedureDocument = {
      procedureId: id,
      meetingId,
      cycleId: m.cycle_id,
      rules: input.rules,
      ballots: ballots.map((b) => ({ ballotId: b.id, title: b.title, rules: parseJsonColumn(RulesSchema, b.rules, 'ballot.rules') })),
      counters: pick(input.counters),
      scrutineers: pick(input.scrutineers),
      ...(supervisorScrutineers.length ? { supervisorScrutineers } : {}),
    };
    const text = canonicalJson(document);
    const { index } = await appendEntry(trx, 'meeting-procedure', document, { cycleId: m.cycle_id });
    await trx.insertInto('meeting_procedure').values({ id, meeting_id: meetingId, status: 'proposed', document: text, document_hash: documentHash(text), log_index: index }).execute();
    return { procedureId: id, logIndex: index, documentHash: documentHash(text) };
  });
}

async function procedureRow(db: Db, procedureId: string, lock = false) {
  let q = db.selectFrom('meeting_procedure').selectAll().where('id', '=', procedureId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new Problem('not-found', { en: `No procedure ${procedureId}.`, zh: `没有表决办法 ${procedureId}。` });
  return row;
}

/** Tablet: a checked-in member's signed 同意/不同意/弃权 on the 表决办法. */
export async function voteProcedure(db: Kysely<Database>, procedureId: string, memberId: string, choice: Choice, signature: string) {
  return db.transaction().execute(async (trx) => {
    const p = await procedureRow(trx, procedureId);
    if (p.status !== 'proposed') throw conflict(`The 表决办法 is ${p.status}.`, `表决办法已${p.status === 'adopted' ? '通过' : '撤回或未通过'}。`);
    const key = await checkinDeviceKey(trx, p.meeting_id, memberId);
    if (!key) throw new Problem('forbidden', { en: 'Check in first.', zh: '请先签到。' });
    if (!verifyDeviceSignature(key, procedureMessage(p.meeting_id, p.document_hash, memberId, choice), signature)) {
      throw new Problem('forbidden', { en: 'The vote is not signed by the tablet that checked in.', zh: '表决签名与签到时的设备密钥不符。' });
    }
    await trx.insertInto('procedure_vote').values({ procedure_id: procedureId, member_id: memberId, choice, signature }).onConflict((oc) => oc.doNothing()).execute();
    const row = await trx.selectFrom('procedure_vote').select('choice').where('procedure_id', '=', procedureId).where('member_id', '=', memberId).executeTakeFirstOrThrow();
    if (row.choice !== choice) throw conflict('Your vote on the 表决办法 is already recorded differently.', '您对表决办法的表决已按不同选项记录。');
    return { procedureId, choice };
  });
}

/** The members checked in at the meeting, and the size of the judging group. */
export async function presentCount(trx: Transaction<Database>, meetingId: string, cycleId: string) {
  const present = await checkedInMembers(trx, meetingId);
  const total = Number((await trx.selectFrom('member').select((e) => e.fn.countAll().as('n')).where('cycle_id', '=', cycleId).executeTakeFirstOrThrow()).n);
  return { present, total };
}

export function assertQuorum(rules: Rules, present: number, total: number) {
  if (!quorumMet(rules, present, total)) {
    throw new Problem('conflict', {
      en: `No quorum: ${present} of ${total} members checked in; ${quorumNeeded(rules, total)} needed.`,
      zh: `未达法定人数：${total} 名成员中已签到 ${present} 名，至少需要 ${quorumNeeded(rules, total)} 名。`,
    });
  }
}

async function decide(trx: Transaction<Database>, p: { id: string; meeting_id: string; log_index: number; document_hash: string }, cycleId: string, document: Record<string, unknown>, adopted: boolean) {
  const { index } = await appendEntry(
    trx,
    'meeting-procedure-decided',
    { procedureId: p.id, meetingId: p.meeting_id, procedureLogIndex: Number(p.log_index), procedureHash: p.document_hash, ...document, adopted } as DocumentOf<'meeting-procedure-decided'>,
    { cycleId, refs: { procedure: Number(p.log_index) } },
  );
  await trx.updateTable('meeting_procedure').set({ status: adopted ? 'adopted' : 'rejected', decided_log_index: index }).where('id', '=', p.id).execute();
  return { adopted, logIndex: index };
}

/** The chair or staff close the members' show of hands on the 表决办法: adopted or not, logged with every signature. */
export async function closeProcedureHands(db: Kysely<Database>, procedureId: string) {
  return db.transaction().execute(async (trx) => {
    const p = await procedureRow(trx, procedureId, true);
    if (p.status !== 'proposed') throw conflict(`The 表决办法 is ${p.status}.`, '表决办法不在表决中。');
    const doc = procedureColumns.document(p.document);
    const { present, total } = await presentCount(trx, p.meeting_id, doc.cycleId);
    assertQuorum(doc.rules, present.length, total);
    const rows = await trx
      .selectFrom('procedure_vote')
      .innerJoin('member', 'member.id', 'procedure_vote.member_id')
      .innerJoin('checkin', (j) => j.onRef('checkin.member_id', '=', 'procedure_vote.member_id').on('checkin.meeting_id', '=', p.meeting_id))
      .select(['member.id as memberId', 'member.name', 'procedure_vote.choice', 'procedure_vote.signature', 'checkin.device_key as deviceKey', 'checkin.log_index as checkinLogIndex'])
      .where('procedure_vote.procedure_id', '=', procedureId)
      .orderBy('member.id')
      .execute();
    const counts = { for: 0, against: 0, abstain: 0 };
    for (const r of rows) counts[r.choice]++;
    return decide(trx, p, doc.cycleId, { mode: 'hands', membersTotal: total, present: present.length, ...counts, votes: rows }, procedurePasses(counts.for, present.length));
  });
}

/** The chair's signed record of the show of hands in the room; it takes effect when a supervisor confirms it. */
export async function recordProcedureByChair(db: Kysely<Database>, procedureId: string, chair: { memberId: string; name: string }, counts: { for: number; against: number; abstain: number }, signature: string) {
  return db.transaction().execute(async (trx) => {
    const p = await procedureRow(trx, procedureId, true);
    if (p.status !== 'proposed') throw conflict(`The 表决办法 is ${p.status}.`, '表决办法不在表决中。');
    const key = await checkinDeviceKey(trx, p.meeting_id, chair.memberId);
    if (!key || !verifyDeviceSignature(key, procedureRecordMessage(p.meeting_id, p.document_hash, counts), signature)) {
      throw new Problem('forbidden', { en: 'The record is not signed by the chair’s tablet that checked in.', zh: '记录签名与主持人签到时的设备密钥不符。' });
    }
    const doc = procedureColumns.document(p.document);
    const { present } = await presentCount(trx, p.meeting_id, doc.cycleId);
    if (counts.for + counts.against + counts.abstain > present.length) {
      throw new Problem('unprocessable', { en: `The counts add up to more than the ${present.length} members present.`, zh: `票数合计超过出席成员 ${present.length} 人。` });
    }
    const record = { memberId: chair.memberId, name: chair.name, deviceKey: key, ...counts, signature };
    await trx.updateTable('meeting_procedure').set({ chair_record: JSON.stringify(record) }).where('id', '=', procedureId).execute();
    return { procedureId, awaiting: 'supervisor' as const };
  });
}

/** A supervisor confirms the chair's record: the decision is logged with the chair's signature and the supervisor's name. */
export async function confirmChairRecord(db: Kysely<Database>, procedureId: string, supervisor: { accountId: number; name: string }) {
  return db.transaction().execute(async (trx) => {
    const p = await procedureRow(trx, procedureId, true);
    if (p.status !== 'proposed') throw conflict(`The 表决办法 is ${p.status}.`, '表决办法不在表决中。');
    if (!p.chair_record) throw conflict('The chair has not recorded the show of hands yet.', '主持人尚未记录举手表决结果。');
    const doc = procedureColumns.document(p.document);
    const { present, total } = await presentCount(trx, p.meeting_id, doc.cycleId);
    assertQuorum(doc.rules, present.length, total);
    const chair = procedureColumns.chairRecord(p.chair_record);
    const checkin = await trx.selectFrom('checkin').select('log_index').where('meeting_id', '=', p.meeting_id).where('member_id', '=', chair.memberId).executeTakeFirstOrThrow();
    return decide(
      trx,
      p,
      doc.cycleId,
      { mode: 'chair-record', membersTotal: total, present: present.length, for: chair.for, against: chair.against, abstain: chair.abstain, chair: { ...chair, checkinLogIndex: checkin.log_index }, confirmedBy: { accountId: supervisor.accountId, name: supervisor.name } },
      procedurePasses(chair.for, present.length),
    );
  });
}

/** The meeting's procedure under discussion or adopted (with its document), or null. */
export async function currentProcedure(db: Db, meetingId: string) {
  const row = await db.selectFrom('meeting_procedure').selectAll().where('meeting_id', '=', meetingId).orderBy('created_at', 'desc').orderBy('log_index', 'desc').executeTakeFirst();
  if (!row) return null;
  const votes = await db.selectFrom('procedure_vote').select(['member_id', 'choice']).where('procedure_id', '=', row.id).execute();
  const counts = { for: 0, against: 0, abstain: 0 };
  for (const v of votes) counts[v.choice]++;
  return {
    id: row.id,
    status: row.status,
    document: procedureColumns.document(row.document),
    documentHash: row.document_hash,
    logIndex: row.log_index,
    decidedLogIndex: row.decided_log_index,
    chairRecord: row.chair_record ? procedureColumns.chairRecord(row.chair_record) : null,
    votes: votes.map((v) => ({ memberId: v.member_id, choice: v.choice })),
    counts,
  };
}

/**
 * Before a vote opens: the meeting has adopted its 表决办法, and this ballot's rules are the ones it
 * adopted (the ballot's own if it was listed, a run-off's parent's, or else the meeting's).
 */
export async function assertRulesAdopted(trx: Transaction<Database>, b: { id: string; meetingId: string; rules: Rules; runoffOf: string | null }) {
  const rows = await trx.selectFrom('meeting_procedure').select(['document', 'decided_log_index']).where('meeting_id', '=', b.meetingId).where('status', '=', 'adopted').orderBy('decided_log_index', 'desc').execute();
  if (!rows.length) {
    throw new Problem('conflict', { en: 'The meeting has not adopted its 表决办法 (rules, 计票人 and 监票人) yet.', zh: '会议尚未通过表决办法（表决规则、计票人和监票人），不能开始表决。' });
  }
  // The latest adopted 表决办法 that lists this ballot (or a run-off's parent) states its rules; else the latest's own.
  const docs = rows.map((r) => ({ doc: procedureColumns.document(r.document), decided: Number(r.decided_log_index) }));
  const listedIn = (d: ProcedureDocument) => d.ballots.find((x) => x.ballotId === b.id) ?? (b.runoffOf ? d.ballots.find((x) => x.ballotId === b.runoffOf) : undefined);
  const hit = docs.find((d) => listedIn(d.doc)) ?? docs[0]!;
  const row = { decided_log_index: hit.decided };
  const listed = listedIn(hit.doc);
  const adopted = listed ? listed.rules : hit.doc.rules;
  if (canonicalJson(adopted) !== canonicalJson(b.rules)) {
    throw new Problem('conflict', {
      en: 'This ballot’s quorum and pass rule differ from the 表决办法 the meeting adopted.',
      zh: '本次表决的法定人数或通过规则与会议通过的表决办法不一致。',
    });
  }
  return { procedureLogIndex: Number(row.decided_log_index) };
}

export async function tellerRole(db: Db, meetingId: string, memberId: string): Promise<'counter' | 'scrutineer' | null> {
  const doc = await adoptedProcedure(db, meetingId);
  if (!doc) return null;
  if (doc.counters.some((t) => t.memberId === memberId)) return 'counter';
  if (doc.scrutineers.some((t) => t.memberId === memberId)) return 'scrutineer';
  return null;
}

/** A supervisor the adopted 表决办法 names 监票人, or null. */
export async function supervisorScrutineer(db: Db, meetingId: string, accountId: number) {
  const doc = await adoptedProcedure(db, meetingId);
  return doc?.supervisorScrutineers?.find((t) => t.accountId === accountId) ?? null;
}

/** The 表决办法 in force: the latest adopted (its tellers serve the meeting from then on). */
export async function adoptedProcedure(db: Db, meetingId: string): Promise<ProcedureDocument | null> {
  const row = await db.selectFrom('meeting_procedure').select('document').where('meeting_id', '=', meetingId).where('status', '=', 'adopted').orderBy('decided_log_index', 'desc').executeTakeFirst();
  return row ? (procedureColumns.document(row.document)) : null;
}

