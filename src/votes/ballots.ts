// Ballots of the plenary meeting: prepared by staff, moved through their phases (phases.ts) by the chair
// or staff, each phase a log entry.
// Opening the vote (issuing / voting) fixes who is present: the members checked in at that moment,
// logged by name; the quorum is checked then, and the pass threshold counts against them.
import * as z from 'zod';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BallotPhase, Database } from '../../schema/database.js';
import { Problem, problem } from '../errors.js';
import { appendEntry } from '../log/index.js';
import { CandidateSchema, KeyClassSchema, MemberRefSchema, ResultSchema } from '../log/documents/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { randomToken } from '../auth/secrets.js';
import { CIPHERSUITE, deriveBallotKey, popProve } from '../../crypto/blind.js';
import { toHex } from '../../crypto/bytes.js';
import { AWARD_KIND, MAX_WINNERS_PER_AWARD, RulesSchema, isCandidateId, quorumMet, quorumNeeded, type Award, type Result, type Rules } from './rules.js';
import { checkedInMembers, getMeeting } from './meetings.js';
import { deriveReceiptKey } from './receipts.js';
import type { Approval } from './cosign.js';
import type { ServedList } from '../cosigner/statements.js';
import { nextPhase } from './phases.js';
import { assertRulesAdopted } from './procedure.js';
import { classKeyId, effectiveRecusals } from './recusal.js';
import { checkBallotCandidates } from '../register/queries.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface Candidate {
  id: string;
  name: string;
}

export interface Eligible {
  memberId: string;
  name: string;
  unit: string;
}

export interface BallotView {
  id: string;
  cycleId: string;
  meetingId: string;
  award: Award;
  kind: 'secret' | 'show-of-hands';
  title: string;
  seats: number;
  rules: Rules;
  candidates: Candidate[];
  phase: BallotPhase;
  runoffOf: string | null;
  membersTotal: number | null;
  eligible: Eligible[] | null;
  publicKey: string | null;
  proofOfPossession: string | null;
  /** Set for a co-issued ballot: publicKey is then the sum of these two keys. */
  coIssuance: CoIssuance | null;
  receiptKey: string | null;
  keyLogIndex: number | null;
  bulletinLogIndex: number | null;
  result: Result | null;
  resultLogIndex: number | null;
  phases: { phase: BallotPhase; logIndex: number }[];
  /** Secret ballot with 回避: the key of each recusal class. */
  keyClasses: KeyClass[] | null;
  /** 回避 of the members present, once the vote has opened. */
  recusals: { memberId: string; candidateId: string }[] | null;
}

export interface KeyClass {
  recused: string[];
  publicKey: string;
  /** Null when co-issued: the key is the sum of the two in coIssuance, each with its proof. */
  proofOfPossession: string | null;
  members: number;
  coIssuance?: { bureauPublicKey: string; bureauProofOfPossession: string; cosignerPublicKey: string; cosignerProofOfPossession: string };
}

/** The two keys of a co-issued ballot, as logged (the approval is the co-signer's signed statement). */
export interface CoIssuance {
  bureauPublicKey: string;
  bureauProofOfPossession: string;
  cosignerPublicKey: string;
  cosignerProofOfPossession: string;
  cosignerApproval: string;
  cosignerServedLogIndex: number | null;
}

/** The ballot row's JSON columns, read back through the schemas of what was written. */
export const ballotColumns = {
  rules: (text: string) => parseJsonColumn(RulesSchema, text, 'ballot.rules'),
  candidates: (text: string) => parseJsonColumn(z.array(CandidateSchema), text, 'ballot.candidates'),
  eligible: (text: string) => parseJsonColumn(z.array(MemberRefSchema), text, 'ballot.eligible'),
  result: (text: string) => parseJsonColumn(ResultSchema, text, 'ballot.result'),
  keyClasses: (text: string) => parseJsonColumn(z.array(KeyClassSchema), text, 'ballot.key_classes'),
};

export const notFoundBallot = (id: string) => new Problem('not-found', { en: `No ballot ${id}.`, zh: `没有投票 ${id}。` });

export async function getBallotRow(db: Db, ballotId: string, lock: 'share' | 'update' | null = null) {
  let q = db.selectFrom('ballot').selectAll().where('id', '=', ballotId);
  if (lock === 'share') q = q.forShare();
  if (lock === 'update') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFoundBallot(ballotId);
  return row;
}

export async function getBallot(db: Db, ballotId: string): Promise<BallotView> {
  const b = await getBallotRow(db, ballotId);
  const phases = await db.selectFrom('ballot_phase').select(['phase', 'log_index']).where('ballot_id', '=', ballotId).orderBy('log_index').execute();
  const co = b.kind === 'secret' ? await db.selectFrom('ballot_cosign').selectAll().where('ballot_id', '=', ballotId).executeTakeFirst() : undefined;
  const eligible = b.eligible ? ballotColumns.eligible(b.eligible) : null;
  return {
    id: b.id,
    cycleId: b.cycle_id,
    meetingId: b.meeting_id,
    award: b.award,
    kind: b.kind,
    title: b.title,
    seats: b.seats,
    rules: ballotColumns.rules(b.rules),
    candidates: ballotColumns.candidates(b.candidates),
    phase: b.phase,
    runoffOf: b.runoff_of,
    membersTotal: b.members_total,
    eligible,
    publicKey: b.public_key,
    proofOfPossession: b.proof_of_possession,
    coIssuance: co
      ? {
          bureauPublicKey: co.bureau_public_key,
          bureauProofOfPossession: co.bureau_pop,
          cosignerPublicKey: co.cosigner_public_key,
          cosignerProofOfPossession: co.cosigner_pop,
          cosignerApproval: co.approval,
          cosignerServedLogIndex: co.served_log_index === null ? null : Number(co.served_log_index),
        }
      : null,
    receiptKey: b.receipt_key,
    keyLogIndex: b.key_log_index,
    bulletinLogIndex: b.bulletin_log_index,
    result: b.result ? ballotColumns.result(b.result) : null,
    resultLogIndex: b.result_log_index,
    phases: phases.map((p) => ({ phase: p.phase, logIndex: p.log_index })),
    keyClasses: b.key_classes ? ballotColumns.keyClasses(b.key_classes) : null,
    recusals: eligible ? (await effectiveRecusals(db, b.id, eligible)).map((r) => ({ memberId: r.memberId, candidateId: r.candidateId })) : null,
  };
}

export async function listBallots(db: Db, cycleId: string) {
  return db
    .selectFrom('ballot')
    .select(['id', 'award', 'kind', 'title', 'phase', 'seats', 'meeting_id', 'runoff_of', 'result'])
    .where('cycle_id', '=', cycleId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * 三(一): seats still open for an award this cycle — 25 minus the winners of its tallied ballots and
 * minus the seats of its ballots not yet tallied (a withdrawn ballot holds none). Seats that a tie left undecided are free again for
 * the run-off among the tied.
 */
export async function seatsAvailable(db: Db, cycleId: string, award: Award): Promise<number> {
  const rows = await db.selectFrom('ballot').select(['award', 'phase', 'seats', 'result']).where('cycle_id', '=', cycleId).where('award', '=', award).execute();
  return seatsLeftByAward(rows)[award];
}

/** The same count for every award from a cycle's ballot rows. */
export function seatsLeftByAward(rows: readonly { award: Award; phase: BallotPhase; seats: number; result: string | null }[]): Record<Award, number> {
  const left: Record<Award, number> = { quality: MAX_WINNERS_PER_AWARD, innovation: MAX_WINNERS_PER_AWARD, excellence: MAX_WINNERS_PER_AWARD };
  for (const r of rows) if (r.phase !== 'withdrawn') left[r.award] -= r.phase === 'tallied' ? ballotColumns.result(r.result!).winners.length : r.seats;
  return left;
}

export interface PrepareInput {
  cycleId: string;
  meetingId: string;
  award: Award;
  title?: string | undefined;
  seats: number;
  rules: Rules;
  candidates: { id?: string | undefined; name: string }[];
  runoffOf?: string | null;
}

export async function prepareBallot(db: Kysely<Database>, input: PrepareInput) {
  RulesSchema.parse(input.rules);
  const ids = input.candidates.map((c, i) => c.id ?? `c${String(i + 1).padStart(2, '0')}`);
  if (new Set(ids).size !== ids.length) throw problem('invalid-request', 'Candidate ids must be unique.', '候选组织编号不能重复。');
  if (!ids.every(isCandidateId)) throw problem('invalid-request', 'A candidate id is not allowed.', '候选组织编号不合法。');
  if (new Set(input.candidates.map((c) => c.name.trim())).size !== ids.length) throw problem('invalid-request', 'A candidate is listed twice.', '候选组织重复。');
  if (input.seats < 1) throw problem('invalid-request', 'At least one seat.', '名额至少为 1。');
  const candidates: Candidate[] = input.candidates.map((c, i) => ({ id: ids[i]!, name: c.name.trim() }));
  return db.transaction().execute(async (trx) => {
    // Serialise ballot preparation per cycle so that two ballots cannot both take the last seats.
    await sql`select id from cycle where id = ${input.cycleId} for update`.execute(trx);
    if (input.runoffOf) {
      const existing = await trx.selectFrom('ballot').select('id').where('runoff_of', '=', input.runoffOf).where('phase', '!=', 'withdrawn').executeTakeFirst();
      if (existing) throw new Problem('conflict', { en: `Run-off ${existing.id} already exists.`, zh: `决选投票 ${existing.id} 已存在。` }, { extensions: { ballotId: existing.id } });
    }
    const meeting = await getMeeting(trx, input.meetingId);
    if (meeting.cycle_id !== input.cycleId) throw problem('invalid-request', 'The meeting is of another cycle.', '会议不属于该周期。');
    if (meeting.status !== 'open') throw new Problem('conflict', { en: 'The meeting is closed.', zh: '会议已结束。' });
    await checkBallotCandidates(trx, input.cycleId, input.award, candidates.map((c) => c.name));
    const available = await seatsAvailable(trx, input.cycleId, input.award);
    if (input.seats > available) {
      throw new Problem(
        'unprocessable',
        {
          en: `三(一): at most ${MAX_WINNERS_PER_AWARD} winners per award per cycle; ${available} seats are left for this award.`,
          zh: `三（一）：每个奖项每周期获奖组织不超过 ${MAX_WINNERS_PER_AWARD} 个；该奖项尚余 ${available} 个名额。`,
        },
        { extensions: { seatsAvailable: available } },
      );
    }
    const id = 'b_' + randomToken('', 12);
    const kind = AWARD_KIND[input.award];
    const title = input.title ?? '';
    const { index } = await appendEntry(
      trx,
      'ballot-prepared',
      { ballotId: id, cycleId: input.cycleId, meetingId: input.meetingId, award: input.award, kind, title, seats: input.seats, rules: input.rules, candidates, runoffOf: input.runoffOf ?? null },
      { cycleId: input.cycleId },
    );
    await trx
      .insertInto('ballot')
      .values({
        id,
        cycle_id: input.cycleId,
        meeting_id: input.meetingId,
        award: input.award,
        kind,
        title,
        seats: input.seats,
        rules: JSON.stringify(input.rules),
        candidates: JSON.stringify(candidates),
        phase: 'prepared',
        runoff_of: input.runoffOf ?? null,
      })
      .execute();
    await trx.insertInto('ballot_phase').values({ ballot_id: id, phase: 'prepared', log_index: index }).execute();
    return id;
  });
}


export async function servedMembers(db: Db, ballotId: string) {
  return db
    .selectFrom('token_served')
    .innerJoin('member', 'member.id', 'token_served.member_id')
    .select(['member.id as memberId', 'member.name', 'member.unit'])
    .where('token_served.ballot_id', '=', ballotId)
    .orderBy('member.id')
    .execute();
}

/** The recusal classes of a ballot: each distinct set of candidates some member present is recused from. */
export function recusalClasses(recusals: readonly { memberId: string; candidateId: string }[]): { recused: string[]; members: number }[] {
  const byMember = new Map<string, string[]>();
  for (const r of recusals) byMember.set(r.memberId, [...(byMember.get(r.memberId) ?? []), r.candidateId]);
  const classes = new Map<string, { recused: string[]; members: number }>();
  for (const ids of byMember.values()) {
    const recused = [...ids].sort();
    const k = recused.join(',');
    classes.set(k, { recused, members: (classes.get(k)?.members ?? 0) + 1 });
  }
  return [...classes.values()].sort((a, b) => (a.recused.join(',') < b.recused.join(',') ? -1 : 1));
}
