/**
 * After the 公示 (三(三)8, 四(二)), as the log shows it:
 *   award-fixed          each 审定 proposal names the cycle's current 初选授奖组织名单 and lists exactly its
 *                        organisations — the winners of its ballots less the entries correction notices removed —
 *                        after every 公示 of the cycle closed and every objection had its published result, with
 *                        no entry on hold by an upheld objection (objection-verification.ts holdsAt); its decision is signed (members' hands, or
 *                        the chair's record a supervisor confirmed, signing it with a device the log registered
 *                        to them), counted and decided under the rules of the
 *                        meeting's adopted 表决办法; the list is fixed at most once;
 *   government-decision  the bureau's submission follows the adopted 审定 and submits its list; the city
 *                        government's decision follows the submission, names it by index and hash and awards
 *                        that list; dates in order, 文号 in form, each file's SHA-256 logged; each once;
 *   award-notice         every 表彰通报 names the logged decision and lists exactly its organisations.
 * The files' bytes, where the bundle carries them, are hashed again by award-files (award-files.ts).
 * @module
 */
import { awardFixingConfirmMessage, awardFixingMessage, awardFixingRecordMessage, verifyDeviceSignature } from '../../votes/messages.js';
import { passes, quorumMet } from '../../votes/rules.js';
import { hasWindow } from '../../notices/model.js';
import { sameOrganisations } from '../../award/awarded.js';
import type { Ledger, LoggedEntry } from './ledger.js';
import { holdsAt } from './objection-verification.js';
import { T, type Collector, type Text } from './types.js';

const DOCUMENT_NUMBER = /^[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号$/;
const key = (o: { name: string; award?: string | undefined }) => `${o.award ?? ''}\n${o.name}`;

/** The adopted 审定 decisions of the log, in order. */
export const adoptedFixings = (ledger: Ledger) => ledger.ofType('award-fixing-decided').filter((d) => d.doc.adopted);

/** award-fixed: proposals rest on closed windows, answered objections, no held entry; decisions signed and counted. */
export function checkAwardFixed(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const notices = ledger.ofType('notice');
  const proposals = ledger.ofType('award-fixing-proposed');
  for (const p of proposals) {
    const who = { en: `审定 proposal #${p.index}`, zh: `审定提案 #${p.index}` };
    const fail = (en: string, zh: string) => fails.push(T(`${who.en}: ${en}`, `${who.zh}：${zh}`));
    const before = notices.filter((n) => n.index < p.index);
    const lists = before.filter((n) => n.doc.type === 'initial-winners');
    const current = lists.at(-1);
    const named = p.doc.initialWinners;
    if (!current || current.index !== named.logIndex || current.doc.id !== named.id || current.docHash !== named.documentHash) {
      fail('does not name the current 初选授奖组织名单', '未引用当时的初选授奖组织名单');
      continue;
    }
    if (!sameOrganisations(p.doc.organisations, current.doc.organisations)) fail(`lists other organisations than the 初选 list #${current.index}`, `所列组织与初选授奖组织名单 #${current.index} 不一致`);
    // Derived winners less the removed entries, each removed by a correction that dropped it.
    const derived = new Set((current.doc.ballots ?? []).flatMap((b) => b.winners.map((w) => key({ name: w.name, award: b.award }))));
    for (const r of p.doc.removed) {
      const by = lists.find((n) => n.index === r.by.logIndex && n.doc.id === r.by.id);
      const prev = by ? lists[lists.indexOf(by) - 1] : undefined;
      if (!by || !prev || !prev.doc.organisations.some((o) => key(o) === key(r)) || by.doc.organisations.some((o) => key(o) === key(r)))
        fail(`${r.name} is said to be removed by #${r.by.logIndex}, which did not remove it`, `称 ${r.name} 已由 #${r.by.logIndex} 删除，但该公告并未删除`);
      derived.delete(key(r));
    }
    const listed = new Set(p.doc.organisations.map(key));
    if (derived.size !== listed.size || [...derived].some((k) => !listed.has(k))) fail('the list is not the derived winners less the removed entries', '名单并非当选组织减去更正删除的条目');
    // Every 公示 of the cycle closed before the proposal.
    const proposedAt = Date.parse(p.doc.proposedAt);
    for (const n of before.filter((x) => hasWindow(x.doc.type) && x.doc.window)) {
      const ref = p.doc.lists.find((l) => l.logIndex === n.index);
      if (!ref) fail(`leaves out the 公示 ${n.doc.id} (#${n.index})`, `遗漏了公示 ${n.doc.id}（#${n.index}）`);
      if (!(Date.parse(n.doc.window!.closesAt) < proposedAt)) fail(`proposed ${p.doc.proposedAt}, while the 公示 ${n.doc.id} was open (closes ${n.doc.window!.closesAt})`, `提请于 ${p.doc.proposedAt}，公示 ${n.doc.id} 尚未结束（${n.doc.window!.closesAt} 截止）`);
    }
    // Every objection answered by a published result before it; no upheld objection's organisation left on the list.
    const results = before.filter((n) => n.doc.type === 'objection-result');
    for (const r of ledger.ofType('objection-receipt').filter((x) => x.index < p.index)) {
      const answer = results.find((n) => (n.doc.objections ?? []).some((o) => o.receiptLogIndex === r.index));
      if (!answer) fail(`objection ${r.doc.trackingNo} had no published result`, `异议 ${r.doc.trackingNo} 尚未公示核查结果`);
      else if (!p.doc.objections.some((o) => o.receiptLogIndex === r.index && o.resultLogIndex === answer.index)) fail(`does not name objection ${r.doc.trackingNo} with its result #${answer.index}`, `未列明异议 ${r.doc.trackingNo} 及其核查结果 #${answer.index}`);
    }
    // No entry on hold: an upheld objection's organisation removed by a correction or kept with the judging group's reason.
    for (const held of holdsAt(ledger, p.index))
      fail(`${held.decision.doc.entry.organisation} is still on hold: objection ${held.decision.doc.trackingNo} was upheld (#${held.decision.index}), and neither a correction removed it nor the judging group recorded why it stays`, `异议 ${held.decision.doc.trackingNo} 成立（#${held.decision.index}）后，${held.decision.doc.entry.organisation} 既未经更正移出，也未载明保留理由`);
    const procedure = ledger.atOfType(p.doc.procedureLogIndex, 'meeting-procedure-decided');
    const procedureDoc = procedure ? ledger.atOfType(procedure.doc.procedureLogIndex, 'meeting-procedure') : undefined;
    if (!procedure || !procedure.doc.adopted || procedure.doc.meetingId !== p.doc.meetingId || !procedureDoc || JSON.stringify(procedureDoc.doc.rules) !== JSON.stringify(p.doc.rules))
      fail('is not decided under the meeting’s adopted 表决办法', '未依据会议通过的表决办法表决');
  }

  const checkins = ledger.ofType('checkin');
  let adopted = 0;
  for (const d of ledger.ofType('award-fixing-decided')) {
    const who = { en: `审定 decision #${d.index}`, zh: `审定决定 #${d.index}` };
    const fail = (en: string, zh: string) => fails.push(T(`${who.en}: ${en}`, `${who.zh}：${zh}`));
    const p = ledger.atOfType(d.doc.proposalLogIndex, 'award-fixing-proposed');
    if (!p || p.docHash !== d.doc.proposalHash || p.doc.fixingId !== d.doc.fixingId || p.doc.meetingId !== d.doc.meetingId) {
      fail('does not name its proposal by index and hash', '未按序号和哈希指向其提案');
      continue;
    }
    if (d.doc.mode === 'withdrawn') continue;
    const doc = d.doc;
    const checkinOf = (memberId: string) => checkins.find((c) => c.index < d.index && c.doc.meetingId === doc.meetingId && c.doc.memberId === memberId);
    if (doc.mode === 'hands') {
      const counts = { for: 0, against: 0, abstain: 0 };
      const seen = new Set<string>();
      for (const v of doc.votes) {
        const ci = checkinOf(v.memberId);
        if (seen.has(v.memberId)) fail(`${v.name} voted twice`, `${v.name} 重复表决`);
        seen.add(v.memberId);
        if (!ci || !verifyDeviceSignature(ci.doc.deviceKey, awardFixingMessage(doc.meetingId, doc.proposalHash, v.memberId, v.choice), v.signature)) fail(`${v.name}'s vote is not signed by the tablet checked in at the meeting`, `${v.name} 的表决未经其签到设备签名`);
        counts[v.choice]++;
      }
      if (counts.for !== doc.for || counts.against !== doc.against || counts.abstain !== doc.abstain) fail('the counts differ from the signed votes', '票数与签名表决不符');
    } else {
      const ch = doc.chair;
      const ci = checkinOf(ch.memberId);
      if (!ci || !verifyDeviceSignature(ci.doc.deviceKey, awardFixingRecordMessage(doc.meetingId, doc.proposalHash, ch), ch.signature)) fail('the chair’s record is not signed by the chair’s checked-in tablet', '主持人记录未经其签到设备签名');
      if (ch.for !== doc.for || ch.against !== doc.against || ch.abstain !== doc.abstain) fail('the counts differ from the chair’s record', '票数与主持人记录不符');
      // The supervisor's confirmation: signed over the counts and the chair's signature by a device the log bound to
      // that supervisor's account before the decision.
      const by = doc.confirmedBy;
      const device = by.deviceKey ? ledger.ofType('supervisor-device').find((e) => e.index < d.index && e.doc.cycleId === doc.cycleId && e.doc.deviceKey === by.deviceKey) : undefined;
      if (!by.name || !by.deviceKey || !by.signature) fail('no supervisor confirmed the chair’s record with a signature', '主持人记录未经监督小组成员签名确认');
      else if (!device || device.doc.accountId !== by.accountId || (by.deviceLogIndex !== undefined && by.deviceLogIndex !== device.index))
        fail(`the confirming device of ${by.name} is not one the log registered to that supervisor before the decision`, `确认所用设备并非日志中此前登记给 ${by.name} 的设备`);
      else if (!verifyDeviceSignature(by.deviceKey, awardFixingConfirmMessage(doc.meetingId, doc.proposalHash, ch, ch.signature), by.signature))
        fail(`${by.name}'s confirmation is not signed by the registered device over this record`, `${by.name} 的确认签名与登记设备或该记录不符`);
    }
    const present = new Set(checkins.filter((c) => c.index < d.index && c.doc.meetingId === doc.meetingId).map((c) => c.doc.memberId)).size;
    if (doc.present !== present) fail(`says ${doc.present} present, the log has ${present} check-ins`, `称出席 ${doc.present} 人，日志中签到 ${present} 人`);
    if (doc.for + doc.against + doc.abstain > doc.present) fail('more hands than members present', '票数多于出席人数');
    const decides = quorumMet(p.doc.rules, doc.present, doc.membersTotal) && passes(p.doc.rules, doc.for, doc.present);
    if (decides !== doc.adopted) fail(`adopted=${doc.adopted}, but ${doc.for} 同意 of ${doc.present} present under its rules decide ${decides}`, `出席 ${doc.present} 人中同意 ${doc.for} 人，按表决办法应为“${decides ? '通过' : '未通过'}”`);
    // Nothing changed between the proposal and the decision: no new 初选 list, no new objection.
    const between = ledger.entries.filter((e) => e.index > p.index && e.index < d.index);
    if (doc.adopted && between.some((e) => e.type === 'objection-receipt' || (e.type === 'notice' && e.doc.type === 'initial-winners'))) fail('a list or an objection arrived between the proposal and its adoption', '提请审定后、通过前又有名单或异议');
    if (doc.adopted && ++adopted > 1) fail('a second adopted 审定 in the cycle', '本周期第二次通过审定');
  }
  out.add('award-fixed', null, fails, T(`${proposals.length} 审定 proposal(s), ${adopted} adopted: after every 公示 and objection, the derived winners less corrections`, `审定提案 ${proposals.length} 项，通过 ${adopted} 项：均在公示及异议处理结束后，为当选组织减去更正删除的条目`), {
    skip: proposals.length === 0 ? T('the 拟授奖组织名单 is not fixed yet', '尚未审定拟授奖组织名单') : null,
  });
}

/** government-decision: submission after the adopted 审定, decision after the submission, each once, lists equal. */
export function checkGovernmentDecision(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const info: Text[] = [];
  const submissions = ledger.ofType('award-submission');
  const decisions = ledger.ofType('government-decision');
  if (submissions.length > 1) fails.push(T(`${submissions.length} submissions in one cycle`, `同一周期有 ${submissions.length} 份提请文件`));
  if (decisions.length > 1) fails.push(T(`${decisions.length} decisions in one cycle`, `同一周期有 ${decisions.length} 份市政府决定`));
  for (const s of submissions) {
    const who = { en: `submission #${s.index} (${s.doc.documentNumber})`, zh: `提请文件 #${s.index}（${s.doc.documentNumber}）` };
    const fail = (en: string, zh: string) => fails.push(T(`${who.en}: ${en}`, `${who.zh}：${zh}`));
    const d = ledger.atOfType(s.doc.fixing.decidedLogIndex, 'award-fixing-decided');
    const p = ledger.atOfType(s.doc.fixing.proposalLogIndex, 'award-fixing-proposed');
    if (!d || !d.doc.adopted || d.index > s.index || !p || d.doc.proposalLogIndex !== p.index) fail('does not follow an adopted 审定', '并非在审定通过之后');
    else {
      if (!sameOrganisations(s.doc.organisations, p.doc.organisations)) fail('submits another list than the one fixed', '所报名单与审定的名单不一致');
      if (s.doc.date < p.doc.proposedAt.slice(0, 10)) fail(`dated ${s.doc.date}, before the 审定`, `日期 ${s.doc.date} 早于审定`);
    }
    if (!DOCUMENT_NUMBER.test(s.doc.documentNumber)) fail(`文号 ${s.doc.documentNumber} is not in form`, `文号 ${s.doc.documentNumber} 格式不正确`);
    if (s.doc.date > s.doc.recordedAt.slice(0, 10)) fail(`dated ${s.doc.date}, after it was recorded`, `日期 ${s.doc.date} 晚于登记时间`);
    info.push(T(`submission ${s.doc.documentNumber} of ${s.doc.date}: file ${s.doc.file.name}, SHA-256 ${s.doc.file.sha256}`, `提请文件 ${s.doc.documentNumber}（${s.doc.date}）：${s.doc.file.name}，SHA-256 ${s.doc.file.sha256}`));
  }
  for (const g of decisions) {
    const who = { en: `decision #${g.index} (${g.doc.documentNumber})`, zh: `市政府决定 #${g.index}（${g.doc.documentNumber}）` };
    const fail = (en: string, zh: string) => fails.push(T(`${who.en}: ${en}`, `${who.zh}：${zh}`));
    const s = ledger.atOfType(g.doc.submission.logIndex, 'award-submission');
    if (!s || s.index > g.index || s.docHash !== g.doc.submission.documentHash) fail('does not answer a logged submission by index and hash', '未按序号和哈希指向已登记的提请文件');
    else {
      if (!sameOrganisations(g.doc.organisations, s.doc.organisations)) fail('awards another list than the one submitted', '所授名单与提请的名单不一致');
      if (g.doc.date < s.doc.date) fail(`dated ${g.doc.date}, before the submission (${s.doc.date})`, `日期 ${g.doc.date} 早于提请日期 ${s.doc.date}`);
    }
    if (!DOCUMENT_NUMBER.test(g.doc.documentNumber)) fail(`文号 ${g.doc.documentNumber} is not in form`, `文号 ${g.doc.documentNumber} 格式不正确`);
    if (g.doc.date > g.doc.recordedAt.slice(0, 10)) fail(`dated ${g.doc.date}, after it was recorded`, `日期 ${g.doc.date} 晚于登记时间`);
    info.push(T(`decision ${g.doc.documentNumber} of ${g.doc.date}: ${g.doc.organisations.length} organisation(s); file ${g.doc.file.name}, SHA-256 ${g.doc.file.sha256}`, `市政府决定 ${g.doc.documentNumber}（${g.doc.date}）：${g.doc.organisations.length} 个组织；${g.doc.file.name}，SHA-256 ${g.doc.file.sha256}`));
  }
  out.add('government-decision', null, fails, T(`${submissions.length} submission(s), ${decisions.length} decision(s), in order, of the fixed list`, `提请 ${submissions.length} 份，决定 ${decisions.length} 份，顺序正确，均为审定的名单`), {
    info,
    skip: submissions.length + decisions.length === 0 ? T('no submission to the city government yet', '尚未提请市政府审议批准') : null,
  });
}

/** award-notice: each 表彰通报 names the logged decision and lists exactly its organisations. */
export function checkAwardNotice(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const notices = ledger.ofType('notice').filter((n) => n.doc.type === 'commendation');
  for (const n of notices) {
    const who = { en: `表彰通报 ${n.doc.id} (#${n.index})`, zh: `表彰通报 ${n.doc.id}（#${n.index}）` };
    const ref = n.doc.commendation;
    const g: LoggedEntry<'government-decision'> | undefined = ref ? ledger.atOfType(ref.decision.logIndex, 'government-decision') : undefined;
    if (!ref || !g || g.index > n.index || g.doc.documentNumber !== ref.decision.documentNumber || g.doc.date !== ref.decision.date) {
      fails.push(T(`${who.en}: does not name the city government's logged decision`, `${who.zh}：未引用已登记的市政府决定`));
      continue;
    }
    const codes = (o: { name: string; code?: string | undefined; award?: string | undefined }) => `${key(o)}\n${o.code ?? ''}`;
    const listed = n.doc.organisations.map(codes).sort();
    const awarded = g.doc.organisations.map(codes).sort();
    if (listed.join('\n\n') !== awarded.join('\n\n')) fails.push(T(`${who.en}: lists other organisations than decision ${g.doc.documentNumber}`, `${who.zh}：所列组织与市政府决定 ${g.doc.documentNumber} 不一致`));
  }
  out.add('award-notice', null, fails, T(`${notices.length} 表彰通报, each listing exactly the decision's organisations`, `表彰通报 ${notices.length} 份，均恰好列出市政府决定的获奖组织`), {
    skip: notices.length === 0 ? T('no 表彰通报 yet', '尚无表彰通报') : null,
  });
}
