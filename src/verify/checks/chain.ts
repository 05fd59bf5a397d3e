/**
 * The award's procedure as a chain: each stage rests on the ones before it, as the log shows
 * them. initial-winners-derived: a 初选授奖组织名单 names exactly the ballots of its cycle whose results
 * were logged before it (run-offs included), while no ballot prepared before it was still open (neither
 * tallied nor withdrawn) — so, with notice-results binding its organisations to those results both
 * ways, the list is the meeting's winners and nothing typed.
 * @module
 */
import { checkCreditCode } from '../../identity/codes.js';
import { awardedAsOf, twoYearsAfter, type RevocationFacts } from '../../award/awarded.js';
import { beijingDate } from '../../calendar/dates.js';
import { rosterUnitsBefore } from './roster.js';
import type { Ledger, LoggedEntry } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

const PREVIOUS: Record<string, string> = { 'onsite-review': 'material-review', 'initial-winners': 'onsite-review' };
const LIST_TYPES = new Set(['material-review', 'onsite-review', 'initial-winners']);

/** The index of the cycle's first applicant-registered entry: lists and ballots after it are held to the register. */
const registerStart = (ledger: Ledger) => ledger.ofType('applicant-registered')[0]?.index ?? null;

/** register-codes: each applicant's 统一社会信用代码 passes GB 32100's check character; each code and name once. */
export function checkRegister(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const codes = new Set<string>();
  const names = new Set<string>();
  const entries = ledger.ofType('applicant-registered');
  for (const e of entries) {
    const { creditCode, name } = e.doc;
    const bad = checkCreditCode(creditCode);
    if (bad || creditCode !== creditCode.toUpperCase()) fails.push(T(`#${e.index} ${name}: 统一社会信用代码 ${creditCode} is not valid (${bad ?? 'not normalised'})`, `#${e.index} ${name}：统一社会信用代码 ${creditCode} 无效`));
    if (codes.has(creditCode) || names.has(name)) fails.push(T(`#${e.index} ${name} (${creditCode}) registered twice`, `#${e.index} ${name}（${creditCode}）重复登记`));
    codes.add(creditCode);
    names.add(name);
  }
  out.add('register-codes', null, fails, T(`${entries.length} applicant(s), each code valid and registered once`, `${entries.length} 个申报组织，代码均有效且仅登记一次`), {
    skip: entries.length === 0 ? T('no register of applicants in this cycle', '本周期没有申报组织登记册') : null,
  });
}

/** The organisation names of a list notice. */
const namesOf = (n: LoggedEntry<'notice'>) => new Set(n.doc.organisations.map((o) => o.name));

/**
 * list-sequence (三(三)7): with a register, 拟进入材料评审 lists only registered organisations (their codes);
 * each later list names the current list of the previous stage it is drawn from, lists only organisations on it,
 * and is published after that list's window closed and every objection to it had its result published — or
 * carries the reason staff recorded for deviating.
 */
export function checkListSequence(ledger: Ledger, out: Collector): void {
  const start = registerStart(ledger);
  const fails: Text[] = [];
  const warn: Text[] = [];
  let lists = 0;
  if (start !== null) {
    const notices = ledger.ofType('notice');
    for (const n of notices) {
      if (!LIST_TYPES.has(n.doc.type) || n.index < start) continue;
      lists++;
      const who = { en: `notice ${n.doc.id} (#${n.index}, ${n.doc.type})`, zh: `公告 ${n.doc.id}（#${n.index}，${n.doc.typeName}）` };
      const register = new Map(ledger.ofType('applicant-registered').filter((a) => a.index < n.index).map((a) => [a.doc.name, a.doc]));
      for (const o of n.doc.organisations) {
        const a = register.get(o.name);
        if (!a) fails.push(T(`${who.en}: ${o.name} is not in the register`, `${who.zh}：${o.name} 不在登记册中`));
        else if (o.code !== undefined && o.code !== a.creditCode) fails.push(T(`${who.en}: ${o.name}'s code ${o.code} differs from the register's ${a.creditCode}`, `${who.zh}：${o.name} 的代码 ${o.code} 与登记册的 ${a.creditCode} 不一致`));
      }
      const previousType = PREVIOUS[n.doc.type];
      if (!previousType) continue;
      const from = n.doc.drawnFrom;
      const current = notices.filter((p) => p.doc.type === previousType && p.index < n.index).at(-1);
      if (!from || !current) {
        fails.push(T(`${who.en}: not drawn from a published ${previousType} list`, `${who.zh}：并非由已发布的上一阶段名单产生`));
        continue;
      }
      if (from.logIndex !== current.index || from.id !== current.doc.id || from.documentHash !== current.docHash)
        fails.push(T(`${who.en}: drawn from #${from.logIndex}, but the current ${previousType} list then was #${current.index}`, `${who.zh}：所据名单为 #${from.logIndex}，而当时的上一阶段名单为 #${current.index}`));
      const allowed = namesOf(current);
      for (const o of n.doc.organisations) if (!allowed.has(o.name)) fails.push(T(`${who.en}: ${o.name} is not on the list it is drawn from (#${current.index})`, `${who.zh}：${o.name} 不在其所据名单（#${current.index}）中`));
      const published = Date.parse(n.doc.publishedAt);
      const closes = current.doc.window ? Date.parse(current.doc.window.closesAt) : NaN;
      const problems: string[] = [];
      if (!(published > closes)) problems.push(`published ${n.doc.publishedAt}, before ${current.doc.id}'s window closed (${current.doc.window?.closesAt ?? '?'})`);
      const answered = new Set(ledger.ofType('notice').filter((r) => r.index < n.index && r.doc.type === 'objection-result').flatMap((r) => (r.doc.objections ?? []).map((o) => o.receiptLogIndex)));
      const pending = ledger.ofType('objection-receipt').filter((r) => r.doc.noticeId === current.doc.id && r.index < n.index && !answered.has(r.index));
      if (pending.length) problems.push(`objections ${pending.map((p) => p.doc.trackingNo).join(', ')} to it had no published result`);
      if (problems.length && !n.doc.sequenceOverride) fails.push(T(`${who.en}: ${problems.join('; ')}, and no reason recorded`, `${who.zh}：上一名单公示未结束或异议未答复，且未载明理由`));
      else if (problems.length) warn.push(T(`${who.en}: published early (${problems.join('; ')}); reason recorded: ${n.doc.sequenceOverride!.reason}`, `${who.zh}：提前发布，载明理由：${n.doc.sequenceOverride!.reason}`));
    }
  }
  out.add('list-sequence', null, fails, T(`${lists} list(s), each drawn from the previous stage after its 公示 and objections were over`, `${lists} 份名单，均在上一名单公示及异议处理结束后由其产生`), {
    warn,
    skip: start === null ? T('no register of applicants: the lists are not bound to one', '没有申报组织登记册：名单未与之绑定') : null,
    remedy: warn.length ? T('Read each recorded reason; the supervisory group decides whether it justified publishing early.', '请审阅所载理由，由监督小组判断提前发布是否正当。') : null,
  });
}

/**
 * ballot-candidates (三(三)5, 三(一)): with a register, each award's 候选组织建议名单 is drawn from the current
 * on-site list, of organisations that applied for that award, reviewed by member units of the roster, fixed
 * once; every ballot of the award names only organisations on it. In every cycle, no ballot names an
 * organisation that already won (one award per organisation per cycle), and none wins twice.
 */
export function checkBallotCandidates(ledger: Ledger, out: Collector): void {
  const start = registerStart(ledger);
  const fails: Text[] = [];
  const warn: Text[] = [];
  const lists = new Map<string, LoggedEntry<'candidate-list'>>();
  for (const l of ledger.ofType('candidate-list')) {
    const who = { en: `candidate list #${l.index} (${l.doc.award})`, zh: `候选组织建议名单 #${l.index}` };
    if (lists.has(l.doc.award)) fails.push(T(`${who.en}: a second list for the award`, `${who.zh}：该奖项第二份名单`));
    lists.set(l.doc.award, lists.get(l.doc.award) ?? l);
    const onsite = ledger.atOfType(l.doc.onsiteNotice.logIndex, 'notice');
    const current = ledger.ofType('notice').filter((n) => n.doc.type === 'onsite-review' && n.index < l.index).at(-1);
    if (!onsite || onsite.doc.type !== 'onsite-review' || onsite !== current) fails.push(T(`${who.en}: not drawn from the current on-site list`, `${who.zh}：并非由当时的拟进入现场评审名单产生`));
    const onList = onsite ? namesOf(onsite) : new Set<string>();
    const register = new Map(ledger.ofType('applicant-registered').filter((a) => a.index < l.index).map((a) => [a.doc.creditCode, a.doc]));
    for (const o of l.doc.organisations) {
      const a = register.get(o.creditCode);
      if (!a || a.name !== o.name) fails.push(T(`${who.en}: ${o.name} (${o.creditCode}) is not in the register`, `${who.zh}：${o.name}（${o.creditCode}）不在登记册中`));
      else if (a.award !== l.doc.award) fails.push(T(`${who.en}: ${o.name} applied for ${a.award}`, `${who.zh}：${o.name} 申报的是其他奖项`));
      if (!onList.has(o.name)) fails.push(T(`${who.en}: ${o.name} is not on the on-site list`, `${who.zh}：${o.name} 不在拟进入现场评审名单中`));
    }
    const units = rosterUnitsBefore(ledger, l.index);
    for (const u of l.doc.reviewedBy) if (!units.has(u)) fails.push(T(`${who.en}: reviewed by ${u}, not a member unit of the roster`, `${who.zh}：审议单位 ${u} 不是评审组成员单位`));
  }
  const won = new Map<string, string>();
  let ballots = 0;
  for (const e of ledger.entries) {
    if (e.type === 'ballot-result') {
      const names = new Map(e.doc.candidates.map((c) => [c.id, c.name]));
      for (const id of e.doc.result.winners) {
        const name = names.get(id) ?? id;
        if (won.has(name)) fails.push(T(`${name} wins twice (${won.get(name)} and ${e.doc.award})`, `${name} 两次获奖`));
        won.set(name, e.doc.award);
      }
    }
    if (e.type !== 'ballot-prepared') continue;
    ballots++;
    const who = { en: `ballot ${e.doc.ballotId} (#${e.index})`, zh: `投票 ${e.doc.ballotId}(#${e.index})` };
    for (const c of e.doc.candidates) if (won.has(c.name)) fails.push(T(`${who.en}: ${c.name} already won ${won.get(c.name)} this cycle`, `${who.zh}：${c.name} 本周期已获奖`));
    if (start === null || e.index < start) continue;
    const list = lists.get(e.doc.award);
    if (!list || list.index > e.index) {
      fails.push(T(`${who.en}: no 候选组织建议名单 of ${e.doc.award} fixed before it`, `${who.zh}：此前未确定该奖项的候选组织建议名单`));
      continue;
    }
    const allowed = new Set(list.doc.organisations.map((o) => o.name));
    for (const c of e.doc.candidates) if (!allowed.has(c.name)) fails.push(T(`${who.en}: ${c.name} is not on the 候选组织建议名单 (#${list.index})`, `${who.zh}：${c.name} 不在候选组织建议名单（#${list.index}）中`));
  }
  if (start === null && ballots > 0) warn.push(T('no register of applicants: the candidates are names the bureau typed', '没有申报组织登记册：候选组织为市场监管局自行录入的名称'));
  out.add('ballot-candidates', null, fails, T(`${ballots} ballot(s): candidates on their award's 候选组织建议名单, none a winner already`, `${ballots} 个投票：候选组织均在该奖项建议名单中，且均未获其他奖项`), {
    warn,
    remedy: warn.length ? T('Ask the bureau to keep the register of applicants for the cycle (POST /api/v1/cycles/{id}/applicants).', '请市场监管局建立本周期申报组织登记册。') : null,
  });
}

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
        fails.push(T(`${who.en}: ballot ${e.doc.ballotId} (#${e.index}) was still open when the list was published`, `${who.zh}：发布时投票 ${e.doc.ballotId}（#${e.index}）尚未计票或撤回`));
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

/**
 * revocation-basis (六(三), 六(五)): a revocation names the city government's logged decision that awarded the
 * cycle (awardedBy: its 文号, index and date; a cycle without one has no winner to revoke), every organisation it
 * revokes still held the award when the revocation was approved (the decision's list less earlier revocations,
 * awardedAsOf), the government's approval (文号, a date from the award to the notice) is stated, and for 六(五)
 * the event falls within two years of the decision. The awarded list on the verifier's date follows from the same
 * documents, and is reported.
 */
export function checkRevocations(ledger: Ledger, now: Date, out: Collector): void {
  const fails: Text[] = [];
  let checked = 0;
  const facts: RevocationFacts[] = [];
  const decision = ledger.ofType('government-decision')[0];
  for (const n of ledger.ofType('notice')) {
    const r = n.doc.revocation;
    if (n.doc.type !== 'revocation' || !r) continue;
    checked++;
    const who = { en: `revocation ${n.doc.id} (#${n.index})`, zh: `撤销公告 ${n.doc.id}(#${n.index})` };
    if (!r.approvalNumber || !r.approvalDate) fails.push(T(`${who.en}: no approval of the city government (文号 and date)`, `${who.zh}：未载明市政府批准文件的文号和日期`));
    else if (r.approvalDate > n.doc.publishedAt.slice(0, 10)) fails.push(T(`${who.en}: approved ${r.approvalDate}, after publication`, `${who.zh}：批准日期 ${r.approvalDate} 晚于发布`));
    const g = r.awardedBy ? ledger.atOfType(r.awardedBy.logIndex, 'government-decision') : undefined;
    if (!r.awardedBy || !g || g.index > n.index || r.awardedBy.id !== g.doc.documentNumber || r.awardedBy.date !== g.doc.date) {
      fails.push(T(`${who.en}: does not name the city government's decision that awarded the cycle`, `${who.zh}：未引用市政府的授奖决定`));
      continue;
    }
    const on = r.approvalDate ?? n.doc.publishedAt.slice(0, 10);
    if (on < g.doc.date) fails.push(T(`${who.en}: approved ${on}, before the award (${g.doc.date})`, `${who.zh}：批准日期 ${on} 早于授奖日期 ${g.doc.date}`));
    const holders = new Set(awardedAsOf(g.doc, facts, on).filter((o) => o.award === r.award).map((o) => o.name));
    for (const o of n.doc.organisations) if (!holders.has(o.name)) fails.push(T(`${who.en}: ${o.name} did not hold ${r.award} on ${on} (decision ${g.doc.documentNumber})`, `${who.zh}：${o.name} 于 ${on} 未持有该奖项（市政府决定 ${g.doc.documentNumber}）`));
    if (r.basis === '六(五)') {
      const date = g.doc.date;
      const limit = twoYearsAfter(date);
      if (!r.eventDate || r.eventDate < date || r.eventDate > limit) fails.push(T(`${who.en}: 六(五) needs an event within two years of the award (${date} … ${limit}); stated ${r.eventDate ?? 'none'}`, `${who.zh}：六（五）须为获奖后两年内的事件，所载为 ${r.eventDate ?? '无'}`));
    }
    if (r.approvalDate) facts.push({ award: r.award, approvalDate: r.approvalDate, organisations: n.doc.organisations });
  }
  const today = beijingDate(now);
  const awarded = awardedAsOf(decision?.doc ?? null, facts, today);
  const info = decision ? [T(`awarded on ${today}: ${awarded.length} organisation(s)${awarded.length ? ` — ${awarded.map((o) => o.name).join(', ')}` : ''}`, `${today} 获奖组织 ${awarded.length} 个${awarded.length ? `：${awarded.map((o) => o.name).join('、')}` : ''}`)] : [];
  out.add('revocation-basis', null, fails, T(`${checked} revocation(s), each of a holder of the award, with the government's approval`, `${checked} 项撤销，均针对获奖组织并经市政府批准`), {
    info,
    skip: checked === 0 && !decision ? T('no revocation', '无撤销公告') : null,
  });
}
