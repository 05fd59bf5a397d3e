/**
 * Objections (三(三)7): each received during its notice's window, due 5 working days after receipt by
 * the verifier's calendar, and answered by a published result no later than that.
 * @module
 */
import { objectionVerificationDue, OBJECTION_VERIFICATION_WORKING_DAYS } from '../../calendar/rules.js';
import { beijingIso } from '../../calendar/dates.js';
import type { VerifierCalendars } from './calendar.js';
import type { Ledger, LoggedEntry } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

type Receipt = LoggedEntry<'objection-receipt'>;

const label = (receipt: Receipt) => ({ en: `objection ${receipt.doc.trackingNo} (#${receipt.index})`, zh: `异议 ${receipt.doc.trackingNo}(#${receipt.index})` });

/** objection-deadlines */
export function checkObjectionDeadlines(ledger: Ledger, calendars: VerifierCalendars, out: Collector): void {
  const fails: Text[] = [];
  const receipts = ledger.ofType('objection-receipt');
  for (const receipt of receipts) {
    const who = label(receipt);
    const doc = receipt.doc;
    if (doc.dueWorkingDays !== OBJECTION_VERIFICATION_WORKING_DAYS) fails.push(T(`${who.en}: ${doc.dueWorkingDays} working days, not ${OBJECTION_VERIFICATION_WORKING_DAYS}`, `${who.zh}:期限 ${doc.dueWorkingDays} 个工作日,而非 ${OBJECTION_VERIFICATION_WORKING_DAYS} 个`));
    try {
      const due = objectionVerificationDue(calendars.at(receipt.index), doc.receivedDate, doc.dueMode, { provisional: true });
      if (due.date !== doc.dueDate || due.endsAt !== doc.dueEndsAt)
        fails.push(T(`${who.en}: due ${doc.dueDate}, but 5 working days (${doc.dueMode}) from receipt on ${doc.receivedDate} end on ${due.date} by the verifier's calendar`, `${who.zh}:期限为 ${doc.dueDate},但按本验证程序的日历自 ${doc.receivedDate} 收到起 5 个工作日(${doc.dueMode})应至 ${due.date}`));
    } catch (error) {
      fails.push(T(`${who.en}: the due date cannot be computed (${(error as Error).message})`, `${who.zh}:无法计算期限(${(error as Error).message})`));
    }
    const notice = ledger.atOfType(doc.noticeLogIndex, 'notice');
    if (notice) {
      const window = notice.doc.window;
      if (notice.doc.id !== doc.noticeId) fails.push(T(`${who.en}: notice #${doc.noticeLogIndex} is ${notice.doc.id}, not ${doc.noticeId}`, `${who.zh}:公告 #${doc.noticeLogIndex} 为 ${notice.doc.id},而非 ${doc.noticeId}`));
      if (!window) fails.push(T(`${who.en}: received on a notice that takes no objections`, `${who.zh}:针对不受理异议的公告`));
      else if (doc.receivedDate < window.start || doc.receivedDate > window.end) fails.push(T(`${who.en}: received ${doc.receivedDate}, outside the window ${window.start}–${window.end}`, `${who.zh}:收到日期 ${doc.receivedDate} 不在公示期 ${window.start} 至 ${window.end} 内`));
      if (notice.index > receipt.index) fails.push(T(`${who.en}: logged before its notice`, `${who.zh}:早于其公告记录`));
    }
  }
  out.add('objection-deadlines', null, fails, T(`${receipts.length} due date(s) agree with the verifier's calendar`, `${receipts.length} 个期限均与本验证程序的工作日历一致`));
}

/** objection-results: a result notice names each receipt, published by its due date (as of `now`). */
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
    if (!first || !answer) {
      if (asOf > doc.dueDate) fails.push(T(`${who.en}: overdue — no verification result published by ${doc.dueDate} (as of ${asOf})`, `${who.zh}:已逾期——截至 ${asOf},未在 ${doc.dueDate} 前公示核查结果`));
      else info.push(T(`${who.en}: pending, due ${doc.dueDate}`, `${who.zh}:处理中,期限 ${doc.dueDate}`));
      continue;
    }
    if (answer.trackingNo !== doc.trackingNo || answer.dueDate !== doc.dueDate || answer.receivedDate !== doc.receivedDate)
      fails.push(T(`${who.en}: the result notice ${first.doc.id} restates it differently (tracking number, received or due date)`, `${who.zh}:核查结果公告 ${first.doc.id} 所述信息(编号、收到或期限日期)不符`));
    const publishedOn = first.doc.publishedAt.slice(0, 10);
    if (publishedOn > doc.dueDate) fails.push(T(`${who.en}: result published on ${publishedOn}, after the due date ${doc.dueDate}`, `${who.zh}:核查结果于 ${publishedOn} 公示,晚于期限 ${doc.dueDate}`));
    else info.push(T(`${who.en}: result (${answer.decision}) published ${publishedOn}, due ${doc.dueDate}`, `${who.zh}:核查结果(${answer.decision})于 ${publishedOn} 公示,期限 ${doc.dueDate}`));
    if (first.index < receipt.index) fails.push(T(`${who.en}: the result notice is logged before the receipt`, `${who.zh}:核查结果公告早于回执记录`));
  }
  out.add('objection-results', null, fails, T(`every objection answered in time (as of ${asOf})`, `截至 ${asOf},每项异议均按期答复`), {
    info,
    skip: receipts.length === 0 ? T('no objection receipts', '没有异议回执') : null,
  });
}
