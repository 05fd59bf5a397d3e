// Drafts of notices (公示/公告): staff write them (not public, editable, deletable) until they are
// published (publish.ts); what each type of notice may and must carry is checked on every write.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem, invalid, problem } from '../errors.js';
import { randomToken } from '../auth/secrets.js';
import { getPublishedResult } from '../votes/results.js';
import { getCycle } from '../cycles/queries.js';
import type { NoticeType, Organisation, Revocation } from './model.js';
import { draftColumns, getNoticeRow, noticeNotFound, type Db, type NoticeRow } from './rows.js';

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
  /** A correction of a list of initial winners: organisations it takes off, each for an upheld objection. */
  removed?: string[] | undefined;
}

export type DraftPatch = Partial<Omit<DraftInput, 'cycleId' | 'type'>>;

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
  if ((d.removed ?? []).length > 0 && !(d.type === 'initial-winners' && d.corrects))
    throw invalid('removed is only for a correction of a list of initial winners.', 'removed 仅用于初选授奖组织名单的更正公告。');
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
    const r = await getPublishedResult(db, id);
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

export async function createDraft(db: Kysely<Database>, input: DraftInput, actor: string): Promise<NoticeRow> {
  await getCycle(db, input.cycleId);
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
      removed: input.removed?.length ? JSON.stringify(input.removed) : null,
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

const notDraft = (id: string, title: string) =>
  problem('conflict', `Notice ${id} is published and cannot change; publish a correction (corrects: "${id}") instead.`, `“${title}”已发布，不能修改或删除；如有错误，请发布更正公告。`);

export async function updateDraft(db: Kysely<Database>, id: string, patch: DraftPatch, now: Date): Promise<NoticeRow> {
  const row = await getNoticeRow(db, id);
  if (row.status !== 'draft') throw notDraft(id, row.title);
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
    removed: patch.removed ?? draftColumns.ids(row.removed, 'notice.removed'),
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
      removed: merged.removed.length ? JSON.stringify(merged.removed) : null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw notDraft(id, row.title);
  return updated;
}

export async function deleteDraft(db: Kysely<Database>, id: string): Promise<void> {
  const row = await getNoticeRow(db, id);
  if (row.status !== 'draft') throw notDraft(id, row.title);
  await db.deleteFrom('notice').where('id', '=', id).where('status', '=', 'draft').execute();
}
