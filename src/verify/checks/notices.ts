/**
 * 公示 (三(三)7): corrections form one linear chain per notice, the three lists each have a window
 * of 7 working days from publication by the verifier's own calendar, and a list of initial winners
 * is bound to ballot results both ways — every winner of its ballots listed, every organisation
 * listed a winner of one of its ballots.
 * @module
 */
import { publicityWindow, PUBLICITY_WORKING_DAYS } from '../../calendar/rules.js';
import { hasWindow } from '../../notices/model.js';
import type { LoggedDeadline, VerifierCalendars } from './calendar.js';
import type { Ledger, LoggedEntry } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

type Notice = LoggedEntry<'notice'>;

const label = (notice: Notice) => ({
  en: `notice ${notice.doc.id} (#${notice.index}, ${notice.doc.type})`,
  zh: `公告 ${notice.doc.id}(#${notice.index},${notice.doc.typeName})`,
});

/** notice-corrections: a correction names an earlier notice of the same type and cycle, and each notice is corrected at most once. */
export function checkNoticeCorrections(ledger: Ledger, cycleId: string, out: Collector): void {
  const fails: Text[] = [];
  const notices = ledger.ofType('notice');
  const correctedBy = new Map<number, number>();
  let corrections = 0;
  for (const notice of notices) {
    const who = label(notice);
    if (notice.doc.cycleId !== cycleId) fails.push(T(`${who.en}: not a notice of this cycle`, `${who.zh}：不是本周期的公告`));
    const corrects = notice.doc.corrects;
    if (!corrects) continue;
    corrections++;
    const target = ledger.atOfType(corrects.logIndex, 'notice');
    if (!target) continue; // entry-references names it
    if (target.index >= notice.index) fails.push(T(`${who.en} corrects #${target.index}, which is not earlier in the log`, `${who.zh} 更正的 #${target.index} 并不在其之前`));
    if (target.doc.type !== notice.doc.type) fails.push(T(`${who.en} corrects a notice of another type (${target.doc.type})`, `${who.zh} 更正了其他类型的公告（${target.doc.typeName}）`));
    if (target.doc.cycleId !== notice.doc.cycleId) fails.push(T(`${who.en} corrects a notice of another cycle`, `${who.zh} 更正了其他周期的公告`));
    const earlier = correctedBy.get(target.index);
    if (earlier !== undefined) fails.push(T(`${who.en} corrects #${target.index}, already corrected by #${earlier}: the chain forks`, `${who.zh} 更正 #${target.index}，而该公告已由 #${earlier} 更正：更正链分叉`));
    else correctedBy.set(target.index, notice.index);
  }
  out.add('notice-corrections', null, fails, T(`${corrections} correction(s), each of one earlier notice of its type`, `${corrections} 项更正，均针对此前同类公告且各仅一次`));
}

/** notice-windows: 7 working days from the Beijing date of publication, by the verifier's calendar. */
export function checkNoticeWindows(ledger: Ledger, calendars: VerifierCalendars, out: Collector): void {
  const fails: Text[] = [];
  let checked = 0;
  for (const notice of ledger.ofType('notice')) {
    const who = label(notice);
    const window = notice.doc.window;
    if (!hasWindow(notice.doc.type)) {
      if (window !== null) fails.push(T(`${who.en}: has a window though it takes no objections`, `${who.zh}：不受理异议却设有公示期`));
      continue;
    }
    if (!window) {
      fails.push(T(`${who.en}: has no publicity window`, `${who.zh}：没有公示期`));
      continue;
    }
    checked++;
    const publishedOn = notice.doc.publishedAt.slice(0, 10);
    // The first day is the issuer's choice: the publication day or later, never earlier.
    if (!/^\d{4}-\d{2}-\d{2}T.*\+08:00$/.test(notice.doc.publishedAt) || window.start < publishedOn)
      fails.push(T(`${who.en}: window starts ${window.start}, before it was published on ${publishedOn} (Beijing)`, `${who.zh}：公示期始于 ${window.start}，早于发布日期 ${publishedOn}（北京时间）`));
    if (window.workingDays !== PUBLICITY_WORKING_DAYS) fails.push(T(`${who.en}: ${window.workingDays} working days, not ${PUBLICITY_WORKING_DAYS}`, `${who.zh}：公示 ${window.workingDays} 个工作日，而非 ${PUBLICITY_WORKING_DAYS} 个`));
    try {
      const expected = publicityWindow(calendars.at(notice.index), window.start, window.mode, { provisional: true });
      if (expected.date !== window.end || expected.endsAt !== window.closesAt)
        fails.push(T(`${who.en}: window ${window.start}–${window.end} (closes ${window.closesAt}), but 7 working days (${window.mode}) from ${window.start} end on ${expected.date} by the verifier's calendar`, `${who.zh}：公示期 ${window.start} 至 ${window.end}（${window.closesAt} 截止），但按本验证程序的日历自 ${window.start} 起 7 个工作日（${window.mode}）应至 ${expected.date}`));
    } catch (error) {
      fails.push(T(`${who.en}: the window cannot be computed (${(error as Error).message})`, `${who.zh}：无法计算公示期（${(error as Error).message}）`));
    }
  }
  out.add('notice-windows', null, fails, T(`${checked} windows agree with the verifier's calendar`, `${checked} 个公示期均与本验证程序的工作日历一致`));
}

/** Each list's window, with the calendar entries it names (deadline-entries). */
export function windowDeadlines(ledger: Ledger): LoggedDeadline[] {
  return ledger.ofType('notice').flatMap((notice) => {
    const w = notice.doc.window;
    return w ? [{ who: T(`${label(notice).en}: window`, `${label(notice).zh}：公示期`), index: notice.index, start: w.start, end: w.end, named: w.calendarEntries }] : [];
  });
}

/** notice-results: a list of initial winners and its ballots' results, both ways. */
export function checkNoticeResults(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  let listed = 0;
  let lists = 0;
  for (const notice of ledger.ofType('notice')) {
    if (notice.doc.type !== 'initial-winners') continue;
    lists++;
    const id = notice.doc.id;
    const ballots = notice.doc.ballots ?? [];
    if (ballots.length === 0) fails.push(T(`notice ${id}: a list of initial winners that refers to no ballot`, `公告 ${id}：初选授奖名单未引用任何投票`));
    const winners = new Set<string>();
    for (const ref of ballots) {
      listed++;
      const result = ledger.atOfType(ref.resultLogIndex, 'ballot-result');
      if (!result) {
        fails.push(T(`notice ${id}: result #${ref.resultLogIndex} of ballot ${ref.ballotId} not available`, `公告 ${id}：投票 ${ref.ballotId} 的结果 #${ref.resultLogIndex} 不可用`));
        continue;
      }
      const stated = result.doc;
      if (stated.ballotId !== ref.ballotId || stated.award !== ref.award) fails.push(T(`notice ${id}: result #${ref.resultLogIndex} is of another ballot or award`, `公告 ${id}：结果 #${ref.resultLogIndex} 属于其他投票或奖项`));
      const names = new Map(stated.candidates.map((c) => [c.id, c.name]));
      const listedWinners = ref.winners.map((w) => `${w.candidateId}=${w.name}`);
      const actual = stated.result.winners.map((candidateId) => `${candidateId}=${names.get(candidateId) ?? '?'}`);
      if (listedWinners.join('\n') !== actual.join('\n'))
        fails.push(T(`notice ${id}: lists winners ${listedWinners.join(', ')} for ballot ${ref.ballotId}, the result has ${actual.join(', ') || 'none'}`, `公告 ${id}：投票 ${ref.ballotId} 列出当选 ${listedWinners.join('、')}，结果为 ${actual.join('、') || '无'}`));
      for (const candidateId of stated.result.winners) winners.add(`${stated.award}\n${names.get(candidateId) ?? '?'}`);
    }
    const organisations = new Set(notice.doc.organisations.map((o) => `${o.award ?? ''}\n${o.name}`));
    // A correction takes a winner off only for an upheld objection (objection-holds checks the decision it cites).
    const removed = new Set((notice.doc.removed ?? []).map((r) => `${r.award ?? ''}\n${r.name}`));
    for (const winner of winners) if (!organisations.has(winner) && !removed.has(winner)) fails.push(T(`notice ${id}: winner ${winner.split('\n')[1]} missing from its list of organisations`, `公告 ${id}：当选组织 ${winner.split('\n')[1]} 不在名单中`));
    for (const organisation of notice.doc.organisations) {
      if (!winners.has(`${organisation.award ?? ''}\n${organisation.name}`))
        fails.push(T(`notice ${id}: lists ${organisation.name} (${organisation.award ?? 'no award'}), who won none of its ballots`, `公告 ${id}：名单列有 ${organisation.name}（${organisation.award ?? '未注明奖项'}），但其未在所引投票中当选`));
    }
  }
  out.add('notice-results', null, fails, T(`${listed} ballot result(s) in ${lists} list(s), bound both ways`, `${lists} 份名单中 ${listed} 项投票结果，双向一致`), {
    skip: lists === 0 ? T('no list of initial winners yet', '尚无初选授奖名单') : null,
  });
}
