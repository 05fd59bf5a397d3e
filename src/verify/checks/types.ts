/**
 * The verifier's vocabulary: every check by name with its title (the report lists them in this
 * order), a check's result, the options and the report, and the collector the checks report into.
 * Adding a check: a line in CHECKS here, a small function in the file of its concern, one call in
 * ../checks.ts.
 * @module
 */
import type { BatchResult } from '../../../crypto/blind.js';

export type Status = 'pass' | 'fail' | 'warn' | 'skip';
export interface Text {
  en: string;
  zh: string;
}

export const T = (en: string, zh: string): Text => ({ en, zh });

/** Every check by name, with its title; the report lists them in this order. */
export const CHECKS = {
  'checkpoint-signature': T('Checkpoint signed by the pinned log key', '检查点由预置日志公钥签名'),
  'checkpoint-origin': T('Checkpoint origin is the pinned key’s name', '检查点来源与预置公钥名称一致'),
  'witness-cosignatures': T('Required witness cosignatures', '所需见证方联署签名'),
  'log-consistency': T('Log only grew since the saved state', '日志自上次保存状态以来只增未改'),
  'entry-format': T('Entries well-formed and of this cycle', '日志条目格式正确且属于本周期'),
  'entry-inclusion': T('Every entry included in the checkpoint', '每个条目均包含于检查点'),
  'log-completeness': T('Every entry below the checkpoint accounted for', '检查点以下每个条目均有着落'),
  'document-hashes': T('Every document matches its hash', '每份文档与其哈希一致'),
  'document-schemas': T('Every document of a known type and shape', '每份文档类型已知、格式正确'),
  'entry-references': T('References between entries resolve', '条目间引用均可解析'),
  'entry-times': T('Publication times never go back in log order', '发布时间按日志顺序不倒退'),
  'calendar-table': T('Calendar table matches its version', '工作日历表与版本号一致'),
  'calendar-log': T('Logged State Council tables agree with the verifier’s', '日志中的国务院安排与本验证程序一致'),
  'deadline-entries': T('Deadlines name the logged calendar entries they used', '期限注明所用的已记入日志的日历条目'),
  'roster-changes': T('Roster corrected or a member removed only before they took part', '名单更正与成员移出均在成员参与之前'),
  'checkin-signatures': T('Check-ins signed by the members’ devices', '签到由成员设备签名'),
  'ballot-entries': T('One entry of each stage per ballot', '每个投票各阶段条目唯一'),
  'ballot-method': T('Decision method of the award (三(三)6)', '奖项表决方式（三（三）6）'),
  'ballot-settings': T('Ballot settings the same at every stage', '投票设置在各阶段一致'),
  'ballot-eligible': T('Eligible members were checked in; quorum', '有资格成员均已签到；法定人数'),
  'ballot-key-first': T('Ballot key (with proof of possession) logged before the first token', '投票公钥（含持有证明）先于首张凭证记录'),
  'bulletin-signatures': T('Every bulletin signature verifies', '选票公告中每个签名均有效'),
  'bulletin-unique-tokens': T('No token used twice', '无重复使用的凭证'),
  'bulletin-token-order': T('Bulletin in token order (not arrival order)', '选票公告按凭证排序（而非到达顺序）'),
  'bulletin-within-served': T('Ballots ≤ members served a token', '选票数不超过领取凭证的成员数'),
  'bulletin-ballots-valid': T('Every ballot valid', '每张选票均有效'),
  'secret-recount': T('Recount equals the published tally', '重新计票与公布的计票一致'),
  'hands-record': T('Named record matches the logged hash', '记名表决记录与日志哈希一致'),
  'hands-signatures': T('Every hand signed by a member checked in at the meeting', '每票均由在会议上签到的成员设备签名'),
  'hands-staff-recorded': T('Staff-recorded hands', '工作人员代为记录的表决'),
  'hands-recount': T('Recount equals the published tally', '重新计票与公布的计票一致'),
  'ballot-result': T('Pass/fail, winners, vacancies and run-off follow the rules', '通过与否、当选、空缺及决选符合规则'),
  'meeting-procedure': T('表决办法 adopted by the meeting before its votes', '表决办法于表决前经会议通过'),
  recusals: T('Recusals (回避) signed, logged and honoured', '回避经签名、记录并得到执行'),
  'teller-signatures': T('计票人/监票人 signatures over each result', '计票人、监票人对结果的签名'),
  'award-seat-cap': T('At most 25 winners per award (三(一))', '每个奖项获奖不超过25个（三（一））'),
  'award-seats-held': T('Each ballot prepared within its award’s free seats (三(一))', '每个投票准备时未超出该奖项所余名额（三（一））'),
  'ballot-withdrawn': T('Withdrawn ballots never opened, and free their seats', '撤回的投票从未开始表决，其名额予以释放'),
  'notice-corrections': T('Corrections form a linear chain', '更正构成单一链条'),
  'notice-windows': T('Notice windows agree with the calendar', '公示期与工作日历一致'),
  'notice-results': T('Winner lists agree with the ballot results', '授奖名单与投票结果一致'),
  'register-codes': T('Register of applicants: valid 统一社会信用代码, each once', '申报组织登记册：统一社会信用代码有效且不重复'),
  'list-sequence': T('Each list drawn from the previous one, after its 公示 and objections (三(三)7)', '各名单由上一名单产生，且在其公示及异议处理结束后发布（三（三）7）'),
  'ballot-candidates': T('Candidates on the award’s 候选组织建议名单; one award per organisation (三(三)5)', '候选组织在该奖项建议名单中；每个组织至多获一个奖项（三（三）5）'),
  'award-fixed': T('The 拟授奖组织名单 fixed by the meeting after every 公示 and objection: the derived winners less corrections (三(三)8)', '拟授奖组织名单经会议审定，在全部公示及异议处理结束后，为当选组织减去更正删除的条目（三（三）8）'),
  'government-decision': T('Submitted to the city government after the 审定, decided after the submission, the same list (三(三)8, 四(二))', '审定后提请市政府审议批准，市政府于提请后作出决定，名单一致（三（三）8、四（二））'),
  'award-files': T('The decision’s file (and in staff and supervisors’ exports the submission’s) in the bundle, its SHA-256 as logged', '市政府决定文件（工作人员及监督小组导出中另含提请文件）在导出中，其 SHA-256 与日志记录一致'),
  'award-notice': T('The 表彰通报 lists exactly the organisations the government decided (四(二))', '表彰通报恰好列出市政府决定的获奖组织（四（二））'),
  'revocation-basis': T('Revocations of holders of the award only, approved by the city government (六(三), 六(五))', '撤销仅针对获奖组织并经市政府批准（六（三）、六（五））'),
  'initial-winners-derived': T('Each list of initial winners takes every ballot tallied before it (三(三)6–7)', '初选授奖组织名单取自此前全部已计票的投票（三（三）6–7）'),
  'objection-deadlines': T('Objection due dates agree with the calendar', '异议核查期限与工作日历一致'),
  'simulated-clock': T('Times judged on the clock the log was written with', '按写入日志所用的时钟判断时间'),
  'objection-results': T('Every objection has its result by the due date', '每项异议均按期公示核查结果'),
  'objection-units': T('Objections verified with member units of the judging group’s roster, at least one before a decision (三(三)7)', '异议由评审组成员单位会同核查，作出结论前至少指派一个单位（三（三）7）'),
  'objection-findings': T('Each decision cites every unit’s recorded finding; each result restates it', '每项核查结论均依据各单位记录的核查情况，公示结果与之一致'),
  'objection-holds': T('An upheld objection’s entry removed by a correction or kept with the judging group’s reason (三(三)8)', '异议成立的名单条目经更正移出或由评审组载明理由保留（三（三）8）'),
  'live-agrees': T('What the server serves live agrees with the log', '服务器当前提供的数据与日志一致'),
  'ballot-co-issued': T('Ballot key = bureau’s + supervisory group’s, each with proof of possession; list approved by the co-signer', '投票公钥 = 市场监管局公钥 + 监督小组公钥，各有持有证明；名单经联合签发方批准'),
  'served-lists-agree': T('Both served lists published and equal; ballots ≤ both', '双方已发放名单均已公布且一致；选票数不超过双方'),
  'enrollment-traced': T('Check-ins traced to enrollments logged before the meeting', '签到可追溯至会议前记录的设备登记'),
  'cast-receipts': T('Signed cast receipts found in the logged bulletin', '签名投票回执均见于已记录的选票公告'),
} as const satisfies Record<string, Text>;

export type CheckId = keyof typeof CHECKS;

export interface CheckResult {
  id: CheckId;
  title: Text;
  /** What the check is about (a ballot), or null for the whole bundle. */
  subject: Text | null;
  status: Status;
  /** pass: what was established; fail: how many problems; skip: what could not be established and why. */
  message: Text;
  /** Named findings: failures (fail), items of note (warn), or what was checked (pass). */
  details: Text[];
  /** For a check not established (skip) or only partly (warn): how to establish it; otherwise null. */
  remedy: Text | null;
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

/** What the server serves live, read by the CLI in --url mode, to compare with the logged documents. */
export interface LiveView {
  /** Published notices as served (GET /api/v1/notices?cycleId=…). */
  notices: { id: string; logIndex: number | null; documentHash: string | null; document: unknown }[];
  /** Bulletins as served (GET /api/v1/ballots/{id}/bulletin), for the ballots whose bulletin is logged. */
  bulletins: { ballotId: string; logIndex: number | null; ballots: { token: string; choices: unknown }[] }[];
  /** Objection receipts as served (GET /api/v1/notices/{id}/receipts). */
  receipts: { trackingNo: string; receiptLogIndex: number; receiptDocumentHash: string; dueDate: string; resultNoticeId: string | null }[];
}

export interface VerifyOptions {
  /** The pinned log verifier key text (Go note format). */
  logKey: string;
  /** Witness verifier keys (cosignature/v1) that must each have cosigned the checkpoint. */
  witnessKeys?: readonly string[];
  /** The state saved by the previous run, if any. */
  state?: LogState | null;
  /** The current (real) time (default: the system's). */
  now?: Date;
  /**
   * Judge overdue objections as of this instant (--as-of). Without it: `now`, moved by the simulated
   * clock's offset when the log was written on one (checks/clock.ts).
   */
  asOf?: Date;
  bls?: BlsBackend;
  /** What the server serves live (--url mode); null/absent: the comparison is not made. */
  live?: LiveView | null;
  /** The supervisory group's co-signer verifier key (--cosigner-key): secret ballots must be co-issued with it. */
  cosignerKey?: string;
  /** Signed cast receipts kept by tablets (--receipts FILE…), parsed JSON. */
  receipts?: readonly unknown[];
}

export interface VerifyReport {
  format: 'hzqa-verify-report/v1';
  ok: boolean;
  /**
   * Whether the log's history was anchored: a saved state the checkpoint is proven to extend, or a
   * required witness's cosignature. Without it a rewritten history re-signed with the log key cannot
   * be told apart (the CLI exits 3 unless --first-run).
   */
  anchored: boolean;
  cycleId: string;
  asOf: string;
  exportedAt: string;
  audience: string;
  checkpoint: { origin: string; size: number; root: string; cosignatures: { witness: string; time: string }[] } | null;
  bls: string;
  counts: Record<Status, number>;
  checks: CheckResult[];
  /** The state to save for the next run (null when the checkpoint must not be trusted or consistency was not proven). */
  newState: LogState | null;
}

export interface AddOptions {
  warn?: Text[];
  skip?: Text | null;
  info?: Text[];
  remedy?: Text | null;
}

/** Collects check results in the order they are added (checks.ts composes them in CHECKS order). */
export class Collector {
  readonly results: CheckResult[] = [];
  add(id: CheckId, subject: Text | null, fails: Text[], pass: Text, options: AddOptions = {}): CheckResult {
    let status: Status = 'pass';
    let message = pass;
    let details = options.info ?? [];
    if (fails.length) {
      status = 'fail';
      message = T(`${fails.length} problem(s)`, `${fails.length} 处问题`);
      details = fails;
    } else if (options.skip) {
      status = 'skip';
      message = options.skip;
    } else if (options.warn?.length) {
      status = 'warn';
      message = T(`${options.warn.length} item(s) of note`, `${options.warn.length} 项需注意`);
      details = options.warn;
    }
    const remedy = status === 'skip' || status === 'warn' ? (options.remedy ?? null) : null;
    const result: CheckResult = { id, title: CHECKS[id], subject, status, message, details, remedy };
    this.results.push(result);
    return result;
  }
}

export const short = (hex: string) => hex.slice(0, 12) + '…';
export const isHex = (s: unknown, bytes: number): s is string => typeof s === 'string' && new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(s);
