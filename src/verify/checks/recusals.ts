/**
 * The verifier's checks on how the meeting was conducted (pure; no I/O):
 *   meeting-procedure   the 表决办法 was adopted — by members' signed hands, or by the chair's signed record
 *                       that a supervisor confirmed — before every vote of the meeting opened;
 *   recusals            every 回避 is signed by the member's or the chair's checked-in tablet and logged before
 *                       the vote opened; the opening lists exactly those of members present; a secret
 *                       ballot's recusal classes have their own keys (with proofs of possession) and no more
 *                       ballots than members; no ballot or hand names a candidate its member was recused from;
 *   teller-signatures   every 计票人/监票人 confirmation is an Ed25519 signature of a teller the meeting approved
 *                       (with the device key of the teller's check-in) over the result entry's document hash;
 *                       a supervisor named 监票人 signs with a device key that a supervisor-device entry bound
 *                       to the supervisor's account for the cycle before the confirmation.
 * @module
 */
import { popVerify } from '../../../crypto/blind.js';
import { fromHex } from '../../../crypto/bytes.js';
import { procedureMessage, procedureRecordMessage, recusalMessage, supervisorTallyMessage, tallyMessage, verifyDeviceSignature } from '../../votes/messages.js';
import { sameJson } from '../canonical.js';
import type { DocumentOf, EntryType } from '../../log/documents/index.js';
import type { Ledger, LoggedEntry } from './ledger.js';

interface Text {
  en: string;
  zh: string;
}
export interface ConductFinding {
  id: 'meeting-procedure' | 'recusals' | 'teller-signatures';
  fails: Text[];
  warn: Text[];
  info?: Text[];
  message: Text;
}

const T = (en: string, zh: string): Text => ({ en, zh });
const isHex = (s: unknown, bytes: number): s is string => typeof s === 'string' && new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(s);

/** The candidates a bulletin ballot's member was recused from (its class), [] for none. */
export const recusedList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The candidates a member was recused from, per the vote's opening entry. */
export function recusedOf(openDoc: DocumentOf<'ballot-key' | 'ballot-voting'> | null, memberId: string): string[] {
  return (openDoc?.recusals ?? []).filter((r) => r.memberId === memberId).map((r) => r.candidateId).sort();
}

/** The logged key of a secret ballot's recusal class ("id,id"), or undefined. */
export function classKeyOf(keyDoc: DocumentOf<'ballot-key'> | null, cls: string): string | undefined {
  return (keyDoc?.keyClasses ?? []).find((k) => [...k.recused].sort().join(',') === cls)?.publicKey;
}

/** Positions of the bulletin's ballots, grouped by recusal class ('' for none). */
export function groupByClass(ballots: readonly { recused?: unknown }[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  ballots.forEach((b, position) => {
    const cls = [...recusedList(b.recused)].sort().join(',');
    m.set(cls, [...(m.get(cls) ?? []), position]);
  });
  return m;
}

/** Runs the conduct checks over the log's readable entries (ledger.ts), each read through its type's schema. */
export function checkConduct(ledger: Ledger): ConductFinding[] {
  const of = <T extends EntryType>(type: T) => ledger.ofType(type);
  const checkins = of('checkin');
  const checkinOf = (meetingId: string, memberId: string) => checkins.find((c) => c.doc.meetingId === meetingId && c.doc.memberId === memberId);
  const prepared = new Map(of('ballot-prepared').map((e) => [e.doc.ballotId, e]));
  const opens = [...of('ballot-key'), ...of('ballot-voting')];
  const proposals = new Map(of('meeting-procedure').map((e) => [e.index, e]));
  const decisions = of('meeting-procedure-decided');
  /** The meeting's adopted 表决办法 logged before `before`, latest first. */
  const adoptedBefore = (meetingId: string, before: number) => decisions.filter((d) => d.doc.meetingId === meetingId && d.doc.adopted === true && d.index < before).reverse();
  const out: ConductFinding[] = [];

  // ---------------------------------------------------------------- meeting-procedure
  {
    const fails: Text[] = [];
    for (const d of decisions) {
      const doc = d.doc;
      const p = proposals.get(doc.procedureLogIndex);
      const at = `#${d.index}`;
      if (!p || p.docHash !== doc.procedureHash || d.refs.procedure !== p.index) {
        fails.push(T(`decision ${at}: does not name a logged 表决办法 proposal by index and hash`, `表决办法决定 ${at}：未按序号和哈希指向已记录的提案`));
        continue;
      }
      if (doc.mode === 'withdrawn') continue;
      const meetingId = doc.meetingId;
      if (doc.mode === 'hands') {
        const counts = { for: 0, against: 0, abstain: 0 };
        for (const v of doc.votes) {
          const ci = checkinOf(meetingId, v.memberId);
          if (!ci || ci.index > d.index) fails.push(T(`decision ${at}: ${v.name} voted without checking in`, `表决办法决定 ${at}：${v.name} 未签到却参与表决`));
          else if (!verifyDeviceSignature(ci.doc.deviceKey, procedureMessage(meetingId, doc.procedureHash, v.memberId, v.choice), v.signature))
            fails.push(T(`decision ${at}: ${v.name}'s vote is not signed by the checked-in tablet`, `表决办法决定 ${at}：${v.name} 的表决签名无效`));
          counts[v.choice]++;
        }
        if (counts.for !== doc.for || counts.against !== doc.against || counts.abstain !== doc.abstain) fails.push(T(`decision ${at}: the counts differ from the signed votes`, `表决办法决定 ${at}：票数与签名表决不符`));
      } else {
        // The chair's record (the schema admits no other mode).
        const ch = doc.chair;
        const ci = checkinOf(meetingId, ch.memberId);
        if (!ci || !verifyDeviceSignature(ci.doc.deviceKey, procedureRecordMessage(meetingId, doc.procedureHash, { for: ch.for, against: ch.against, abstain: ch.abstain }), ch.signature))
          fails.push(T(`decision ${at}: the chair's record is not signed by the chair's checked-in tablet`, `表决办法决定 ${at}：主持人记录未经其签到设备签名`));
        if (ch.for !== doc.for || ch.against !== doc.against || ch.abstain !== doc.abstain) fails.push(T(`decision ${at}: the counts differ from the chair's record`, `表决办法决定 ${at}：票数与主持人记录不符`));
        if (!doc.confirmedBy.name) fails.push(T(`decision ${at}: no supervisor confirmed the chair's record`, `表决办法决定 ${at}：主持人记录未经监督小组确认`));
      }
      if ((doc.for * 2 > doc.present) !== doc.adopted) fails.push(T(`decision ${at}: adopted=${doc.adopted} but ${doc.for} of ${doc.present} present voted 同意`, `表决办法决定 ${at}：出席 ${doc.present} 人中同意 ${doc.for} 人，与“${doc.adopted ? '通过' : '未通过'}”不符`));
    }
    for (const o of opens) {
      const meetingId = prepared.get(o.doc.ballotId)?.doc.meetingId;
      const adopted = meetingId ? adoptedBefore(meetingId, o.index) : [];
      const a = adopted.find((d) => d.index === o.doc.procedureLogIndex);
      if (!adopted.length) fails.push(T(`vote ${o.doc.ballotId} (#${o.index}) opened without an adopted 表决办法`, `表决 ${o.doc.ballotId}（#${o.index}）在表决办法通过前开始`));
      else if (!a) fails.push(T(`vote ${o.doc.ballotId} (#${o.index}) names no 表决办法 adopted before it`, `表决 ${o.doc.ballotId}（#${o.index}）未指明此前通过的表决办法`));
      else {
        const runoffOf = prepared.get(o.doc.ballotId)?.doc.runoffOf;
        const listedIn = (d: LoggedEntry<'meeting-procedure-decided'>) => (proposals.get(d.doc.procedureLogIndex)?.doc.ballots ?? []).find((x) => x.ballotId === o.doc.ballotId || (runoffOf && x.ballotId === runoffOf));
        const governing = adopted.find((d) => listedIn(d)) ?? adopted[0]!;
        const p = proposals.get(governing.doc.procedureLogIndex)?.doc;
        const listed = listedIn(governing);
        if (governing !== a) fails.push(T(`vote ${o.doc.ballotId}: names 表决办法 #${a.index}, but #${governing.index} governs it`, `表决 ${o.doc.ballotId}：所指表决办法 #${a.index} 并非适用的 #${governing.index}`));
        if (p && !sameJson(o.doc.rules, listed ? listed.rules : p.rules)) fails.push(T(`vote ${o.doc.ballotId}: its rules are not those the meeting adopted`, `表决 ${o.doc.ballotId}：其规则并非会议通过的表决办法`));
      }
    }
    out.push({ id: 'meeting-procedure', fails, warn: [], message: T(`${decisions.filter((d) => d.doc.adopted).length} 表决办法 adopted; every vote opened after it, under its rules`, `通过表决办法 ${decisions.filter((d) => d.doc.adopted).length} 项；每次表决均在其后、按其规则进行`) });
  }

  // ---------------------------------------------------------------- recusals
  {
    const fails: Text[] = [];
    const recusals = of('recusal');
    for (const r of recusals) {
      const d = r.doc;
      const who = `${d.name} / ${d.candidateName} (#${r.index})`;
      const ci = checkinOf(d.meetingId, d.signerMemberId);
      if (!ci || ci.index > r.index || ci.doc.deviceKey !== d.deviceKey) fails.push(T(`recusal ${who}: the signing tablet had not checked in with that key`, `回避 ${who}：签名设备未以该密钥签到`));
      if (!verifyDeviceSignature(d.deviceKey, recusalMessage(d.ballotId, d.memberId, d.candidateId), d.signature))
        fails.push(T(`recusal ${who}: the signature does not verify`, `回避 ${who}：签名无效`));
      if ((d.signerMemberId === d.memberId) !== (d.declaredBy === 'member')) fails.push(T(`recusal ${who}: declared by ${d.declaredBy} but signed by ${d.signerName}`, `回避 ${who}：声明方与签名者不符`));
      const prep = prepared.get(d.ballotId)?.doc;
      if (!prep || !prep.candidates.some((c) => c.id === d.candidateId)) fails.push(T(`recusal ${who}: no such candidate on the ballot`, `回避 ${who}：该投票没有此候选组织`));
    }
    for (const o of opens) {
      const d = o.doc;
      const eligible = new Set(d.eligible.map((m) => m.memberId));
      const logged = recusals.filter((r) => r.doc.ballotId === d.ballotId && r.index < o.index && eligible.has(r.doc.memberId)).map((r) => `${r.doc.memberId}:${r.doc.candidateId}`).sort();
      const listed = (d.recusals ?? []).map((r) => `${r.memberId}:${r.candidateId}`).sort();
      if (!sameJson(logged, listed)) fails.push(T(`vote ${d.ballotId} (#${o.index}): its opening lists other recusals than those logged before it`, `表决 ${d.ballotId}（#${o.index}）：开始时所列回避与此前记录不符`));
      for (const r of recusals) if (r.doc.ballotId === d.ballotId && r.index > o.index) fails.push(T(`recusal #${r.index} logged after vote ${d.ballotId} opened`, `回避 #${r.index} 记录于表决 ${d.ballotId} 开始之后`));
      if (o.type === 'ballot-key') {
        const byMember = new Map<string, string[]>();
        for (const r of o.doc.recusals ?? []) byMember.set(r.memberId, [...(byMember.get(r.memberId) ?? []), r.candidateId]);
        const want = new Map<string, number>();
        for (const ids of byMember.values()) {
          const k = [...ids].sort().join(',');
          want.set(k, (want.get(k) ?? 0) + 1);
        }
        const classes = o.doc.keyClasses ?? [];
        const got = new Map(classes.map((k) => [[...k.recused].sort().join(','), k]));
        if (!sameJson([...want.keys()].sort(), [...got.keys()].sort())) fails.push(T(`vote ${d.ballotId}: its key classes are not exactly the recusal classes`, `表决 ${d.ballotId}：密钥类别与回避类别不符`));
        for (const [k, c] of got) {
          if (c.members !== want.get(k)) fails.push(T(`vote ${d.ballotId}: class [${k}] states ${c.members} members, the recusals give ${want.get(k) ?? 0}`, `表决 ${d.ballotId}：类别 [${k}] 人数不符`));
          // A co-issued class's key is a sum with no proof of its own; ballot-co-issued checks its two keys.
          if (c.coIssuance ? !isHex(c.publicKey, 48) || c.proofOfPossession !== null : !isHex(c.publicKey, 48) || !isHex(c.proofOfPossession, 96) || !popVerify(fromHex(c.publicKey), fromHex(c.proofOfPossession))) fails.push(T(`vote ${d.ballotId}: class [${k}]: the proof of possession does not verify`, `表决 ${d.ballotId}：类别 [${k}] 的持有证明无效`));
          if (c.publicKey === o.doc.publicKey) fails.push(T(`vote ${d.ballotId}: class [${k}] reuses the ballot's own key`, `表决 ${d.ballotId}：类别 [${k}] 与投票公钥相同`));
        }
        const bulletin = of('ballot-bulletin').find((b) => b.doc.ballotId === d.ballotId)?.doc;
        if (bulletin) {
          const n = new Map<string, number>();
          for (const b of bulletin.ballots) {
            const k = [...(b.recused ?? [])].sort().join(',');
            if (k) n.set(k, (n.get(k) ?? 0) + 1);
          }
          for (const [k, count] of n) if (count > (want.get(k) ?? 0)) fails.push(T(`vote ${d.ballotId}: ${count} ballots of recusal class [${k}], which has ${want.get(k) ?? 0} member(s)`, `表决 ${d.ballotId}：回避类别 [${k}] 有选票 ${count} 张，但该类别仅 ${want.get(k) ?? 0} 人`));
        }
      }
    }
    out.push({ id: 'recusals', fails, warn: [], message: T(`${recusals.length} recusal(s) signed and logged before their votes opened; attendance reduced per candidate`, `回避 ${recusals.length} 项，均经设备签名并于表决开始前记录；相应候选组织的出席人数已扣除`) });
  }

  // ---------------------------------------------------------------- teller-signatures
  {
    const fails: Text[] = [];
    const info: Text[] = [];
    const confirmations = of('tally-confirmation');
    const results = new Map(of('ballot-result').map((e) => [e.index, e]));
    const devices = of('supervisor-device');
    for (const c of confirmations) {
      const d = c.doc;
      const sup = 'supervisor' in d ? d.supervisor : undefined;
      const who = `${sup ? sup.name : 'name' in d ? d.name : ''} (${d.role === 'counter' ? '计票人' : '监票人'}${sup ? '，监督小组' : ''}, #${c.index})`;
      const r = results.get(d.resultLogIndex);
      if (!r || r.docHash !== d.resultDocHash || c.refs.result !== r.index || r.doc.ballotId !== d.ballotId) {
        fails.push(T(`${who}: does not name the ballot's logged result by index and hash`, `${who}：未按序号和哈希指向该表决的已记录结果`));
        continue;
      }
      const meetingId = prepared.get(d.ballotId)?.doc.meetingId;
      if ('supervisor' in d) {
        // A supervisor named 监票人: the key is one a supervisor-device entry of the ballot's cycle bound to
        // this supervisor's account before the confirmation, and the adopted 表决办法 names that account.
        const cycleId = prepared.get(d.ballotId)?.doc.cycleId;
        const device = devices.find((e) => e.index === d.deviceLogIndex);
        if (!device || device.index > c.index || device.doc.cycleId !== cycleId || device.doc.deviceKey !== d.deviceKey || device.doc.accountId !== d.supervisor.accountId)
          fails.push(T(`${who}: the key is not one registered to this supervisor's account for the cycle before the confirmation`, `${who}：签名公钥不是此前登记在该监督小组成员账号下的本周期设备公钥`));
        if (!verifyDeviceSignature(d.deviceKey, supervisorTallyMessage(d.ballotId, r.index, r.docHash, d.supervisor.accountId), d.signature))
          fails.push(T(`${who}: the signature over the result does not verify`, `${who}：对结果的签名无效`));
        const a = meetingId ? adoptedBefore(meetingId, c.index)[0] : undefined;
        const p = a ? proposals.get(a.doc.procedureLogIndex)?.doc : undefined;
        const named = p?.supervisorScrutineers ?? [];
        if (!named.some((t) => t.accountId === d.supervisor.accountId)) fails.push(T(`${who}: not named 监票人 in the adopted 表决办法`, `${who}：未在通过的表决办法中被指定为监票人`));
        continue;
      }
      const ci = meetingId ? checkinOf(meetingId, d.memberId) : undefined;
      if (!ci || ci.doc.deviceKey !== d.deviceKey) fails.push(T(`${who}: the key is not that of the teller's check-in`, `${who}：签名公钥不是其签到设备的公钥`));
      if (!verifyDeviceSignature(d.deviceKey, tallyMessage(d.ballotId, r.index, r.docHash, d.role, d.memberId), d.signature))
        fails.push(T(`${who}: the signature over the result does not verify`, `${who}：对结果的签名无效`));
      const a = meetingId ? adoptedBefore(meetingId, c.index)[0] : undefined;
      const p = a ? proposals.get(a.doc.procedureLogIndex)?.doc : undefined;
      const list = (d.role === 'counter' ? p?.counters : p?.scrutineers) ?? [];
      if (!list.some((t) => t.memberId === d.memberId)) fails.push(T(`${who}: not named ${d.role === 'counter' ? '计票人' : '监票人'} in the adopted 表决办法`, `${who}：未在通过的表决办法中被指定为${d.role === 'counter' ? '计票人' : '监票人'}`));
    }
    for (const r of results.values()) {
      const n = confirmations.filter((c) => c.doc.resultLogIndex === r.index).length;
      if (n === 0) info.push(T(`result #${r.index} (${r.doc.ballotId}) has no teller confirmation yet`, `结果 #${r.index}（${r.doc.ballotId}）尚无计票人、监票人确认`));
    }
    out.push({ id: 'teller-signatures', fails, warn: [], info, message: T(`${confirmations.length} teller confirmation(s), each signed over its logged result`, `计票人、监票人确认 ${confirmations.length} 项，均对已记录结果签名`) });
  }
  return out;
}
