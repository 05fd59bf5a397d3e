// What the meeting room sees, live: check-ins and quorum, the 表决办法, each vote's phase, the ballot
// key's fingerprint, tokens issued and ballots cast (counts only — never who cast what or when), and
// results with the rule applied. The meeting screen reads it with a display key the staff create
// (kept only as a hash); staff, supervisors and the chair read it with their own credentials.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { hashSecret, randomToken } from '../auth/secrets.js';
import { getBallot } from './ballots.js';
import { meetingStatus } from './meetings.js';
import { currentProcedure } from './procedure.js';
import { DEFAULT_RULES, describeRules, quorumMet, quorumNeeded } from './rules.js';
import { keyFingerprint } from './messages.js';
import { listConfirmations } from './tellers.js';
import { listRecusals } from './recusal.js';
import { supervisorsAttending } from './countersign.js';

type Db = Kysely<Database> | Transaction<Database>;

export const DISPLAY_KEY_PREFIX = 'hzqa_d_';

export async function createDisplayKey(db: Kysely<Database>, meetingId: string, createdBy: string, now: Date) {
  const key = randomToken(DISPLAY_KEY_PREFIX, 24);
  await db.insertInto('meeting_display').values({ key_hash: hashSecret(key), meeting_id: meetingId, created_by: createdBy, created_at: now }).execute();
  return key;
}

export async function checkDisplayKey(db: Db, meetingId: string, key: string | undefined) {
  const row = key && key.startsWith(DISPLAY_KEY_PREFIX) ? await db.selectFrom('meeting_display').select('meeting_id').where('key_hash', '=', hashSecret(key)).executeTakeFirst() : undefined;
  if (!row || row.meeting_id !== meetingId) {
    throw new Problem('forbidden', { en: 'This display link is not valid for this meeting; ask the staff for the meeting screen link.', zh: '该会场屏幕链接无效，请向工作人员索取本次会议的屏幕链接。' });
  }
}

async function countOf(db: Db, table: 'token_served' | 'secret_ballot' | 'hand_vote', ballotId: string) {
  const r = await db.selectFrom(table).select((e) => e.fn.countAll().as('n')).where('ballot_id', '=', ballotId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function meetingLive(db: Db, meetingId: string) {
  const status = await meetingStatus(db, meetingId);
  const procedure = await currentProcedure(db, meetingId);
  const rules = procedure?.status === 'adopted' ? procedure.document.rules : DEFAULT_RULES;
  const ids = await db.selectFrom('ballot').select('id').where('meeting_id', '=', meetingId).orderBy('created_at').orderBy('id').execute();
  const ballots = [];
  for (const { id } of ids) {
    const b = await getBallot(db, id);
    const names = new Map(b.candidates.map((c) => [c.id, c.name]));
    ballots.push({
      id: b.id,
      title: b.title,
      award: b.award,
      kind: b.kind,
      phase: b.phase,
      seats: b.seats,
      rules: b.rules,
      rulesText: describeRules(b.rules),
      candidates: b.candidates,
      membersTotal: b.membersTotal,
      present: b.eligible?.length ?? null,
      keyFingerprint: b.publicKey ? keyFingerprint(b.publicKey) : null,
      issued: b.kind === 'secret' ? await countOf(db, 'token_served', b.id) : null,
      cast: b.kind === 'secret' ? await countOf(db, 'secret_ballot', b.id) : await countOf(db, 'hand_vote', b.id),
      recusals: (await listRecusals(db, b.id)).map((r) => ({ name: r.name, candidateId: r.candidateId, candidateName: names.get(r.candidateId) ?? r.candidateId, declaredBy: r.declaredBy })),
      result: b.result ? { ...b.result, candidates: b.result.candidates.map((r) => ({ ...r, name: names.get(r.candidateId) ?? r.candidateId })) } : null,
      resultLogIndex: b.resultLogIndex,
      confirmations: b.phase === 'tallied' ? (await listConfirmations(db, b.id)).map((c) => ({ name: c.name, role: c.role, confirmedAt: c.confirmedAt, logIndex: c.logIndex })) : [],
    });
  }
  return {
    ...status,
    quorum: { rules: rules.quorum, needed: quorumNeeded(rules, status.membersTotal), met: quorumMet(rules, status.checkedIn, status.membersTotal) },
    procedure: procedure && {
      id: procedure.id,
      status: procedure.status,
      rules: procedure.document.rules,
      rulesText: describeRules(procedure.document.rules),
      counters: procedure.document.counters,
      scrutineers: procedure.document.scrutineers,
      supervisorScrutineers: procedure.document.supervisorScrutineers ?? [],
      documentHash: procedure.documentHash,
      logIndex: procedure.logIndex,
      decidedLogIndex: procedure.decidedLogIndex,
      counts: procedure.counts,
      chairRecord: procedure.chairRecord && { for: procedure.chairRecord.for, against: procedure.chairRecord.against, abstain: procedure.chairRecord.abstain, name: procedure.chairRecord.name },
    },
    ballots,
    supervisors: await supervisorsAttending(db, status.cycleId),
  };
}
