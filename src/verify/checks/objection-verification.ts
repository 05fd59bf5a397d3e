/**
 * An objection's verification (三(三)7–8), as the log shows it:
 *   objection-units — each unit assigned is a member unit of the cycle's judging group (a member-registered
 *     entry before it names it), assigned once; each finding is of a unit assigned before it, once; and every
 *     decision, and every published result, comes after at least one unit was assigned;
 *   objection-findings — each decision names its objection's list entry (the receipt's notice, an organisation
 *     on it), cites exactly the findings recorded before it (every assigned unit heard), supersedes the
 *     decision before it; each published result restates the decision then in force;
 *   objection-holds — an upheld objection (成立, 部分成立) holds its entry until a correction leaves it off the
 *     list (and off the current list of initial winners) or the judging group's reason is logged
 *     (objection-hold-kept, after the result, citing the decision in force); a list of initial winners takes a
 *     winner off only for such a decision, and keeps off what the list it corrects took off. An entry still on
 *     hold is named: the 拟授奖组织名单 cannot be fixed while it is.
 * @module
 */
import type { Ledger, LoggedEntry } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

type Decision = LoggedEntry<'objection-decision'>;
const HOLDING = new Set(['upheld', 'partly-upheld']);

const who = (trackingNo: string, index: number) => ({ en: `objection ${trackingNo} (#${index})`, zh: `异议 ${trackingNo}（#${index}）` });

/** The decisions of one receipt, in log order. */
const decisionsOf = (ledger: Ledger, receiptLogIndex: number): Decision[] => ledger.ofType('objection-decision').filter((d) => d.doc.receiptLogIndex === receiptLogIndex);

/** The receipt an entry about an objection names, if it is one of that tracking number logged before it ('unreadable': document-hashes reports it). */
function receiptOf(ledger: Ledger, e: { index: number; doc: { receiptLogIndex: number; trackingNo: string } }) {
  if (ledger.unreadable.has(e.doc.receiptLogIndex)) return 'unreadable' as const;
  const r = ledger.atOfType(e.doc.receiptLogIndex, 'objection-receipt');
  return r && r.index < e.index && r.doc.trackingNo === e.doc.trackingNo ? r : undefined;
}

/** An entry named by index whose document cannot be read: the checks of the log report it, not these. */
const unread = (ledger: Ledger, index: number) => ledger.unreadable.has(index);

/** objection-units */
export function checkObjectionUnits(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const assigned = new Map<number, Map<string, number>>(); // receipt → unit → assignment index
  let units = 0;
  for (const e of ledger.entries) {
    if (e.type === 'objection-assigned') {
      const w = who(e.doc.trackingNo, e.index);
      if (!receiptOf(ledger, e)) fails.push(T(`${w.en}: assignment does not name an earlier receipt of that objection`, `${w.zh}：指派未指向此前该异议的回执`));
      const mine = assigned.get(e.doc.receiptLogIndex) ?? new Map<string, number>();
      for (const u of e.doc.units) {
        units++;
        const member = ledger.atOfType(u.memberLogIndex, 'member-registered');
        if (unread(ledger, u.memberLogIndex)) continue;
        if (!member || member.index > e.index || member.doc.unit !== u.unit || member.doc.cycleId !== e.doc.cycleId)
          fails.push(T(`${w.en}: ${u.unit} is not a member unit of the judging group (no member-registered entry #${u.memberLogIndex} of it before)`, `${w.zh}：${u.unit} 不是评审组成员单位（此前无登记该单位成员的条目 #${u.memberLogIndex}）`));
        if (mine.has(u.unit)) fails.push(T(`${w.en}: ${u.unit} assigned twice`, `${w.zh}：${u.unit} 被重复指派`));
        mine.set(u.unit, e.index);
      }
      assigned.set(e.doc.receiptLogIndex, mine);
    } else if (e.type === 'objection-finding') {
      const w = who(e.doc.trackingNo, e.index);
      const assignment = ledger.atOfType(e.doc.assignedLogIndex, 'objection-assigned');
      if (!unread(ledger, e.doc.assignedLogIndex) && (!assignment || assignment.index > e.index || assignment.doc.receiptLogIndex !== e.doc.receiptLogIndex || !assignment.doc.units.some((u) => u.unit === e.doc.unit)))
        fails.push(T(`${w.en}: finding of ${e.doc.unit}, not assigned to it by #${e.doc.assignedLogIndex}`, `${w.zh}：${e.doc.unit} 的核查情况，但该单位未经 #${e.doc.assignedLogIndex} 指派`));
      const earlier = ledger.ofType('objection-finding').find((f) => f.index < e.index && f.doc.receiptLogIndex === e.doc.receiptLogIndex && f.doc.unit === e.doc.unit);
      if (earlier) fails.push(T(`${w.en}: a second finding of ${e.doc.unit} (first #${earlier.index})`, `${w.zh}：${e.doc.unit} 的第二份核查情况（首份 #${earlier.index}）`));
    } else if (e.type === 'objection-decision') {
      const w = who(e.doc.trackingNo, e.index);
      if ((assigned.get(e.doc.receiptLogIndex)?.size ?? 0) === 0) fails.push(T(`${w.en}: decided with no member unit assigned before`, `${w.zh}：作出结论前未指派任何成员单位`));
    } else if (e.type === 'notice' && e.doc.type === 'objection-result') {
      for (const o of e.doc.objections ?? []) {
        if ((assigned.get(o.receiptLogIndex)?.size ?? 0) === 0) fails.push(T(`result notice ${e.doc.id} (#${e.index}): objection ${o.trackingNo} answered with no member unit assigned`, `核查结果公告 ${e.doc.id}（#${e.index}）：异议 ${o.trackingNo} 未经成员单位会同核查即公示结果`));
      }
    }
  }
  out.add('objection-units', null, fails, T(`${units} unit assignment(s), each of a member unit of the roster; every decision after one`, `${units} 项成员单位指派，均为评审组成员单位；每项结论均在指派之后`), {
    skip: ledger.ofType('objection-receipt').length === 0 ? T('no objection receipts', '没有异议回执') : null,
  });
}

/** objection-findings */
export function checkObjectionFindings(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const decisions = ledger.ofType('objection-decision');
  for (const d of decisions) {
    const w = who(d.doc.trackingNo, d.index);
    const receipt = receiptOf(ledger, d);
    if (!receipt) fails.push(T(`${w.en}: does not name an earlier receipt of that objection`, `${w.zh}：未指向此前该异议的回执`));
    else if (receipt !== 'unreadable' && !unread(ledger, d.doc.entry.noticeLogIndex)) {
      const notice = ledger.atOfType(d.doc.entry.noticeLogIndex, 'notice');
      if (d.doc.entry.noticeLogIndex !== receipt.doc.noticeLogIndex || !notice || notice.doc.id !== d.doc.entry.noticeId || !notice.doc.organisations.some((o) => o.name === d.doc.entry.organisation))
        fails.push(T(`${w.en}: the entry ${d.doc.entry.organisation} is not on the notice the objection was made on`, `${w.zh}：所涉条目 ${d.doc.entry.organisation} 不在该异议所针对的公告中`));
    }
    const recorded = ledger.ofType('objection-finding').filter((f) => f.index < d.index && f.doc.receiptLogIndex === d.doc.receiptLogIndex);
    const assignedUnits = new Set(ledger.ofType('objection-assigned').filter((a) => a.index < d.index && a.doc.receiptLogIndex === d.doc.receiptLogIndex).flatMap((a) => a.doc.units.map((u) => u.unit)));
    const cited = new Set(d.doc.findings.map((f) => f.logIndex));
    for (const f of d.doc.findings) {
      const finding = recorded.find((r) => r.index === f.logIndex);
      if (!unread(ledger, f.logIndex) && (!finding || finding.doc.unit !== f.unit)) fails.push(T(`${w.en}: cites #${f.logIndex} as ${f.unit}'s finding, which is not one recorded before it`, `${w.zh}：所引 #${f.logIndex} 并非此前记录的 ${f.unit} 核查情况`));
    }
    for (const r of recorded) if (!cited.has(r.index)) fails.push(T(`${w.en}: leaves out ${r.doc.unit}'s finding #${r.index}`, `${w.zh}：未引用 ${r.doc.unit} 的核查情况 #${r.index}`));
    const heard = new Set(recorded.map((r) => r.doc.unit));
    for (const u of assignedUnits) if (!heard.has(u)) fails.push(T(`${w.en}: decided before ${u}'s finding was recorded`, `${w.zh}：${u} 的核查情况尚未记录即作出结论`));
    const previous = decisionsOf(ledger, d.doc.receiptLogIndex).filter((p) => p.index < d.index).at(-1);
    if ((previous?.index ?? null) !== d.doc.supersedes) fails.push(T(`${w.en}: supersedes ${d.doc.supersedes ?? 'nothing'}, but the decision before it is ${previous ? `#${previous.index}` : 'none'}`, `${w.zh}：所取代的结论与此前结论不符`));
    const result = ledger.ofType('notice').find((n) => n.index < d.index && n.doc.type === 'objection-result' && (n.doc.objections ?? []).some((o) => o.receiptLogIndex === d.doc.receiptLogIndex));
    if (result) fails.push(T(`${w.en}: decided after its result was published (${result.doc.id})`, `${w.zh}：核查结果公示（${result.doc.id}）后又作出结论`));
  }
  let results = 0;
  for (const n of ledger.ofType('notice')) {
    if (n.doc.type !== 'objection-result') continue;
    for (const o of n.doc.objections ?? []) {
      results++;
      const inForce = decisionsOf(ledger, o.receiptLogIndex).filter((d) => d.index < n.index).at(-1);
      const w = { en: `result notice ${n.doc.id} (#${n.index}), objection ${o.trackingNo}`, zh: `核查结果公告 ${n.doc.id}（#${n.index}）异议 ${o.trackingNo}` };
      if (!inForce) fails.push(T(`${w.en}: no decision logged before it`, `${w.zh}：此前没有记录的核查结论`));
      else if (o.decisionLogIndex !== inForce.index || o.decision !== inForce.doc.decision || o.summary !== inForce.doc.summary || o.organisation !== inForce.doc.entry.organisation)
        fails.push(T(`${w.en}: does not restate the decision in force (#${inForce.index}: ${inForce.doc.decision})`, `${w.zh}：与当时有效的核查结论（#${inForce.index}）不符`));
    }
  }
  out.add('objection-findings', null, fails, T(`${decisions.length} decision(s), each citing every unit's finding; ${results} result(s) restating the decision in force`, `${decisions.length} 项结论均依据各会同核查单位的核查情况；${results} 项公示结果与有效结论一致`), {
    skip: ledger.ofType('objection-receipt').length === 0 ? T('no objection receipts', '没有异议回执') : null,
  });
}

/** The last notice of the correction chain starting at `index`, as of `before` (exclusive). */
function currentOfChain(ledger: Ledger, index: number, before: number): LoggedEntry<'notice'> | undefined {
  let current = ledger.atOfType(index, 'notice');
  for (let guard = 0; current && guard < 1000; guard++) {
    const at: number = current.index;
    const next = ledger.ofType('notice').find((n) => n.index < before && n.doc.corrects?.logIndex === at);
    if (!next) break;
    current = next;
  }
  return current;
}

/** What is wrong with a logged keep: it must cite the upheld decision in force on its entry, follow the published result, and give a reason. */
function keepFaults(ledger: Ledger, k: LoggedEntry<'objection-hold-kept'>): Text[] {
  const fails: Text[] = [];
  const w = who(k.doc.trackingNo, k.index);
  const inForce = decisionsOf(ledger, k.doc.receiptLogIndex).filter((d) => d.index < k.index).at(-1);
  if (!inForce || inForce.index !== k.doc.decisionLogIndex || !HOLDING.has(inForce.doc.decision) || inForce.doc.entry.organisation !== k.doc.entry.organisation || inForce.doc.entry.noticeId !== k.doc.entry.noticeId)
    fails.push(T(`${w.en}: keeps an entry without citing the upheld decision in force`, `${w.zh}：保留条目，但未引用当时有效的成立结论`));
  const result = ledger.ofType('notice').find((n) => n.index < k.index && n.doc.type === 'objection-result' && (n.doc.objections ?? []).some((o) => o.receiptLogIndex === k.doc.receiptLogIndex));
  if (!result) fails.push(T(`${w.en}: entry kept before the objection's result was published`, `${w.zh}：核查结果公示前即保留条目`));
  if (!k.doc.reason.trim()) fails.push(T(`${w.en}: no reason recorded`, `${w.zh}：未记录理由`));
  return fails;
}

/** The entries on hold just before log index `before`: upheld decisions in force, neither kept nor taken off. */
export function holdsAt(ledger: Ledger, before: number): { decision: Decision; onLists: string[] }[] {
  const inForce = new Map<number, Decision>();
  for (const d of ledger.ofType('objection-decision')) if (d.index < before) inForce.set(d.doc.receiptLogIndex, d);
  // Only a keep the log bears out releases a hold: a forged one fails objection-holds and holds here.
  const kept = new Set(ledger.ofType('objection-hold-kept').filter((k) => k.index < before && keepFaults(ledger, k).length === 0).map((k) => k.doc.decisionLogIndex));
  const winners = ledger.ofType('notice').filter((n) => n.index < before && n.doc.type === 'initial-winners').at(-1);
  const held: { decision: Decision; onLists: string[] }[] = [];
  for (const d of inForce.values()) {
    if (!HOLDING.has(d.doc.decision) || kept.has(d.index)) continue;
    const onLists: string[] = [];
    const current = currentOfChain(ledger, d.doc.entry.noticeLogIndex, before);
    if (current?.doc.organisations.some((o) => o.name === d.doc.entry.organisation)) onLists.push(current.doc.id);
    if (winners?.doc.organisations.some((o) => o.name === d.doc.entry.organisation) && !onLists.includes(winners.doc.id)) onLists.push(winners.doc.id);
    if (onLists.length) held.push({ decision: d, onLists });
  }
  return held;
}

/** objection-holds */
export function checkObjectionHolds(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const warn: Text[] = [];
  for (const k of ledger.ofType('objection-hold-kept')) fails.push(...keepFaults(ledger, k));
  let removals = 0;
  for (const n of ledger.ofType('notice')) {
    if (n.doc.type !== 'initial-winners') continue;
    const w = { en: `notice ${n.doc.id} (#${n.index})`, zh: `公告 ${n.doc.id}（#${n.index}）` };
    const removed = n.doc.removed ?? [];
    if (removed.length && !n.doc.corrects) fails.push(T(`${w.en}: takes winners off without correcting a list`, `${w.zh}：并非更正公告却移出当选组织`));
    for (const r of removed) {
      removals++;
      const d = ledger.atOfType(r.decisionLogIndex, 'objection-decision');
      const inForce = d ? decisionsOf(ledger, d.doc.receiptLogIndex).filter((x) => x.index < n.index).at(-1) : undefined;
      if (!d || d.index > n.index || d !== inForce || !HOLDING.has(d.doc.decision) || d.doc.entry.organisation !== r.name)
        fails.push(T(`${w.en}: takes ${r.name} off citing #${r.decisionLogIndex}, which is not an upheld decision in force on it`, `${w.zh}：移出 ${r.name}，所引 #${r.decisionLogIndex} 并非针对该组织的有效成立结论`));
    }
    const corrected = n.doc.corrects ? ledger.atOfType(n.doc.corrects.logIndex, 'notice') : undefined;
    for (const r of corrected?.doc.removed ?? []) if (!removed.some((x) => x.name === r.name)) fails.push(T(`${w.en}: puts back ${r.name}, taken off by the list it corrects`, `${w.zh}：将被更正名单移出的 ${r.name} 重新列入`));
  }
  const end = ledger.entries.length === 0 ? 0 : ledger.entries[ledger.entries.length - 1]!.index + 1;
  const held = holdsAt(ledger, end);
  for (const h of held) warn.push(T(`${h.decision.doc.entry.organisation}: objection ${h.decision.doc.trackingNo} upheld (#${h.decision.index}), still on ${h.onLists.join(', ')} — on hold: the list of proposed winners cannot be fixed until a correction removes it or the judging group records why it stays`, `${h.decision.doc.entry.organisation}：异议 ${h.decision.doc.trackingNo} 成立（#${h.decision.index}），仍在名单 ${h.onLists.join('、')} 中——暂停处理：以更正公告移出或评审组记录保留理由前，不能审定拟授奖组织名单`));
  const upheld = ledger.ofType('objection-decision').filter((d) => HOLDING.has(d.doc.decision)).length;
  out.add('objection-holds', null, fails, T(`${upheld} upheld decision(s); ${removals} winner(s) taken off for one; every entry kept has its reason`, `${upheld} 项成立结论；${removals} 个当选组织据此移出；保留的条目均载明理由`), {
    warn,
    skip: ledger.ofType('objection-receipt').length === 0 ? T('no objection receipts', '没有异议回执') : null,
    remedy: warn.length ? T('Publish a correction of the list that leaves the entry out, or record the judging group’s reason for keeping it (POST /api/v1/objections/{id}/keep).', '请发布更正公告将该条目移出名单，或记录评审组保留该条目的理由。') : null,
  });
}
