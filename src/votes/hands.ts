// The recorded show of hands of 创新奖 and 优胜奖 (三(三)6 举手表决): per candidate, each checked-in
// member's 同意/不同意/弃权, signed by the member's device key and kept with the member's name. If a
// tablet fails, staff may record that member's raised hands, marked as staff-recorded.
// The full record (names, choices, signatures) is for the meeting and the supervisors; the public log
// holds the result with the record's hash, so the record cannot change afterwards unnoticed.
import { sha256 } from '@noble/hashes/sha2.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { canonicalJson } from '../log/index.js';
import { ChoicesSchema } from '../log/documents/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { toHex, utf8 } from '../../crypto/bytes.js';
import { checkChoices, tally, type Choices } from './rules.js';
import { ballotColumns, getBallot, getBallotRow, type BallotView } from './ballots.js';
import { handsMessage, verifyDeviceSignature } from './messages.js';
import { checkinDeviceKey } from './secret.js';
import { recusedFrom } from './recusal.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function recordHands(
  db: Kysely<Database>,
  ballotId: string,
  memberId: string,
  choices: Choices,
  by: { kind: 'member'; deviceKey: string; signature: string } | { kind: 'staff'; staffName: string },
  now: Date,
) {
  return db.transaction().execute(async (trx) => {
    const b = await getBallotRow(trx, ballotId, 'share');
    if (b.kind !== 'show-of-hands') throw new Problem('conflict', { en: 'This ballot is secret.', zh: '该投票为无记名投票。' });
    if (b.phase !== 'voting') throw new Problem('conflict', { en: `Hands are recorded only while voting; the ballot is ${b.phase}.`, zh: `仅在表决阶段记录举手；当前为 ${b.phase}。` });
    const eligible = ballotColumns.eligible(b.eligible!);
    if (!eligible.some((e) => e.memberId === memberId)) {
      throw new Problem('forbidden', { en: 'Only members checked in when the vote opened take part.', zh: '仅表决开始时已签到的成员可以参加表决。' });
    }
    // Signed by the tablet that checked in (its key is logged with the check-in), not a later one.
    if (by.kind === 'member' && !verifyDeviceSignature(await checkinDeviceKey(trx, b.meeting_id, memberId), handsMessage(ballotId, memberId, choices), by.signature)) {
      throw new Problem('forbidden', { en: 'The vote is not signed by the tablet that checked in.', zh: '表决签名与签到时的设备密钥不符。' });
    }
    // 回避: a recused member's hands on that candidate are not taken (the member is excluded there).
    const check = checkChoices(choices, ballotColumns.candidates(b.candidates).map((c) => c.id), b.seats, await recusedFrom(trx, ballotId, memberId));
    if (!check.ok) throw new Problem('unprocessable', { en: `Invalid vote: ${check.en}.`, zh: `表决无效：${check.zh}。` });
    const stored = canonicalJson(choices);
    await trx
      .insertInto('hand_vote')
      .values({
        ballot_id: ballotId,
        member_id: memberId,
        choices: stored,
        signature: by.kind === 'member' ? by.signature : null,
        recorded_by: by.kind,
        staff_name: by.kind === 'staff' ? by.staffName : null,
        recorded_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const row = await trx.selectFrom('hand_vote').select(['choices', 'recorded_by']).where('ballot_id', '=', ballotId).where('member_id', '=', memberId).executeTakeFirstOrThrow();
    if (row.choices !== stored) throw new Problem('conflict', { en: 'This member’s vote is already recorded differently.', zh: '该成员的表决已按不同选项记录。' });
    return { ballotId, memberId, recordedBy: row.recorded_by };
  });
}

/** The full record: who voted how, with device keys and signatures, in member order. */
export async function handsRecord(db: Db, b: BallotView) {
  const rows = await db
    .selectFrom('hand_vote')
    .innerJoin('member', 'member.id', 'hand_vote.member_id')
    .leftJoin('checkin', (j) => j.onRef('checkin.member_id', '=', 'hand_vote.member_id').on('checkin.meeting_id', '=', b.meetingId))
    .select(['member.id as memberId', 'member.name', 'member.unit', 'checkin.device_key as deviceKey', 'checkin.log_index as checkinLogIndex', 'hand_vote.choices', 'hand_vote.signature', 'hand_vote.recorded_by', 'hand_vote.staff_name', 'hand_vote.countersigner_key', 'hand_vote.countersignature'])
    .where('hand_vote.ballot_id', '=', b.id)
    .orderBy('member.id')
    .execute();
  const votes = rows.map((r) => ({
    memberId: r.memberId,
    name: r.name,
    unit: r.unit,
    deviceKey: r.deviceKey,
    checkinLogIndex: r.checkinLogIndex,
    choices: parseJsonColumn(ChoicesSchema, r.choices, 'hand_vote.choices'),
    signature: r.signature,
    recordedBy: r.recorded_by,
    staffName: r.staff_name,
    countersignature: r.countersigner_key && r.countersignature ? { deviceKey: r.countersigner_key, signature: r.countersignature } : null,
  }));
  const record = {
    ballotId: b.id,
    cycleId: b.cycleId,
    meetingId: b.meetingId,
    award: b.award,
    seats: b.seats,
    rules: b.rules,
    candidates: b.candidates,
    membersTotal: b.membersTotal!,
    present: b.eligible!.length,
    eligible: b.eligible!,
    votes,
    tally: tally(b.candidates.map((c) => c.id), votes.map((v) => v.choices), (i) => recusedInOpening(b, votes[i]!.memberId)),
  };
  return { record, recordHash: toHex(sha256(utf8(canonicalJson(record)))) };
}

/** The candidates a member was recused from, as fixed when the vote opened. */
export function recusedInOpening(b: BallotView, memberId: string): string[] {
  return (b.recusals ?? []).filter((r) => r.memberId === memberId).map((r) => r.candidateId);
}

export async function getHandsRecord(db: Kysely<Database>, ballotId: string) {
  const b = await getBallot(db, ballotId);
  if (b.kind !== 'show-of-hands') throw new Problem('not-found', { en: 'A secret ballot has no named record; see its bulletin.', zh: '无记名投票没有记名记录，请查看选票公告。' });
  if (!b.eligible) throw new Problem('conflict', { en: 'The vote has not opened.', zh: '表决尚未开始。' });
  const { record, recordHash } = await handsRecord(db, b);
  return { ...record, recordHash, phase: b.phase, result: b.result, resultLogIndex: b.resultLogIndex };
}
