// Notices (公示/公告): staff write drafts (not public, editable), then publish. Publishing fixes the
// objection window with the calendar, builds the notice's document, appends it to the public log in
// the same transaction, and freezes the notice: nothing is edited afterwards; a correction is a new
// notice with `corrects` pointing to the one it corrects.
import type { ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, NoticeTable } from '../../schema/database.js';
import type { Deps } from '../deps.js';
import { Problem, problem } from '../errors.js';
import { randomToken } from '../auth/secrets.js';
import { loadCalendar } from '../calendar/queries.js';
import { publicityWindow } from '../calendar/rules.js';
import { beijingDate, beijingIso, endOfDayInstant } from '../calendar/dates.js';
import { calendarEntriesFor } from '../calendar/log.js';
import { addWorkingDays, isWorkingDay } from '../calendar/workdays.js';
import { chineseDate, getIntakeDetails } from './intake-details.js';
import { appendEntry, canonicalJson, checkpointAfterWrite } from '../log/index.js';
import { getPublishedResult } from '../votes/results.js';
import { markResultsPublished } from '../objections/results.js';
import { checkRevocation, listStage, withRegisterCodes } from '../register/queries.js';
import { commendationOf } from '../award/commendation.js';
import * as z from 'zod';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import { objectionsOf, withWinners } from './preview.js';
import {
  hasWindow,
  ISSUER,
  NOTICE_TYPE_NAMES,
  NOTICE_WINDOW_WORKING_DAYS,
  type BallotRef,
  type NoticeDocument,
  type NoticeType,
  type NoticeWindow,
  type ObjectionResultRef,
  type Organisation,
  type Revocation,
} from './model.js';

type Db = Kysely<Database> | Transaction<Database>;
export type NoticeRow = Selectable<NoticeTable>;

export interface DraftInput {
  cycleId: string;
  type: NoticeType;
  title: string;
  body: string;
  organisations?: Organisation[] | undefined;
  corrects?: string | null | undefined;
  ballotIds?: string[] | undefined;
  objectionIds?: string[] | undefined;
  revocation?: Revocation | null | undefined;
  /** The first day of the window staff choose (YYYY-MM-DD), if later than the earliest allowed. */
  firstDay?: string | null | undefined;
  /** Why this list goes out before the previous list's 公示 and objections are over (register/queries.ts). */
  sequenceOverride?: string | null | undefined;
}

export type DraftPatch = Partial<Omit<DraftInput, 'cycleId' | 'type'>>;


export const noticeNotFound = (id: string) => new Problem('not-found', { en: `No notice ${id}.`, zh: `没有公告 ${id}。` });

export async function getNoticeRow(db: Db, id: string, lock = false): Promise<NoticeRow> {
  let q = db.selectFrom('notice').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw noticeNotFound(id);
  return row;
}

/** A draft's JSON columns (null when unset), read back through the schemas of the notice document. */
export const draftColumns = {
  organisations: (text: string | null): Organisation[] => (text === null ? [] : parseJsonColumn(NoticeDocumentSchema.shape.organisations, text, 'notice.organisations')),
  ids: (text: string | null, column: string): string[] => (text === null ? [] : parseJsonColumn(z.array(z.string()), text, column)),
  revocation: (text: string | null): Revocation | null => (text === null ? null : parseJsonColumn(NoticeDocumentSchema.shape.revocation.unwrap(), text, 'notice.revocation')),
};

/** Checks what a draft of this type may and must carry; throws a 400/404/409/422 problem. */
async function checkDraft(db: Db, d: Required<Pick<DraftInput, 'cycleId' | 'type'>> & DraftPatch, selfId?: string) {
  const orgs = d.organisations ?? [];
  const names = new Set<string>();
  for (const o of orgs) {
    if (names.has(o.name)) throw invalid(`Organisation "${o.name}" is listed twice.`, `组织“${o.name}”重复列出。`);
    names.add(o.name);
  }
  const ballotIds = d.ballotIds ?? [];
  const objectionIds = d.objectionIds ?? [];
  if (ballotIds.length > 0 && d.type !== 'initial-winners') throw invalid('ballotIds are only for initial-winners notices.', 'ballotIds 仅用于初选授奖组织名单。');
  if (objectionIds.length > 0 && d.type !== 'objection-result') throw invalid('objectionIds are only for objection-result notices.', 'objectionIds 仅用于异议核查结果。');
  if (d.revocation && d.type !== 'revocation') throw invalid('revocation is only for revocation notices.', 'revocation 仅用于撤销公告。');
  if (d.type === 'revocation' && !d.revocation) throw invalid('A revocation notice needs revocation {basis, award}.', '撤销公告须填写 revocation(依据与奖项)。');
  if (d.type === 'objection-result' && orgs.length > 0) {
    throw invalid('An objection-result notice lists the organisations of its objections; do not give organisations.', '异议核查结果的组织取自所涉异议,无需填写 organisations。');
  }
  if ((d.type === 'material-review' || d.type === 'onsite-review' || d.type === 'revocation') && orgs.length === 0) {
    throw invalid('This notice must list at least one organisation.', '该公告至少须列出一个组织。');
  }
  // 三(三)6–7: the initial winners are those the meeting elected — derived from the cycle's tallied
  // ballots at publication (initialWinnerBallots), never typed.
  if (d.type === 'initial-winners' && orgs.length > 0) {
    throw problem(
      'unprocessable',
      'The list of initial winners is derived from the results of the cycle’s tallied ballots; organisations cannot be entered by hand.',
      '初选授奖组织名单由本周期已计票投票的结果生成，不能手工填写组织。',
    );
  }
  if (d.type === 'objection-result' && objectionIds.length === 0) {
    throw invalid('An objection-result notice needs objectionIds.', '异议核查结果须填写 objectionIds。');
  }
  if (d.corrects) {
    const target = await db.selectFrom('notice').selectAll().where('id', '=', d.corrects).executeTakeFirst();
    if (!target) throw noticeNotFound(d.corrects);
    if (target.id === selfId) throw invalid('A notice cannot correct itself.', '公告不能更正自身。');
    if (target.status !== 'published') throw problem('conflict', `Notice ${target.id} is not published; edit the draft instead.`, `公告 ${target.id} 尚未发布,请直接修改草稿。`);
    if (target.cycle_id !== d.cycleId || target.type !== d.type) {
      throw invalid('A correction has the cycle and type of the notice it corrects.', '更正公告须与被更正公告属同一周期、同一类型。');
    }
  }
  for (const id of objectionIds) {
    const o = await db.selectFrom('objection').select(['id', 'cycle_id']).where('id', '=', id).executeTakeFirst();
    if (!o) throw new Problem('not-found', { en: `No objection ${id}.`, zh: `没有异议 ${id}。` });
    if (o.cycle_id !== d.cycleId) throw invalid(`Objection ${id} belongs to another cycle.`, `异议 ${id} 属于其他周期。`);
  }
  for (const id of ballotIds) {
    const r = await getPublishedResult(db as Kysely<Database>, id);
    if (r.cycleId !== d.cycleId) throw invalid(`Ballot ${id} belongs to another cycle.`, `投票 ${id} 属于其他周期。`);
  }
}

/**
 * The ballots a list of initial winners is derived from: every tallied ballot of the cycle, run-offs
 * included, in the order they were prepared (or in the order given, when `given` names exactly them).
 * Refused while a ballot of the cycle is prepared or open (its winners would be missing: withdraw or
 * finish it first), and when `given` is not exactly the tallied ballots.
 */
export async function initialWinnerBallots(db: Db, cycleId: string, given: readonly string[]): Promise<string[]> {
  const rows = await db.selectFrom('ballot').select(['id', 'phase', 'title']).where('cycle_id', '=', cycleId).orderBy('created_at').orderBy('id').execute();
  const open = rows.filter((r) => r.phase !== 'tallied' && r.phase !== 'withdrawn');
  if (open.length > 0) {
    const ids = open.map((r) => r.id);
    throw problem(
      'conflict',
      `Ballot(s) ${ids.join(', ')} of the cycle are not tallied: the list of initial winners takes every ballot’s winners; finish or withdraw them first.`,
      `本周期投票 ${ids.join('、')} 尚未计票：初选授奖组织名单须包含每个投票的当选组织，请先完成或撤回这些投票。`,
      { ballotIds: ids },
    );
  }
  const tallied = rows.filter((r) => r.phase === 'tallied').map((r) => r.id);
  if (tallied.length === 0) throw problem('conflict', 'No ballot of the cycle is tallied yet: there are no initial winners to list.', '本周期尚无已计票的投票，没有可公示的初选授奖组织。');
  if (given.length === 0) return tallied;
  const missing = tallied.filter((id) => !given.includes(id));
  const extra = given.filter((id) => !tallied.includes(id));
  if (missing.length || extra.length || new Set(given).size !== given.length) {
    throw problem(
      'unprocessable',
      `The list of initial winners takes exactly the cycle’s tallied ballots${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; not tallied ballots of this cycle: ${extra.join(', ')}` : ''}.`,
      `初选授奖组织名单须恰好包含本周期全部已计票的投票${missing.length ? `；缺少 ${missing.join('、')}` : ''}${extra.length ? `；以下并非本周期已计票的投票：${extra.join('、')}` : ''}。`,
      { missing, extra },
    );
  }
  return [...given];
}

function invalid(en: string, zh: string) {
  return new Problem('invalid-request', { en, zh });
}

export async function createDraft(db: Kysely<Database>, input: DraftInput, actor: string): Promise<NoticeRow> {
  const cycle = await db.selectFrom('cycle').select('id').where('id', '=', input.cycleId).executeTakeFirst();
  if (!cycle) throw new Problem('not-found', { en: `No cycle ${input.cycleId}.`, zh: `没有周期 ${input.cycleId}。` });
  await checkDraft(db, input);
  return db
    .insertInto('notice')
    .values({
      id: 'n_' + randomToken('', 12),
      cycle_id: input.cycleId,
      type: input.type,
      status: 'draft',
      title: input.title,
      body: input.body,
      organisations: JSON.stringify(input.organisations ?? []),
      corrects: input.corrects ?? null,
      ballot_ids: JSON.stringify(input.ballotIds ?? []),
      objection_ids: JSON.stringify(input.objectionIds ?? []),
      revocation: input.revocation ? JSON.stringify(input.revocation) : null,
      first_day: input.firstDay ?? null,
      sequence_override: input.sequenceOverride ?? null,
      window_start: null,
      window_end: null,
      window_mode: null,
      window_closes_at: null,
      calendar_version: null,
      published_at: null,
      published_by: null,
      log_index: null,
      document_hash: null,
      document: null,
      window_closed_flagged_at: null,
      created_by: actor,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

const notDraft = (id: string) =>
  problem('conflict', `Notice ${id} is published and cannot change; publish a correction (corrects: "${id}") instead.`, `公告 ${id} 已发布,不可修改;请发布更正公告(corrects: "${id}")。`);

export async function updateDraft(db: Kysely<Database>, id: string, patch: DraftPatch, now: Date): Promise<NoticeRow> {
  const row = await getNoticeRow(db, id);
  if (row.status !== 'draft') throw notDraft(id);
  const merged = {
    cycleId: row.cycle_id,
    type: row.type,
    title: patch.title ?? row.title,
    body: patch.body ?? row.body,
    organisations: patch.organisations ?? draftColumns.organisations(row.organisations),
    corrects: patch.corrects !== undefined ? patch.corrects : row.corrects,
    ballotIds: patch.ballotIds ?? draftColumns.ids(row.ballot_ids, 'notice.ballot_ids'),
    objectionIds: patch.objectionIds ?? draftColumns.ids(row.objection_ids, 'notice.objection_ids'),
    revocation: patch.revocation !== undefined ? patch.revocation : draftColumns.revocation(row.revocation),
  };
  await checkDraft(db, merged, id);
  const updated = await db
    .updateTable('notice')
    .set({
      title: merged.title,
      body: merged.body,
      organisations: JSON.stringify(merged.organisations),
      corrects: merged.corrects ?? null,
      ballot_ids: JSON.stringify(merged.ballotIds),
      objection_ids: JSON.stringify(merged.objectionIds),
      revocation: merged.revocation ? JSON.stringify(merged.revocation) : null,
      first_day: patch.firstDay !== undefined ? patch.firstDay : row.first_day,
      sequence_override: patch.sequenceOverride !== undefined ? patch.sequenceOverride : row.sequence_override,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw notDraft(id);
  return updated;
}

export async function deleteDraft(db: Kysely<Database>, id: string): Promise<void> {
  const row = await getNoticeRow(db, id);
  if (row.status !== 'draft') throw notDraft(id);
  await db.deleteFrom('notice').where('id', '=', id).where('status', '=', 'draft').execute();
}

/**
 * The objection window of a list published at `publishedAt`. Day 1 is the publication day when
 * `mode` is 'including', it is a working day and publication is before the cut-off (NOTICE_CUTOFF,
 * Beijing time); otherwise the next working day. Staff may choose a later first day (`chosen`; a
 * non-working day moves to the next working day). The window then holds exactly 7 working days from
 * its first day, both printed: "公示时间：X月X日至Y月Y日（共7个工作日）". Throws 422 for a year without a table.
 */
export function computeWindow(
  cal: Awaited<ReturnType<typeof loadCalendar>>,
  publishedAt: Date,
  mode: 'after' | 'including',
  cutoff = '17:00',
  chosen?: string | null,
): NoticeWindow {
  const publishedOn = beijingDate(publishedAt);
  const timeOfDay = beijingIso(publishedAt).slice(11, 16);
  const sameDay = mode === 'including' && timeOfDay < cutoff && isWorkingDay(publishedOn, cal);
  const earliest = sameDay ? publishedOn : addWorkingDays(publishedOn, 1, 'after', cal).date;
  const start = chosen && chosen > earliest ? addWorkingDays(chosen, 1, 'including', cal).date : earliest;
  const d = publicityWindow(cal, start, 'including');
  return {
    start,
    end: d.date,
    mode: 'including',
    closesAt: d.endsAt,
    workingDays: NOTICE_WINDOW_WORKING_DAYS,
    calendarVersion: d.calendarVersion,
    ...(chosen && chosen > earliest ? { chosenFirstDay: chosen } : {}),
  };
}

/** Publishes a draft: window, document, log entry, all in one transaction. */
export async function publishNotice(deps: Deps, id: string, actor: string): Promise<NoticeRow> {
  const { db, clock, config } = deps;
  const now = clock.now();
  const pre = await getNoticeRow(db, id);
  if (pre.status !== 'draft') throw problem('conflict', `Notice ${id} is already published.`, `公告 ${id} 已发布。`);
  const type = pre.type;
  // Outside the transaction: the calendar (a year without a table refuses here, 422) and the ballots.
  const cal = await loadCalendar(db);
  const window = hasWindow(type) ? computeWindow(cal, now, config.NOTICE_WINDOW_MODE, config.NOTICE_CUTOFF, pre.first_day) : null;
  const intake = hasWindow(type) ? await getIntakeDetails(db, pre.cycle_id) : null;
  if (hasWindow(type) && !intake) {
    throw problem('unprocessable', 
      `Set the objection-intake details of cycle ${pre.cycle_id} (受理单位, 联系人, 电话, 地址, 邮编) first: every list prints them.`,
      `请先设置周期 ${pre.cycle_id} 的异议受理信息（受理单位、联系人、电话、地址、邮编），每份公示均须载明。`,
      { cycleId: pre.cycle_id },
    );
  }
  const ballots: BallotRef[] = [];
  const listed = type === 'initial-winners' ? await initialWinnerBallots(db, pre.cycle_id, draftColumns.ids(pre.ballot_ids, 'notice.ballot_ids')) : [];
  for (const ballotId of listed) {
    const r = await getPublishedResult(db, ballotId);
    if (r.cycleId !== pre.cycle_id) throw invalid(`Ballot ${ballotId} belongs to another cycle.`, `投票 ${ballotId} 属于其他周期。`);
    ballots.push({
      ballotId: r.ballotId,
      award: r.award,
      kind: r.kind,
      winners: r.winners.map((w) => ({ candidateId: w.candidateId, name: w.name })),
      resultLogIndex: r.resultLogIndex,
      bulletinLogIndex: r.bulletinLogIndex,
    });
  }

  const row = await db.transaction().execute(async (trx) => {
    const n = await getNoticeRow(trx, id, true);
    if (n.status !== 'draft') throw problem('conflict', `Notice ${id} is already published.`, `公告 ${id} 已发布。`);
    let corrects: NoticeDocument['corrects'] = null;
    if (n.corrects) {
      const target = await getNoticeRow(trx, n.corrects, true);
      if (target.status !== 'published' || target.log_index === null || !target.document_hash) {
        throw problem('conflict', `Notice ${target.id} is not published.`, `公告 ${target.id} 尚未发布。`);
      }
      const already = await trx
        .selectFrom('notice')
        .select('id')
        .where('corrects', '=', target.id)
        .where('status', '=', 'published')
        .executeTakeFirst();
      if (already) {
        throw problem('conflict', 
          `Notice ${target.id} was already corrected by ${already.id}; correct that one instead.`,
          `公告 ${target.id} 已由 ${already.id} 更正,请更正后者。`,
          { correctedBy: already.id },
        );
      }
      corrects = { id: target.id, logIndex: target.log_index, documentHash: target.document_hash };
    }

    if (type === 'initial-winners') {
      // The ballots as they stand now, under the lock: a ballot tallied or prepared since is not missed.
      await trx.selectFrom('cycle').select('id').where('id', '=', n.cycle_id).forUpdate().execute();
      const now = await initialWinnerBallots(trx, n.cycle_id, listed);
      if (now.join() !== listed.join()) throw problem('conflict', 'The cycle’s ballots changed while publishing; publish again.', '发布期间本周期的投票有变化，请重新发布。');
    }
    let organisations = type === 'initial-winners' ? [] : draftColumns.organisations(n.organisations);
    let revocation = draftColumns.revocation(n.revocation);
    if (type === 'revocation' && revocation) revocation = await checkRevocation(trx, n.cycle_id, draftColumns.organisations(n.organisations), revocation, beijingDate(now));
    let objections: ObjectionResultRef[] | undefined;
    if (type === 'initial-winners') {
      organisations = withWinners(organisations, ballots);
      const names = new Set<string>();
      for (const o of organisations) {
        if (names.has(o.name)) {
          throw problem('unprocessable', `Organisation "${o.name}" appears twice on the list.`, `组织“${o.name}”在名单中出现两次。`);
        }
        names.add(o.name);
      }
    }
    if (type === 'revocation' && revocation) organisations = organisations.map((o) => ({ ...o, award: revocation.award }));
    // 四(二): the 表彰通报 lists exactly the organisations the city government's decision awarded.
    const commendation = type === 'commendation' ? await commendationOf(trx, n.cycle_id, organisations) : null;
    if (commendation) organisations = commendation.organisations;
    // With a register: drawn from the previous stage, in order (or with the override's reason).
    const stage = await listStage(trx, n.cycle_id, type, organisations, n.sequence_override, now);
    if (stage) organisations = stage.organisations;
    if (type === 'objection-result') {
      objections = await objectionsOf(trx, n.cycle_id, draftColumns.ids(n.objection_ids, 'notice.objection_ids'), n.corrects, true);
      organisations = [...new Set(objections.map((o) => o.organisation))].map((name) => ({ name }));
    }
    // Result and revocation notices name organisations too: with their codes when the register has them.
    organisations = await withRegisterCodes(trx, n.cycle_id, organisations);

    const document: NoticeDocument = {
      v: 'hzqa-notice/v1',
      id: n.id,
      cycleId: n.cycle_id,
      type,
      typeName: NOTICE_TYPE_NAMES[type].zh,
      title: n.title,
      body: n.body,
      organisations,
      corrects,
      window,
      ...(type === 'initial-winners' ? { ballots } : {}),
      ...(objections ? { objections } : {}),
      ...(revocation ? { revocation } : {}),
      ...(commendation ? { commendation: commendation.commendation } : {}),
      ...(stage?.drawnFrom ? { drawnFrom: stage.drawnFrom } : {}),
      ...(stage?.sequenceOverride ? { sequenceOverride: stage.sequenceOverride } : {}),
      publishedAt: beijingIso(now),
      issuer: ISSUER,
      ...(intake ? { intake } : {}),
      signOff: { issuer: ISSUER, date: chineseDate(beijingDate(now)) },
    };
    // Log refs are flat (string → index): `corrects`, then `result.N` / `bulletin.N` per ballot and
    // `receipt.N` per objection, N counting from 0 in the document's order.
    const refs: Record<string, number> = {};
    if (corrects) refs.corrects = corrects.logIndex;
    if (stage?.drawnFrom) refs.drawnFrom = stage.drawnFrom.logIndex;
    if (commendation) refs.decision = commendation.commendation.decision.logIndex;
    if (revocation?.awardedBy) refs.awardedBy = revocation.awardedBy.logIndex;
    ballots.forEach((b, i) => {
      refs[`result.${i}`] = b.resultLogIndex;
      if (b.bulletinLogIndex !== null) refs[`bulletin.${i}`] = b.bulletinLogIndex;
    });
    objections?.forEach((o, i) => (refs[`receipt.${i}`] = o.receiptLogIndex));
    if (window) {
      // The calendar entries the window was counted with are logged first, and named by it.
      window.calendarEntries = await calendarEntriesFor(trx, window.start, window.end);
      window.calendarEntries.forEach((at, i) => (refs[`calendar.${i}`] = at));
    }
    const entry = await appendEntry(trx, 'notice', document, { cycleId: n.cycle_id, refs });
    const published = await trx
      .updateTable('notice')
      .set({
        status: 'published',
        window_start: window?.start ?? null,
        window_end: window?.end ?? null,
        window_mode: window?.mode ?? null,
        window_closes_at: window ? new Date(window.closesAt) : null,
        calendar_version: window?.calendarVersion ?? cal.version,
        published_at: now,
        published_by: actor,
        log_index: entry.index,
        document_hash: entry.docHash,
        document: canonicalJson(document),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (type === 'objection-result') await markResultsPublished(trx, draftColumns.ids(n.objection_ids, 'notice.objection_ids'), { id, logIndex: entry.index }, now, actor);
    return published;
  });
  await checkpointAfterWrite(deps);
  return row;
}

// ------------------------------------------------------------------ reading

export interface NoticeView {
  id: string;
  cycleId: string;
  type: NoticeType;
  typeName: { zh: string; en: string };
  status: 'draft' | 'published';
  title: string;
  body: string;
  organisations: Organisation[];
  corrects: string | null;
  correctedBy: string[];
  window: NoticeWindow | null;
  /** Objections are accepted right now. */
  open: boolean;
  /** The window has closed (false for notices without a window and for drafts). */
  closed: boolean;
  publishedAt: string | null;
  logIndex: number | null;
  documentHash: string | null;
  /** The published document, exactly as the log hashes it (its canonical JSON). */
  document: NoticeDocument | null;
  /** Draft only: what the document will be built from. */
  draft?: { ballotIds: string[]; objectionIds: string[]; revocation: Revocation | null };
}

export function windowOf(row: NoticeRow): NoticeWindow | null {
  if (!row.window_start || !row.window_end || !row.window_mode || !row.window_closes_at) return null;
  const doc = row.document ? parseJsonColumn(NoticeDocumentSchema, row.document, 'notice.document') : null;
  if (doc?.window) return doc.window;
  return {
    start: row.window_start,
    end: row.window_end,
    mode: row.window_mode,
    closesAt: endOfDayInstant(row.window_end).iso,
    workingDays: NOTICE_WINDOW_WORKING_DAYS,
    calendarVersion: row.calendar_version ?? '',
  };
}

/** Whether objections are accepted at `now`: published, with a window, not yet past its last millisecond. */
export function isOpen(row: NoticeRow, now: Date): boolean {
  return (
    row.status === 'published' &&
    row.published_at !== null &&
    row.window_closes_at !== null &&
    now.getTime() >= row.published_at.getTime() &&
    now.getTime() <= row.window_closes_at.getTime()
  );
}

export function toNoticeView(row: NoticeRow, now: Date, correctedBy: string[]): NoticeView {
  const window = windowOf(row);
  const doc = row.document ? parseJsonColumn(NoticeDocumentSchema, row.document, 'notice.document') : null;
  const view: NoticeView = {
    id: row.id,
    cycleId: row.cycle_id,
    type: row.type,
    typeName: NOTICE_TYPE_NAMES[row.type],
    status: row.status,
    title: row.title,
    body: row.body,
    organisations: doc ? doc.organisations : draftColumns.organisations(row.organisations),
    corrects: row.corrects,
    correctedBy,
    window,
    // A corrected notice takes no more objections: its correction (with a window of its own) does.
    open: isOpen(row, now) && correctedBy.length === 0,
    closed: row.status === 'published' && row.window_closes_at !== null && (now.getTime() > row.window_closes_at.getTime() || correctedBy.length > 0),
    publishedAt: row.published_at ? beijingIso(row.published_at) : null,
    logIndex: row.log_index,
    documentHash: row.document_hash,
    document: doc,
  };
  if (row.status === 'draft') {
    view.draft = {
      ballotIds: draftColumns.ids(row.ballot_ids, 'notice.ballot_ids'),
      objectionIds: draftColumns.ids(row.objection_ids, 'notice.objection_ids'),
      revocation: draftColumns.revocation(row.revocation),
    };
  }
  return view;
}

async function correctionsOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('notice')
    .select(['id', 'corrects'])
    .where('corrects', 'in', ids)
    .where('status', '=', 'published')
    .orderBy('published_at')
    .execute();
  for (const r of rows) if (r.corrects) out.set(r.corrects, [...(out.get(r.corrects) ?? []), r.id]);
  return out;
}

/** One notice; drafts only when `includeDrafts` (staff, supervisors), otherwise a 404 as if absent. */
export async function getNotice(db: Kysely<Database>, id: string, now: Date, opts: { includeDrafts?: boolean } = {}): Promise<NoticeView> {
  const data = await noticeData(db, id);
  if (!data || (data.row.status === 'draft' && !opts.includeDrafts)) throw noticeNotFound(id);
  return toNoticeView(data.row, now, data.correctedBy);
}

/** A notice's row and the published notices correcting it; null if there is no such notice. */
export async function noticeData(db: Kysely<Database>, id: string): Promise<{ row: NoticeRow; correctedBy: string[] } | null> {
  const row = await db.selectFrom('notice').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const corr = await correctionsOf(db, [id]);
  return { row, correctedBy: corr.get(id) ?? [] };
}

export interface NoticeFilter {
  cycleId?: string | undefined;
  type?: NoticeType | undefined;
  /** open: taking objections now; closed: window over or corrected; draft: drafts (staff/supervisors only). */
  state?: 'open' | 'closed' | 'draft' | undefined;
  includeDrafts?: boolean;
  limit?: number;
  offset?: number;
}

/** Notices, newest publication first (drafts last, newest first). */
export async function listNotices(db: Kysely<Database>, now: Date, f: NoticeFilter = {}): Promise<NoticeView[]> {
  let q = db.selectFrom('notice').selectAll();
  if (f.cycleId) q = q.where('cycle_id', '=', f.cycleId);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.state === 'draft') q = q.where('status', '=', 'draft');
  else if (!f.includeDrafts || f.state) q = q.where('status', '=', 'published');
  const corrected = (eb: ExpressionBuilder<Database, 'notice'>) =>
    eb.exists(eb.selectFrom('notice as c').select('c.id').whereRef('c.corrects', '=', 'notice.id').where('c.status', '=', 'published'));
  if (f.state === 'open') q = q.where('window_closes_at', '>=', now).where('published_at', '<=', now).where((eb) => eb.not(corrected(eb)));
  if (f.state === 'closed') q = q.where((eb) => eb.and([eb('window_closes_at', 'is not', null), eb.or([eb('window_closes_at', '<', now), corrected(eb)])]));
  const rows = await q
    .orderBy('published_at', (ob) => ob.desc().nullsLast())
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(f.limit ?? 100)
    .offset(f.offset ?? 0)
    .execute();
  const corr = await correctionsOf(db, rows.map((r) => r.id));
  return rows.map((r) => toNoticeView(r, now, corr.get(r.id) ?? []));
}
