// Reading notices: a notice as staff and the public see it (its window, open or closed, the notices
// correcting it, the published document), one or a filtered list.
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { beijingIso } from '../calendar/dates.js';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import { NOTICE_TYPE_NAMES, type NoticeDocument, type NoticeType, type NoticeWindow, type Organisation, type Revocation } from './model.js';
import { draftColumns, noticeNotFound, type Db, type NoticeRow } from './rows.js';
import { isOpen, windowOf } from './window.js';

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

/** What of a notice's view changes with the time alone: whether objections are accepted, whether its window closed. */
export function timeState(row: NoticeRow, now: Date, correctedBy: string[]): { open: boolean; closed: boolean } {
  return {
    // A corrected notice takes no more objections: its correction (with a window of its own) does.
    open: isOpen(row, now) && correctedBy.length === 0,
    closed: row.status === 'published' && row.window_closes_at !== null && (now.getTime() > row.window_closes_at.getTime() || correctedBy.length > 0),
  };
}

export function toNoticeView(row: NoticeRow, now: Date, correctedBy: string[]): NoticeView {
  const window = windowOf(row);
  const { open, closed } = timeState(row, now, correctedBy);
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
    open,
    closed,
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
