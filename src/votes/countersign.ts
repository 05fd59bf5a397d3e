// A show of hands recorded by staff (the member's tablet failed) counts only once a supervisor present has
// confirmed it on their own device (三(三)6 举手表决, 评审工作监督小组 监督):
//
//   register     (supervisor's device, with the supervisor's sign-in) an Ed25519 device key for the cycle;
//                logged as 'supervisor-device', so every confirmation traces to a device registered before it.
//   countersign  (supervisor's device) the key's signature over "hzqa-hands-countersign/v1\n<ballotId>\n
//                <memberId>\n<choices>\n<staffName>\n" (votes/messages.ts); kept with the hand and in the
//                named record that the logged result commits to.
//   tally        refused while a staff-recorded hand of the ballot is unconfirmed (votes/tally.ts).
//
// The same registered key (its entry names the supervisor's account) signs the counts when the meeting
// named its supervisor 监票人 (votes/tellers.ts); registering it is how a supervisor attends the meeting.
//
// The verifier fails a staff-recorded hand without a confirmation by a logged supervisor device
// (src/verify/checks/hands.ts), so staff cannot add hands a supervisor did not see.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { appendEntry } from '../log/index.js';
import { ChoicesSchema } from '../log/documents/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { parseDeviceKey } from '../members/queries.js';
import { getCycle } from '../cycles/queries.js';
import { countersignMessage, keyFingerprint, verifyDeviceSignature } from './messages.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Supervisor's device: registers its key for the cycle (idempotent for the same key). */
export async function registerSupervisorDevice(db: Kysely<Database>, input: { cycleId: string; accountId: number; name: string; deviceKey: string }, now: Date) {
  parseDeviceKey(input.deviceKey);
  return db.transaction().execute(async (trx) => {
    await getCycle(trx, input.cycleId);
    const existing = await trx.selectFrom('supervisor_device').selectAll().where('cycle_id', '=', input.cycleId).where('device_key', '=', input.deviceKey).executeTakeFirst();
    if (existing) {
      if (existing.account_id !== input.accountId) throw new Problem('conflict', { en: 'This device key is registered to another supervisor.', zh: '该设备密钥已由其他监督人员登记。' });
      return { accountId: input.accountId, name: existing.name, deviceKey: existing.device_key, fingerprint: keyFingerprint(existing.device_key), logIndex: Number(existing.log_index) };
    }
    const entry = await appendEntry(
      trx,
      'supervisor-device',
      { cycleId: input.cycleId, accountId: input.accountId, name: input.name, deviceKey: input.deviceKey, deviceKeyFingerprint: keyFingerprint(input.deviceKey), registeredAt: now.toISOString() },
      { cycleId: input.cycleId },
    );
    await trx
      .insertInto('supervisor_device')
      .values({ cycle_id: input.cycleId, device_key: input.deviceKey, account_id: input.accountId, name: input.name, log_index: entry.index, registered_at: now })
      .execute();
    return { accountId: input.accountId, name: input.name, deviceKey: input.deviceKey, fingerprint: keyFingerprint(input.deviceKey), logIndex: entry.index };
  });
}

/** Supervisor's device: confirms a staff-recorded hand. The same confirmation again is accepted as is. */
export async function countersignHands(db: Kysely<Database>, ballotId: string, memberId: string, input: { accountId: number; deviceKey: string; signature: string }) {
  return db.transaction().execute(async (trx) => {
    const ballot = await trx.selectFrom('ballot').select(['cycle_id', 'kind', 'phase']).where('id', '=', ballotId).forUpdate().executeTakeFirst();
    if (!ballot) throw new Problem('not-found', { en: 'No such ballot.', zh: '投票不存在。' });
    if (ballot.phase === 'tallied') throw new Problem('conflict', { en: 'The vote is already tallied.', zh: '该表决已计票。' });
    const hand = await trx.selectFrom('hand_vote').selectAll().where('ballot_id', '=', ballotId).where('member_id', '=', memberId).executeTakeFirst();
    if (!hand || hand.recorded_by !== 'staff') throw new Problem('not-found', { en: 'No show of hands recorded by staff for this member.', zh: '没有工作人员为该成员代为记录的表决。' });
    const device = await trx
      .selectFrom('supervisor_device')
      .select(['account_id'])
      .where('cycle_id', '=', ballot.cycle_id)
      .where('device_key', '=', input.deviceKey)
      .executeTakeFirst();
    if (!device || device.account_id !== input.accountId) {
      throw new Problem('forbidden', { en: 'This device is not registered to you for this cycle.', zh: '该设备未登记为您在本周期使用的设备。' });
    }
    const choices = parseJsonColumn(ChoicesSchema, hand.choices, 'hand_vote.choices');
    if (!verifyDeviceSignature(input.deviceKey, countersignMessage(ballotId, memberId, choices, hand.staff_name ?? ''), input.signature)) {
      throw new Problem('forbidden', { en: 'The confirmation is not signed by this device for this record.', zh: '确认签名与该设备或该记录不符。' });
    }
    if (hand.countersignature && (hand.countersigner_key !== input.deviceKey || hand.countersignature !== input.signature)) {
      throw new Problem('conflict', { en: 'This hand is already confirmed by another supervisor device.', zh: '该表决已由其他监督人员设备确认。' });
    }
    await trx
      .updateTable('hand_vote')
      .set({ countersigner_key: input.deviceKey, countersignature: input.signature })
      .where('ballot_id', '=', ballotId)
      .where('member_id', '=', memberId)
      .execute();
    return { ballotId, memberId, confirmed: true as const };
  });
}

/** Staff-recorded hands of a ballot that no supervisor has confirmed yet. */
export async function unconfirmedStaffHands(db: Db, ballotId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('hand_vote')
    .select('member_id')
    .where('ballot_id', '=', ballotId)
    .where('recorded_by', '=', 'staff')
    .where('countersignature', 'is', null)
    .orderBy('member_id')
    .execute();
  return rows.map((r) => r.member_id);
}

/** The supervisors attending a cycle's meetings: those with a device registered for it (first registration each). */
export async function supervisorsAttending(db: Db, cycleId: string) {
  const rows = await db.selectFrom('supervisor_device').select(['account_id', 'name', 'log_index']).where('cycle_id', '=', cycleId).orderBy('log_index').execute();
  const seen = new Map<number, { accountId: number; name: string }>();
  for (const r of rows) if (!seen.has(r.account_id)) seen.set(r.account_id, { accountId: r.account_id, name: r.name });
  return [...seen.values()];
}
