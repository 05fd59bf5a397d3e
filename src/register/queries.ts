// The register of applicants and the lists drawn from it (三(三)1–7).
//   register (统一社会信用代码, award applied for) ⊇ 拟进入材料评审 ⊇ 拟进入现场评审 ⊇ 候选组织建议名单 (per award)
//   ⊇ the candidates of that award's ballots; one organisation wins at most one award per cycle.
// A cycle "has a register" once its first applicant is registered; from then on every list and ballot of
// the cycle is held to it (a cycle without one keeps free names, and the verifier says so).
// Each list is published only after the previous one's 公示 is over and every objection to it answered,
// unless staff record why (a logged override, printed in the notice's document).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem, problem } from '../errors.js';
import { appendEntry } from '../log/index.js';
import { beijingIso } from '../calendar/dates.js';
import { checkCreditCode, CODE_PROBLEM_TEXT, normalizeCode } from '../identity/codes.js';
import type { Award } from '../votes/awards.js';
import type { NoticeDocument, NoticeType, Organisation } from '../notices/model.js';
import * as z from 'zod';
import { parseJsonColumn } from '../db/json-column.js';
import { CandidateListDocument, CandidateSchema, NoticeDocumentSchema, ResultSchema } from '../log/documents/index.js';
import { approvals } from '../award/approval.js';
import { awardedAsOf, twoYearsAfter } from '../award/awarded.js';
import { revocationFacts } from '../award/queries.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The list each list is drawn from (三(三)7 order). */
export const PREVIOUS_LIST: Partial<Record<NoticeType, NoticeType>> = { 'onsite-review': 'material-review', 'initial-winners': 'onsite-review' };

export async function hasRegister(db: Db, cycleId: string): Promise<boolean> {
  return (await db.selectFrom('applicant').select('credit_code').where('cycle_id', '=', cycleId).limit(1).executeTakeFirst()) !== undefined;
}

export async function listApplicants(db: Db, cycleId: string) {
  const rows = await db.selectFrom('applicant').selectAll().where('cycle_id', '=', cycleId).orderBy('log_index').execute();
  return rows.map((r) => ({ creditCode: r.credit_code, name: r.name, award: r.award, logIndex: Number(r.log_index) }));
}

/** Registers an applicant: a valid 统一社会信用代码 (GB 32100 check character), once per cycle, a name once. */
export async function registerApplicant(db: Kysely<Database>, cycleId: string, input: { creditCode: string; name: string; award: Award }, now: Date) {
  const code = normalizeCode(input.creditCode);
  const bad = checkCreditCode(code);
  if (bad) throw problem('invalid-request', `统一社会信用代码 ${code} ${CODE_PROBLEM_TEXT[bad].en}.`, `统一社会信用代码 ${code} ${CODE_PROBLEM_TEXT[bad].zh}。`, { creditCode: code, problem: bad });
  const name = input.name.trim();
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('cycle').select('id').where('id', '=', cycleId).forUpdate().execute();
    const same = await trx.selectFrom('applicant').select(['credit_code', 'name']).where('cycle_id', '=', cycleId).where((eb) => eb.or([eb('credit_code', '=', code), eb('name', '=', name)])).executeTakeFirst();
    if (same) throw problem('conflict', `${same.name} (${same.credit_code}) is already registered in cycle ${cycleId}.`, `${same.name}（${same.credit_code}）已在周期 ${cycleId} 登记。`);
    const registeredAt = beijingIso(now);
    const { index } = await appendEntry(trx, 'applicant-registered', { cycleId, creditCode: code, name, award: input.award, registeredAt }, { cycleId });
    await trx.insertInto('applicant').values({ cycle_id: cycleId, credit_code: code, name, award: input.award, log_index: index, registered_at: now }).execute();
    return { creditCode: code, name, award: input.award, logIndex: index };
  });
}

/** Organisations with the register's 统一社会信用代码 filled in where the register knows the name (any notice). */
export async function withRegisterCodes(db: Db, cycleId: string, organisations: Organisation[]): Promise<Organisation[]> {
  if (organisations.every((o) => o.code)) return organisations;
  const codes = new Map((await listApplicants(db, cycleId)).map((a) => [a.name, a.creditCode]));
  return organisations.map((o) => (o.code || !codes.has(o.name) ? o : { ...o, code: codes.get(o.name)! }));
}

/** The latest published list of a type in the cycle (a correction is published after what it corrects). */
export async function currentList(db: Db, cycleId: string, type: NoticeType) {
  const row = await db.selectFrom('notice').selectAll().where('cycle_id', '=', cycleId).where('type', '=', type).where('status', '=', 'published').orderBy('log_index', 'desc').limit(1).executeTakeFirst();
  if (!row || row.log_index === null || !row.document_hash || !row.document) return null;
  return { row, logIndex: Number(row.log_index), documentHash: row.document_hash, document: parseJsonColumn(NoticeDocumentSchema, row.document, 'notice.document') };
}

/** What is still open on a list: its window (if not over at `now`) and its objections without a published result. */
export async function openOn(db: Db, noticeId: string, windowClosesAt: Date | null, now: Date): Promise<{ windowOpen: boolean; unanswered: string[] }> {
  const pending = await db.selectFrom('objection').select(['tracking_no']).where('notice_id', '=', noticeId).where('status', '!=', 'published').execute();
  return { windowOpen: windowClosesAt !== null && now.getTime() <= windowClosesAt.getTime(), unanswered: pending.map((p) => p.tracking_no) };
}

/**
 * A list about to be published in a cycle with a register: its organisations checked against the stage
 * it is drawn from (the register for 拟进入材料评审; the current previous list otherwise), their codes
 * and awards filled from the register; and the order — the previous list's 公示 over and its objections
 * answered, or `override` (a reason) recorded. Returns what the document adds; null without a register.
 */
export async function listStage(
  db: Db,
  cycleId: string,
  type: NoticeType,
  organisations: Organisation[],
  override: string | null,
  now: Date,
): Promise<{ organisations: Organisation[]; drawnFrom?: NoticeDocument['drawnFrom']; sequenceOverride?: { reason: string } } | null> {
  if (type !== 'material-review' && type !== 'onsite-review' && type !== 'initial-winners') return null;
  if (!(await hasRegister(db, cycleId))) return null;
  const applicants = new Map((await listApplicants(db, cycleId)).map((a) => [a.name, a]));
  const previousType = PREVIOUS_LIST[type];
  let drawnFrom: NoticeDocument['drawnFrom'];
  let allowed: Set<string>;
  let sequenceOverride: { reason: string } | undefined;
  if (!previousType) allowed = new Set(applicants.keys());
  else {
    const previous = await currentList(db, cycleId, previousType);
    if (!previous) {
      throw problem('conflict', `Publish the ${previousType} list of cycle ${cycleId} first: this list is drawn from it.`, `请先发布本周期的${previousType === 'material-review' ? '拟进入材料评审名单' : '拟进入现场评审名单'}：本名单由其产生。`);
    }
    drawnFrom = { id: previous.row.id, logIndex: previous.logIndex, documentHash: previous.documentHash };
    allowed = new Set(previous.document.organisations.map((o) => o.name));
    const open = await openOn(db, previous.row.id, previous.row.window_closes_at, now);
    if (open.windowOpen || open.unanswered.length > 0) {
      if (!override) {
        throw new Problem(
          'conflict',
          {
            en: `The 公示 of ${previous.row.id} is not over${open.windowOpen ? ' (its window is open)' : ''}${open.unanswered.length ? `; objections ${open.unanswered.join(', ')} have no published result` : ''}: publish the next list after it, or record the reason for deviating (sequenceOverride).`,
            zh: `公告 ${previous.row.id} 的公示尚未结束${open.windowOpen ? '（公示期未满）' : ''}${open.unanswered.length ? `；异议 ${open.unanswered.join('、')} 尚未公示核查结果` : ''}：请待其结束后再发布下一名单，或载明提前发布的理由（sequenceOverride）。`,
          },
          { extensions: { previous: previous.row.id, windowOpen: open.windowOpen, unanswered: open.unanswered } },
        );
      }
      sequenceOverride = { reason: override };
    }
  }
  const out: Organisation[] = [];
  for (const o of organisations) {
    const a = applicants.get(o.name);
    if (!a) throw problem('unprocessable', `${o.name} is not in the register of applicants of cycle ${cycleId}.`, `${o.name} 不在本周期申报组织登记册中。`, { organisation: o.name });
    if (o.code && normalizeCode(o.code) !== a.creditCode) throw problem('unprocessable', `${o.name}: 统一社会信用代码 ${o.code} differs from the register's ${a.creditCode}.`, `${o.name}：统一社会信用代码 ${o.code} 与登记册的 ${a.creditCode} 不一致。`, { organisation: o.name });
    if (!allowed.has(o.name)) throw problem('unprocessable', `${o.name} is not on the list this one is drawn from.`, `${o.name} 不在本名单所由产生的上一名单中。`, { organisation: o.name });
    out.push(type === 'initial-winners' ? { ...o, code: a.creditCode } : { name: a.name, code: a.creditCode, award: a.award });
  }
  return { organisations: out, ...(drawnFrom ? { drawnFrom } : {}), ...(sequenceOverride ? { sequenceOverride } : {}) };
}

/** Fixes an award's 候选组织建议名单 (三(三)5) from the current on-site list, once; logged. */
export async function fixCandidateList(db: Kysely<Database>, cycleId: string, input: { award: Award; creditCodes: string[]; reviewedBy: string[] }, now: Date) {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('cycle').select('id').where('id', '=', cycleId).forUpdate().execute();
    if (await trx.selectFrom('candidate_list').select('award').where('cycle_id', '=', cycleId).where('award', '=', input.award).executeTakeFirst())
      throw problem('conflict', `The candidate list of ${input.award} is already fixed for cycle ${cycleId}.`, `本周期该奖项的候选组织建议名单已确定。`);
    const onsite = await currentList(trx, cycleId, 'onsite-review');
    if (!onsite) throw problem('conflict', 'Publish the on-site review list first: the candidate list is drawn from it (三(三)5).', '请先发布拟进入现场评审名单：候选组织建议名单由其产生（三(三)5）。');
    const applicants = new Map((await listApplicants(trx, cycleId)).map((a) => [a.creditCode, a]));
    const onList = new Set(onsite.document.organisations.map((o) => o.name));
    const roster = new Set((await trx.selectFrom('member').select('unit').where('cycle_id', '=', cycleId).execute()).map((m) => m.unit));
    for (const unit of input.reviewedBy) if (!roster.has(unit)) throw problem('unprocessable', `${unit} is not a member unit of the cycle's judging group.`, `${unit} 不是本周期评审组成员单位。`, { unit });
    const organisations = [];
    for (const raw of input.creditCodes) {
      const a = applicants.get(normalizeCode(raw));
      if (!a) throw problem('unprocessable', `${raw} is not in the register.`, `${raw} 不在申报组织登记册中。`, { creditCode: raw });
      if (!onList.has(a.name)) throw problem('unprocessable', `${a.name} is not on the on-site review list.`, `${a.name} 不在拟进入现场评审名单中。`, { creditCode: raw });
      if (a.award !== input.award) throw problem('unprocessable', `${a.name} applied for ${a.award}, not ${input.award}.`, `${a.name} 申报的不是该奖项。`, { creditCode: raw });
      organisations.push({ creditCode: a.creditCode, name: a.name });
    }
    if (new Set(organisations.map((o) => o.creditCode)).size !== organisations.length) throw problem('invalid-request', 'An organisation is listed twice.', '组织重复列出。');
    const doc = { cycleId, award: input.award, organisations, onsiteNotice: { id: onsite.row.id, logIndex: onsite.logIndex }, reviewedBy: input.reviewedBy, fixedAt: beijingIso(now) };
    const { index } = await appendEntry(trx, 'candidate-list', doc, { cycleId, refs: { onsite: onsite.logIndex } });
    await trx.insertInto('candidate_list').values({ cycle_id: cycleId, award: input.award, organisations: JSON.stringify(organisations), log_index: index, fixed_at: now }).execute();
    return { ...doc, logIndex: index };
  });
}

export async function candidateLists(db: Db, cycleId: string) {
  const rows = await db.selectFrom('candidate_list').selectAll().where('cycle_id', '=', cycleId).orderBy('log_index').execute();
  return rows.map((r) => ({ award: r.award, organisations: parseJsonColumn(CandidateListDocument.shape.organisations, r.organisations, 'candidate_list.organisations'), logIndex: Number(r.log_index) }));
}

/**
 * A ballot's candidates (called in its preparation's transaction): one organisation wins at most one
 * award per cycle (none already a winner of a tallied ballot of the cycle); with a register, only the
 * award's 候选组织建议名单 (fixed first).
 */
export async function checkBallotCandidates(trx: Db, cycleId: string, award: Award, names: readonly string[]): Promise<void> {
  const tallied = await trx.selectFrom('ballot').select(['result', 'candidates']).where('cycle_id', '=', cycleId).where('phase', '=', 'tallied').execute();
  const won = new Set<string>();
  for (const b of tallied) {
    const byId = new Map(parseJsonColumn(z.array(CandidateSchema), b.candidates, 'ballot.candidates').map((c) => [c.id, c.name]));
    for (const id of parseJsonColumn(ResultSchema, b.result ?? 'null', 'ballot.result').winners) won.add(byId.get(id) ?? '');
  }
  const winners = names.filter((n) => won.has(n));
  if (winners.length) throw problem('unprocessable', `Already a winner this cycle (one award per organisation): ${winners.join(', ')}.`, `以下组织本周期已获奖（每个组织每周期至多获一个奖项）：${winners.join('、')}。`, { winners });
  if (!(await hasRegister(trx, cycleId))) return;
  const list = await trx.selectFrom('candidate_list').select('organisations').where('cycle_id', '=', cycleId).where('award', '=', award).executeTakeFirst();
  if (!list) throw problem('conflict', 'Fix this award’s 候选组织建议名单 first: its ballots may name only those organisations (三(三)5).', '请先确定该奖项的候选组织建议名单：投票只能列入名单中的组织（三(三)5）。');
  const allowed = new Set(parseJsonColumn(CandidateListDocument.shape.organisations, list.organisations, 'candidate_list.organisations').map((o) => o.name));
  const outside = names.filter((n) => !allowed.has(n));
  if (outside.length) throw problem('unprocessable', `Not on this award's 候选组织建议名单: ${outside.join(', ')}.`, `以下组织不在该奖项的候选组织建议名单中：${outside.join('、')}。`, { outside });
}

/**
 * 六(三), 六(五): a revocation names organisations that hold the award — awarded by the city government's
 * decision (recorded for the cycle: a cycle without one has no winner to revoke) and not revoked since —
 * and the government's approval of the revocation (文号, date, not before the decision); for 六(五) the
 * event's date, within two years of the decision. Returns the revocation as the document states it, naming
 * the decision (awardedBy: its 文号, log index and date).
 */
export async function checkRevocation(db: Db, cycleId: string, organisations: readonly Organisation[], revocation: import('../notices/model.js').Revocation, today: string) {
  if (!revocation.approvalNumber || !revocation.approvalDate)
    throw problem('unprocessable', 'A revocation needs the city government’s approval: its 文号 and date (六(三), 六(五)).', '撤销须经市政府批准：请填写批准文件的文号和日期（六(三)、六(五)）。');
  if (revocation.approvalDate > today) throw problem('unprocessable', `The approval's date ${revocation.approvalDate} is in the future.`, `批准日期 ${revocation.approvalDate} 晚于今日。`);
  const { decision } = await approvals(db, cycleId);
  if (!decision) throw problem('conflict', `Cycle ${cycleId} has no decision of the city government recorded: only an organisation it awarded can be revoked.`, `周期 ${cycleId} 尚未登记市政府的授奖决定：只能撤销经市政府决定获奖的组织的奖项。`);
  const date = decision.document.date;
  if (revocation.approvalDate < date) throw problem('unprocessable', `The approval's date ${revocation.approvalDate} is before the award (${date}).`, `批准日期 ${revocation.approvalDate} 早于授奖日期 ${date}。`);
  const holders = new Set(awardedAsOf(decision.document, await revocationFacts(db, cycleId), today).filter((o) => o.award === revocation.award).map((o) => o.name));
  const not = organisations.filter((o) => !holders.has(o.name)).map((o) => o.name);
  if (not.length) throw problem('unprocessable', `Not holding this award of cycle ${cycleId}: ${not.join(', ')}.`, `以下组织未获（或已被撤销）本周期该奖项，不能撤销：${not.join('、')}。`, { notWinners: not });
  if (revocation.basis === '六(五)') {
    const limit = twoYearsAfter(date);
    if (!revocation.eventDate || revocation.eventDate < date || revocation.eventDate > limit)
      throw problem('unprocessable', `六(五) covers an accident or violation within two years of the award (${date} … ${limit}); give its date (eventDate).`, `六(五)适用于获奖后两年内（${date}至${limit}）发生的事故或违法违规行为，请填写其发生日期（eventDate）。`);
  }
  return { ...revocation, awardedBy: { id: decision.document.documentNumber, logIndex: decision.logIndex, date } };
}
