// A ballot's phase changes, each a log entry written in the same transaction as the new phase: opening
// the vote (who is present, the quorum, a secret ballot's key), opening casting, closing (the
// bulletin) and tallying (the result). It sits above ballots.ts, secret.ts and tally.ts, which it
// drives; none of them imports it.
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
import { getBallot, getBallotRow, recusalClasses, servedMembers, type BallotView, type CoIssuance, type KeyClass } from './ballots.js';
import { closeSecret } from './secret.js';
import { tallyBallot } from './tally.js';

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
) {
  return db.transaction().execute(async (trx) => {
    const row = await getBallotRow(trx, ballotId, 'update');
    const expected = nextPhase(row.kind, row.phase);
    if (expected !== to) {
      throw new Problem('conflict', {
        en: `Ballot ${ballotId} is ${row.phase}; it cannot move to ${to}${expected ? ` (next is ${expected})` : ''}.`,
        zh: `投票 ${ballotId} 当前为 ${row.phase}，不能进入 ${to}${expected ? `(下一阶段为 ${expected})` : ''}。`,
      });
    }
    const b = await getBallot(trx, ballotId);
    let logIndex: number;
    if (to === 'issuing' || to === 'voting') logIndex = await openVoting(trx, b, ctx);
    else if (to === 'casting') logIndex = await openCasting(trx, b, ctx);
    else if (to === 'closed') logIndex = (await closeSecret(trx, b)).index;
    else logIndex = (await tallyBallot(trx, b)).index;
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
        zh: `未达法定人数：${total} 名成员中已签到 ${present.length} 名，至少需要 ${quorumNeeded(b.rules, total)} 名。`,
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
      throw new Problem('conflict', { en: 'This deployment co-issues secret ballots: the co-signer’s approval is missing.', zh: '本系统的无记名投票须联合签发：缺少联合签发方的批准。' });
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
