// 回避: a member with an interest in a candidate takes no part in the vote on it — declared by the
// member on the tablet, or decided by the chair — before the ballot opens. Each recusal is signed by
// the declaring tablet (the member's own, or the chair's) and logged.
//   secret ballot:  the member's token comes from the key of the member's recusal class (the set of
//                   candidates recused from), so the cast ballot carries its class and the server
//                   refuses a choice on those candidates; no one learns more than the class.
//   show of hands:  the member's hands on that candidate are refused.
//   pass rule:      for that candidate the members present are counted without the recused.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { appendEntry } from '../log/index.js';
import { recusalMessage, verifyDeviceSignature } from './messages.js';
import { ballotColumns, getBallotRow } from './ballots.js';
import { checkinDeviceKey } from './secret.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface RecusalInput {
  ballotId: string;
  memberId: string;
  candidateId: string;
  reason: string;
  /** The tablet that signs: the member's own, or the chair's. */
  signer: { memberId: string; name: string; isChair: boolean };
  signature: string;
}

export async function declareRecusal(db: Kysely<Database>, input: RecusalInput) {
  const byChair = input.signer.memberId !== input.memberId;
  if (byChair && !input.signer.isChair) throw new Problem('forbidden', { en: 'Only the chair may recuse another member.', zh: '仅主持人可以决定其他成员回避。' });
  return db.transaction().execute(async (trx) => {
    const b = await getBallotRow(trx, input.ballotId, 'update');
    if (b.phase !== 'prepared') throw new Problem('conflict', { en: `回避 is declared before the vote opens; the ballot is ${b.phase}.`, zh: '回避须在表决开始前提出。' });
    const candidate = ballotColumns.candidates(b.candidates).find((c) => c.id === input.candidateId);
    if (!candidate) throw new Problem('invalid-request', { en: `No candidate ${input.candidateId} on this ballot.`, zh: `本次表决没有候选组织 ${input.candidateId}。` });
    const member = await trx.selectFrom('member').select(['id', 'name', 'unit', 'cycle_id']).where('id', '=', input.memberId).executeTakeFirst();
    if (!member || member.cycle_id !== b.cycle_id) throw new Problem('invalid-request', { en: `Member ${input.memberId} is not of this cycle.`, zh: '该成员不属于本周期。' });
    const key = await checkinDeviceKey(trx, b.meeting_id, input.signer.memberId);
    if (!key) throw new Problem('forbidden', { en: 'The signing tablet has not checked in at this meeting.', zh: '签名设备尚未在本次会议签到。' });
    if (!verifyDeviceSignature(key, recusalMessage(input.ballotId, input.memberId, input.candidateId), input.signature)) {
      throw new Problem('forbidden', { en: 'The recusal is not signed by the tablet that checked in.', zh: '回避签名与签到时的设备密钥不符。' });
    }
    const existing = await trx.selectFrom('recusal').select('log_index').where('ballot_id', '=', input.ballotId).where('member_id', '=', input.memberId).where('candidate_id', '=', input.candidateId).executeTakeFirst();
    if (existing) return { logIndex: existing.log_index, already: true };
    const { index } = await appendEntry(
      trx,
      'recusal',
      {
        ballotId: b.id,
        meetingId: b.meeting_id,
        memberId: member.id,
        name: member.name,
        unit: member.unit,
        candidateId: candidate.id,
        candidateName: candidate.name,
        declaredBy: byChair ? 'chair' : 'member',
        signerMemberId: input.signer.memberId,
        signerName: input.signer.name,
        deviceKey: key,
        signature: input.signature,
        reason: input.reason,
      },
      { cycleId: b.cycle_id },
    );
    await trx.insertInto('recusal').values({ ballot_id: b.id, member_id: member.id, candidate_id: candidate.id, declared_by: byChair ? 'chair' : 'member', log_index: index }).execute();
    return { logIndex: index, already: false };
  });
}

export async function listRecusals(db: Db, ballotId: string) {
  const rows = await db
    .selectFrom('recusal')
    .innerJoin('member', 'member.id', 'recusal.member_id')
    .select(['recusal.member_id as memberId', 'member.name', 'recusal.candidate_id as candidateId', 'recusal.declared_by as declaredBy', 'recusal.log_index as logIndex'])
    .where('recusal.ballot_id', '=', ballotId)
    .orderBy('recusal.log_index')
    .execute();
  return rows;
}

/** The recusals that count: those of members present when the vote opened. */
export async function effectiveRecusals(db: Db, ballotId: string, eligible: readonly { memberId: string }[]) {
  const present = new Set(eligible.map((e) => e.memberId));
  return (await listRecusals(db, ballotId)).filter((r) => present.has(r.memberId));
}

/** A member's recusal class on a ballot: the candidate ids, sorted (code-point order). */
export async function recusedFrom(db: Db, ballotId: string, memberId: string): Promise<string[]> {
  const rows = await db.selectFrom('recusal').select('candidate_id').where('ballot_id', '=', ballotId).where('member_id', '=', memberId).execute();
  return rows.map((r) => r.candidate_id).sort();
}

export { classKeyId } from './messages.js';
