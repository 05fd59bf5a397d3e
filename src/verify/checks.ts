/**
 * The supervisory group's independent verifier (issue 9): pure checks over a cycle export bundle
 * (bundle.ts). No I/O and no runtime imports — the CLI (scripts/verify.ts) and the supervisors'
 * dashboard page in the browser run the same code.
 *
 * What is trusted: only the log key the supervisors pinned (and the witness keys they require).
 * Everything else is recomputed: the checkpoint's signature and cosignatures, the log's consistency
 * with the state saved last time, every entry's inclusion and every document's hash; then the
 * content: ballot keys logged first, every bulletin signature, no token twice, ballots ≤ members
 * served, ballot validity, recounts and results under each ballot's own rules (src/votes/rules.ts, the
 * same rules the server counts with), show-of-hands votes signed by members checked in at the meeting,
 * notice windows and objection deadlines by the working-day calendar, and results published by their
 * due dates.
 *
 * Semantic checks read a document only if it hashes to what its entry commits to; a tampered
 * document fails `document-hashes` and is then treated as missing.
 * @module
 */
import { batchVerify as pureBatchVerify, CIPHERSUITE, popVerify, tokenMessage, type BatchResult } from '../../crypto/blind.js';
import { fromBase64, fromHex, toBase64, toHex, utf8Decode, equalBytes } from '../../crypto/bytes.js';
import { checkRecord, checkTree, recordHash } from '../../crypto/tlog.js';
import { newVerifier, openNote, parseCheckpoint, verifyCosignature, SIG_COSIGNATURE_V1, type Checkpoint } from '../../crypto/note.js';
import { AWARD_NAMES, MAX_WINNERS_PER_AWARD, checkChoices, decide, quorumMet, tally, type Award, type Choices, type Result, type Rules, type Tally } from '../votes/rules.js';
import { checkInMessage, handsMessage, verifyDeviceSignature } from '../votes/messages.js';
import { buildCalendar, type Calendar, type OverrideEntry } from '../calendar/workdays.js';
import { objectionVerificationDue, publicityWindow, OBJECTION_VERIFICATION_WORKING_DAYS, PUBLICITY_WORKING_DAYS } from '../calendar/rules.js';
import { shortHash, TABLE_VERSION, type OfficialYear } from '../calendar/table.js';
import type { BundleCalendar, ExportBundle } from './bundle.js';
import { canonical, sameJson, sha256Text } from './canonical.js';

// ---------------------------------------------------------------- report types

export type Status = 'pass' | 'fail' | 'warn' | 'skip';
export interface Text {
  en: string;
  zh: string;
}

/** Every check by name, with its title; the report lists them in this order. */
export const CHECKS = {
  'checkpoint-signature': { en: 'Checkpoint signed by the pinned log key', zh: '检查点由预置日志公钥签名' },
  'witness-cosignatures': { en: 'Required witness cosignatures', zh: '所需见证方联署签名' },
  'log-consistency': { en: 'Log only grew since the saved state', zh: '日志自上次保存状态以来只增未改' },
  'entry-format': { en: 'Entries well-formed and of this cycle', zh: '日志条目格式正确且属于本周期' },
  'entry-inclusion': { en: 'Every entry included in the checkpoint', zh: '每个条目均包含于检查点' },
  'document-hashes': { en: 'Every document matches its hash', zh: '每份文档与其哈希一致' },
  'entry-references': { en: 'References between entries resolve', zh: '条目间引用均可解析' },
  'calendar-table': { en: 'Calendar table matches its version', zh: '工作日历表与版本号一致' },
  'checkin-signatures': { en: 'Check-ins signed by the members’ devices', zh: '签到由成员设备签名' },
  'ballot-settings': { en: 'Ballot settings the same at every stage', zh: '投票设置在各阶段一致' },
  'ballot-eligible': { en: 'Eligible members were checked in; quorum', zh: '有资格成员均已签到;法定人数' },
  'ballot-key-first': { en: 'Ballot key (with proof of possession) logged before the first token', zh: '投票公钥(含持有证明)先于首张凭证记录' },
  'bulletin-signatures': { en: 'Every bulletin signature verifies', zh: '选票公告中每个签名均有效' },
  'bulletin-unique-tokens': { en: 'No token used twice', zh: '无重复使用的凭证' },
  'bulletin-within-served': { en: 'Ballots ≤ members served a token', zh: '选票数不超过领取凭证的成员数' },
  'bulletin-ballots-valid': { en: 'Every ballot valid', zh: '每张选票均有效' },
  'secret-recount': { en: 'Recount equals the published tally', zh: '重新计票与公布的计票一致' },
  'hands-record': { en: 'Named record matches the logged hash', zh: '记名表决记录与日志哈希一致' },
  'hands-signatures': { en: 'Every hand signed by a member checked in at the meeting', zh: '每票均由在会议上签到的成员设备签名' },
  'hands-staff-recorded': { en: 'Staff-recorded hands', zh: '工作人员代为记录的表决' },
  'hands-recount': { en: 'Recount equals the published tally', zh: '重新计票与公布的计票一致' },
  'ballot-result': { en: 'Pass/fail, winners, vacancies and run-off follow the rules', zh: '通过与否、当选、空缺及决选符合规则' },
  'award-seat-cap': { en: 'At most 25 winners per award (三(一))', zh: '每个奖项获奖不超过25个(三(一))' },
  'notice-windows': { en: 'Notice windows agree with the calendar', zh: '公示期与工作日历一致' },
  'notice-results': { en: 'Winner lists agree with the ballot results', zh: '授奖名单与投票结果一致' },
  'objection-deadlines': { en: 'Objection due dates agree with the calendar', zh: '异议核查期限与工作日历一致' },
  'objection-results': { en: 'Every objection has its result by the due date', zh: '每项异议均按期公示核查结果' },
} as const satisfies Record<string, Text>;

export type CheckId = keyof typeof CHECKS;

export interface CheckResult {
  id: CheckId;
  title: Text;
  /** What the check is about (a ballot), or null for the whole bundle. */
  subject: Text | null;
  status: Status;
  message: Text;
  /** Named findings: failures (fail), items of note (warn), or what was checked (pass). */
  details: Text[];
}

/** The log state the verifier saves between runs (the --state file). */
export interface LogState {
  origin: string;
  size: number;
  /** Root hash, base64. */
  hash: string;
  checkpoint?: string;
  savedAt?: string;
}

/** A BLS batch verifier: crypto/blind.ts by default; tools/blst.ts when native blst is installed. */
export interface BlsBackend {
  name: string;
  batchVerify(publicKey: Uint8Array, items: readonly { message: Uint8Array; signature: Uint8Array }[]): BatchResult;
}

export const PURE_BLS: BlsBackend = { name: '@noble/curves (pure JS)', batchVerify: (pk, items) => pureBatchVerify(pk, items) };

export interface VerifyOptions {
  /** The pinned log verifier key text (Go note format). */
  logKey: string;
  /** Witness verifier keys (cosignature/v1) that must each have cosigned the checkpoint. */
  witnessKeys?: readonly string[];
  /** The state saved by the previous run, if any. */
  state?: LogState | null;
  /** "Now" for overdue objections (default: the current time). */
  now?: Date;
  bls?: BlsBackend;
}

export interface VerifyReport {
  format: 'hzqa-verify-report/v1';
  ok: boolean;
  cycleId: string;
  asOf: string;
  exportedAt: string;
  audience: string;
  checkpoint: { origin: string; size: number; root: string; cosignatures: { witness: string; time: string }[] } | null;
  bls: string;
  counts: Record<Status, number>;
  checks: CheckResult[];
  /** The state to save for the next run (null when the checkpoint must not be trusted). */
  newState: LogState | null;
}

// ---------------------------------------------------------------- small helpers

const T = (en: string, zh: string): Text => ({ en, zh });
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Entry {
  index: number;
  bytes: Uint8Array | null;
  type: string;
  cycle: string | null;
  docHash: string;
  refs: Record<string, string | number>;
  /** The document, only if it hashes to docHash. */
  doc: Doc | null;
}

class Collector {
  readonly results: CheckResult[] = [];
  add(id: CheckId, subject: Text | null, fails: Text[], pass: Text, opts: { warn?: Text[]; skip?: Text | null; info?: Text[] } = {}) {
    let status: Status = 'pass';
    let message = pass;
    let details = opts.info ?? [];
    if (fails.length) {
      status = 'fail';
      message = T(`${fails.length} problem(s)`, `${fails.length} 处问题`);
      details = fails;
    } else if (opts.skip) {
      status = 'skip';
      message = opts.skip;
    } else if (opts.warn?.length) {
      status = 'warn';
      message = T(`${opts.warn.length} item(s) of note`, `${opts.warn.length} 项需注意`);
      details = opts.warn;
    }
    this.results.push({ id, title: CHECKS[id], subject, status, message, details });
  }
}

const short = (hex: string) => (typeof hex === 'string' ? hex.slice(0, 12) + '…' : String(hex));
const isHex = (s: unknown, bytes: number): s is string => typeof s === 'string' && new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(s);

function tryB64(s: string): Uint8Array | null {
  try {
    return fromBase64(s);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- the verifier

/** Runs every check over a parsed bundle (bundle.ts parseBundle). Never throws for bad contents. */
export function verifyBundle(bundle: ExportBundle, options: VerifyOptions): VerifyReport {
  const now = options.now ?? new Date();
  const bls = options.bls ?? PURE_BLS;
  const out = new Collector();
  const cycleId = bundle.cycleId;

  // ------------------------------------------------------------ checkpoint and witnesses
  let cp: (Checkpoint & { extensions: string[] }) | null = null;
  let cpFails: Text[] = [];
  const cpInfo: Text[] = [];
  try {
    const logVerifier = newVerifier(options.logKey);
    const opened = openNote(bundle.log.checkpoint, [logVerifier]);
    cp = parseCheckpoint(opened.text);
    if (cp.origin !== bundle.log.origin) cpFails.push(T(`origin ${cp.origin} differs from the bundle's ${bundle.log.origin}`, `检查点来源 ${cp.origin} 与数据包所述 ${bundle.log.origin} 不符`));
    if (cp.size !== bundle.log.size) cpFails.push(T(`signed size ${cp.size} differs from the bundle's ${bundle.log.size}`, `签名的大小 ${cp.size} 与数据包所述 ${bundle.log.size} 不符`));
    cpInfo.push(T(`${cp.origin}, size ${cp.size}, root ${toBase64(cp.hash)}`, `${cp.origin},大小 ${cp.size},根哈希 ${toBase64(cp.hash)}`));
    if (bundle.log.verifierKey.trim() !== options.logKey.trim())
      cpInfo.push(T('note: the bundle states another log key than the pinned one; the pinned key was used', '注意:数据包所述日志公钥与预置公钥不同;已使用预置公钥'));
  } catch (e) {
    cp = null;
    cpFails = [T(`the checkpoint does not verify with the pinned log key: ${(e as Error).message}`, `检查点无法用预置日志公钥验证:${(e as Error).message}`)];
  }
  out.add('checkpoint-signature', null, cpFails, T('signature verifies', '签名有效'), { info: cpInfo });
  const cpOk = cp !== null && cpFails.length === 0;

  const cosigs: { witness: string; time: string }[] = [];
  {
    const fails: Text[] = [];
    const info: Text[] = [];
    for (const key of options.witnessKeys ?? []) {
      try {
        const v = newVerifier(key);
        if (v.type !== SIG_COSIGNATURE_V1) throw new Error('not a cosignature/v1 (type 0x04) key');
        const { timestamp } = verifyCosignature(bundle.log.checkpoint, v);
        const time = new Date(timestamp * 1000).toISOString();
        cosigs.push({ witness: v.name, time });
        info.push(T(`${v.name} cosigned at ${time}`, `${v.name} 于 ${time} 联署`));
      } catch (e) {
        fails.push(T(`witness ${key.split('+')[0]} did not cosign this checkpoint (${(e as Error).message})`, `见证方 ${key.split('+')[0]} 未联署该检查点(${(e as Error).message})`));
      }
    }
    const none = (options.witnessKeys ?? []).length === 0;
    out.add('witness-cosignatures', null, fails, T('every required witness cosigned', '所有要求的见证方均已联署'), {
      skip: none ? T('no --witness-key given', '未指定 --witness-key') : null,
      info,
    });
  }

  // ------------------------------------------------------------ consistency with the saved state
  let consistencyOk = true;
  {
    const st = options.state ?? null;
    const fails: Text[] = [];
    let skip: Text | null = null;
    const info: Text[] = [];
    if (!cp) skip = T('no verified checkpoint', '没有已验证的检查点');
    else if (!st) skip = T('no saved state (first run): this checkpoint will be saved', '没有已保存的状态(首次运行):将保存本检查点');
    else {
      const oldHash = tryB64(st.hash);
      if (st.origin !== cp.origin) fails.push(T(`saved state is of another log (${st.origin})`, `已保存状态属于另一日志(${st.origin})`));
      else if (!oldHash || oldHash.length !== 32 || !Number.isSafeInteger(st.size) || st.size < 0) fails.push(T('saved state is malformed', '已保存状态格式错误'));
      else if (st.size > cp.size) fails.push(T(`the log shrank: saved size ${st.size}, now ${cp.size}`, `日志变短:已保存大小 ${st.size},现为 ${cp.size}`));
      else if (st.size === cp.size) {
        if (!equalBytes(oldHash, cp.hash)) fails.push(T(`fork: same size ${cp.size} but another root hash than the saved one`, `分叉:大小同为 ${cp.size},根哈希与已保存的不同`));
        else info.push(T(`unchanged since the saved state (size ${cp.size})`, `与已保存状态相同(大小 ${cp.size})`));
      } else if (st.size === 0) info.push(T('saved state was the empty log', '已保存状态为空日志'));
      else {
        const c = bundle.log.consistency;
        if (!c || c.from !== st.size || c.to !== cp.size)
          skip = T(`no consistency proof from size ${st.size} to ${cp.size} in the bundle`, `数据包中没有从大小 ${st.size} 到 ${cp.size} 的一致性证明`);
        else {
          const proof = c.proof.map(tryB64);
          try {
            if (proof.some((p) => !p)) throw new Error('malformed proof');
            checkTree(proof as Uint8Array[], cp.size, cp.hash, st.size, oldHash);
            info.push(T(`consistent: ${st.size} → ${cp.size}`, `一致:${st.size} → ${cp.size}`));
          } catch {
            fails.push(T(`fork: the checkpoint of size ${cp.size} does not extend the saved one of size ${st.size}`, `分叉:大小 ${cp.size} 的检查点并未延续已保存的大小 ${st.size} 的检查点`));
          }
        }
      }
    }
    consistencyOk = fails.length === 0;
    out.add('log-consistency', null, fails, T('the log only grew', '日志只增未改'), { skip, info });
  }

  // ------------------------------------------------------------ entries, inclusion, documents
  const entries = new Map<number, Entry>();
  {
    const fmt: Text[] = [];
    const incl: Text[] = [];
    const docs: Text[] = [];
    let prev = -1;
    for (const be of bundle.entries) {
      const at = `#${be.index}`;
      if (be.index <= prev) fmt.push(T(`entry ${at}: indexes not strictly increasing`, `条目 ${at}:序号未严格递增`));
      prev = Math.max(prev, be.index);
      const bytes = tryB64(be.entry);
      let parsed: Doc | null = null;
      if (!bytes) fmt.push(T(`entry ${at}: not base64`, `条目 ${at}:不是 base64`));
      else {
        try {
          const text = utf8Decode(bytes);
          parsed = JSON.parse(text) as Doc;
          if (canonical(parsed) !== text) throw new Error('not canonical JSON');
          if (parsed.v !== 1 || typeof parsed.type !== 'string' || !isHex(parsed.doc, 32) || typeof parsed.refs !== 'object' || parsed.refs === null)
            throw new Error('not a v1 entry');
          if (parsed.cycle !== cycleId) fmt.push(T(`entry ${at} (${parsed.type}) is of cycle ${parsed.cycle}, not ${cycleId}`, `条目 ${at}(${parsed.type})属于周期 ${parsed.cycle},而非 ${cycleId}`));
        } catch (e) {
          fmt.push(T(`entry ${at}: ${(e as Error).message}`, `条目 ${at}:格式错误(${(e as Error).message})`));
          parsed = null;
        }
      }
      if (cp && bytes) {
        if (be.index >= cp.size) incl.push(T(`entry ${at} is beyond the checkpoint (size ${cp.size})`, `条目 ${at} 超出检查点(大小 ${cp.size})`));
        else {
          const proof = be.proof.map(tryB64);
          try {
            if (proof.some((p) => !p)) throw new Error('malformed proof');
            checkRecord(proof as Uint8Array[], cp.size, cp.hash, be.index, recordHash(bytes));
          } catch {
            incl.push(T(`entry ${at}${parsed ? ` (${parsed.type})` : ''} is not included in the checkpoint`, `条目 ${at}${parsed ? `(${parsed.type})` : ''} 不包含于检查点`));
          }
        }
      }
      if (!parsed) continue;
      let doc: Doc | null = null;
      const body = bundle.documents[parsed.doc as string];
      if (body === undefined) docs.push(T(`entry ${at} (${parsed.type}): document ${short(parsed.doc)} missing`, `条目 ${at}(${parsed.type}):缺少文档 ${short(parsed.doc)}`));
      else if (sha256Text(body) !== parsed.doc) docs.push(T(`entry ${at} (${parsed.type}): the document does not match its hash ${short(parsed.doc)}`, `条目 ${at}(${parsed.type}):文档与其哈希 ${short(parsed.doc)} 不符`));
      else {
        try {
          const d = JSON.parse(body) as unknown;
          if (canonical(d) !== body) throw new Error('not canonical');
          if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error('not an object');
          doc = d as Doc;
        } catch {
          docs.push(T(`entry ${at} (${parsed.type}): the document is not canonical JSON`, `条目 ${at}(${parsed.type}):文档不是规范 JSON`));
        }
      }
      entries.set(be.index, { index: be.index, bytes, type: parsed.type, cycle: parsed.cycle, docHash: parsed.doc, refs: parsed.refs, doc });
    }
    out.add('entry-format', null, fmt, T(`${bundle.entries.length} entries well-formed`, `${bundle.entries.length} 个条目格式正确`), {
      info: bundle.log.pendingEntries ? [T(`${bundle.log.pendingEntries} newer entries of the cycle are not yet in a checkpoint`, `本周期另有 ${bundle.log.pendingEntries} 个较新条目尚未进入检查点`)] : [],
    });
    out.add('entry-inclusion', null, incl, T(`${bundle.entries.length} inclusion proofs verify`, `${bundle.entries.length} 个包含证明均有效`), {
      skip: cp ? null : T('no verified checkpoint', '没有已验证的检查点'),
    });
    out.add('document-hashes', null, docs, T('every document matches its entry', '每份文档均与其条目一致'));
  }

  // ------------------------------------------------------------ index of documents by kind
  const all = [...entries.values()].sort((a, b) => a.index - b.index);
  /** Some entry's document failed its hash: missing stages are then not reported again. */
  const someUnreadable = all.some((e) => e.doc === null);
  const unreadable = (idx: unknown) => typeof idx === 'number' && entries.has(idx) && entries.get(idx)!.doc === null;
  const ofType = (type: string) => all.filter((e) => e.type === type && e.doc);
  const byBallot = (type: string) => {
    const m = new Map<string, Entry>();
    for (const e of ofType(type)) if (typeof e.doc!.ballotId === 'string' && !m.has(e.doc!.ballotId)) m.set(e.doc!.ballotId, e);
    return m;
  };
  const meetingsOpen = new Map<string, Entry>();
  for (const e of ofType('meeting-open')) meetingsOpen.set(e.doc!.meetingId, e);
  const meetingsClose = new Map<string, Entry>();
  for (const e of ofType('meeting-close')) meetingsClose.set(e.doc!.meetingId, e);
  const checkins = ofType('checkin');
  const checkinOf = (meetingId: string, memberId: string) => checkins.find((c) => c.doc!.meetingId === meetingId && c.doc!.memberId === memberId);
  const prepared = byBallot('ballot-prepared');
  const keys = byBallot('ballot-key');
  const votings = byBallot('ballot-voting');
  const castings = new Map<string, Entry>();
  for (const e of ofType('ballot-phase')) if (e.doc!.phase === 'casting' && !castings.has(e.doc!.ballotId)) castings.set(e.doc!.ballotId, e);
  const bulletins = byBallot('ballot-bulletin');
  const results = byBallot('ballot-result');
  const notices = ofType('notice');
  const receipts = ofType('objection-receipt');

  // ------------------------------------------------------------ references
  {
    const fails: Text[] = [];
    const want = (from: Entry, what: string, idx: unknown, type: string | string[]) => {
      const types = Array.isArray(type) ? type : [type];
      if (!Number.isSafeInteger(idx)) return void fails.push(T(`entry #${from.index} (${from.type}): ${what} is not an entry index`, `条目 #${from.index}(${from.type}):${what} 不是条目序号`));
      const target = entries.get(idx as number);
      if (!target) return void fails.push(T(`entry #${from.index} (${from.type}): ${what} → entry #${idx}, which is not in the bundle`, `条目 #${from.index}(${from.type}):${what} 指向条目 #${idx},数据包中没有该条目`));
      if (!types.includes(target.type)) fails.push(T(`entry #${from.index} (${from.type}): ${what} → entry #${idx} is a ${target.type}, not a ${types.join('/')}`, `条目 #${from.index}(${from.type}):${what} 指向的条目 #${idx} 类型为 ${target.type},而非 ${types.join('/')}`));
      return target;
    };
    const same = (from: Entry, what: string, a: unknown, b: unknown) => {
      if (a !== b) fails.push(T(`entry #${from.index} (${from.type}): refs.${what} (${a}) ≠ the document's (${b})`, `条目 #${from.index}(${from.type}):refs.${what}(${a})与文档(${b})不符`));
    };
    for (const e of all) {
      const d = e.doc;
      if (e.type === 'ballot-bulletin') {
        want(e, 'refs.keyLogIndex', e.refs.keyLogIndex, 'ballot-key');
        if (d) same(e, 'keyLogIndex', e.refs.keyLogIndex, d.keyLogIndex);
      }
      if (e.type === 'ballot-result' && d?.kind === 'secret') {
        want(e, 'refs.bulletinLogIndex', e.refs.bulletinLogIndex, 'ballot-bulletin');
        same(e, 'bulletinLogIndex', e.refs.bulletinLogIndex, d.bulletinLogIndex);
      }
      if (e.type === 'objection-receipt') {
        if (e.refs.notice !== undefined || d?.noticeLogIndex !== undefined) want(e, 'refs.notice', e.refs.notice, 'notice');
        if (d) same(e, 'notice', e.refs.notice, d.noticeLogIndex);
      }
      if (e.type === 'notice') {
        if (e.refs.corrects !== undefined || d?.corrects) {
          const t = want(e, 'refs.corrects', e.refs.corrects, 'notice');
          if (d?.corrects) {
            same(e, 'corrects', e.refs.corrects, d.corrects.logIndex);
            if (t && (t.docHash !== d.corrects.documentHash || (t.doc && t.doc.id !== d.corrects.id)))
              fails.push(T(`notice #${e.index} corrects #${t.index}, but names another document or notice id`, `公告 #${e.index} 更正 #${t.index},但所述文档或公告编号不符`));
          }
        }
        for (const [k, v] of Object.entries(e.refs)) {
          const m = /^(result|bulletin|receipt)\.(\d+)$/.exec(k);
          if (!m) continue;
          want(e, `refs.${k}`, v, m[1] === 'result' ? 'ballot-result' : m[1] === 'bulletin' ? 'ballot-bulletin' : 'objection-receipt');
          const i = Number(m[2]);
          if (d) {
            const docVal = m[1] === 'result' ? d.ballots?.[i]?.resultLogIndex : m[1] === 'bulletin' ? d.ballots?.[i]?.bulletinLogIndex : d.objections?.[i]?.receiptLogIndex;
            same(e, k, v, docVal);
          }
        }
      }
      if (d && typeof d.ballotId === 'string' && e.type.startsWith('ballot-') && e.type !== 'ballot-prepared' && !prepared.has(d.ballotId))
        fails.push(T(`entry #${e.index} (${e.type}) is of ballot ${d.ballotId}, whose ballot-prepared entry is not in the bundle`, `条目 #${e.index}(${e.type})所属投票 ${d.ballotId} 的 ballot-prepared 条目不在数据包中`));
      if (d && (e.type === 'checkin' || e.type === 'ballot-prepared' || e.type === 'meeting-close') && !meetingsOpen.has(d.meetingId))
        fails.push(T(`entry #${e.index} (${e.type}) names meeting ${d.meetingId}, whose meeting-open entry is not in the bundle`, `条目 #${e.index}(${e.type})所述会议 ${d.meetingId} 的 meeting-open 条目不在数据包中`));
    }
    // Every tallied ballot has each entry its kind requires.
    for (const [ballotId, r] of someUnreadable ? [] : results) {
      const kind = r.doc!.kind;
      const need: [string, Map<string, Entry>][] = kind === 'secret' ? [['ballot-key', keys], ['ballot-phase (casting)', castings], ['ballot-bulletin', bulletins]] : [['ballot-voting', votings]];
      for (const [name, m] of need) if (!m.has(ballotId)) fails.push(T(`ballot ${ballotId} has a result but no ${name} entry in the bundle`, `投票 ${ballotId} 有结果,但数据包中没有其 ${name} 条目`));
    }
    for (const item of bundle.handsRecords) {
      const rec = item.record as Doc | null;
      if (!rec || !Array.isArray(rec.votes)) continue;
      for (const v of rec.votes as Doc[]) {
        if (v.checkinLogIndex === null || v.checkinLogIndex === undefined) continue;
        const t = entries.get(v.checkinLogIndex);
        if (!t || t.type !== 'checkin') fails.push(T(`record of ${item.ballotId}: ${v.name ?? v.memberId}'s check-in #${v.checkinLogIndex} is not in the bundle`, `${item.ballotId} 的记录:${v.name ?? v.memberId} 的签到条目 #${v.checkinLogIndex} 不在数据包中`));
      }
    }
    out.add('entry-references', null, fails, T('every reference resolves to an entry of the right type', '每个引用均指向类型正确的条目'));
  }

  // ------------------------------------------------------------ calendar
  const cals = calendarsOf(bundle.calendar);
  out.add('calendar-table', null, cals.fails, T(`table ${bundle.calendar.tableVersion}, effective ${bundle.calendar.version}`, `日历表 ${bundle.calendar.tableVersion},生效版本 ${bundle.calendar.version}`), { warn: cals.warn });

  // ------------------------------------------------------------ check-ins
  {
    const fails: Text[] = [];
    const seen = new Set<string>();
    for (const c of checkins) {
      const d = c.doc!;
      const who = `${d.name ?? d.memberId} (#${c.index})`;
      if (!verifyDeviceSignature(String(d.deviceKey), checkInMessage(String(d.meetingId), String(d.memberId)), String(d.signature)))
        fails.push(T(`check-in of ${who}: the signature does not verify with its device key`, `${who} 的签到:签名无法用其设备公钥验证`));
      const open = meetingsOpen.get(d.meetingId);
      if (open) {
        if (open.index > c.index) fails.push(T(`check-in of ${who} is logged before its meeting opened`, `${who} 的签到早于会议开始记录`));
        if (!Array.isArray(open.doc!.roster) || !open.doc!.roster.some((m: Doc) => m.memberId === d.memberId))
          fails.push(T(`check-in of ${who}: not on the meeting's roster`, `${who} 的签到:不在会议名册中`));
      }
      const close = meetingsClose.get(d.meetingId);
      if (close && close.index < c.index) fails.push(T(`check-in of ${who} is logged after its meeting closed`, `${who} 的签到晚于会议结束记录`));
      const k = `${d.meetingId}\n${d.memberId}`;
      if (seen.has(k)) fails.push(T(`${who} checked in twice at meeting ${d.meetingId}`, `${who} 在会议 ${d.meetingId} 重复签到`));
      seen.add(k);
    }
    out.add('checkin-signatures', null, fails, T(`${checkins.length} check-ins verify`, `${checkins.length} 个签到均有效`));
  }

  // ------------------------------------------------------------ ballots
  const ballotIds = [...new Set([...prepared.keys(), ...keys.keys(), ...votings.keys(), ...bulletins.keys(), ...results.keys()])];
  const winnersByAward = new Map<string, string[]>();
  for (const ballotId of ballotIds) {
    const P = prepared.get(ballotId)?.doc ?? null;
    const K = keys.get(ballotId) ?? null;
    const V = votings.get(ballotId) ?? null;
    const C = castings.get(ballotId) ?? null;
    const B = bulletins.get(ballotId) ?? null;
    const R = results.get(ballotId) ?? null;
    const kind: string = P?.kind ?? (K || B ? 'secret' : 'show-of-hands');
    const award: string = P?.award ?? R?.doc!.award ?? K?.doc!.award ?? '';
    const awardName = AWARD_NAMES[award as Award] ?? { en: award, zh: award };
    const subject = T(`ballot ${ballotId} · ${awardName.en} · ${kind}`, `投票 ${ballotId} · ${awardName.zh} · ${kind === 'secret' ? '无记名投票' : '举手表决'}`);
    const open = kind === 'secret' ? K : V;
    const candidates: { id: string; name: string }[] = Array.isArray(P?.candidates) ? P!.candidates : Array.isArray(open?.doc!.candidates) ? open!.doc!.candidates : [];
    const candidateIds = candidates.map((c) => c.id);
    const seats: number = P?.seats ?? open?.doc!.seats ?? 0;
    const rules: Rules = P?.rules ?? open?.doc!.rules;
    const eligible: Doc[] = Array.isArray(open?.doc!.eligible) ? open!.doc!.eligible : [];
    const present = eligible.length;
    const meetingId: string | undefined = P?.meetingId;

    // settings: candidates, seats and rules are those prepared, at every stage; run-offs follow their parent.
    {
      const fails: Text[] = [];
      if (!P) fails.push(T('no ballot-prepared entry', '没有 ballot-prepared 条目'));
      const stages: [string, Doc | null | undefined][] = [[kind === 'secret' ? 'ballot-key' : 'ballot-voting', open?.doc], ['ballot-bulletin', B?.doc], ['ballot-result', R?.doc]];
      for (const [name, d] of stages) {
        if (!d || !P) continue;
        for (const f of ['seats', 'rules', 'candidates', 'award'] as const)
          if (!sameJson(d[f], P[f])) fails.push(T(`${name}: ${f} differ from the prepared ballot`, `${name}:${f} 与准备时不一致`));
        if (name !== 'ballot-bulletin' && d.kind !== undefined && d.kind !== P.kind) fails.push(T(`${name}: kind differs`, `${name}:投票方式不一致`));
      }
      if (P?.runoffOf) {
        const parent = results.get(P.runoffOf)?.doc;
        const ro = parent?.result?.runoff;
        if (!ro) fails.push(T(`run-off of ${P.runoffOf}, whose result asks for no run-off`, `为 ${P.runoffOf} 的决选,但该投票结果未要求决选`));
        else {
          if (P.seats !== ro.seats) fails.push(T(`run-off seats ${P.seats} ≠ ${ro.seats} left by the tie`, `决选名额 ${P.seats} ≠ 平票所余名额 ${ro.seats}`));
          if (!sameJson([...candidateIds].sort(), [...ro.candidates].sort())) fails.push(T('run-off candidates are not exactly the tied ones', '决选候选组织并非恰为平票者'));
        }
      }
      out.add('ballot-settings', subject, fails, T(`${candidateIds.length} candidates, ${seats} seat(s), rules as prepared`, `${candidateIds.length} 个候选组织,${seats} 个名额,规则与准备时一致`));
    }

    // eligible: each eligible member checked in at the meeting before the vote opened; quorum.
    if (open) {
      const fails: Text[] = [];
      const ids = new Set<string>();
      for (const m of eligible) {
        if (ids.has(m.memberId)) fails.push(T(`${m.name} listed twice`, `${m.name} 重复列出`));
        ids.add(m.memberId);
        const ci = meetingId ? checkinOf(meetingId, m.memberId) : undefined;
        if (!ci) fails.push(T(`${m.name ?? m.memberId} is eligible but has no check-in at meeting ${meetingId}`, `${m.name ?? m.memberId} 有投票资格,但在会议 ${meetingId} 没有签到记录`));
        else if (ci.index > open.index) fails.push(T(`${m.name ?? m.memberId} checked in (#${ci.index}) after the vote opened (#${open.index})`, `${m.name ?? m.memberId} 的签到(#${ci.index})晚于投票开始(#${open.index})`));
      }
      const d = open.doc!;
      if (d.present !== present) fails.push(T(`present ${d.present} ≠ ${present} eligible members listed`, `出席人数 ${d.present} ≠ 所列有资格成员 ${present} 人`));
      const roster = meetingId ? meetingsOpen.get(meetingId)?.doc?.membersTotal : undefined;
      if (roster !== undefined && d.membersTotal !== roster) fails.push(T(`members total ${d.membersTotal} ≠ the meeting roster's ${roster}`, `成员总数 ${d.membersTotal} ≠ 会议名册的 ${roster}`));
      if (rules && !quorumMet(rules, present, d.membersTotal)) fails.push(T(`no quorum: ${present} of ${d.membersTotal}`, `未达法定人数:${d.membersTotal} 人中 ${present} 人`));
      out.add('ballot-eligible', subject, fails, T(`${present} of ${d.membersTotal} members present, all checked in before the vote opened`, `${d.membersTotal} 名成员中 ${present} 名出席,均在投票开始前签到`));
    }

    let recount: Tally | null = null;
    if (kind === 'secret') {
      const bd = B?.doc ?? null;
      const ballots: Doc[] = Array.isArray(bd?.ballots) ? bd!.ballots : [];

      // key first
      {
        const fails: Text[] = [];
        if (!K) fails.push(T('no ballot-key entry: the key was never logged', '没有 ballot-key 条目:公钥从未记录'));
        else {
          const kd = K.doc!;
          if (kd.ciphersuite !== CIPHERSUITE) fails.push(T(`unexpected ciphersuite ${kd.ciphersuite}`, `密码套件 ${kd.ciphersuite} 不符`));
          if (!isHex(kd.publicKey, 48) || !isHex(kd.proofOfPossession, 96) || !popVerify(fromHex(kd.publicKey), fromHex(kd.proofOfPossession)))
            fails.push(T('the proof of possession does not verify', '持有证明无效'));
          if (C && C.index < K.index) fails.push(T(`casting (#${C.index}) opened before the key was logged (#${K.index})`, `投票阶段(#${C.index})早于公钥记录(#${K.index})`));
          if (B) {
            if (B.index < K.index) fails.push(T(`bulletin (#${B.index}) before the key (#${K.index})`, `选票公告(#${B.index})早于公钥(#${K.index})`));
            if (bd && bd.keyLogIndex !== K.index) fails.push(T(`the bulletin names key entry #${bd.keyLogIndex}, not #${K.index}`, `选票公告所述公钥条目为 #${bd.keyLogIndex},而非 #${K.index}`));
            if (bd && bd.publicKey !== kd.publicKey) fails.push(T('the bulletin states another public key than the one logged', '选票公告所述公钥与记录的不同'));
          }
          if (!C && B) fails.push(T('no casting entry (issuance never closed) but a bulletin', '没有投票阶段条目(凭证发放未结束),却有选票公告'));
        }
        out.add('ballot-key-first', subject, fails, T(K ? `key logged at #${K.index}, proof of possession valid, before casting${C ? ` (#${C.index})` : ''}${B ? ` and the bulletin (#${B.index})` : ''}` : '', K ? `公钥记录于 #${K.index},持有证明有效,早于投票阶段${C ? `(#${C.index})` : ''}${B ? `及选票公告(#${B.index})` : ''}` : ''));
      }

      if (!bd) {
        const lost = R && unreadable(R.doc!.bulletinLogIndex);
        const why = lost
          ? T(`the bulletin's document (#${R!.doc!.bulletinLogIndex}) failed its hash (see document-hashes)`, `选票公告文档(#${R!.doc!.bulletinLogIndex})哈希不符(见 document-hashes)`)
          : T('no bulletin yet (casting not closed) or not in the bundle', '尚无选票公告(投票未结束)或不在数据包中');
        for (const id of ['bulletin-signatures', 'bulletin-unique-tokens', 'bulletin-within-served', 'bulletin-ballots-valid', 'secret-recount'] as const)
          out.add(id, subject, R && !lost && !someUnreadable ? [T('a result was published without a bulletin', '结果已公布,却没有选票公告')] : [], T('', ''), { skip: why });
      } else {
        // signatures (batch; one by one to name the bad ones)
        {
          const fails: Text[] = [];
          const items: { message: Uint8Array; signature: Uint8Array }[] = [];
          const at: number[] = [];
          ballots.forEach((b, i) => {
            if (!isHex(b.token, 32) || !isHex(b.signature, 96)) return void fails.push(T(`ballot ${i + 1} (token ${short(String(b.token))}): malformed token or signature`, `第 ${i + 1} 张选票(凭证 ${short(String(b.token))}):凭证或签名格式错误`));
            const message = tokenMessage(ballotId, fromHex(b.token));
            if (b.message !== toHex(message)) fails.push(T(`ballot ${i + 1} (token ${short(b.token)}): the stated message is not ballotId ‖ token`, `第 ${i + 1} 张选票(凭证 ${short(b.token)}):所述消息不是 ballotId ‖ token`));
            items.push({ message, signature: fromHex(b.signature) });
            at.push(i);
          });
          const pk = K && isHex(K.doc!.publicKey, 48) ? fromHex(K.doc!.publicKey) : null;
          if (!pk) fails.push(T('no valid logged key to verify with', '没有可用于验证的已记录公钥'));
          else {
            const r = bls.batchVerify(pk, items);
            if (!r.ok) for (const j of r.bad) fails.push(T(`ballot ${at[j]! + 1} (token ${short(ballots[at[j]!]!.token)}): the signature does not verify under the ballot's key`, `第 ${at[j]! + 1} 张选票(凭证 ${short(ballots[at[j]!]!.token)}):签名无法用本投票公钥验证`));
          }
          out.add('bulletin-signatures', subject, fails, T(`${ballots.length} signatures verify (${bls.name}, batch)`, `${ballots.length} 个签名均有效(${bls.name},批量验证)`));
        }
        // unique tokens
        {
          const fails: Text[] = [];
          const count = new Map<string, number>();
          for (const b of ballots) count.set(String(b.token), (count.get(String(b.token)) ?? 0) + 1);
          for (const [tok, n] of count) if (n > 1) fails.push(T(`token ${short(tok)} appears ${n} times`, `凭证 ${short(tok)} 出现 ${n} 次`));
          out.add('bulletin-unique-tokens', subject, fails, T(`${count.size} distinct tokens`, `${count.size} 个不同凭证`));
        }
        // ballots ≤ served
        {
          const fails: Text[] = [];
          const cd = C?.doc ?? null;
          const served: Doc[] = Array.isArray(cd?.served) ? cd!.served : [];
          if (!cd) fails.push(T('no casting entry: the members served were never published', '没有投票阶段条目:领取凭证的成员从未公布'));
          else {
            if (cd.issued !== served.length) fails.push(T(`issued ${cd.issued} ≠ ${served.length} members listed as served`, `发放数 ${cd.issued} ≠ 所列领取成员 ${served.length} 人`));
            const elig = new Set(eligible.map((m) => m.memberId));
            const seen = new Set<string>();
            for (const s of served) {
              if (!elig.has(s.memberId)) fails.push(T(`${s.name ?? s.memberId} was served a token but was not eligible`, `${s.name ?? s.memberId} 领取了凭证,但无投票资格`));
              if (seen.has(s.memberId)) fails.push(T(`${s.name ?? s.memberId} served twice`, `${s.name ?? s.memberId} 重复领取`));
              seen.add(s.memberId);
            }
            if (ballots.length > served.length) fails.push(T(`${ballots.length} ballots but only ${served.length} members served a token`, `选票 ${ballots.length} 张,但仅 ${served.length} 名成员领取凭证`));
            if (bd.issued !== served.length) fails.push(T(`the bulletin states ${bd.issued} issued, the casting entry ${served.length}`, `选票公告称发放 ${bd.issued} 张,投票阶段条目为 ${served.length} 张`));
          }
          out.add('bulletin-within-served', subject, fails, T(`${ballots.length} ballots ≤ ${served.length} members served`, `选票 ${ballots.length} 张 ≤ 领取凭证成员 ${served.length} 人`));
        }
        // validity
        {
          const fails: Text[] = [];
          ballots.forEach((b, i) => {
            const c = isChoices(b.choices) ? checkChoices(b.choices, candidateIds, seats) : { ok: false, en: 'choices malformed', zh: '选项格式错误' };
            if (!c.ok) fails.push(T(`ballot ${i + 1} (token ${short(String(b.token))}): ${c.en}`, `第 ${i + 1} 张选票(凭证 ${short(String(b.token))}):${c.zh}`));
          });
          out.add('bulletin-ballots-valid', subject, fails, T(`${ballots.length} ballots valid (≤ ${seats} 同意 each)`, `${ballots.length} 张选票均有效(每张同意不超过 ${seats} 个)`));
        }
        // recount
        {
          const fails: Text[] = [];
          recount = tally(candidateIds, ballots.filter((b) => isChoices(b.choices)).map((b) => b.choices as Choices));
          if (!sameJson(recount, bd.tally)) fails.push(T(`the bulletin's tally differs from the recount: ${diffTally(recount, bd.tally)}`, `选票公告的计票与重新计票不符:${diffTally(recount, bd.tally)}`));
          if (R) {
            const rd = R.doc!;
            if (!sameJson(recount, rd.tally)) fails.push(T(`the result's tally differs from the recount: ${diffTally(recount, rd.tally)}`, `结果的计票与重新计票不符:${diffTally(recount, rd.tally)}`));
            if (rd.cast !== ballots.length) fails.push(T(`the result states ${rd.cast} ballots cast, the bulletin has ${ballots.length}`, `结果称投出 ${rd.cast} 张,选票公告有 ${ballots.length} 张`));
            if (C && rd.issued !== C.doc!.issued) fails.push(T(`the result states ${rd.issued} issued, the casting entry ${C.doc!.issued}`, `结果称发放 ${rd.issued} 张,投票阶段条目为 ${C.doc!.issued} 张`));
            if (rd.bulletinLogIndex !== B!.index) fails.push(T(`the result names bulletin #${rd.bulletinLogIndex}, not #${B!.index}`, `结果所述选票公告为 #${rd.bulletinLogIndex},而非 #${B!.index}`));
            if (B!.index > R.index) fails.push(T('the result is logged before its bulletin', '结果早于选票公告记录'));
          }
          out.add('secret-recount', subject, fails, T(`recount of ${ballots.length} ballots equals the published tally`, `${ballots.length} 张选票重新计票与公布一致`));
        }
      }
    } else {
      // show of hands
      const item = bundle.handsRecords.find((h) => h.ballotId === ballotId) ?? null;
      const rec = (item?.record ?? null) as Doc | null;
      const rd = R?.doc ?? null;
      let recordOk = false;
      {
        const fails: Text[] = [];
        let skip: Text | null = null;
        if (!rd) skip = T('not tallied yet', '尚未计票');
        else if (!item) fails.push(T('the bundle carries no entry for this record', '数据包未列出该记录'));
        else {
          if (item.recordHash !== rd.recordHash || item.resultLogIndex !== R!.index) fails.push(T('the bundle names another record hash or result entry than the log', '数据包所述记录哈希或结果条目与日志不符'));
          if (!rec) skip = T('named record not in the bundle (public export: only its hash); ask with a supervisor token', '数据包中没有记名记录(公开导出仅含其哈希);请使用监督小组令牌');
          else {
            const c = canonical(rec);
            if (c === null || sha256Text(c) !== rd.recordHash) fails.push(T(`the named record does not hash to the logged recordHash ${short(rd.recordHash)}`, `记名记录的哈希与日志中的 recordHash ${short(rd.recordHash)} 不符`));
            else recordOk = true;
          }
        }
        out.add('hands-record', subject, fails, T(`record hash ${short(rd?.recordHash ?? '')} matches the logged result`, `记录哈希 ${short(rd?.recordHash ?? '')} 与日志中的结果一致`), { skip });
      }
      const votes: Doc[] = rec && Array.isArray(rec.votes) ? rec.votes : [];
      // signatures: each vote by a member checked in at this meeting, signed with that check-in's device key
      {
        const fails: Text[] = [];
        const staff: Text[] = [];
        let skip: Text | null = null;
        if (!rec) skip = T('needs the named record', '需要记名记录');
        else if (!recordOk) skip = T('the named record does not match its logged hash (see hands-record)', '记名记录与日志哈希不符(见 hands-record)');
        else {
          if (rec.ballotId !== ballotId || (meetingId && rec.meetingId !== meetingId)) fails.push(T('the record is of another ballot or meeting', '该记录属于其他投票或会议'));
          const elig = new Set(eligible.map((m) => m.memberId));
          const seen = new Set<string>();
          for (const v of votes) {
            const who = `${v.name ?? v.memberId}`;
            if (seen.has(v.memberId)) fails.push(T(`${who} voted twice`, `${who} 重复表决`));
            seen.add(v.memberId);
            const ci = meetingId ? checkinOf(meetingId, v.memberId) : undefined;
            if (!ci) {
              fails.push(T(`${who} (${v.memberId}) voted but has no check-in at meeting ${meetingId}: not present`, `${who}(${v.memberId})参与表决,但在会议 ${meetingId} 没有签到记录:未出席`));
              continue;
            }
            if (!elig.has(v.memberId)) fails.push(T(`${who} voted but was not checked in when the vote opened`, `${who} 参与表决,但表决开始时未签到`));
            if (V && ci.index > V.index) fails.push(T(`${who} checked in after the vote opened`, `${who} 在表决开始后才签到`));
            if (v.recordedBy === 'staff') {
              staff.push(T(`${who}: recorded by staff (${v.staffName ?? 'staff'}), not signed by the member's device`, `${who}:由工作人员(${v.staffName ?? '工作人员'})代为记录,未经成员设备签名`));
              if (v.signature !== null && v.signature !== undefined) fails.push(T(`${who}: staff-recorded but carries a signature`, `${who}:由工作人员记录却带有签名`));
              continue;
            }
            if (v.recordedBy !== 'member') fails.push(T(`${who}: unknown recordedBy ${v.recordedBy}`, `${who}:未知的记录方式 ${v.recordedBy}`));
            const key = String(ci.doc!.deviceKey);
            if (v.deviceKey !== key) fails.push(T(`${who}: the record names another device key than the check-in`, `${who}:记录所述设备公钥与签到时不同`));
            if (!isChoices(v.choices) || !verifyDeviceSignature(key, handsMessage(ballotId, v.memberId, v.choices), String(v.signature)))
              fails.push(T(`${who}: the vote's signature does not verify with the device key of the check-in (#${ci.index})`, `${who}:表决签名无法用签到(#${ci.index})的设备公钥验证`));
          }
        }
        out.add('hands-signatures', subject, fails, T(`${votes.length} votes, each by a member checked in at the meeting`, `${votes.length} 票,均由在会议上签到的成员投出`), { skip });
        const staffCount = rd?.staffRecorded ?? 0;
        if (rec && recordOk) out.add('hands-staff-recorded', subject, [], T('no vote recorded by staff', '没有工作人员代为记录的表决'), { warn: staff });
        else if (rd) out.add('hands-staff-recorded', subject, [], T('no vote recorded by staff', '没有工作人员代为记录的表决'), { warn: staffCount ? [T(`${staffCount} vote(s) recorded by staff (names in the named record)`, `${staffCount} 票由工作人员代为记录(姓名见记名记录)`)] : [] });
      }
      // recount
      {
        const fails: Text[] = [];
        let skip: Text | null = null;
        if (!rd) skip = T('not tallied yet', '尚未计票');
        else if (rec && recordOk) {
          votes.forEach((v) => {
            const c = isChoices(v.choices) ? checkChoices(v.choices, candidateIds, seats) : { ok: false, en: 'choices malformed', zh: '选项格式错误' };
            if (!c.ok) fails.push(T(`${v.name ?? v.memberId}: ${c.en}`, `${v.name ?? v.memberId}:${c.zh}`));
          });
          recount = tally(candidateIds, votes.filter((v) => isChoices(v.choices)).map((v) => v.choices));
          if (!sameJson(recount, rec.tally)) fails.push(T(`the record's tally differs from the recount: ${diffTally(recount, rec.tally)}`, `记录的计票与重新计票不符:${diffTally(recount, rec.tally)}`));
          if (!sameJson(recount, rd.tally)) fails.push(T(`the result's tally differs from the recount: ${diffTally(recount, rd.tally)}`, `结果的计票与重新计票不符:${diffTally(recount, rd.tally)}`));
          if (rd.votes !== votes.length) fails.push(T(`the result states ${rd.votes} votes, the record has ${votes.length}`, `结果称 ${rd.votes} 票,记录有 ${votes.length} 票`));
          const staffN = votes.filter((v) => v.recordedBy === 'staff').length;
          if (rd.staffRecorded !== staffN) fails.push(T(`the result states ${rd.staffRecorded} staff-recorded, the record has ${staffN}`, `结果称工作人员代记 ${rd.staffRecorded} 票,记录有 ${staffN} 票`));
          if (!sameJson(rec.eligible, eligible)) fails.push(T('the record lists other eligible members than the logged opening', '记录所列有资格成员与表决开始时的记录不同'));
        } else {
          // Without the record: the published counts are at least coherent.
          for (const id of candidateIds) {
            const row = rd.tally?.[id];
            if (!row || row.for + row.against + row.abstain !== rd.votes) fails.push(T(`candidate ${id}: counts do not add up to ${rd.votes} votes`, `候选组织 ${id}:票数之和不等于 ${rd.votes}`));
          }
          if (rd.votes > present) fails.push(T(`${rd.votes} votes but ${present} members present`, `${rd.votes} 票,但出席成员仅 ${present} 人`));
          if (!fails.length && !rec) skip = T('named record not in the bundle: counts only checked for coherence', '数据包中没有记名记录:仅检查了票数是否自洽');
        }
        out.add('hands-recount', subject, fails, T(`recount of ${votes.length} votes equals the published tally`, `${votes.length} 票重新计票与公布一致`), { skip });
      }
      if (!recount && rd && isTally(rd.tally)) recount = rd.tally as Tally;
    }

    // result under the ballot's own rules
    if (R) {
      const fails: Text[] = [];
      const rd = R.doc!;
      // The published tally (secret-recount / hands-recount compare it with the ballots): each check names one step.
      const counted = isTally(rd.tally) ? (rd.tally as Tally) : recount;
      if (!counted || !rules) fails.push(T('nothing to decide from', '无可据以判定的计票'));
      else {
        if (rd.present !== present) fails.push(T(`the result counts ${rd.present} present, ${present} were eligible`, `结果按出席 ${rd.present} 人计,有资格者为 ${present} 人`));
        const expect = decide(candidateIds, counted, seats, present, rules);
        fails.push(...diffResult(expect, rd.result));
        for (const w of (rd.result?.winners ?? []) as string[]) winnersByAward.set(award, [...(winnersByAward.get(award) ?? []), `${ballotId}:${w}`]);
      }
      const res = rd.result as Result | undefined;
      out.add(
        'ballot-result',
        subject,
        fails,
        T(
          `winners ${JSON.stringify(res?.winners ?? [])}, vacancies ${res?.vacancies ?? '?'}, run-off ${res?.runoff ? `among ${res.runoff.candidates.join(', ')}` : 'none'} — as the rules give`,
          `当选 ${JSON.stringify(res?.winners ?? [])},空缺 ${res?.vacancies ?? '?'},决选 ${res?.runoff ? `于 ${res.runoff.candidates.join('、')} 之间` : '无'}——符合规则`,
        ),
      );
    }
  }
  {
    const fails: Text[] = [];
    for (const [award, ws] of winnersByAward) if (ws.length > MAX_WINNERS_PER_AWARD) fails.push(T(`${award}: ${ws.length} winners`, `${AWARD_NAMES[award as Award]?.zh ?? award}:${ws.length} 个获奖组织`));
    out.add('award-seat-cap', null, fails, T([...winnersByAward].map(([a, w]) => `${a}: ${w.length}`).join(', ') || 'no winners yet', [...winnersByAward].map(([a, w]) => `${AWARD_NAMES[a as Award]?.zh ?? a}:${w.length}`).join(',') || '尚无获奖组织'));
  }

  // ------------------------------------------------------------ notices
  const noticeByIndex = new Map<number, Entry>(notices.map((n) => [n.index, n]));
  {
    const fails: Text[] = [];
    const warn: Text[] = [];
    let n = 0;
    for (const e of notices) {
      const d = e.doc!;
      const who = `notice ${d.id} (#${e.index}, ${d.type})`;
      const whoZh = `公告 ${d.id}(#${e.index},${d.typeName ?? d.type})`;
      if (d.v !== 'hzqa-notice/v1' || d.cycleId !== cycleId) fails.push(T(`${who}: not a notice of this cycle`, `${whoZh}:不是本周期的公告`));
      const needsWindow = ['material-review', 'onsite-review', 'initial-winners'].includes(d.type);
      if (!needsWindow) {
        if (d.window !== null) fails.push(T(`${who}: has a window though it takes no objections`, `${whoZh}:不受理异议却设有公示期`));
        continue;
      }
      const w = d.window;
      if (!w) {
        fails.push(T(`${who}: has no publicity window`, `${whoZh}:没有公示期`));
        continue;
      }
      n++;
      const publishedOn = typeof d.publishedAt === 'string' ? d.publishedAt.slice(0, 10) : '';
      if (!/^\d{4}-\d{2}-\d{2}T.*\+08:00$/.test(String(d.publishedAt)) || w.start !== publishedOn)
        fails.push(T(`${who}: window starts ${w.start}, but it was published on ${publishedOn || '?'} (Beijing)`, `${whoZh}:公示期始于 ${w.start},但发布日期为 ${publishedOn || '?'}(北京时间)`));
      if (w.workingDays !== PUBLICITY_WORKING_DAYS) fails.push(T(`${who}: ${w.workingDays} working days, not ${PUBLICITY_WORKING_DAYS}`, `${whoZh}:公示 ${w.workingDays} 个工作日,而非 ${PUBLICITY_WORKING_DAYS} 个`));
      const { cal, note } = cals.pick(w.calendarVersion);
      if (note) warn.push(T(`${who}: ${note.en}`, `${whoZh}:${note.zh}`));
      try {
        const expect = publicityWindow(cal, w.start, w.mode);
        if (expect.date !== w.end || expect.endsAt !== w.closesAt)
          fails.push(T(`${who}: window ${w.start}–${w.end} (closes ${w.closesAt}), but 7 working days (${w.mode}) from ${w.start} end on ${expect.date}`, `${whoZh}:公示期 ${w.start} 至 ${w.end}(${w.closesAt} 截止),但自 ${w.start} 起 7 个工作日(${w.mode})应至 ${expect.date}`));
      } catch (err) {
        fails.push(T(`${who}: the window cannot be computed (${(err as Error).message})`, `${whoZh}:无法计算公示期(${(err as Error).message})`));
      }
    }
    out.add('notice-windows', null, fails, T(`${n} windows agree with the calendar`, `${n} 个公示期均与工作日历一致`), { warn });
  }
  {
    const fails: Text[] = [];
    let n = 0;
    for (const e of notices) {
      const d = e.doc!;
      if (d.type !== 'initial-winners' || !Array.isArray(d.ballots)) continue;
      for (const b of d.ballots as Doc[]) {
        n++;
        const r = entries.get(b.resultLogIndex);
        const rd = r?.type === 'ballot-result' ? r.doc : null;
        if (!rd) {
          fails.push(T(`notice ${d.id}: result #${b.resultLogIndex} of ballot ${b.ballotId} not available`, `公告 ${d.id}:投票 ${b.ballotId} 的结果 #${b.resultLogIndex} 不可用`));
          continue;
        }
        if (rd.ballotId !== b.ballotId || rd.award !== b.award) fails.push(T(`notice ${d.id}: result #${b.resultLogIndex} is of another ballot or award`, `公告 ${d.id}:结果 #${b.resultLogIndex} 属于其他投票或奖项`));
        const names = new Map<string, string>(((rd.candidates ?? []) as { id: string; name: string }[]).map((c) => [c.id, c.name]));
        const listed = ((b.winners ?? []) as Doc[]).map((w) => `${w.candidateId}=${w.name}`);
        const actual = ((rd.result?.winners ?? []) as string[]).map((id) => `${id}=${names.get(id)}`);
        if (!sameJson(listed, actual)) fails.push(T(`notice ${d.id}: lists winners ${listed.join(', ')} for ballot ${b.ballotId}, the result has ${actual.join(', ') || 'none'}`, `公告 ${d.id}:投票 ${b.ballotId} 列出当选 ${listed.join('、')},结果为 ${actual.join('、') || '无'}`));
        const orgs = new Set(((d.organisations ?? []) as Doc[]).map((o) => `${o.award ?? ''}\n${o.name}`));
        for (const w of (b.winners ?? []) as Doc[]) if (!orgs.has(`${b.award}\n${w.name}`)) fails.push(T(`notice ${d.id}: winner ${w.name} missing from its list of organisations`, `公告 ${d.id}:当选组织 ${w.name} 不在名单中`));
      }
    }
    out.add('notice-results', null, fails, T(`${n} ballot result(s) listed as published`, `${n} 项投票结果与公布一致`), { skip: n === 0 && !fails.length ? T('no winner list refers to a ballot', '没有引用投票的授奖名单') : null });
  }

  // ------------------------------------------------------------ objections
  const asOfDate = beijingDay(now);
  {
    const fails: Text[] = [];
    const warn: Text[] = [];
    for (const e of receipts) {
      const d = e.doc!;
      const who = `objection ${d.trackingNo} (#${e.index})`;
      const whoZh = `异议 ${d.trackingNo}(#${e.index})`;
      if (d.v !== 'hzqa-objection-receipt/v1') fails.push(T(`${who}: unknown receipt format ${d.v}`, `${whoZh}:未知的回执格式 ${d.v}`));
      if (d.dueWorkingDays !== OBJECTION_VERIFICATION_WORKING_DAYS) fails.push(T(`${who}: ${d.dueWorkingDays} working days, not ${OBJECTION_VERIFICATION_WORKING_DAYS}`, `${whoZh}:期限 ${d.dueWorkingDays} 个工作日,而非 ${OBJECTION_VERIFICATION_WORKING_DAYS} 个`));
      const { cal, note } = cals.pick(d.calendarVersion);
      if (note) warn.push(T(`${who}: ${note.en}`, `${whoZh}:${note.zh}`));
      try {
        const due = objectionVerificationDue(cal, d.receivedDate, d.dueMode, { provisional: true });
        if (due.date !== d.dueDate || due.endsAt !== d.dueEndsAt)
          fails.push(T(`${who}: due ${d.dueDate}, but 5 working days (${d.dueMode}) from receipt on ${d.receivedDate} end on ${due.date}`, `${whoZh}:期限为 ${d.dueDate},但自 ${d.receivedDate} 收到起 5 个工作日(${d.dueMode})应至 ${due.date}`));
        if (due.provisional !== d.provisional) warn.push(T(`${who}: provisional flag differs from the recomputation`, `${whoZh}:暂定标记与重新计算不同`));
      } catch (err) {
        fails.push(T(`${who}: the due date cannot be computed (${(err as Error).message})`, `${whoZh}:无法计算期限(${(err as Error).message})`));
      }
      const n = noticeByIndex.get(d.noticeLogIndex);
      if (n) {
        const w = n.doc!.window;
        if (n.doc!.id !== d.noticeId) fails.push(T(`${who}: notice #${d.noticeLogIndex} is ${n.doc!.id}, not ${d.noticeId}`, `${whoZh}:公告 #${d.noticeLogIndex} 为 ${n.doc!.id},而非 ${d.noticeId}`));
        if (!w) fails.push(T(`${who}: received on a notice that takes no objections`, `${whoZh}:针对不受理异议的公告`));
        else if (d.receivedDate < w.start || d.receivedDate > w.end) fails.push(T(`${who}: received ${d.receivedDate}, outside the window ${w.start}–${w.end}`, `${whoZh}:收到日期 ${d.receivedDate} 不在公示期 ${w.start} 至 ${w.end} 内`));
        if (n.index > e.index) fails.push(T(`${who}: logged before its notice`, `${whoZh}:早于其公告记录`));
      }
    }
    out.add('objection-deadlines', null, fails, T(`${receipts.length} due date(s) agree with the calendar`, `${receipts.length} 个期限均与工作日历一致`), { warn });
  }
  {
    const fails: Text[] = [];
    const info: Text[] = [];
    for (const e of receipts) {
      const d = e.doc!;
      const who = `objection ${d.trackingNo} (#${e.index})`;
      const whoZh = `异议 ${d.trackingNo}(#${e.index})`;
      const results = notices.filter((n) => n.doc!.type === 'objection-result' && Array.isArray(n.doc!.objections) && n.doc!.objections.some((o: Doc) => o.receiptLogIndex === e.index));
      if (results.length === 0) {
        if (asOfDate > d.dueDate) fails.push(T(`${who}: overdue — no verification result published by ${d.dueDate} (as of ${asOfDate})`, `${whoZh}:已逾期——截至 ${asOfDate},未在 ${d.dueDate} 前公示核查结果`));
        else info.push(T(`${who}: pending, due ${d.dueDate}`, `${whoZh}:处理中,期限 ${d.dueDate}`));
        continue;
      }
      const first = results[0]!;
      const o = (first.doc!.objections as Doc[]).find((x) => x.receiptLogIndex === e.index)!;
      if (o.trackingNo !== d.trackingNo || o.dueDate !== d.dueDate || o.receivedDate !== d.receivedDate)
        fails.push(T(`${who}: the result notice ${first.doc!.id} restates it differently (tracking number, received or due date)`, `${whoZh}:核查结果公告 ${first.doc!.id} 所述信息(编号、收到或期限日期)不符`));
      const publishedOn = String(first.doc!.publishedAt).slice(0, 10);
      if (publishedOn > d.dueDate) fails.push(T(`${who}: result published on ${publishedOn}, after the due date ${d.dueDate}`, `${whoZh}:核查结果于 ${publishedOn} 公示,晚于期限 ${d.dueDate}`));
      else info.push(T(`${who}: result (${o.decision}) published ${publishedOn}, due ${d.dueDate}`, `${whoZh}:核查结果(${o.decision})于 ${publishedOn} 公示,期限 ${d.dueDate}`));
      if (first.index < e.index) fails.push(T(`${who}: the result notice is logged before the receipt`, `${whoZh}:核查结果公告早于回执记录`));
    }
    out.add('objection-results', null, fails, T(`every objection answered in time (as of ${asOfDate})`, `截至 ${asOfDate},每项异议均按期答复`), { info, skip: receipts.length === 0 ? T('no objection receipts', '没有异议回执') : null });
  }

  const counts: Record<Status, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const r of out.results) counts[r.status]++;
  const newState: LogState | null =
    cp && cpOk && consistencyOk ? { origin: cp.origin, size: cp.size, hash: toBase64(cp.hash), checkpoint: bundle.log.checkpoint, savedAt: now.toISOString() } : null;
  return {
    format: 'hzqa-verify-report/v1',
    ok: counts.fail === 0,
    cycleId,
    asOf: now.toISOString(),
    exportedAt: bundle.exportedAt,
    audience: bundle.audience,
    checkpoint: cp ? { origin: cp.origin, size: cp.size, root: toBase64(cp.hash), cosignatures: cosigs } : null,
    bls: bls.name,
    counts,
    checks: out.results,
    newState,
  };
}

// ---------------------------------------------------------------- helpers

function isChoices(v: unknown): v is Choices {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((c) => c === 'for' || c === 'against' || c === 'abstain');
}
function isTally(v: unknown): v is Tally {
  return typeof v === 'object' && v !== null && Object.values(v).every((r) => typeof r === 'object' && r !== null && ['for', 'against', 'abstain'].every((k) => Number.isSafeInteger((r as Doc)[k])));
}

function diffTally(recount: Tally, stated: unknown): string {
  const s = (stated ?? {}) as Doc;
  const parts: string[] = [];
  for (const [id, row] of Object.entries(recount)) {
    const o = s[id] ?? {};
    for (const k of ['for', 'against', 'abstain'] as const) if (o[k] !== row[k]) parts.push(`${id}.${k} ${o[k]} ≠ ${row[k]}`);
  }
  for (const id of Object.keys(s)) if (!(id in recount)) parts.push(`${id} not a candidate`);
  return parts.join('; ') || 'shape differs';
}

function diffResult(expect: Result, stated: unknown): Text[] {
  if (sameJson(expect, stated)) return [];
  const s = (stated ?? {}) as Doc;
  const out: Text[] = [];
  if (!sameJson(expect.winners, s.winners)) out.push(T(`winners published ${JSON.stringify(s.winners)}, the rules give ${JSON.stringify(expect.winners)}`, `公布的当选为 ${JSON.stringify(s.winners)},按规则应为 ${JSON.stringify(expect.winners)}`));
  if (expect.vacancies !== s.vacancies) out.push(T(`vacancies published ${s.vacancies}, the rules give ${expect.vacancies}`, `公布的空缺为 ${s.vacancies},按规则应为 ${expect.vacancies}`));
  if (!sameJson(expect.runoff, s.runoff)) out.push(T(`run-off published ${JSON.stringify(s.runoff)}, the rules give ${JSON.stringify(expect.runoff)}`, `公布的决选为 ${JSON.stringify(s.runoff)},按规则应为 ${JSON.stringify(expect.runoff)}`));
  for (const row of expect.candidates) {
    const o = Array.isArray(s.candidates) ? (s.candidates as Doc[]).find((c) => c.candidateId === row.candidateId) : undefined;
    if (!o) out.push(T(`candidate ${row.candidateId} missing from the result`, `结果中缺少候选组织 ${row.candidateId}`));
    else if (o.passed !== row.passed) out.push(T(`candidate ${row.candidateId}: published ${o.passed ? 'passed' : 'failed'}, the rules give ${row.passed ? 'passed' : 'failed'}`, `候选组织 ${row.candidateId}:公布为${o.passed ? '通过' : '未通过'},按规则应为${row.passed ? '通过' : '未通过'}`));
    else if (!sameJson(o, row)) out.push(T(`candidate ${row.candidateId}: counts differ from the recount`, `候选组织 ${row.candidateId}:票数与重新计票不符`));
  }
  if (!out.length) out.push(T('the published result differs from what the rules give (present, seats or rules)', '公布的结果与按规则计算的不同(出席人数、名额或规则)'));
  return out;
}

/** The Beijing calendar date of an instant. */
function beijingDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The calendars the bundle lets us reproduce, by version: the table alone, the table with all the
 * overrides, and with the overrides made up to each override's creation (older versions).
 */
function calendarsOf(c: BundleCalendar) {
  const fails: Text[] = [];
  const warn: Text[] = [];
  const table = c.table as OfficialYear[];
  let computedTable = '';
  try {
    computedTable = `cn-${table.map((y) => y.year).join('.')}@${shortHash({ OFFICIAL_YEARS: table, PROVISIONAL_FESTIVALS: c.provisionalFestivals })}`;
  } catch {
    computedTable = '';
  }
  if (computedTable !== c.tableVersion) fails.push(T(`the table in the bundle hashes to ${computedTable || '?'}, not its stated version ${c.tableVersion}`, `数据包中的日历表哈希为 ${computedTable || '?'},而非所述版本 ${c.tableVersion}`));
  if (c.tableVersion !== TABLE_VERSION)
    warn.push(T(`the server's table ${c.tableVersion} is not this verifier's ${TABLE_VERSION}; deadlines are recomputed with the server's table`, `服务器日历表 ${c.tableVersion} 与本验证程序的 ${TABLE_VERSION} 不同;期限按服务器日历表重新计算`));
  const withVersion = (overrides: readonly OverrideEntry[]): Calendar => {
    let cal: Calendar;
    try {
      cal = buildCalendar(overrides, table);
    } catch {
      cal = buildCalendar(overrides);
    }
    const sorted = [...overrides].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const version = sorted.length === 0 ? c.tableVersion : `${c.tableVersion}+local.${shortHash(sorted.map((o) => [o.date, o.kind]))}`;
    return { ...cal, tableVersion: c.tableVersion, version };
  };
  const all: OverrideEntry[] = c.overrides.map((o) => ({ date: o.date, kind: o.kind, reason: o.reason ?? '' }));
  const byVersion = new Map<string, Calendar>();
  const current = withVersion(all);
  if (current.version !== c.version) fails.push(T(`the overrides give version ${current.version}, not the stated ${c.version}`, `本地调整得出的版本为 ${current.version},而非所述 ${c.version}`));
  byVersion.set(current.version, current);
  const base = withVersion([]);
  byVersion.set(base.version, base);
  const dated = [...c.overrides].filter((o) => o.createdAt).sort((a, b) => (a.createdAt! < b.createdAt! ? -1 : 1));
  for (let i = 1; i < dated.length; i++) {
    const cal = withVersion(dated.slice(0, i).map((o) => ({ date: o.date, kind: o.kind, reason: o.reason ?? '' })));
    byVersion.set(cal.version, cal);
  }
  return {
    fails,
    warn,
    pick(version: unknown): { cal: Calendar; note: Text | null } {
      const cal = typeof version === 'string' ? byVersion.get(version) : undefined;
      if (cal) return { cal, note: null };
      return { cal: current, note: T(`computed with calendar ${String(version)}, which the bundle cannot reproduce; checked with ${current.version}`, `计算所用日历 ${String(version)} 无法由数据包重现;已按 ${current.version} 核对`) };
    },
  };
}
