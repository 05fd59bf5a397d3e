// The verifier's checks of co-issuance, enrollment and cast receipts (pure, over the log's entries as
// their schemas read them, ledger.ts):
//   ballot-co-issued       the ballot key is the sum of the bureau's and the co-signer's keys, each with
//                          a valid proof of possession; the co-signer's approval is signed by the pinned
//                          co-signer key (--cosigner-key), names both keys, and its list is the ballot's
//                          eligible list with the device keys of the check-ins. A ballot with one key
//                          fails when a co-signer key is pinned (the bureau alone could mint), else warns.
//   served-lists-agree     the co-signer's served list, signed by the pinned key, is logged; it and the
//                          bureau's list name the same members; ballots ≤ both.
//   enrollment-traced      every check-in's device key is the one enrolled (logged) for the member before
//                          the check-in; an enrollment or re-issue logged after the meeting opened, for a
//                          member who then checked in, stands out.
//   cast-receipts          every receipt given (--receipts) is signed by its ballot's logged receipt key
//                          and its ballot is in the logged bulletin with the same choices; a missing or
//                          altered ballot fails with the receipt as evidence.
import { fromHex } from '../../../crypto/bytes.js';
import { checkCoIssuanceKeys } from '../../../crypto/cosign.js';
import { KEY_STATEMENT, SERVED_STATEMENT, openStatement, StatementError, type KeyApproval, type ServedList } from '../../cosigner/statements.js';
import { choicesHash, verifyReceipt } from '../../votes/receipts.js';
import type { Ledger } from './ledger.js';
import type { Collector, Text } from './types.js';

const T = (en: string, zh: string): Text => ({ en, zh });

const REMEDY: Record<CosignCheckId, Text> = {
  'ballot-co-issued': T('run the supervisory group’s co-signer (npm run cosigner) and pin its key with --cosigner-key', '运行监督小组的联合签发方（npm run cosigner），并以 --cosigner-key 预置其公钥'),
  'served-lists-agree': T('wait until issuance closes', '待凭证发放结束后再核对'),
  'enrollment-traced': T('ask the members concerned when and why their tablet was enrolled', '向相关成员核实其平板登记的时间与原因'),
  'cast-receipts': T('give the receipts members saved: --receipts FILE…', '提供成员保存的回执：--receipts FILE…'),
};

export type CosignCheckId = 'ballot-co-issued' | 'served-lists-agree' | 'enrollment-traced' | 'cast-receipts';

const isHex = (s: unknown, bytes: number): s is string => typeof s === 'string' && new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(s);
const short = (s: string) => `${String(s).slice(0, 12)}…`;

export interface CosignOptions {
  /** The pinned co-signer verifier key (--cosigner-key). */
  cosignerKey?: string | undefined;
  /** Cast receipts kept by tablets (--receipts FILE…), parsed JSON. */
  receipts?: readonly unknown[] | undefined;
}

/** A field of a receipt as given (not yet checked), for naming it in a finding. */
const givenField = (r: unknown, key: string): unknown => (typeof r === 'object' && r !== null ? (r as Record<string, unknown>)[key] : undefined);

/** Adds the co-issuance, served-list, enrollment and receipt checks to `out`. */
export function checkCoIssuance(ledger: Ledger, opts: CosignOptions, out: Collector): void {
  const results = {
    push(r: { id: CosignCheckId; subject: Text | null; fails: Text[]; pass: Text; warn?: Text[]; skip?: Text }) {
      out.add(r.id, r.subject, r.fails, r.pass, { ...(r.warn ? { warn: r.warn } : {}), ...(r.skip ? { skip: r.skip } : {}), ...(r.warn?.length || r.skip ? { remedy: REMEDY[r.id] } : {}) });
    },
  };
  const keys = ledger.ofType('ballot-key');
  const bulletins = new Map(ledger.ofType('ballot-bulletin').map((i) => [i.doc.ballotId, i]));
  const castings = new Map(ledger.ofType('ballot-phase').filter((i) => i.doc.phase === 'casting').map((i) => [i.doc.ballotId, i]));
  const servedEntries = new Map(ledger.ofType('cosigner-served').map((i) => [i.doc.ballotId, i]));
  const checkins = ledger.ofType('checkin');

  for (const K of keys) {
    const kd = K.doc;
    const ballotId = kd.ballotId;
    const subject = T(`ballot ${ballotId}`, `投票 ${ballotId}`);
    const co = kd.coIssuance;
    // ---- the two keys
    let approval: KeyApproval | null = null;
    {
      const fails: Text[] = [];
      if (!co) {
        const en = 'one key signs every token: the bureau alone could mint a ballot';
        const zh = '全部凭证由单一公钥签发:市场监管局可独自制造选票';
        results.push(opts.cosignerKey ? { id: 'ballot-co-issued', subject: subject, fails: [T(en, zh)], pass: T('', '') } : { id: 'ballot-co-issued', subject: subject, fails: [], pass: T('', ''), warn: [T(en, zh)] });
        continue;
      }
      const ok =
        isHex(co.bureauPublicKey, 48) && isHex(co.bureauProofOfPossession, 96) && isHex(co.cosignerPublicKey, 48) && isHex(co.cosignerProofOfPossession, 96) && isHex(kd.publicKey, 48)
          ? checkCoIssuanceKeys({
              bureauPublicKey: fromHex(co.bureauPublicKey),
              bureauPop: fromHex(co.bureauProofOfPossession),
              cosignerPublicKey: fromHex(co.cosignerPublicKey),
              cosignerPop: fromHex(co.cosignerProofOfPossession),
              aggregatePublicKey: fromHex(kd.publicKey),
            })
          : ({ ok: false, reason: 'aggregate' } as const);
      if (!ok.ok) {
        const why: Record<string, Text> = {
          'bureau-pop': T('the bureau’s key has no valid proof of possession', '市场监管局公钥的持有证明无效'),
          'cosigner-pop': T('the co-signer’s key has no valid proof of possession', '联合签发方公钥的持有证明无效'),
          'same-key': T('the two keys are the same', '两个公钥相同'),
          aggregate: T('the ballot key is not the sum of the two keys', '投票公钥不是两个公钥之和'),
        };
        fails.push(why[ok.reason]!);
      }
      // 回避: every recusal class's key is co-issued exactly like the ballot's.
      const classes = kd.keyClasses ?? [];
      for (const c of classes) {
        const cls = c.recused.join(',');
        const cc = c.coIssuance;
        const k =
          cc && isHex(cc.bureauPublicKey, 48) && isHex(cc.bureauProofOfPossession, 96) && isHex(cc.cosignerPublicKey, 48) && isHex(cc.cosignerProofOfPossession, 96) && isHex(c.publicKey, 48)
            ? checkCoIssuanceKeys({
                bureauPublicKey: fromHex(cc.bureauPublicKey),
                bureauPop: fromHex(cc.bureauProofOfPossession),
                cosignerPublicKey: fromHex(cc.cosignerPublicKey),
                cosignerPop: fromHex(cc.cosignerProofOfPossession),
                aggregatePublicKey: fromHex(c.publicKey),
              })
            : ({ ok: false, reason: 'aggregate' } as const);
        if (!cc) fails.push(T(`recusal class [${cls}]: one key signs its tokens: the bureau alone could mint them`, `回避类别 [${cls}]：其凭证由单一公钥签发，市场监管局可独自制造`));
        else if (!k.ok) fails.push(T(`recusal class [${cls}]: its key is not the sum of two keys each with a valid proof of possession (${k.reason})`, `回避类别 [${cls}]：其公钥不是两个各有有效持有证明的公钥之和（${k.reason}）`));
      }
      if (!opts.cosignerKey) fails.push(T('no co-signer key pinned (--cosigner-key): the approval cannot be checked', '未预置联合签发方公钥（--cosigner-key）：无法核对其批准'));
      else {
        try {
          approval = openStatement(co.cosignerApproval, opts.cosignerKey, KEY_STATEMENT);
        } catch (e) {
          fails.push(T(`the approval is not signed by the pinned co-signer key (${e instanceof StatementError ? e.message : String(e)})`, '批准声明并非由预置的联合签发方公钥签名'));
        }
        if (approval) {
          if (approval.ballotId !== ballotId) fails.push(T('the approval is for another ballot', '批准声明属于另一投票'));
          if (approval.cosignerPublicKey !== co.cosignerPublicKey || approval.bureauPublicKey !== co.bureauPublicKey || approval.aggregatePublicKey !== kd.publicKey)
            fails.push(T('the approval names other keys than the ballot key entry', '批准声明所述公钥与投票公钥条目不同'));
          const eligible = kd.eligible.map((m) => m.memberId).sort();
          if (approval.eligible.map((m) => m.memberId).sort().join(',') !== eligible.join(','))
            fails.push(T('the approved list differs from the ballot’s eligible members', '批准的名单与本投票有资格成员不同'));
          const approvedClasses = (approval.classes ?? []).map((c) => `${c.recused.join(',')}=${c.bureauPublicKey}+${c.cosignerPublicKey}=${c.aggregatePublicKey}`).sort();
          const loggedClasses = classes.map((c) => `${c.recused.join(',')}=${c.coIssuance?.bureauPublicKey}+${c.coIssuance?.cosignerPublicKey}=${c.publicKey}`).sort();
          if (approvedClasses.join(' ') !== loggedClasses.join(' ')) fails.push(T('the approval names other recusal classes or keys than the ballot key entry', '批准声明所述回避类别或其公钥与投票公钥条目不同'));
          const recusedBy = new Map<string, string[]>();
          for (const r of kd.recusals ?? []) recusedBy.set(r.memberId, [...(recusedBy.get(r.memberId) ?? []), r.candidateId]);
          for (const m of approval.eligible)
            if ((m.recused ?? []).join(',') !== [...(recusedBy.get(m.memberId) ?? [])].sort().join(','))
              fails.push(T(`${m.name}: the approved recusals differ from those logged at the opening`, `${m.name}：批准的回避与表决开始时记录的不同`));
          for (const m of approval.eligible) {
            // The member's latest check-in before the key: the one the approved list was taken from.
            const ci = checkins.filter((c) => c.doc.memberId === m.memberId && c.index < K.index).pop();
            if (!ci || ci.doc.deviceKey !== m.deviceKey) fails.push(T(`${m.name}: the approved device key is not the one the member checked in with`, `${m.name}：批准的设备密钥与其签到时不同`));
          }
        }
      }
      results.push({ id: 'ballot-co-issued', subject: subject, fails: fails, pass: T(`key = bureau’s + co-signer’s, both proofs of possession valid; list of ${approval?.eligible.length ?? 0} approved by ${approval?.approvedBy ?? ''}`, `公钥 = 双方公钥之和，持有证明均有效；${approval?.eligible.length ?? 0} 人名单由 ${approval?.approvedBy ?? ''} 批准`) });
    }
    // ---- served lists
    {
      const fails: Text[] = [];
      const C = castings.get(ballotId);
      const S = servedEntries.get(ballotId);
      const B = bulletins.get(ballotId);
      if (!C) {
        results.push({ id: 'served-lists-agree', subject: subject, fails: [], pass: T('', ''), skip: T('issuance not closed yet', '凭证发放尚未结束') });
        continue;
      }
      let list: ServedList | null = null;
      if (!S) fails.push(T('the co-signer’s served list was never logged', '联合签发方的已发放名单从未记录'));
      else if (opts.cosignerKey) {
        try {
          list = openStatement(S.doc.statement, opts.cosignerKey, SERVED_STATEMENT);
          if (list.ballotId !== ballotId || list.aggregatePublicKey !== kd.publicKey) fails.push(T('the served list is for another ballot or key', '已发放名单属于另一投票或公钥'));
          if (list.served.join(',') !== S.doc.served.join(',')) fails.push(T('the logged served list differs from the one the co-signer signed', '记录的已发放名单与联合签发方签名的不同'));
        } catch (e) {
          fails.push(T(`the served list is not signed by the pinned co-signer key (${e instanceof Error ? e.message : String(e)})`, '已发放名单并非由预置的联合签发方公钥签名'));
        }
      }
      const bureau = C.doc.served.map((m) => m.memberId).sort();
      const cosigner = list ? [...list.served].sort() : S ? [...S.doc.served].sort() : [];
      if (S && bureau.join(',') !== cosigner.join(',')) {
        const onlyB = bureau.filter((m) => !cosigner.includes(m));
        const onlyC = cosigner.filter((m) => !bureau.includes(m));
        fails.push(T(`the served lists differ: bureau only ${onlyB.join(', ') || '—'}; co-signer only ${onlyC.join(', ') || '—'}`, `双方已发放名单不一致：仅市场监管局 ${onlyB.join('、') || '无'}；仅联合签发方 ${onlyC.join('、') || '无'}`));
      }
      const ballots = B ? B.doc.ballots.length : 0;
      if (S && ballots > cosigner.length) fails.push(T(`${ballots} ballots but the co-signer served ${cosigner.length}`, `选票 ${ballots} 张，但联合签发方仅发放 ${cosigner.length} 张`));
      if (ballots > bureau.length) fails.push(T(`${ballots} ballots but the bureau served ${bureau.length}`, `选票 ${ballots} 张，但市场监管局仅发放 ${bureau.length} 张`));
      results.push({ id: 'served-lists-agree', subject: subject, fails: fails, pass: T(`both lists name the same ${bureau.length} members; ${ballots} ballots`, `双方名单均为 ${bureau.length} 人；选票 ${ballots} 张`) });
    }
  }

  // ---- enrollment
  {
    const fails: Text[] = [];
    const warn: Text[] = [];
    const enrolled = ledger.ofType('member-enrolled');
    const reissued = ledger.ofType('member-enrollment-reissued');
    const meetings = new Map(ledger.ofType('meeting-open').map((i) => [i.doc.meetingId, i]));
    if (enrolled.length === 0 && checkins.length === 0) results.push({ id: 'enrollment-traced', subject: null, fails: [], pass: T('', ''), skip: T('no enrollments or check-ins', '无设备登记或签到') });
    else {
      for (const c of checkins) {
        const last = enrolled.filter((e) => e.doc.memberId === c.doc.memberId && e.index < c.index).pop();
        if (!last) fails.push(T(`${c.doc.name}: checked in (#${c.index}) with no enrollment logged before`, `${c.doc.name}：签到（#${c.index}）前没有记录的设备登记`));
        else if (last.doc.deviceKey !== c.doc.deviceKey) fails.push(T(`${c.doc.name}: checked in with device key ${short(c.doc.deviceKey)}, enrolled ${short(last.doc.deviceKey)}`, `${c.doc.name}：签到设备密钥与登记的不同`));
        const m = meetings.get(c.doc.meetingId);
        if (m && last && last.index > m.index) warn.push(T(`${c.doc.name}: tablet enrolled (#${last.index}) after the meeting opened (#${m.index})`, `${c.doc.name}：平板于会议开始（#${m.index}）后登记（#${last.index}）`));
        const re = reissued.find((r) => r.doc.memberId === c.doc.memberId && m && r.index > m.index && r.index < c.index);
        if (re) warn.push(T(`${c.doc.name}: enrollment re-issued (#${re.index}) during the meeting`, `${c.doc.name}：会议期间重新发放注册码（#${re.index}）`));
      }
      results.push({ id: 'enrollment-traced', subject: null, fails, pass: T(`${checkins.length} check-ins traced to ${enrolled.length} logged enrollments`, `${checkins.length} 次签到均可追溯至 ${enrolled.length} 次已记录的设备登记`), warn });
    }
  }

  // ---- receipts
  if (opts.receipts && opts.receipts.length) {
    const fails: Text[] = [];
    opts.receipts.forEach((r, i) => {
      const ballotId = givenField(r, 'ballotId');
      const label = `receipt ${i + 1} (ballot ${String(ballotId)}, token ${short(String(givenField(r, 'token')))})`;
      const labelZh = `回执 ${i + 1}(投票 ${String(ballotId)},凭证 ${short(String(givenField(r, 'token')))})`;
      const K = keys.find((k) => k.doc.ballotId === ballotId);
      if (!K || !isHex(K.doc.receiptKey, 32)) return void fails.push(T(`${label}: no logged receipt key for this ballot`, `${labelZh}：本投票没有记录的回执公钥`));
      const x = r;
      if (!verifyReceipt(K.doc.receiptKey, x)) return void fails.push(T(`${label}: not signed by the ballot’s receipt key — not evidence`, `${labelZh}：并非由本投票回执公钥签名，不能作为证据`));
      const B = bulletins.get(x.ballotId);
      if (!B) return void fails.push(T(`${label}: the ballot’s bulletin is not logged`, `${labelZh}：本投票的选票公告未记录`));
      const mine = B.doc.ballots.find((b) => b.token === x.token);
      if (!mine) return void fails.push(T(`${label}: accepted by the server (signed receipt) but missing from the logged bulletin #${B.index}`, `${labelZh}：服务器已签收，但已记录的选票公告 #${B.index} 中没有该选票`));
      if (choicesHash(mine.choices) !== x.choicesHash) fails.push(T(`${label}: the logged bulletin #${B.index} shows other choices than the receipt`, `${labelZh}：已记录的选票公告 #${B.index} 所示选项与回执不同`));
    });
    results.push({ id: 'cast-receipts', subject: null, fails: fails, pass: T(`${opts.receipts.length} receipts: each ballot in the logged bulletin as cast`, `${opts.receipts.length} 张回执：选票均按投出内容见于已记录的选票公告`) });
  }
}
