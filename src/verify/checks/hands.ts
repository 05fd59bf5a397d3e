/**
 * A recorded show of hands (三(三)6 举手表决): the named record hashes to what the logged result
 * commits to (and is not withheld from the staff or supervisors' export), every hand is signed by
 * the device key of the member's check-in at the meeting, hands recorded by staff are named — and
 * fail for a member whose tablet signed hands at that same meeting (it worked) or without the
 * confirmation of a supervisor device logged for the cycle before the result — and the recount
 * equals the published tally.
 * @module
 */
import { checkChoices, tally } from '../../votes/rules.js';
import { countersignMessage, handsMessage, verifyDeviceSignature } from '../../votes/messages.js';
import { recusedOf } from './recusals.js';
import { HandsRecordSchema, type ExportBundle, type HandsRecord } from '../bundle.js';
import { canonical, sameJson, sha256Text } from '../canonical.js';
import type { BallotStages } from './ballots.js';
import { diffTally } from './bulletins.js';
import type { Ledger } from './ledger.js';
import { T, short, type Collector, type Text } from './types.js';

/** The named records of the bundle that parse and hash to their logged results, by ballot. */
export interface ReadRecords {
  byBallot: Map<string, HandsRecord>;
  /** meetingId → members whose tablet signed a hand at that meeting. */
  signedAt: Map<string, Set<string>>;
}

export function readHandsRecords(bundle: ExportBundle, ballots: readonly BallotStages[]): ReadRecords {
  const byBallot = new Map<string, HandsRecord>();
  const signedAt = new Map<string, Set<string>>();
  for (const ballot of ballots) {
    const result = ballot.result?.doc;
    if (!result || result.kind !== 'show-of-hands') continue;
    const item = bundle.handsRecords.find((h) => h.ballotId === ballot.ballotId);
    const parsed = HandsRecordSchema.safeParse(item?.record);
    if (!parsed.success || sha256Text(canonical(item?.record) ?? '') !== result.recordHash) continue;
    byBallot.set(ballot.ballotId, parsed.data);
    const signers = signedAt.get(parsed.data.meetingId) ?? new Set<string>();
    for (const vote of parsed.data.votes) if (vote.recordedBy === 'member') signers.add(vote.memberId);
    signedAt.set(parsed.data.meetingId, signers);
  }
  return { byBallot, signedAt };
}

/** Runs every show-of-hands check of a ballot. */
export function checkHands(ballot: BallotStages, bundle: ExportBundle, ledger: Ledger, records: ReadRecords, out: Collector): void {
  if (ballot.kind !== 'show-of-hands') return;
  const record = checkHandsRecord(ballot, bundle, records, out);
  checkHandsSignatures(ballot, ledger, record, records, out);
  checkHandsRecount(ballot, record, out);
}

const ASK_SUPERVISOR = T('export with a supervisor token (--token) to include the named records', '使用监督小组令牌（--token）导出以包含记名记录');

/** hands-record: the named record is in the bundle and hashes to the logged recordHash. */
function checkHandsRecord(ballot: BallotStages, bundle: ExportBundle, records: ReadRecords, out: Collector): HandsRecord | null {
  const result = ballot.result;
  const stated = result?.doc.kind === 'show-of-hands' ? result.doc : null;
  const fails: Text[] = [];
  let skip: Text | null = null;
  const item = bundle.handsRecords.find((h) => h.ballotId === ballot.ballotId);
  if (!result || !stated) skip = T('not tallied yet', '尚未计票');
  else if (!item) fails.push(T('the bundle carries no entry for this record', '数据包未列出该记录'));
  else {
    if (item.recordHash !== stated.recordHash || item.resultLogIndex !== result.index) fails.push(T('the bundle names another record hash or result entry than the log', '数据包所述记录哈希或结果条目与日志不符'));
    if (item.record === null) {
      if (bundle.handsRecordsIncluded) fails.push(T('the named record is withheld from an export that must include it (staff/supervisor)', '应包含记名记录的导出（工作人员/监督小组）未提供该记录'));
      else skip = T('named record not in the bundle (public export: only its hash); ask with a supervisor token', '数据包中没有记名记录（公开导出仅含其哈希）；请使用监督小组令牌');
    } else if (!HandsRecordSchema.safeParse(item.record).success) fails.push(T('the named record is malformed', '记名记录格式错误'));
    else if (!records.byBallot.has(ballot.ballotId)) fails.push(T(`the named record does not hash to the logged recordHash ${short(stated.recordHash)}`, `记名记录的哈希与日志中的 recordHash ${short(stated.recordHash)} 不符`));
  }
  const hash = stated ? short(stated.recordHash) : '';
  out.add('hands-record', ballot.subject, fails, T(`record hash ${hash} matches the logged result`, `记录哈希 ${hash} 与日志中的结果一致`), { skip, remedy: ASK_SUPERVISOR });
  return fails.length === 0 ? (records.byBallot.get(ballot.ballotId) ?? null) : null;
}

/** hands-signatures and hands-staff-recorded. */
function checkHandsSignatures(ballot: BallotStages, ledger: Ledger, record: HandsRecord | null, records: ReadRecords, out: Collector): void {
  const fails: Text[] = [];
  const staff: Text[] = [];
  const result = ballot.result?.doc.kind === 'show-of-hands' ? ballot.result.doc : null;
  let skip: Text | null = null;
  if (!record) skip = result ? T('needs the named record (see hands-record)', '需要记名记录（见 hands-record）') : T('not tallied yet', '尚未计票');
  else {
    if (record.ballotId !== ballot.ballotId || (ballot.meetingId && record.meetingId !== ballot.meetingId)) fails.push(T('the record is of another ballot or meeting', '该记录属于其他投票或会议'));
    const eligible = new Set(ballot.eligible.map((m) => m.memberId));
    const checkins = ledger.ofType('checkin').filter((c) => c.doc.meetingId === record.meetingId);
    const signedHere = records.signedAt.get(record.meetingId) ?? new Set<string>();
    const supervisorDevices = ledger.ofType('supervisor-device').filter((d) => d.doc.cycleId === record.cycleId && (!ballot.result || d.index < ballot.result.index));
    const seen = new Set<string>();
    for (const vote of record.votes) {
      const who = vote.name;
      if (seen.has(vote.memberId)) fails.push(T(`${who} voted twice`, `${who} 重复表决`));
      seen.add(vote.memberId);
      const checkin = checkins.find((c) => c.doc.memberId === vote.memberId);
      if (!checkin) {
        fails.push(T(`${who} (${vote.memberId}) voted but has no check-in at meeting ${record.meetingId}: not present`, `${who}（${vote.memberId}）参与表决，但在会议 ${record.meetingId} 没有签到记录：未出席`));
        continue;
      }
      if (!eligible.has(vote.memberId)) fails.push(T(`${who} voted but was not checked in when the vote opened`, `${who} 参与表决，但表决开始时未签到`));
      if (ballot.opening && checkin.index > ballot.opening.index) fails.push(T(`${who} checked in after the vote opened`, `${who} 在表决开始后才签到`));
      if (vote.recordedBy === 'staff') {
        staff.push(T(`${who}: recorded by staff (${vote.staffName ?? 'staff'}), not signed by the member's device`, `${who}：由工作人员（${vote.staffName ?? '工作人员'}）代为记录，未经成员设备签名`));
        if (vote.signature !== null) fails.push(T(`${who}: staff-recorded but carries a signature`, `${who}：由工作人员记录却带有签名`));
        if (signedHere.has(vote.memberId)) fails.push(T(`${who}: recorded by staff, but ${who}'s tablet signed hands at this meeting: the tablet worked`, `${who}：由工作人员代为记录，但其平板在本次会议上签署过表决：设备可用`));
        const confirmation = vote.countersignature;
        const device = confirmation && supervisorDevices.find((d) => d.doc.deviceKey === confirmation.deviceKey);
        if (!confirmation) fails.push(T(`${who}: recorded by staff without a supervisor's confirmation`, `${who}：由工作人员代为记录，未经监督人员确认`));
        else if (!device) fails.push(T(`${who}: confirmed by a device that no supervisor-device entry of the cycle registered before the result`, `${who}：确认所用设备未在计票前登记为本周期的监督人员设备`));
        else if (!verifyDeviceSignature(device.doc.deviceKey, countersignMessage(ballot.ballotId, vote.memberId, vote.choices, vote.staffName ?? ''), confirmation.signature))
          fails.push(T(`${who}: the supervisor's confirmation does not verify for these choices (device #${device.index})`, `${who}：监督人员的确认签名与所记录的选项不符（设备 #${device.index}）`));
        else staff.push(T(`${who}: confirmed by supervisor ${device.doc.name} (device #${device.index})`, `${who}：已由监督人员${device.doc.name}确认（设备 #${device.index}）`));
        continue;
      }
      if (vote.deviceKey !== checkin.doc.deviceKey) fails.push(T(`${who}: the record names another device key than the check-in`, `${who}：记录所述设备公钥与签到时不同`));
      if (!verifyDeviceSignature(checkin.doc.deviceKey, handsMessage(ballot.ballotId, vote.memberId, vote.choices), vote.signature ?? ''))
        fails.push(T(`${who}: the vote's signature does not verify with the device key of the check-in (#${checkin.index})`, `${who}：表决签名无法用签到（#${checkin.index}）的设备公钥验证`));
    }
  }
  out.add('hands-signatures', ballot.subject, fails, T(`${record?.votes.length ?? 0} votes, each by a member checked in at the meeting`, `${record?.votes.length ?? 0} 票，均由在会议上签到的成员投出`), { skip, remedy: ASK_SUPERVISOR });
  if (record) out.add('hands-staff-recorded', ballot.subject, [], T('no vote recorded by staff', '没有工作人员代为记录的表决'), { warn: staff });
  else if (result) {
    const n = result.staffRecorded;
    out.add('hands-staff-recorded', ballot.subject, [], T('no vote recorded by staff', '没有工作人员代为记录的表决'), {
      warn: n ? [T(`${n} vote(s) recorded by staff (names in the named record)`, `${n} 票由工作人员代为记录（姓名见记名记录）`)] : [],
      remedy: ASK_SUPERVISOR,
    });
  }
}

/** hands-recount: every hand valid; the recount equals the record's and the result's tally. */
function checkHandsRecount(ballot: BallotStages, record: HandsRecord | null, out: Collector): void {
  const fails: Text[] = [];
  const result = ballot.result?.doc.kind === 'show-of-hands' ? ballot.result.doc : null;
  let skip: Text | null = null;
  if (!result) skip = T('not tallied yet', '尚未计票');
  else if (record) {
    // 回避: a member's hands on a candidate the member was recused from are invalid and not counted.
    const recused = (memberId: string) => recusedOf(ballot.opening?.doc ?? null, memberId);
    for (const vote of record.votes) {
      const verdict = checkChoices(vote.choices, ballot.candidateIds, ballot.seats, recused(vote.memberId));
      if (!verdict.ok) fails.push(T(`${vote.name}: ${verdict.en ?? ''}`, `${vote.name}:${verdict.zh ?? ''}`));
    }
    const recount = tally(ballot.candidateIds, record.votes.map((v) => v.choices), (i) => recused(record.votes[i]!.memberId));
    if (!sameJson(recount, record.tally)) fails.push(T(`the record's tally differs from the recount: ${diffTally(recount, record.tally)}`, `记录的计票与重新计票不符：${diffTally(recount, record.tally)}`));
    if (!sameJson(recount, result.tally)) fails.push(T(`the result's tally differs from the recount: ${diffTally(recount, result.tally)}`, `结果的计票与重新计票不符：${diffTally(recount, result.tally)}`));
    if (result.votes !== record.votes.length) fails.push(T(`the result states ${result.votes} votes, the record has ${record.votes.length}`, `结果称 ${result.votes} 票，记录有 ${record.votes.length} 票`));
    const staffCount = record.votes.filter((v) => v.recordedBy === 'staff').length;
    if (result.staffRecorded !== staffCount) fails.push(T(`the result states ${result.staffRecorded} staff-recorded, the record has ${staffCount}`, `结果称工作人员代记 ${result.staffRecorded} 票，记录有 ${staffCount} 票`));
    if (!sameJson(record.eligible, ballot.eligible)) fails.push(T('the record lists other eligible members than the logged opening', '记录所列有资格成员与表决开始时的记录不同'));
  } else {
    // Without the record: the published counts are at least coherent.
    for (const id of ballot.candidateIds) {
      const row = result.tally[id];
      if (!row || row.for + row.against + row.abstain !== result.votes) fails.push(T(`candidate ${id}: counts do not add up to ${result.votes} votes`, `候选组织 ${id}：票数之和不等于 ${result.votes}`));
    }
    if (result.votes > ballot.eligible.length) fails.push(T(`${result.votes} votes but ${ballot.eligible.length} members present`, `${result.votes} 票，但出席成员仅 ${ballot.eligible.length} 人`));
    if (!fails.length) skip = T('named record not in the bundle: counts only checked for coherence', '数据包中没有记名记录：仅检查了票数是否自洽');
  }
  out.add('hands-recount', ballot.subject, fails, T(`recount of ${record?.votes.length ?? 0} votes equals the published tally`, `${record?.votes.length ?? 0} 票重新计票与公布一致`), { skip, remedy: ASK_SUPERVISOR });
}
