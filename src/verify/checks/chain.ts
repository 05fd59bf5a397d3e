/**
 * The award's procedure as a chain (issue 16): each stage rests on the ones before it, as the log shows
 * them. initial-winners-derived: a 初选授奖组织名单 names exactly the ballots of its cycle whose results
 * were logged before it (run-offs included), while no ballot prepared before it was still open (neither
 * tallied nor withdrawn) — so, with notice-results binding its organisations to those results both
 * ways, the list is the meeting's winners and nothing typed.
 * @module
 */
import type { Ledger } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

/** initial-winners-derived: every list of initial winners takes every tallied ballot logged before it, and no ballot was open. */
export function checkInitialWinnersDerived(ledger: Ledger, cycleId: string, out: Collector): void {
  const fails: Text[] = [];
  let lists = 0;
  for (const notice of ledger.ofType('notice')) {
    if (notice.doc.type !== 'initial-winners') continue;
    lists++;
    const who = { en: `notice ${notice.doc.id} (#${notice.index})`, zh: `公告 ${notice.doc.id}(#${notice.index})` };
    const before = ledger.entries.filter((e) => e.index < notice.index);
    const results = new Map<string, number>();
    const closed = new Set<string>();
    for (const e of before) {
      if (e.type === 'ballot-result' && e.doc.cycleId === cycleId) {
        results.set(e.doc.ballotId, e.index);
        closed.add(e.doc.ballotId);
      }
      if (e.type === 'ballot-withdrawn' && e.doc.cycleId === cycleId) closed.add(e.doc.ballotId);
    }
    for (const e of before) {
      if (e.type === 'ballot-prepared' && e.doc.cycleId === cycleId && !closed.has(e.doc.ballotId))
        fails.push(T(`${who.en}: ballot ${e.doc.ballotId} (#${e.index}) was still open when the list was published`, `${who.zh}：发布时投票 ${e.doc.ballotId}(#${e.index})尚未计票或撤回`));
    }
    const named = new Map((notice.doc.ballots ?? []).map((b) => [b.ballotId, b.resultLogIndex]));
    for (const [ballotId, at] of results) {
      if (!named.has(ballotId)) fails.push(T(`${who.en}: leaves out ballot ${ballotId}, tallied at #${at}`, `${who.zh}：遗漏了已于 #${at} 计票的投票 ${ballotId}`));
      else if (named.get(ballotId) !== at) fails.push(T(`${who.en}: names result #${named.get(ballotId)} for ballot ${ballotId}, logged at #${at}`, `${who.zh}：投票 ${ballotId} 所引结果为 #${named.get(ballotId)}，而日志中为 #${at}`));
    }
    for (const ballotId of named.keys()) if (!results.has(ballotId)) fails.push(T(`${who.en}: names ballot ${ballotId}, which has no result before it`, `${who.zh}：引用的投票 ${ballotId} 在其之前没有结果`));
  }
  out.add('initial-winners-derived', null, fails, T(`${lists} list(s) of initial winners, each from every ballot tallied before it`, `${lists} 份初选授奖组织名单，均取自此前全部已计票的投票`), {
    skip: lists === 0 ? T('no list of initial winners yet', '尚无初选授奖组织名单') : null,
  });
}
