// Whether a notice takes an objection: open at the instant an online objection arrives (step 1 of
// intake.ts), or made within the window for one registered by staff (以邮戳为准 for post).
import type { Deps } from '../deps.js';
import { Problem, problem } from '../errors.js';
import { beijingDate } from '../calendar/dates.js';
import { getNoticeRow, type NoticeRow } from '../notices/rows.js';
import { isOpen, windowOf } from '../notices/window.js';
import { hasWindow, NOTICE_TYPE_NAMES } from '../notices/model.js';
import type { RegistrationFields } from './intake-form.js';

const windowText = (n: NoticeRow) => {
  const w = windowOf(n);
  return w
    ? { en: `from ${w.start} to ${w.end} (until ${w.closesAt}, Beijing time)`, zh: `${w.start} 至 ${w.end}（北京时间 ${w.closesAt} 截止）` }
    : { en: 'not set', zh: '未设定' };
};

/** Step 1: throws unless the notice takes objections at `now`. */
export async function assertWindowOpen(deps: Deps, noticeId: string, now: Date): Promise<NoticeRow> {
  const n = await getNoticeRow(deps.db, noticeId);
  if (!hasWindow(n.type)) {
    throw new Problem('notice-not-objectable', {
      en: `Notice ${n.id} (${NOTICE_TYPE_NAMES[n.type].en}) has no objection window; objections are taken on the three lists of 三(三)7 only.`,
      zh: `公告 ${n.id}（${NOTICE_TYPE_NAMES[n.type].zh}）不设异议期；仅对三（三）7 规定的三类名单受理异议。`,
    }, { extensions: { noticeId: n.id, noticeType: n.type } });
  }
  if (n.status !== 'published') {
    throw new Problem('objection-window-closed', {
      en: `Notice ${n.id} is not published yet; objections are taken only during its publicity window, which starts on publication.`,
      zh: `公告 ${n.id} 尚未发布；异议仅在公示期内受理，公示期自发布之日起算。`,
    }, { extensions: { noticeId: n.id, window: null } });
  }
  const correction = await deps.db.selectFrom('notice').select('id').where('corrects', '=', n.id).where('status', '=', 'published').executeTakeFirst();
  if (correction) {
    throw new Problem('objection-window-closed', {
      en: `Notice ${n.id} was corrected by notice ${correction.id}; objections are taken on the correction.`,
      zh: `公告 ${n.id} 已由公告 ${correction.id} 更正，请对更正后的公告提出异议。`,
    }, { extensions: { noticeId: n.id, correctedBy: correction.id, window: windowOf(n) } });
  }
  if (!isOpen(n, now)) {
    const w = windowText(n);
    throw new Problem('objection-window-closed', {
      en: `The publicity window of notice ${n.id} was ${w.en}; it is closed, objections are no longer accepted.`,
      zh: `公告 ${n.id} 的公示期为 ${w.zh}，现已截止，不再受理异议。`,
    }, { extensions: { noticeId: n.id, window: windowOf(n) } });
  }
  return n;
}


/**
 * For an objection registered by staff: the notice takes objections, and the objection was made in
 * its window — received by the last day (in person, fax), or posted by then (以邮戳为准) even if it
 * arrives later. The receipt date cannot lie before publication or after today.
 */
export async function assertFiledInWindow(deps: Deps, noticeId: string, reg: RegistrationFields, now: Date): Promise<NoticeRow> {
  const n = await getNoticeRow(deps.db, noticeId);
  if (!hasWindow(n.type) || n.status !== 'published' || !n.published_at) {
    throw new Problem('notice-not-objectable', {
      en: `Notice ${n.id} takes no objections (not published, or no publicity window).`,
      zh: `公告 ${n.id} 不受理异议（未发布或不设公示期）。`,
    }, { extensions: { noticeId: n.id } });
  }
  const w = windowOf(n)!;
  const publishedOn = beijingDate(n.published_at);
  const today = beijingDate(now);
  if (reg.receivedDate > today) throw problem('invalid-request', `receivedDate ${reg.receivedDate} is after today (${today}).`, `收到日期 ${reg.receivedDate} 晚于今日(${today})。`, { errors: [{ path: 'receivedDate', message: 'in the future' }] });
  if ((reg.postmarkDate ?? reg.receivedDate) < publishedOn) {
    throw problem('invalid-request', `The objection is dated before the notice was published (${publishedOn}).`, `异议日期早于公告发布日期(${publishedOn})。`, { errors: [{ path: reg.postmarkDate ? 'postmarkDate' : 'receivedDate', message: 'before publication' }] });
  }
  const filed = reg.postmarkDate ?? reg.receivedDate;
  if (filed > w.end) {
    const how = reg.channel === 'post' ? { en: `posted on ${filed} (postmark)`, zh: `邮戳日期为 ${filed}` } : { en: `received on ${filed}`, zh: `收到日期为 ${filed}` };
    throw new Problem('objection-window-closed', {
      en: `The objection was ${how.en}, after the window ${w.start} to ${w.end}: late objections (逾期) are not accepted.`,
      zh: `该异议${how.zh}，晚于公示期 ${w.start} 至 ${w.end}，逾期异议不予受理。`,
    }, { extensions: { noticeId: n.id, window: w } });
  }
  return n;
}
