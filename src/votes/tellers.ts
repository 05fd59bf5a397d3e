// 计票人 and 监票人 (named in the adopted 表决办法) confirm each vote's count on their own tablets: the
// tablet shows the logged result (应到/实到/发出/收回/有效/无效, each candidate's 同意/不同意/弃权) and signs,
// with the device key it checked in with, the result entry's index and document hash. Each
// confirmation is a log entry referring to the result. A supervisor the meeting named 监票人 confirms on the
// supervisors' page with the device key registered to their account for the cycle (votes/countersign.ts).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { appendEntry, getEntry } from '../log/index.js';
import { supervisorTallyMessage, tallyMessage, verifyDeviceSignature, type TellerRole } from './messages.js';
import { getBallotRow } from './ballots.js';
import { supervisorScrutineer, tellerRole } from './procedure.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function resultReference(db: Db, ballotId: string) {
  const b = await getBallotRow(db, ballotId);
  if (b.phase !== 'tallied' || b.result_log_index === null) throw new Problem('conflict', { en: `Ballot ${ballotId} is not tallied yet.`, zh: `投票 ${ballotId} 尚未计票。` });
  const entry = await getEntry(db as Kysely<Database>, Number(b.result_log_index));
  if (!entry) throw new Problem('conflict', { en: 'The result entry is missing.', zh: '结果条目缺失。' });
  return { ballot: b, resultLogIndex: Number(b.result_log_index), resultDocHash: entry.docHash };
}

export async function confirmTally(db: Kysely<Database>, ballotId: string, member: { memberId: string; name: string; unit: string }, signature: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const { ballot, resultLogIndex, resultDocHash } = await resultReference(trx, ballotId);
    const role = await tellerRole(trx, ballot.meeting_id, member.memberId);
    if (!role) throw new Problem('forbidden', { en: 'Only the 计票人 and 监票人 the meeting approved confirm the count.', zh: '仅会议通过的计票人、监票人可以确认计票结果。' });
    const ci = await trx.selectFrom('checkin').select(['device_key', 'log_index']).where('meeting_id', '=', ballot.meeting_id).where('member_id', '=', member.memberId).executeTakeFirst();
    if (!ci) throw new Problem('forbidden', { en: 'Check in first.', zh: '请先签到。' });
    if (!verifyDeviceSignature(ci.device_key, tallyMessage(ballotId, resultLogIndex, resultDocHash, role, member.memberId), signature)) {
      throw new Problem('forbidden', { en: 'The confirmation is not signed by the tablet that checked in, over this result.', zh: '确认签名与签到设备或本结果不符。' });
    }
    const existing = await trx.selectFrom('tally_confirmation').select('log_index').where('ballot_id', '=', ballotId).where('member_id', '=', member.memberId).executeTakeFirst();
    if (existing) return { role, logIndex: existing.log_index, already: true };
    const { index } = await appendEntry(
      trx,
      'tally-confirmation',
      { ballotId, resultLogIndex, resultDocHash, memberId: member.memberId, name: member.name, unit: member.unit, role, deviceKey: ci.device_key, checkinLogIndex: Number(ci.log_index), signature },
      { cycleId: ballot.cycle_id, refs: { result: resultLogIndex } },
    );
    await trx.insertInto('tally_confirmation').values({ ballot_id: ballotId, member_id: member.memberId, role, signature, confirmed_at: now, log_index: index }).execute();
    return { role, logIndex: index, already: false };
  });
}

/** Supervisor's device: a supervisor named 监票人 confirms the logged result, signed by a device registered to them. */
export async function confirmTallyBySupervisor(db: Kysely<Database>, ballotId: string, supervisor: { accountId: number }, input: { deviceKey: string; signature: string }, now: Date) {
  return db.transaction().execute(async (trx) => {
    const { ballot, resultLogIndex, resultDocHash } = await resultReference(trx, ballotId);
    const named = await supervisorScrutineer(trx, ballot.meeting_id, supervisor.accountId);
    if (!named) throw new Problem('forbidden', { en: 'Only a supervisor the meeting approved as 监票人 confirms the count.', zh: '仅会议通过担任监票人的监督小组成员可以确认计票结果。' });
    const device = await trx
      .selectFrom('supervisor_device')
      .select(['account_id', 'log_index'])
      .where('cycle_id', '=', ballot.cycle_id)
      .where('device_key', '=', input.deviceKey)
      .executeTakeFirst();
    if (!device || device.account_id !== supervisor.accountId) {
      throw new Problem('forbidden', { en: 'This device is not registered to you for this cycle.', zh: '该设备未登记为您在本周期使用的设备。' });
    }
    if (!verifyDeviceSignature(input.deviceKey, supervisorTallyMessage(ballotId, resultLogIndex, resultDocHash, supervisor.accountId), input.signature)) {
      throw new Problem('forbidden', { en: 'The confirmation is not signed by this device over this result.', zh: '确认签名与该设备或本结果不符。' });
    }
    const existing = await trx.selectFrom('supervisor_tally_confirmation').select('log_index').where('ballot_id', '=', ballotId).where('account_id', '=', supervisor.accountId).executeTakeFirst();
    if (existing) return { role: 'scrutineer' as const, logIndex: Number(existing.log_index), already: true };
    const { index } = await appendEntry(
      trx,
      'tally-confirmation',
      { ballotId, resultLogIndex, resultDocHash, supervisor: { accountId: named.accountId, name: named.name }, role: 'scrutineer', deviceKey: input.deviceKey, deviceLogIndex: Number(device.log_index), signature: input.signature },
      { cycleId: ballot.cycle_id, refs: { result: resultLogIndex } },
    );
    await trx
      .insertInto('supervisor_tally_confirmation')
      .values({ ballot_id: ballotId, account_id: supervisor.accountId, name: named.name, device_key: input.deviceKey, signature: input.signature, confirmed_at: now, log_index: index })
      .execute();
    return { role: 'scrutineer' as const, logIndex: index, already: false };
  });
}

/** The unit a supervisor named 监票人 is shown with on the sheet and in the minutes. */
export const SUPERVISORY_GROUP = '评审工作监督小组';

/** A ballot's confirmations, members' and supervisors', in log order. */
export async function listConfirmations(db: Db, ballotId: string) {
  const rows = await db
    .selectFrom('tally_confirmation')
    .innerJoin('member', 'member.id', 'tally_confirmation.member_id')
    .select(['member.id as memberId', 'member.name', 'member.unit', 'tally_confirmation.role', 'tally_confirmation.signature', 'tally_confirmation.confirmed_at', 'tally_confirmation.log_index'])
    .where('tally_confirmation.ballot_id', '=', ballotId)
    .orderBy('tally_confirmation.log_index')
    .execute();
  const members = rows.map((r) => ({ memberId: r.memberId as string | null, accountId: null as number | null, name: r.name, unit: r.unit, role: r.role as TellerRole, signature: r.signature, confirmedAt: r.confirmed_at.toISOString(), logIndex: Number(r.log_index) }));
  const sups = await db.selectFrom('supervisor_tally_confirmation').selectAll().where('ballot_id', '=', ballotId).execute();
  const supervisors = sups.map((r) => ({ memberId: null, accountId: r.account_id, name: r.name, unit: SUPERVISORY_GROUP, role: 'scrutineer' as TellerRole, signature: r.signature, confirmedAt: r.confirmed_at.toISOString(), logIndex: Number(r.log_index) }));
  return [...members, ...supervisors].sort((a, b) => a.logIndex - b.logIndex);
}
