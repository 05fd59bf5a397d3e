// What the 审定 rests on (三(三)7–8), read from the cycle's published notices and objections: the
// 拟授奖组织名单 (the derived initial winners minus the entries correction notices removed), every 公示 with
// its window, every objection with its published result, and the entries still on hold. The same reading
// decides whether the 审定 may be proposed and whether it may still be adopted.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { problem } from '../errors.js';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import { hasWindow, type NoticeDocument } from '../notices/model.js';
import { beijingIso } from '../calendar/dates.js';
import type { Award } from '../votes/awards.js';
import { entriesOnHold, type EntryOnHold } from '../objections/holds.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AwardedOrganisation {
  name: string;
  code?: string;
  award: Award;
}

export interface FixingBasis {
  organisations: AwardedOrganisation[];
  initialWinners: { id: string; logIndex: number; documentHash: string };
  removed: { name: string; award: Award; by: { id: string; logIndex: number } }[];
  lists: { id: string; logIndex: number; closesAt: string }[];
  objections: { trackingNo: string; receiptLogIndex: number; resultLogIndex: number }[];
}

export interface FixingBlockers {
  openWindows: { id: string; closesAt: string }[];
  unanswered: string[];
  held: EntryOnHold[];
}

const key = (o: { name: string; award?: string | undefined }) => `${o.award ?? ''}\n${o.name}`;

/** The cycle's 初选 lists (the first and its corrections), oldest first, as published documents. */
async function initialWinnerLists(db: Db, cycleId: string) {
  const rows = await db.selectFrom('notice').select(['id', 'log_index', 'document_hash', 'document']).where('cycle_id', '=', cycleId).where('type', '=', 'initial-winners').where('status', '=', 'published').orderBy('log_index').execute();
  return rows.map((r) => ({ id: r.id, logIndex: Number(r.log_index), documentHash: r.document_hash!, doc: parseJsonColumn(NoticeDocumentSchema, r.document!, 'notice.document') as NoticeDocument }));
}

/** The basis of the 审定 at `now`, and what still stands in its way; throws 409 when the cycle has no 初选 list. */
export async function fixingBasis(db: Db, cycleId: string, now: Date): Promise<{ basis: FixingBasis; blockers: FixingBlockers }> {
  const lists = await initialWinnerLists(db, cycleId);
  const current = lists.at(-1);
  if (!current) throw problem('conflict', `Cycle ${cycleId} has no published list of initial winners: there is nothing to fix.`, `周期 ${cycleId} 尚未公示初选授奖组织名单，无可审定的名单。`);
  // The winners of the ballots the current list names; an entry missing from a later list was removed by that list.
  const derived = new Map<string, { name: string; award: Award }>();
  for (const b of current.doc.ballots ?? []) for (const w of b.winners) derived.set(key({ name: w.name, award: b.award }), { name: w.name, award: b.award });
  const removed: FixingBasis['removed'] = [];
  for (let i = 1; i < lists.length; i++) {
    const kept = new Set(lists[i]!.doc.organisations.map(key));
    for (const o of lists[i - 1]!.doc.organisations) {
      if (!kept.has(key(o)) && o.award) removed.push({ name: o.name, award: o.award, by: { id: lists[i]!.id, logIndex: lists[i]!.logIndex } });
    }
  }
  const organisations = current.doc.organisations.filter((o): o is AwardedOrganisation => o.award !== undefined).map((o) => ({ name: o.name, ...(o.code ? { code: o.code } : {}), award: o.award! }));

  const windowed = await db.selectFrom('notice').select(['id', 'type', 'log_index', 'window_closes_at']).where('cycle_id', '=', cycleId).where('status', '=', 'published').orderBy('log_index').execute();
  const listRefs = windowed.filter((n) => hasWindow(n.type) && n.window_closes_at).map((n) => ({ id: n.id, logIndex: Number(n.log_index), closesAt: beijingIso(n.window_closes_at!), open: now.getTime() <= n.window_closes_at!.getTime() }));

  const objections = await db
    .selectFrom('objection')
    .leftJoin('notice', 'notice.id', 'objection.result_notice_id')
    .select(['objection.tracking_no', 'objection.status', 'objection.receipt_log_index', 'notice.log_index as result_log_index'])
    .where('objection.cycle_id', '=', cycleId)
    .orderBy('objection.receipt_log_index')
    .execute();
  const answered = objections.filter((o) => o.status === 'published' && o.result_log_index !== null);
  return {
    basis: {
      organisations,
      initialWinners: { id: current.id, logIndex: current.logIndex, documentHash: current.documentHash },
      removed,
      lists: listRefs.map(({ id, logIndex, closesAt }) => ({ id, logIndex, closesAt })),
      objections: answered.map((o) => ({ trackingNo: o.tracking_no, receiptLogIndex: Number(o.receipt_log_index), resultLogIndex: Number(o.result_log_index) })),
    },
    blockers: {
      openWindows: listRefs.filter((l) => l.open).map((l) => ({ id: l.id, closesAt: l.closesAt })),
      unanswered: objections.filter((o) => !(o.status === 'published' && o.result_log_index !== null)).map((o) => o.tracking_no),
      held: await entriesOnHold(db, cycleId),
    },
  };
}

/** 三(三)8: the 审定 comes after every 公示 closed, every objection answered, no entry on hold (409 naming each). */
export function assertNothingBlocks(b: FixingBlockers): void {
  if (!b.openWindows.length && !b.unanswered.length && !b.held.length) return;
  const en: string[] = [];
  const zh: string[] = [];
  if (b.openWindows.length) {
    en.push(`the 公示 of ${b.openWindows.map((w) => w.id).join(', ')} is still open`);
    zh.push(`公告 ${b.openWindows.map((w) => w.id).join('、')} 的公示期未满`);
  }
  if (b.unanswered.length) {
    en.push(`objections ${b.unanswered.join(', ')} have no published result`);
    zh.push(`异议 ${b.unanswered.join('、')} 尚未公示核查结果`);
  }
  if (b.held.length) {
    en.push(`an upheld objection holds ${b.held.map((h) => `${h.organisation} (objection ${h.trackingNo})`).join(', ')} — remove the entry with a correction of the list, or record the judging group’s reason for keeping it`);
    zh.push(`异议成立，以下名单条目尚待处理：${b.held.map((h) => `${h.organisation}（异议 ${h.trackingNo}）`).join('、')}，请以更正公告将其移出名单，或记录评审组保留的理由`);
  }
  throw problem('conflict', `The 拟授奖组织名单 cannot be fixed yet: ${en.join('; ')}.`, `尚不能审定拟授奖组织名单：${zh.join('；')}。`, { ...b });
}
