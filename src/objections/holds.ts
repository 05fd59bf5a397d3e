// An upheld objection holds its entry (三(三)7–8): the organisation it objects to, on the list it was
// made on, stays on hold until it is taken off — a correction of that list no longer names it, and it
// is not on the cycle's current list of initial winners either — or the judging group records why it
// stays (objection-hold-kept, logged). 部分成立 holds its entry too: the group decides whether the part
// upheld removes it. While any entry is on hold the 拟授奖组织名单 cannot be fixed (审定 calls
// assertNoEntryOnHold in its transaction).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { problem } from '../errors.js';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The decisions that put an entry on hold. */
export const HOLDING_DECISIONS = ['upheld', 'partly-upheld'] as const;

export interface EntryOnHold {
  objectionId: string;
  trackingNo: string;
  /** The list objected to, and the organisation on it. */
  noticeId: string;
  organisation: string;
  decision: (typeof HOLDING_DECISIONS)[number];
  /** The logged decision in force (null only for a decision taken before decisions were logged). */
  decisionLogIndex: number | null;
  /** Where the organisation still stands: the current list of the notice objected to (after its corrections), the current list of initial winners. */
  onLists: string[];
}

/** The notice in force for `noticeId`: itself, or the last published correction of its chain. */
export async function currentOfChain(db: Db, noticeId: string) {
  let row = await db.selectFrom('notice').selectAll().where('id', '=', noticeId).executeTakeFirst();
  for (let guard = 0; row && guard < 1000; guard++) {
    const next = await db.selectFrom('notice').selectAll().where('corrects', '=', row.id).where('status', '=', 'published').executeTakeFirst();
    if (!next) break;
    row = next;
  }
  return row ?? null;
}

const namesOn = (document: string | null) => new Set(document ? parseJsonColumn(NoticeDocumentSchema, document, 'notice.document').organisations.map((o) => o.name) : []);

/** The entries of a cycle on hold by an upheld objection, in order of receipt. */
export async function entriesOnHold(db: Db, cycleId: string): Promise<EntryOnHold[]> {
  const rows = await db
    .selectFrom('objection')
    .select(['id', 'tracking_no', 'notice_id', 'organisation', 'decision', 'decision_log_index'])
    .where('cycle_id', '=', cycleId)
    .where('decision', 'in', [...HOLDING_DECISIONS])
    .where('hold_kept_log_index', 'is', null)
    .orderBy('receipt_log_index')
    .execute();
  if (rows.length === 0) return [];
  const winners = await db
    .selectFrom('notice')
    .select(['id', 'document'])
    .where('cycle_id', '=', cycleId)
    .where('type', '=', 'initial-winners')
    .where('status', '=', 'published')
    .orderBy('log_index', 'desc')
    .limit(1)
    .executeTakeFirst();
  const onWinners = namesOn(winners?.document ?? null);
  const out: EntryOnHold[] = [];
  for (const r of rows) {
    const current = await currentOfChain(db, r.notice_id);
    const onLists: string[] = [];
    if (current && namesOn(current.document).has(r.organisation)) onLists.push(current.id);
    if (winners && onWinners.has(r.organisation) && !onLists.includes(winners.id)) onLists.push(winners.id);
    if (onLists.length === 0) continue;
    out.push({
      objectionId: r.id,
      trackingNo: r.tracking_no,
      noticeId: r.notice_id,
      organisation: r.organisation,
      decision: r.decision as EntryOnHold['decision'],
      decisionLogIndex: r.decision_log_index === null ? null : Number(r.decision_log_index),
      onLists,
    });
  }
  return out;
}

/** Throws 409 while an entry of the cycle is on hold: the list cannot be fixed yet. */
export async function assertNoEntryOnHold(db: Db, cycleId: string): Promise<void> {
  const held = await entriesOnHold(db, cycleId);
  if (held.length === 0) return;
  const en = held.map((e) => `${e.organisation} (objection ${e.trackingNo})`).join(', ');
  const zh = held.map((e) => `${e.organisation}（异议 ${e.trackingNo}）`).join('、');
  throw problem(
    'conflict',
    `An upheld objection holds ${en}: remove the entry with a correction of the list, or record the judging group’s reason for keeping it, before the list of proposed winners is fixed.`,
    `异议成立，以下名单条目尚待处理：${zh}。请以更正公告将其移出名单，或记录评审组保留的理由，然后方可审定拟授奖组织名单。`,
    { entriesOnHold: held },
  );
}
