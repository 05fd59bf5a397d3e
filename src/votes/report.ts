// The papers the meeting files: the 计票结果报告单 of each vote and the 会议纪要 of the meeting. Both are
// read from what the log holds (the result, the tellers' confirmations, the 表决办法, the recusals) and
// name the log entries and document hashes they rest on, so the signed paper in the archive can be
// checked against the log. The minutes become a log entry of their own when the meeting closes.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { getEntry } from '../log/index.js';
import { BallotResultDocument, MeetingProcedureDecidedDocument } from '../log/documents/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { getBallot } from './ballots.js';
import { meetingStatus } from './meetings.js';
import { adoptedProcedure, currentProcedure } from './procedure.js';
import { listConfirmations, SUPERVISORY_GROUP } from './tellers.js';
import { listRecusals } from './recusal.js';
import { AWARD_NAMES, describeRules } from './rules.js';

type Db = Kysely<Database> | Transaction<Database>;

async function chairOf(db: Db, cycleId: string) {
  return (await db.selectFrom('member').select(['id', 'name', 'unit']).where('cycle_id', '=', cycleId).where('is_chair', '=', true).orderBy('id').executeTakeFirst()) ?? null;
}

/** 计票结果报告单: 应到/实到/发出/收回/有效/无效, each candidate's counts, winners, tellers' confirmations. */
export async function tallySheet(db: Db, ballotId: string) {
  const b = await getBallot(db, ballotId);
  if (b.phase !== 'tallied' || !b.result || b.resultLogIndex === null) throw new Problem('conflict', { en: `Ballot ${ballotId} is not tallied yet.`, zh: `投票 ${ballotId} 尚未计票。` });
  const entry = await getEntry(db as Kysely<Database>, b.resultLogIndex);
  const body = (await db.selectFrom('log_document').select('body').where('hash', '=', entry!.docHash).executeTakeFirstOrThrow()).body;
  const doc = parseJsonColumn(BallotResultDocument, body, 'log_document.body (ballot-result)');
  const meeting = await db.selectFrom('meeting').select(['id', 'title']).where('id', '=', b.meetingId).executeTakeFirstOrThrow();
  const procedure = await adoptedProcedure(db, b.meetingId);
  const names = new Map(b.candidates.map((c) => [c.id, c.name]));
  const present = b.eligible!.length;
  // 发出: tokens issued (secret) or members asked to raise hands; 收回: ballots cast or hands recorded.
  // The server refuses an invalid ballot (the member is told why and may cast again), so every ballot
  // received is valid: 无效 is 0 by construction, printed as such.
  const issued = doc.kind === 'secret' ? doc.issued : present;
  const returned = doc.kind === 'secret' ? doc.cast : doc.votes;
  return {
    ballotId: b.id,
    title: b.title,
    meetingId: meeting.id,
    meetingTitle: meeting.title,
    award: b.award,
    awardName: AWARD_NAMES[b.award],
    kind: b.kind,
    seats: b.seats,
    rules: b.rules,
    rulesText: describeRules(b.rules),
    counts: { expected: b.membersTotal!, present, issued, returned, valid: returned, invalid: 0 },
    candidates: b.result.candidates.map((r) => ({ ...r, name: names.get(r.candidateId) ?? r.candidateId })),
    winners: b.result.winners.map((id) => ({ candidateId: id, name: names.get(id) ?? id })),
    vacancies: b.result.vacancies,
    runoff: b.result.runoff && { ...b.result.runoff, names: b.result.runoff.candidates.map((id) => names.get(id) ?? id) },
    recusals: (await listRecusals(db, b.id)).map((r) => ({ name: r.name, candidateName: names.get(r.candidateId) ?? r.candidateId, declaredBy: r.declaredBy, logIndex: Number(r.logIndex) })),
    resultLogIndex: b.resultLogIndex,
    resultDocHash: entry!.docHash,
    confirmations: await listConfirmations(db, b.id),
    counters: procedure?.counters ?? [],
    scrutineers: procedure?.scrutineers ?? [],
    supervisorScrutineers: procedure?.supervisorScrutineers ?? [],
    chair: await chairOf(db, b.cycleId),
  };
}

/** 会议纪要: who attended, the 表决办法 and how it was adopted, each vote and its result. */
export async function minutesDocument(db: Db, meetingId: string) {
  const s = await meetingStatus(db, meetingId);
  const procedure = await currentProcedure(db, meetingId);
  let adoption: { mode: string | null; for: number | null; against: number | null; abstain: number | null; present: number | null; adopted: boolean; confirmedBy: string | null; logIndex: number } | null = null;
  if (procedure?.decidedLogIndex != null) {
    const e = await getEntry(db as Kysely<Database>, Number(procedure.decidedLogIndex));
    const body = e ? (await db.selectFrom('log_document').select('body').where('hash', '=', e.docHash).executeTakeFirst())?.body : undefined;
    const d = body ? parseJsonColumn(MeetingProcedureDecidedDocument, body, 'log_document.body (meeting-procedure-decided)') : null;
    const counted = d && d.mode !== 'withdrawn' ? d : null;
    adoption = {
      mode: d?.mode ?? null,
      for: counted?.for ?? null,
      against: counted?.against ?? null,
      abstain: counted?.abstain ?? null,
      present: counted?.present ?? null,
      adopted: d?.adopted ?? false,
      confirmedBy: d?.mode === 'chair-record' ? d.confirmedBy.name : null,
      logIndex: Number(procedure.decidedLogIndex),
    };
  }
  const ids = await db.selectFrom('ballot').select('id').where('meeting_id', '=', meetingId).orderBy('created_at').orderBy('id').execute();
  const votes = [];
  for (const { id } of ids) {
    const b = await getBallot(db, id);
    const names = new Map(b.candidates.map((c) => [c.id, c.name]));
    votes.push({
      ballotId: b.id,
      title: b.title,
      award: b.award,
      kind: b.kind,
      seats: b.seats,
      phase: b.phase,
      present: b.eligible?.length ?? null,
      winners: b.result ? b.result.winners.map((w) => names.get(w) ?? w) : [],
      runoff: b.result?.runoff ? b.result.runoff.candidates.map((w) => names.get(w) ?? w) : null,
      recusals: (await listRecusals(db, b.id)).map((r) => ({ name: r.name, candidateName: names.get(r.candidateId) ?? r.candidateId })),
      confirmations:
        b.phase === 'tallied' ? (await listConfirmations(db, b.id)).map((c) => ({ name: c.accountId !== null ? `${c.name}（${SUPERVISORY_GROUP}）` : c.name, role: c.role, confirmedAt: c.confirmedAt })) : [],
      resultLogIndex: b.resultLogIndex,
    });
  }
  return {
    meetingId: s.id,
    cycleId: s.cycleId,
    title: s.title,
    openedAt: s.openedAt,
    closedAt: s.closedAt,
    openLogIndex: s.logIndex,
    membersTotal: s.membersTotal,
    checkedIn: s.checkedIn,
    attendees: s.roster.filter((m) => m.checkedInAt).map((m) => ({ name: m.name, unit: m.unit, checkedInAt: m.checkedInAt })),
    absent: s.roster.filter((m) => !m.checkedInAt).map((m) => ({ name: m.name, unit: m.unit })),
    chair: await chairOf(db, s.cycleId),
    procedure: procedure && {
      status: procedure.status,
      rules: procedure.document.rules,
      rulesText: describeRules(procedure.document.rules).zh,
      counters: procedure.document.counters.map((t) => t.name),
      scrutineers: [...procedure.document.scrutineers.map((t) => t.name), ...(procedure.document.supervisorScrutineers ?? []).map((t) => `${t.name}（${SUPERVISORY_GROUP}）`)],
      logIndex: procedure.logIndex,
      documentHash: procedure.documentHash,
      adoption,
    },
    votes,
  };
}
