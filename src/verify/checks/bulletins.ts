/**
 * A secret ballot's bulletin: every token signature under the ballot's logged key (batch), no token
 * twice, ballots in strictly increasing token order (arrival order would link ballots to members in
 * the order they were served), no more ballots than members served a token, every ballot valid, and
 * the recount equal to the published tally and result.
 * @module
 */
import { tokenMessage } from '../../../crypto/blind.js';
import { fromHex, toHex } from '../../../crypto/bytes.js';
import { checkChoices, tally } from '../../votes/rules.js';
import { sameJson } from '../canonical.js';
import type { BallotStages } from './ballots.js';
import { classKeyOf, groupByClass } from './recusals.js';
import type { Ledger, LoggedEntry } from './ledger.js';
import { T, short, type BlsBackend, type Collector, type Text } from './types.js';

type Bulletin = LoggedEntry<'ballot-bulletin'>;

const BULLETIN_CHECKS = ['bulletin-signatures', 'bulletin-unique-tokens', 'bulletin-token-order', 'bulletin-within-served', 'bulletin-ballots-valid', 'secret-recount'] as const;

/** Runs every bulletin check of a secret ballot (or reports them skipped, naming why). */
export function checkBulletin(ballot: BallotStages, ledger: Ledger, bls: BlsBackend, out: Collector): void {
  if (ballot.kind !== 'secret') return;
  const bulletin = ballot.bulletin;
  if (!bulletin) {
    const bulletinIndex = ballot.result?.doc.kind === 'secret' ? ballot.result.doc.bulletinLogIndex : null;
    const lost = bulletinIndex !== null && ledger.unreadable.has(bulletinIndex);
    const why = lost
      ? T(`the bulletin's document (#${bulletinIndex}) could not be read (see document-hashes, document-schemas)`, `选票公告文档（#${bulletinIndex}）无法读取（见 document-hashes、document-schemas）`)
      : T('no bulletin yet (casting not closed) or not in the bundle', '尚无选票公告（投票未结束）或不在数据包中');
    const fails = ballot.result && !lost && !ledger.someUnreadable ? [T('a result was published without a bulletin', '结果已公布，却没有选票公告')] : [];
    for (const id of BULLETIN_CHECKS) out.add(id, ballot.subject, fails, T('', ''), { skip: why });
    return;
  }
  checkBulletinSignatures(ballot, bulletin, bls, out);
  checkUniqueTokens(ballot, bulletin, out);
  checkTokenOrder(ballot, bulletin, out);
  checkWithinServed(ballot, bulletin, out);
  checkBallotsValid(ballot, bulletin, out);
  checkSecretRecount(ballot, bulletin, out);
}

/** bulletin-signatures: batch verification, then one by one to name the bad ones. */
function checkBulletinSignatures(ballot: BallotStages, bulletin: Bulletin, bls: BlsBackend, out: Collector): void {
  const fails: Text[] = [];
  const ballots = bulletin.doc.ballots;
  const items = ballots.map((item, position) => {
    const message = tokenMessage(ballot.ballotId, fromHex(item.token));
    if (item.message !== toHex(message)) fails.push(T(`ballot ${position + 1} (token ${short(item.token)}): the stated message is not ballotId ‖ token`, `第 ${position + 1} 张选票（凭证 ${short(item.token)}）：所述消息不是 ballotId ‖ token`));
    return { message, signature: fromHex(item.signature) };
  });
  // 回避: a ballot of a recusal class verifies under that class's logged key (checks/recusals.ts).
  for (const [cls, positions] of groupByClass(ballots)) {
    const key = cls === '' ? ballot.key?.doc.publicKey : classKeyOf(ballot.key?.doc ?? null, cls);
    if (!key) {
      fails.push(cls === '' ? T('no valid logged key to verify with', '没有可用于验证的已记录公钥') : T(`no logged key for the recusal class [${cls}]`, `回避类别 [${cls}] 没有已记录的公钥`));
      continue;
    }
    const verdict = bls.batchVerify(fromHex(key), positions.map((p) => items[p]!));
    if (!verdict.ok)
      for (const j of verdict.bad) {
        const position = positions[j]!;
        const token = short(ballots[position]?.token ?? '');
        fails.push(T(`ballot ${position + 1} (token ${token}): the signature does not verify under the ballot's key`, `第 ${position + 1} 张选票（凭证 ${token}）：签名无法用本投票公钥验证`));
      }
  }
  out.add('bulletin-signatures', ballot.subject, fails, T(`${ballots.length} signatures verify (${bls.name}, batch)`, `${ballots.length} 个签名均有效（${bls.name}，批量验证）`));
}

/** bulletin-unique-tokens */
function checkUniqueTokens(ballot: BallotStages, bulletin: Bulletin, out: Collector): void {
  const fails: Text[] = [];
  const seen = new Map<string, number>();
  for (const item of bulletin.doc.ballots) seen.set(item.token, (seen.get(item.token) ?? 0) + 1);
  for (const [token, n] of seen) if (n > 1) fails.push(T(`token ${short(token)} appears ${n} times`, `凭证 ${short(token)} 出现 ${n} 次`));
  out.add('bulletin-unique-tokens', ballot.subject, fails, T(`${seen.size} distinct tokens`, `${seen.size} 个不同凭证`));
}

/** bulletin-token-order: strictly increasing by token, so the order says nothing of who cast when. */
function checkTokenOrder(ballot: BallotStages, bulletin: Bulletin, out: Collector): void {
  const fails: Text[] = [];
  const ballots = bulletin.doc.ballots;
  for (let i = 1; i < ballots.length; i++) {
    const before = ballots[i - 1]?.token ?? '';
    const token = ballots[i]?.token ?? '';
    if (!(before < token)) fails.push(T(`ballot ${i + 1} (token ${short(token)}) does not come after ${short(before)}: not in token order`, `第 ${i + 1} 张选票（凭证 ${short(token)}）未排在 ${short(before)} 之后：未按凭证排序`));
  }
  out.add('bulletin-token-order', ballot.subject, fails, T(`${ballots.length} ballots in increasing token order`, `${ballots.length} 张选票按凭证递增排列`));
}

/** bulletin-within-served: the casting entry names who was served; no more ballots than that. */
function checkWithinServed(ballot: BallotStages, bulletin: Bulletin, out: Collector): void {
  const fails: Text[] = [];
  const casting = ballot.casting?.doc;
  const ballots = bulletin.doc.ballots;
  const served = casting?.served ?? [];
  if (!casting) fails.push(T('no casting entry: the members served were never published', '没有投票阶段条目：领取凭证的成员从未公布'));
  else {
    if (casting.issued !== served.length) fails.push(T(`issued ${casting.issued} ≠ ${served.length} members listed as served`, `发放数 ${casting.issued} ≠ 所列领取成员 ${served.length} 人`));
    const eligible = new Set(ballot.eligible.map((m) => m.memberId));
    const seen = new Set<string>();
    for (const member of served) {
      if (!eligible.has(member.memberId)) fails.push(T(`${member.name} was served a token but was not eligible`, `${member.name} 领取了凭证，但无投票资格`));
      if (seen.has(member.memberId)) fails.push(T(`${member.name} served twice`, `${member.name} 重复领取`));
      seen.add(member.memberId);
    }
    if (ballots.length > served.length) fails.push(T(`${ballots.length} ballots but only ${served.length} members served a token`, `选票 ${ballots.length} 张，但仅 ${served.length} 名成员领取凭证`));
    if (bulletin.doc.issued !== served.length) fails.push(T(`the bulletin states ${bulletin.doc.issued} issued, the casting entry ${served.length}`, `选票公告称发放 ${bulletin.doc.issued} 张，投票阶段条目为 ${served.length} 张`));
    if (!sameJson(bulletin.doc.served, served)) fails.push(T('the bulletin lists other members served than the casting entry', '选票公告所列领取成员与投票阶段条目不同'));
  }
  out.add('bulletin-within-served', ballot.subject, fails, T(`${ballots.length} ballots ≤ ${served.length} members served`, `选票 ${ballots.length} 张 ≤ 领取凭证成员 ${served.length} 人`));
}

/** bulletin-ballots-valid: each names every candidate once, 同意 for at most `seats`. */
function checkBallotsValid(ballot: BallotStages, bulletin: Bulletin, out: Collector): void {
  const fails: Text[] = [];
  bulletin.doc.ballots.forEach((item, position) => {
    const verdict = checkChoices(item.choices, ballot.candidateIds, ballot.seats, item.recused ?? []);
    if (!verdict.ok) fails.push(T(`ballot ${position + 1} (token ${short(item.token)}): ${verdict.en ?? ''}`, `第 ${position + 1} 张选票（凭证 ${short(item.token)}）：${verdict.zh ?? ''}`));
  });
  out.add('bulletin-ballots-valid', ballot.subject, fails, T(`${bulletin.doc.ballots.length} ballots valid (≤ ${ballot.seats} 同意 each)`, `${bulletin.doc.ballots.length} 张选票均有效（每张同意不超过 ${ballot.seats} 个）`));
}

/** secret-recount: the tally of the ballots equals the bulletin's and the result's. */
function checkSecretRecount(ballot: BallotStages, bulletin: Bulletin, out: Collector): void {
  const fails: Text[] = [];
  const ballots = bulletin.doc.ballots;
  const recount = tally(ballot.candidateIds, ballots.map((item) => item.choices), (i) => ballots[i]!.recused ?? []);
  if (!sameJson(recount, bulletin.doc.tally)) fails.push(T(`the bulletin's tally differs from the recount: ${diffTally(recount, bulletin.doc.tally)}`, `选票公告的计票与重新计票不符：${diffTally(recount, bulletin.doc.tally)}`));
  const result = ballot.result;
  if (result) {
    const stated = result.doc;
    if (!sameJson(recount, stated.tally)) fails.push(T(`the result's tally differs from the recount: ${diffTally(recount, stated.tally)}`, `结果的计票与重新计票不符：${diffTally(recount, stated.tally)}`));
    if (stated.kind === 'secret') {
      if (stated.cast !== ballots.length) fails.push(T(`the result states ${stated.cast} ballots cast, the bulletin has ${ballots.length}`, `结果称投出 ${stated.cast} 张，选票公告有 ${ballots.length} 张`));
      const issued = ballot.casting?.doc.issued;
      if (issued !== undefined && stated.issued !== issued) fails.push(T(`the result states ${stated.issued} issued, the casting entry ${issued}`, `结果称发放 ${stated.issued} 张，投票阶段条目为 ${issued} 张`));
      if (stated.bulletinLogIndex !== bulletin.index) fails.push(T(`the result names bulletin #${stated.bulletinLogIndex}, not #${bulletin.index}`, `结果所述选票公告为 #${stated.bulletinLogIndex}，而非 #${bulletin.index}`));
    }
    if (bulletin.index > result.index) fails.push(T('the result is logged before its bulletin', '结果早于选票公告记录'));
  }
  out.add('secret-recount', ballot.subject, fails, T(`recount of ${ballots.length} ballots equals the published tally`, `${ballots.length} 张选票重新计票与公布一致`));
}

export function diffTally(recount: Record<string, { for: number; against: number; abstain: number }>, stated: Record<string, { for: number; against: number; abstain: number }>): string {
  const parts: string[] = [];
  for (const [id, row] of Object.entries(recount)) {
    const published = stated[id];
    for (const choice of ['for', 'against', 'abstain'] as const) if (published?.[choice] !== row[choice]) parts.push(`${id}.${choice} ${published?.[choice]} ≠ ${row[choice]}`);
  }
  for (const id of Object.keys(stated)) if (!(id in recount)) parts.push(`${id} not a candidate`);
  return parts.join('; ') || 'shape differs';
}
