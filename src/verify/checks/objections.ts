/**
 * Objections (三(三)7): each received during its notice's window, due 5 working days after receipt by
 * the verifier's calendar, and answered by a published result no later than that. A due date moved
 * later by a calendar entry (a State Council table entered, a local override) is a logged
 * deadline-correction: recomputed here with the calendar as it stood when the correction was logged,
 * chained to the receipt's due date, and caused by an earlier calendar entry. The result must come
 * by the latest due date so established.
 * @module
 */
import { objectionVerificationDue, OBJECTION_VERIFICATION_WORKING_DAYS } from '../../calendar/rules.js';
import { beijingIso } from '../../calendar/dates.js';
import type { LoggedDeadline, VerifierCalendars } from './calendar.js';
import type { Ledger, LoggedEntry } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

type Receipt = LoggedEntry<'objection-receipt'>;
type Correction = LoggedEntry<'deadline-correction'>;

const label = (receipt: Receipt) => ({ en: `objection ${receipt.doc.trackingNo} (#${receipt.index})`, zh: `异议 ${receipt.doc.trackingNo}(#${receipt.index})` });

/** The corrections of a receipt's due date, in log order. */
const correctionsOf = (ledger: Ledger, receipt: Receipt): Correction[] => ledger.ofType('deadline-correction').filter((c) => c.doc.receiptLogIndex === receipt.index);

/** The due date in force: the last logged correction's, else the receipt's own. */
export function effectiveDue(ledger: Ledger, receipt: Receipt): { dueDate: string; provisional: boolean } {
  const last = correctionsOf(ledger, receipt).at(-1);
  return last ? { dueDate: last.doc.current.dueDate, provisional: last.doc.current.provisional } : { dueDate: receipt.doc.dueDate, provisional: receipt.doc.provisional };
}

/** Each receipt's clock and each correction's, with the calendar entries they name (deadline-entries). */
export function objectionDeadlines(ledger: Ledger): LoggedDeadline[] {
  const receipts: LoggedDeadline[] = ledger.ofType('objection-receipt').map((r) => ({ who: label(r), index: r.index, start: r.doc.receivedDate, end: r.doc.dueDate, named: r.doc.calendarEntries }));
  const corrections: LoggedDeadline[] = ledger.ofType('deadline-correction').map((c) => ({
    who: T(`correction #${c.index} of objection ${c.doc.trackingNo}`, `异议 ${c.doc.trackingNo} 的期限更正 #${c.index}`),
    index: c.index,
    start: c.doc.receivedDate,
    end: c.doc.current.dueDate,
    named: c.doc.current.calendarEntries,
  }));
  return [...receipts, ...corrections];
}

/** objection-deadlines */
export function checkObjectionDeadlines(ledger: Ledger, calendars: VerifierCalendars, out: Collector): void {
  const fails: Text[] = [];
  const receipts = ledger.ofType('objection-receipt');
  for (const receipt of receipts) {
    const who = label(receipt);
    const doc = receipt.doc;
    if (doc.dueWorkingDays !== OBJECTION_VERIFICATION_WORKING_DAYS) fails.push(T(`${who.en}: ${doc.dueWorkingDays} working days, not ${OBJECTION_VERIFICATION_WORKING_DAYS}`, `${who.zh}：期限 ${doc.dueWorkingDays} 个工作日，而非 ${OBJECTION_VERIFICATION_WORKING_DAYS} 个`));
    try {
      const due = objectionVerificationDue(calendars.at(receipt.index), doc.receivedDate, doc.dueMode, { provisional: true });
      if (due.date !== doc.dueDate || due.endsAt !== doc.dueEndsAt)
        fails.push(T(`${who.en}: due ${doc.dueDate}, but 5 working days (${doc.dueMode}) from receipt on ${doc.receivedDate} end on ${due.date} by the verifier's calendar`, `${who.zh}：期限为 ${doc.dueDate}，但按本验证程序的日历自 ${doc.receivedDate} 收到起 5 个工作日（${doc.dueMode}）应至 ${due.date}`));
    } catch (error) {
      fails.push(T(`${who.en}: the due date cannot be computed (${(error as Error).message})`, `${who.zh}：无法计算期限（${(error as Error).message}）`));
    }
    const notice = ledger.atOfType(doc.noticeLogIndex, 'notice');
    if (notice) {
      const window = notice.doc.window;
      if (notice.doc.id !== doc.noticeId) fails.push(T(`${who.en}: notice #${doc.noticeLogIndex} is ${notice.doc.id}, not ${doc.noticeId}`, `${who.zh}：公告 #${doc.noticeLogIndex} 为 ${notice.doc.id}，而非 ${doc.noticeId}`));
      if (!window) fails.push(T(`${who.en}: received on a notice that takes no objections`, `${who.zh}：针对不受理异议的公告`));
      else {
        const within = (d: string) => d >= window.start && d <= window.end;
        // 以邮戳为准: a letter posted within the window counts as on time, whenever it arrived.
        const posted = doc.channel === 'post' && doc.postmarkDate !== undefined && doc.postmarkDate <= doc.receivedDate && within(doc.postmarkDate);
        if (!within(doc.receivedDate) && !posted) fails.push(T(`${who.en}: received ${doc.receivedDate}${doc.postmarkDate ? ` (postmark ${doc.postmarkDate})` : ''}, outside the window ${window.start}–${window.end}`, `${who.zh}：收到日期 ${doc.receivedDate}${doc.postmarkDate ? `（邮戳 ${doc.postmarkDate}）` : ''} 不在公示期 ${window.start} 至 ${window.end} 内`));
      }
      if (notice.index > receipt.index) fails.push(T(`${who.en}: logged before its notice`, `${who.zh}：早于其公告记录`));
    }
  }
  let corrected = 0;
  for (const c of ledger.ofType('deadline-correction')) {
    corrected++;
    const who = T(`correction #${c.index} of objection ${c.doc.trackingNo}`, `异议 ${c.doc.trackingNo} 的期限更正 #${c.index}`);
    const receipt = ledger.atOfType(c.doc.receiptLogIndex, 'objection-receipt');
    if (!receipt || receipt.index > c.index || receipt.doc.trackingNo !== c.doc.trackingNo || receipt.doc.receivedDate !== c.doc.receivedDate || receipt.doc.dueMode !== c.doc.dueMode) {
      fails.push(T(`${who.en}: does not correct an earlier receipt of that objection (#${c.doc.receiptLogIndex})`, `${who.zh}：所更正的回执（#${c.doc.receiptLogIndex}）不是此前该异议的回执`));
      continue;
    }
    const before = correctionsOf(ledger, receipt).filter((x) => x.index < c.index).at(-1);
    const previous = before ? before.doc.current : { dueDate: receipt.doc.dueDate, provisional: receipt.doc.provisional };
    if (c.doc.previous.dueDate !== previous.dueDate || c.doc.previous.provisional !== previous.provisional)
      fails.push(T(`${who.en}: says the due date was ${c.doc.previous.dueDate}, but it was ${previous.dueDate}`, `${who.zh}：称原期限为 ${c.doc.previous.dueDate}，实为 ${previous.dueDate}`));
    const cause = ledger.at(c.doc.cause);
    if (!cause || (cause.type !== 'calendar-table' && cause.type !== 'calendar-override') || cause.index > c.index)
      fails.push(T(`${who.en}: its cause #${c.doc.cause} is not an earlier calendar entry`, `${who.zh}：其原因 #${c.doc.cause} 不是此前的日历条目`));
    try {
      const due = objectionVerificationDue(calendars.at(c.index), c.doc.receivedDate, c.doc.dueMode, { provisional: true });
      if (due.date !== c.doc.current.dueDate || due.endsAt !== c.doc.current.dueEndsAt || due.provisional !== c.doc.current.provisional)
        fails.push(T(`${who.en}: moves the due date to ${c.doc.current.dueDate}, but 5 working days (${c.doc.dueMode}) from ${c.doc.receivedDate} end on ${due.date} by the verifier's calendar as it stood then`, `${who.zh}：将期限改为 ${c.doc.current.dueDate}，但按本验证程序当时的日历自 ${c.doc.receivedDate} 起 5 个工作日（${c.doc.dueMode}）应至 ${due.date}`));
    } catch (error) {
      fails.push(T(`${who.en}: the due date cannot be computed (${(error as Error).message})`, `${who.zh}：无法计算期限（${(error as Error).message}）`));
    }
  }
  out.add('objection-deadlines', null, fails, T(`${receipts.length} due date(s) and ${corrected} correction(s) agree with the verifier's calendar`, `${receipts.length} 个期限及 ${corrected} 项期限更正均与本验证程序的工作日历一致`));
}

/** objection-results: a result notice names each receipt, published by its due date in force (as of `now`). */
export function checkObjectionResults(ledger: Ledger, now: Date, out: Collector): void {
  const fails: Text[] = [];
  const info: Text[] = [];
  const asOf = beijingIso(now).slice(0, 10);
  const receipts = ledger.ofType('objection-receipt');
  const results = ledger.ofType('notice').filter((n) => n.doc.type === 'objection-result');
  for (const receipt of receipts) {
    const who = label(receipt);
    const doc = receipt.doc;
    const first = results.find((n) => n.doc.objections?.some((o) => o.receiptLogIndex === receipt.index));
    const answer = first?.doc.objections?.find((o) => o.receiptLogIndex === receipt.index);
    // The due date in force when the result was logged (or now, if there is none yet).
    const corrections = correctionsOf(ledger, receipt).filter((c) => !first || c.index < first.index);
    const dueDate = corrections.at(-1)?.doc.current.dueDate ?? doc.dueDate;
    if (!first || !answer) {
      if (asOf > dueDate) fails.push(T(`${who.en}: overdue — no verification result published by ${dueDate} (as of ${asOf})`, `${who.zh}：已逾期——截至 ${asOf}，未在 ${dueDate} 前公示核查结果`));
      else info.push(T(`${who.en}: pending, due ${dueDate}`, `${who.zh}：处理中，期限 ${dueDate}`));
      continue;
    }
    if (answer.trackingNo !== doc.trackingNo || answer.dueDate !== dueDate || answer.receivedDate !== doc.receivedDate)
      fails.push(T(`${who.en}: the result notice ${first.doc.id} restates it differently (tracking number, received or due date)`, `${who.zh}：核查结果公告 ${first.doc.id} 所述信息（编号、收到或期限日期）不符`));
    const publishedOn = first.doc.publishedAt.slice(0, 10);
    if (publishedOn > dueDate) fails.push(T(`${who.en}: result published on ${publishedOn}, after the due date ${dueDate}`, `${who.zh}：核查结果于 ${publishedOn} 公示，晚于期限 ${dueDate}`));
    else info.push(T(`${who.en}: result (${answer.decision}) published ${publishedOn}, due ${dueDate}`, `${who.zh}：核查结果（${answer.decision}）于 ${publishedOn} 公示，期限 ${dueDate}`));
    if (first.index < receipt.index) fails.push(T(`${who.en}: the result notice is logged before the receipt`, `${who.zh}：核查结果公告早于回执记录`));
  }
  out.add('objection-results', null, fails, T(`every objection answered in time (as of ${asOf})`, `截至 ${asOf}，每项异议均按期答复`), {
    info,
    skip: receipts.length === 0 ? T('no objection receipts', '没有异议回执') : null,
  });
}
