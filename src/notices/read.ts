/**
 * The public's reading of a notice through the read cache (src/cache/read-cache.ts): a published
 * notice changes only with a log entry (its correction, an objection's receipt or result), so its
 * rows are kept while the log version is unchanged. What depends on the time (open, closed, overdue)
 * is computed per request from the kept rows; the JSON answer is kept per log version and per
 * (open, closed), so a request builds, serialises and hashes nothing while neither changes.
 * Drafts are never served from here (staff read them directly).
 * @module
 */
import type { Deps } from '../deps.js';
import { etagOf, readCache, type CachedBody } from '../cache/read-cache.js';
import { receiptRows, toPublicReceipt, type PublicReceipt } from '../objections/queries.js';
import { noticeData, timeState, toNoticeView, type NoticeView } from './views.js';
import type { NoticeRow } from './rows.js';

type ReadDeps = Pick<Deps, 'db' | 'cache'>;

const utf8 = new TextEncoder();

interface PublishedNotice {
  row: NoticeRow;
  correctedBy: string[];
  /** The JSON answer by time state (`open.closed`), built on first use at this log version. */
  json: Map<string, CachedBody>;
}

/** The published notice's rows as of the current log version, or null (none, or a draft). */
async function publishedNotice(deps: ReadDeps, id: string): Promise<PublishedNotice | null> {
  const cache = readCache(deps);
  return cache.versionedValue(`notice:${id}`, await cache.version(deps.db), async () => {
    const d = await noticeData(deps.db, id);
    return d && d.row.status === 'published' ? { ...d, json: new Map<string, CachedBody>() } : null;
  });
}

/** The published notice `id` as the public sees it at `now`, or null (none, or a draft). */
export async function publicNotice(deps: ReadDeps, id: string, now: Date): Promise<NoticeView | null> {
  const data = await publishedNotice(deps, id);
  return data && toNoticeView(data.row, now, data.correctedBy);
}

/** publicNotice as its JSON body with a strong ETag, or null. */
export async function publicNoticeJson(deps: ReadDeps, id: string, now: Date): Promise<CachedBody | null> {
  const data = await publishedNotice(deps, id);
  if (!data) return null;
  const { open, closed } = timeState(data.row, now, data.correctedBy);
  const key = `${open}.${closed}`;
  let served = data.json.get(key);
  if (!served) {
    // UTF-8 once: a request then sends the bytes as they are.
    const body = utf8.encode(JSON.stringify(toNoticeView(data.row, now, data.correctedBy)));
    served = { body, etag: etagOf(body) };
    data.json.set(key, served);
  }
  return served;
}

/** publicNoticeJson, if memory holds it at a trusted log version (never queries); else null. */
export function publicNoticeJsonNow(deps: ReadDeps, id: string, now: Date): CachedBody | null {
  const cache = readCache(deps);
  const version = cache.trustedVersion();
  const data = version && cache.versionedHit<PublishedNotice | null>(`notice:${id}`, version)?.value;
  if (!data) return null;
  const { open, closed } = timeState(data.row, now, data.correctedBy);
  return data.json.get(`${open}.${closed}`) ?? null;
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
