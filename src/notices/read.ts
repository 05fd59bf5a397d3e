/**
 * The public's reading of a notice through the read cache (src/cache/read-cache.ts): a published
 * notice changes only with a log entry (its correction, an objection's receipt or result), so its
 * rows are kept while the log version is unchanged and a request costs one shared version query.
 * What depends on the time (open, closed, overdue) is computed per request from the kept rows.
 * Drafts are never served from here (staff read them directly).
 * @module
 */
import type { Deps } from '../deps.js';
import { readCache } from '../cache/read-cache.js';
import { receiptRows, toPublicReceipt, type PublicReceipt } from '../objections/queries.js';
import { noticeData, toNoticeView, type NoticeView } from './views.js';

type ReadDeps = Pick<Deps, 'db' | 'cache'>;

/** The published notice `id` as the public sees it at `now`, or null (none, or a draft). */
export async function publicNotice(deps: ReadDeps, id: string, now: Date): Promise<NoticeView | null> {
  const cache = readCache(deps);
  const data = await cache.versionedValue(`notice:${id}`, await cache.version(deps.db), async () => {
    const d = await noticeData(deps.db, id);
    return d && d.row.status === 'published' ? d : null;
  });
  return data && toNoticeView(data.row, now, data.correctedBy);
}

/** The published notice and the public facts of its objections (as listReceipts) at `now`; null if none. */
export async function publicNoticeWithReceipts(deps: ReadDeps, id: string, now: Date): Promise<{ notice: NoticeView; receipts: PublicReceipt[] } | null> {
  const cache = readCache(deps);
  const data = await cache.versionedValue(`notice+receipts:${id}`, await cache.version(deps.db), async () => {
    const d = await noticeData(deps.db, id);
    if (!d || d.row.status !== 'published') return null;
    return { ...d, receipts: await receiptRows(deps.db, { noticeId: id }) };
  });
  if (!data) return null;
  const notice = toNoticeView(data.row, now, data.correctedBy);
  return { notice, receipts: notice.window ? data.receipts.map((r) => toPublicReceipt(r, now)) : [] };
}
