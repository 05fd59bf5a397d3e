// Ballots of the plenary meeting: prepared by staff, moved through their phases (phases.ts) by the chair
// or staff, each phase a log entry.
// Opening the vote (issuing / voting) fixes who is present: the members checked in at that moment,
// logged by name; the quorum is checked then, and the pass threshold counts against them.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BallotPhase, Database } from '../../schema/database.js';
import { Problem, problem } from '../errors.js';
import { appendEntry } from '../log/index.js';
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
  return {
    id: b.id,
    cycleId: b.cycle_id,
    meetingId: b.meeting_id,
    award: b.award,
    kind: b.kind,
    title: b.title,
    seats: b.seats,
    rules: JSON.parse(b.rules),
    candidates: JSON.parse(b.candidates),
    phase: b.phase,
    runoffOf: b.runoff_of,
    membersTotal: b.members_total,
    eligible: b.eligible ? JSON.parse(b.eligible) : null,
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
    result: b.result ? JSON.parse(b.result) : null,
    resultLogIndex: b.result_log_index,
    phases: phases.map((p) => ({ phase: p.phase, logIndex: p.log_index })),
    keyClasses: b.key_classes ? JSON.parse(b.key_classes) : null,
    recusals: b.eligible ? (await effectiveRecusals(db, b.id, JSON.parse(b.eligible))).map((r) => ({ memberId: r.memberId, candidateId: r.candidateId })) : null,
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
 * minus the seats of its ballots not yet tallied. Seats that a tie left undecided are free again for
 * the run-off among the tied.
 */
export async function seatsAvailable(db: Db, cycleId: string, award: Award): Promise<number> {
  const rows = await db.selectFrom('ballot').select(['award', 'phase', 'seats', 'result']).where('cycle_id', '=', cycleId).where('award', '=', award).execute();
  return seatsLeftByAward(rows)[award];
}

/** The same count for every award from a cycle's ballot rows. */
export function seatsLeftByAward(rows: readonly { award: Award; phase: BallotPhase; seats: number; result: string | null }[]): Record<Award, number> {
  const left: Record<Award, number> = { quality: MAX_WINNERS_PER_AWARD, innovation: MAX_WINNERS_PER_AWARD, excellence: MAX_WINNERS_PER_AWARD };
  for (const r of rows) left[r.award] -= r.phase === 'tallied' ? (JSON.parse(r.result!) as Result).winners.length : r.seats;
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
      const existing = await trx.selectFrom('ballot').select('id').where('runoff_of', '=', input.runoffOf).executeTakeFirst();
      if (existing) throw new Problem('conflict', { en: `Run-off ${existing.id} already exists.`, zh: `决选投票 ${existing.id} 已存在。` }, { extensions: { ballotId: existing.id } });
    }
    const meeting = await getMeeting(trx, input.meetingId);
    if (meeting.cycle_id !== input.cycleId) throw problem('invalid-request', 'The meeting is of another cycle.', '会议不属于该周期。');
    if (meeting.status !== 'open') throw new Problem('conflict', { en: 'The meeting is closed.', zh: '会议已结束。' });
    const available = await seatsAvailable(trx, input.cycleId, input.award);
    if (input.seats > available) {
      throw new Problem(
        'unprocessable',
        {
          en: `三(一): at most ${MAX_WINNERS_PER_AWARD} winners per award per cycle; ${available} seats are left for this award.`,
          zh: `三(一):每个奖项每周期获奖组织不超过 ${MAX_WINNERS_PER_AWARD} 个;该奖项尚余 ${available} 个名额。`,
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


export interface PhaseContext {
  masterSecret: Uint8Array;
  /** A co-signer is configured: a secret ballot opens only with its approval. */
  cosignerRequired?: boolean;
  /** The co-signer's approval (opening issuance of a co-issued ballot). */
  approval?: Approval;
  /** The co-signer's served list (opening casting of a co-issued ballot). */
  served?: { note: string; doc: ServedList };
}

/** Moves a ballot to its next phase, or explains why not (409). Runs the phase's own work. */
export async function advancePhase(
  db: Kysely<Database>,
  ballotId: string,
  to: BallotPhase,
  ctx: PhaseContext,
  work: { closeSecret: (trx: Transaction<Database>, b: BallotView) => Promise<{ index: number }>; tally: (trx: Transaction<Database>, b: BallotView) => Promise<{ index: number }> },
) {
  return db.transaction().execute(async (trx) => {
    const row = await getBallotRow(trx, ballotId, 'update');
    const expected = nextPhase(row.kind, row.phase);
    if (expected !== to) {
      throw new Problem('conflict', {
        en: `Ballot ${ballotId} is ${row.phase}; it cannot move to ${to}${expected ? ` (next is ${expected})` : ''}.`,
        zh: `投票 ${ballotId} 当前为 ${row.phase},不能进入 ${to}${expected ? `(下一阶段为 ${expected})` : ''}。`,
      });
    }
    const b = await getBallot(trx, ballotId);
    let logIndex: number;
    if (to === 'issuing' || to === 'voting') logIndex = await openVoting(trx, b, ctx);
    else if (to === 'casting') logIndex = await openCasting(trx, b, ctx);
    else if (to === 'closed') logIndex = (await work.closeSecret(trx, b)).index;
    else logIndex = (await work.tally(trx, b)).index;
    await trx.updateTable('ballot').set({ phase: to }).where('id', '=', ballotId).execute();
    await trx.insertInto('ballot_phase').values({ ballot_id: ballotId, phase: to, log_index: logIndex }).execute();
    return { phase: to, logIndex };
  });
}

/** Opening the vote: fix who is present, check the quorum, and for a secret ballot log its key first. */
async function openVoting(trx: Transaction<Database>, b: BallotView, ctx: PhaseContext): Promise<number> {
  const { masterSecret } = ctx;
  const meeting = await getMeeting(trx, b.meetingId);
  if (meeting.status !== 'open') throw new Problem('conflict', { en: 'The meeting is closed.', zh: '会议已结束。' });
  const total = Number((await trx.selectFrom('member').select((e) => e.fn.countAll().as('n')).where('cycle_id', '=', b.cycleId).executeTakeFirstOrThrow()).n);
  const checkedIn = await checkedInMembers(trx, b.meetingId);
  const present = checkedIn.map((m) => ({ memberId: m.memberId, name: m.name, unit: m.unit }));
  if (!quorumMet(b.rules, present.length, total)) {
    throw new Problem(
      'conflict',
      {
        en: `No quorum: ${present.length} of ${total} members checked in; ${quorumNeeded(b.rules, total)} needed.`,
        zh: `未达法定人数:${total} 名成员中已签到 ${present.length} 名,至少需要 ${quorumNeeded(b.rules, total)} 名。`,
      },
      { extensions: { checkedIn: present.length, membersTotal: total, needed: quorumNeeded(b.rules, total) } },
    );
  }
  const { procedureLogIndex } = await assertRulesAdopted(trx, b);
  // 回避 of the members present, fixed with them; logged with the opening only when there are any.
  const recusals = (await effectiveRecusals(trx, b.id, present)).map((r) => ({ memberId: r.memberId, candidateId: r.candidateId, logIndex: r.logIndex }));
  const common = {
    ballotId: b.id,
    cycleId: b.cycleId,
    award: b.award,
    kind: b.kind,
    seats: b.seats,
    rules: b.rules,
    candidates: b.candidates,
    membersTotal: total,
    present: present.length,
    eligible: present,
    procedureLogIndex,
    ...(recusals.length ? { recusals } : {}),
  };
  let index: number;
  if (b.kind === 'secret') {
    // The ballot's public key and proof of possession are in the public log before the first token.
    const { secretKey, publicKey } = deriveBallotKey(masterSecret, b.id);
    const receiptKey = deriveReceiptKey(masterSecret, b.id).publicKey;
    const classes = recusalClasses(recusals);
    let key = { publicKey: toHex(publicKey), proofOfPossession: toHex(popProve(secretKey)) as string | null };
    let coIssuance: Omit<CoIssuance, 'cosignerServedLogIndex'> | null = null;
    // 回避: each recusal class has its own key, made exactly as the ballot's (co-issued when it is).
    let keyClasses: KeyClass[] = classes.map(({ recused, members }) => {
      const k = deriveBallotKey(masterSecret, classKeyId(b.id, recused));
      return { recused, publicKey: toHex(k.publicKey), proofOfPossession: toHex(popProve(k.secretKey)), members };
    });
    if (ctx.approval) {
      // The list the supervisor approved is exactly who is checked in now, with the same tablets and
      // the same recusal classes.
      const a = ctx.approval.doc;
      const recusedBy = new Map<string, string[]>();
      for (const r of recusals) recusedBy.set(r.memberId, [...(recusedBy.get(r.memberId) ?? []), r.candidateId]);
      const same = (x: { memberId: string; deviceKey: string; recused?: string[] }[]) => x.map((m) => `${m.memberId}:${m.deviceKey}:${[...(m.recused ?? [])].sort().join(',')}`).sort().join(' ');
      const now = checkedIn.map((m) => ({ ...m, recused: recusedBy.get(m.memberId) ?? [] }));
      if (same(a.eligible) !== same(now)) {
        throw new Problem('conflict', {
          en: 'The check-ins or recusals changed after the supervisory group approved the list; it must approve the list again.',
          zh: '监督小组批准名单后签到或回避情况有变化，须重新批准名单。',
        });
      }
      // The tokens verify under the sum of the two keys; nobody knows its secret key, so it has no proof of
      // possession of its own: each share's key carries one (crypto/cosign.ts).
      key = { publicKey: a.aggregatePublicKey, proofOfPossession: null };
      coIssuance = {
        bureauPublicKey: a.bureauPublicKey,
        bureauProofOfPossession: a.bureauProofOfPossession,
        cosignerPublicKey: a.cosignerPublicKey,
        cosignerProofOfPossession: a.cosignerProofOfPossession,
        cosignerApproval: ctx.approval.note,
      };
      keyClasses = classes.map(({ recused, members }) => {
        const c = (a.classes ?? []).find((k) => k.recused.join(',') === recused.join(','));
        const mine = keyClasses.find((k) => k.recused.join(',') === recused.join(','))!;
        if (!c || c.bureauPublicKey !== mine.publicKey) {
          throw new Problem('conflict', { en: 'The co-signer approved other recusal classes; it must approve the list again.', zh: '联合签发方批准的回避类别不同，须重新批准名单。' });
        }
        return {
          recused,
          publicKey: c.aggregatePublicKey,
          proofOfPossession: null,
          members,
          coIssuance: { bureauPublicKey: c.bureauPublicKey, bureauProofOfPossession: c.bureauProofOfPossession, cosignerPublicKey: c.cosignerPublicKey, cosignerProofOfPossession: c.cosignerProofOfPossession },
        };
      });
    } else if (ctx.cosignerRequired) {
      throw new Problem('conflict', { en: 'This deployment co-issues secret ballots: the co-signer’s approval is missing.', zh: '本系统的无记名投票须联合签发:缺少联合签发方的批准。' });
    }
    const document = { ...common, kind: 'secret', phase: 'issuing', ciphersuite: CIPHERSUITE, ...key, receiptKey, ...(coIssuance ? { coIssuance } : {}), ...(keyClasses.length ? { keyClasses } : {}) } as const;
    index = (await appendEntry(trx, 'ballot-key', document, { cycleId: b.cycleId })).index;
    await trx
      .updateTable('ballot')
      .set({
        public_key: key.publicKey,
        proof_of_possession: key.proofOfPossession,
        receipt_key: receiptKey,
        key_log_index: index,
        eligible: JSON.stringify(present),
        members_total: total,
        key_classes: keyClasses.length ? JSON.stringify(keyClasses) : null,
      })
      .where('id', '=', b.id)
      .execute();
    if (coIssuance) {
      await trx
        .insertInto('ballot_cosign')
        .values({
          ballot_id: b.id,
          bureau_public_key: coIssuance.bureauPublicKey,
          bureau_pop: coIssuance.bureauProofOfPossession,
          cosigner_public_key: coIssuance.cosignerPublicKey,
          cosigner_pop: coIssuance.cosignerProofOfPossession,
          approval: coIssuance.cosignerApproval,
        })
        .execute();
    }
  } else {
    index = (await appendEntry(trx, 'ballot-voting', { ...common, kind: 'show-of-hands', phase: 'voting' }, { cycleId: b.cycleId })).index;
    await trx.updateTable('ballot').set({ eligible: JSON.stringify(present), members_total: total }).where('id', '=', b.id).execute();
  }
  return index;
}

/**
 * Issuance closes: the members served are published by name (names are public in a meeting). For a
 * co-issued ballot the co-signer's own served list, signed by it, is logged first as its own entry.
 */
async function openCasting(trx: Transaction<Database>, b: BallotView, ctx: PhaseContext): Promise<number> {
  const served = await servedMembers(trx, b.id);
  let cosignerServedLogIndex: number | undefined;
  if (b.coIssuance) {
    if (!ctx.served) throw new Problem('conflict', { en: 'The co-signer’s served list is missing.', zh: '缺少联合签发方的已发放名单。' });
    const doc = { ballotId: b.id, served: ctx.served.doc.served, statement: ctx.served.note };
    cosignerServedLogIndex = (await appendEntry(trx, 'cosigner-served', doc, { cycleId: b.cycleId, refs: { keyLogIndex: b.keyLogIndex! } })).index;
    await trx.updateTable('ballot_cosign').set({ served_statement: ctx.served.note, served_log_index: cosignerServedLogIndex }).where('ballot_id', '=', b.id).execute();
  }
  const document = { ballotId: b.id, phase: 'casting', issued: served.length, served, ...(cosignerServedLogIndex !== undefined ? { cosignerServedLogIndex } : {}) } as const;
  const { index } = await appendEntry(trx, 'ballot-phase', document, { cycleId: b.cycleId });
  return index;
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
