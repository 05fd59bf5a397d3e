// The one typed Database interface (kysely). Each table's row type sits next to the domain that owns it
// in this file; migrations in schema/migrations create them and are frozen once released.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** Key/value facts about this installation (e.g. the schema's birth, the log's origin). */
export interface MetaTable {
  key: string;
  value: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Calendar: the bureau's local overrides of the State Council table (src/calendar). */
export interface CalendarOverrideTable {
  id: Generated<number>;
  date: string; // YYYY-MM-DD, Beijing date
  kind: 'off' | 'work';
  reason: string;
  created_at: CreatedAt;
  created_by: string;
}

/** An award cycle (评比表彰周期), e.g. "2026". */
export interface CycleTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

/** Bureau staff and supervisory-group accounts; their bearer tokens are stored only as hashes. */
export interface AccountTable {
  id: Generated<number>;
  role: 'staff' | 'supervisor';
  name: string;
  email: string | null;
  created_at: CreatedAt;
  disabled_at: Date | null;
}

export interface AccountTokenTable {
  token_hash: string;
  account_id: number;
  created_at: CreatedAt;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** A judging-group member (one per member unit) for one cycle, with the tablet's device key. */
export interface MemberTable {
  id: string;
  cycle_id: string;
  name: string;
  unit: string;
  is_chair: boolean;
  enroll_code_hash: string | null;
  enroll_expires_at: Date | null;
  enrolled_at: Date | null;
  device_key: string | null;
  created_at: CreatedAt;
}

export interface MemberChallengeTable {
  challenge: string;
  member_id: string;
  expires_at: Date;
  used_at: Date | null;
}

export interface MemberSessionTable {
  token_hash: string;
  member_id: string;
  expires_at: Date;
}

/** Votes: the plenary meeting (全体会议) of a cycle. */
export interface MeetingTable {
  id: string;
  cycle_id: string;
  title: string;
  status: 'open' | 'closed';
  opened_at: Date;
  closed_at: Date | null;
  log_index: number | null;
  /** The 会议纪要's log entry, written when the meeting closes (migration 0010). */
  minutes_log_index: ColumnType<number | null, number | null | undefined, number | null>;
}

/** 签到: a member checked in at a meeting, with the device signature that proves it. */
export interface CheckinTable {
  meeting_id: string;
  member_id: string;
  device_key: string;
  signature: string;
  checked_in_at: Date;
  log_index: number;
}

export type BallotPhase = 'prepared' | 'issuing' | 'casting' | 'voting' | 'closed' | 'tallied' | 'withdrawn';

export interface BallotTable {
  id: string;
  cycle_id: string;
  meeting_id: string;
  award: 'quality' | 'innovation' | 'excellence';
  kind: 'secret' | 'show-of-hands';
  title: string;
  seats: number;
  rules: string; // canonical JSON of Rules
  candidates: string; // canonical JSON [{id, name}]
  phase: BallotPhase;
  runoff_of: string | null;
  members_total: number | null;
  eligible: string | null; // canonical JSON [{memberId, name, unit}] fixed when voting opens
  public_key: string | null;
  proof_of_possession: string | null;
  /** Ed25519 public key (hex) that signs cast receipts; logged with the ballot key. */
  receipt_key: string | null;
  key_log_index: number | null;
  bulletin_log_index: number | null;
  result: string | null;
  result_log_index: number | null;
  /** Secret ballot with 回避: canonical JSON [{recused: candidateId[], publicKey, proofOfPossession, members}] (migration 0010). */
  key_classes: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

/** A co-issued secret ballot's two keys and the co-signer's signed statements (all logged). */
export interface BallotCosignTable {
  ballot_id: string;
  bureau_public_key: string;
  bureau_pop: string;
  cosigner_public_key: string;
  cosigner_pop: string;
  /** The co-signer's signed "ballot-key" statement (C2SP signed note). */
  approval: string;
  /** The co-signer's signed "served" statement, once issuance closed. */
  served_statement: string | null;
  served_log_index: number | null;
}

export interface BallotPhaseTable {
  ballot_id: string;
  phase: BallotPhase;
  log_index: number;
}

/** That a member was served a blind token; never which token. */
export interface TokenServedTable {
  ballot_id: string;
  member_id: string;
  blinded_hash: string;
}

/** A cast secret ballot: no member, no time, no address. */
export interface SecretBallotTable {
  ballot_id: string;
  token: string;
  signature: string;
  choices: string;
  /** The recusal class: canonical JSON of the candidate ids its member was recused from; null for none. */
  recused: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A recorded show of hands: who voted how, signed by the device key (or recorded by staff). */
export interface HandVoteTable {
  ballot_id: string;
  member_id: string;
  choices: string;
  signature: string | null;
  recorded_by: 'member' | 'staff';
  staff_name: string | null;
  recorded_at: Date;
  /** A staff-recorded hand: the device key of the supervisor who confirmed it, and that key's signature. */
  countersigner_key: string | null;
  countersignature: string | null;
}

/** A supervisor's device key for a cycle (logged as 'supervisor-device'); it confirms staff-recorded hands. */
export interface SupervisorDeviceTable {
  cycle_id: string;
  device_key: string;
  account_id: number;
  name: string;
  log_index: number;
  registered_at: Date;
}

/** The 表决办法 (rules, 监票人/计票人) put to the meeting; adopted by signed hands or the chair's record confirmed by a supervisor. */
export interface MeetingProcedureTable {
  id: string;
  meeting_id: string;
  status: 'proposed' | 'adopted' | 'rejected';
  document: string; // canonical JSON of the logged proposal
  document_hash: string;
  log_index: number;
  chair_record: string | null; // JSON {memberId, for, against, abstain, signature} awaiting a supervisor
  decided_log_index: number | null;
  created_at: CreatedAt;
}

/** 审定 (三(三)8): the 拟授奖组织名单 put to a meeting, decided like the 表决办法 (migration 0017). */
export interface AwardFixingTable {
  id: string;
  cycle_id: string;
  meeting_id: string;
  status: 'proposed' | 'adopted' | 'rejected';
  document: string; // canonical JSON of the logged proposal
  document_hash: string;
  log_index: number;
  chair_record: string | null; // JSON {memberId, name, deviceKey, for, against, abstain, signature} awaiting a supervisor
  decided_log_index: number | null;
  created_at: CreatedAt;
}

/** A member's signed 同意/不同意/弃权 on the 审定. */
export interface AwardFixingVoteTable {
  fixing_id: string;
  member_id: string;
  choice: 'for' | 'against' | 'abstain';
  signature: string;
}

/** The bureau's submission to the city government and the government's decision (migration 0017), each logged. */
export interface AwardApprovalTable {
  cycle_id: string;
  stage: 'submission' | 'decision';
  document: string; // canonical JSON of the logged document
  log_index: number;
  file_sha256: string;
  file_name: string;
  media_type: string;
  created_at: CreatedAt;
  created_by: string;
}

/** A member's signed 同意/不同意/弃权 on the 表决办法. */
export interface ProcedureVoteTable {
  procedure_id: string;
  member_id: string;
  choice: 'for' | 'against' | 'abstain';
  signature: string;
}

/** 回避: a member takes no part in the vote on one candidate of one ballot. */
export interface RecusalTable {
  ballot_id: string;
  member_id: string;
  candidate_id: string;
  declared_by: 'member' | 'chair';
  log_index: number;
}

/** A 计票人/监票人's device signature over a ballot's logged result. */
export interface TallyConfirmationTable {
  ballot_id: string;
  member_id: string;
  role: 'counter' | 'scrutineer';
  signature: string;
  confirmed_at: Date;
  log_index: number;
}

/** A supervisor named 监票人: the signature of their registered device over a ballot's logged result. */
export interface SupervisorTallyConfirmationTable {
  ballot_id: string;
  account_id: number;
  name: string;
  device_key: string;
  signature: string;
  confirmed_at: Date;
  log_index: number;
}

/** A display link of the meeting screen: only the key's hash is kept. */
export interface MeetingDisplayTable {
  key_hash: string;
  meeting_id: string;
  created_by: string;
  created_at: Date;
}

/** Notices (公示/公告, src/notices): drafts, then published into the public log; never edited after. */
export interface NoticeTable {
  id: string;
  cycle_id: string;
  type: 'material-review' | 'onsite-review' | 'initial-winners' | 'objection-result' | 'revocation' | 'commendation';
  status: ColumnType<'draft' | 'published', 'draft' | 'published' | undefined, 'draft' | 'published'>;
  title: string;
  body: string;
  organisations: string; // JSON [{name, code?, award?}]
  corrects: string | null;
  ballot_ids: string; // JSON string[]
  objection_ids: string; // JSON string[]
  revocation: string | null; // JSON {basis, award, approval?}
  window_start: string | null;
  window_end: string | null;
  window_mode: 'after' | 'including' | null;
  window_closes_at: Date | null;
  calendar_version: string | null;
  published_at: Date | null;
  published_by: string | null;
  log_index: number | null;
  document_hash: string | null;
  document: string | null; // the published document, canonical JSON
  window_closed_flagged_at: Date | null;
  created_at: CreatedAt;
  created_by: string;
  /** Migration 0009: the first day of the window staff chose (YYYY-MM-DD), if any. */
  first_day: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Migration 0016: the reason staff gave for publishing a list before the previous one's 公示 and objections were over. */
  sequence_override: ColumnType<string | null, string | null | undefined, string | null>;
  /** Migration 0018: a correction of a list of initial winners, JSON string[] of the organisations it removes (upheld objections). */
  removed: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Migration 0016: the register of applicants of a cycle (统一社会信用代码, award applied for), each logged. */
export interface ApplicantTable {
  cycle_id: string;
  credit_code: string;
  name: string;
  award: 'quality' | 'innovation' | 'excellence';
  log_index: number;
  registered_at: Date;
}

/** Migration 0016: the 候选组织建议名单 of an award (三(三)5), fixed once, logged. */
export interface CandidateListTable {
  cycle_id: string;
  award: 'quality' | 'innovation' | 'excellence';
  organisations: string; // JSON [{creditCode, name}]
  log_index: number;
  fixed_at: Date;
}

/** Objections (异议, src/objections): objector's name and contact encrypted (iv‖AES-256-GCM ciphertext). */
export interface ObjectionTable {
  id: string;
  tracking_no: string;
  access_code_hash: string;
  notice_id: string;
  cycle_id: string;
  kind: 'unit' | 'person';
  name_enc: Uint8Array;
  contact_enc: Uint8Array;
  organisation: string;
  facts: string;
  reasons: string;
  digest: string;
  received_at: Date;
  received_date: string;
  due_date: string;
  due_ends_at: Date;
  due_mode: 'after' | 'including';
  due_provisional: boolean;
  calendar_version: string;
  receipt_log_index: number;
  receipt_doc_hash: string;
  status: ColumnType<'received' | 'verifying' | 'decided' | 'published', 'received' | undefined, 'received' | 'verifying' | 'decided' | 'published'>;
  assigned_units: ColumnType<string, string | undefined, string>; // JSON string[]
  findings: string | null;
  decision: 'upheld' | 'partly-upheld' | 'rejected' | null;
  decision_summary: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  result_notice_id: string | null;
  result_published_at: Date | null;
  overdue_flagged_at: Date | null;
  created_at: CreatedAt;
  /** Migration 0009: the objector's identity (JSON ObjectorIdentity), encrypted like name and contact. */
  identity_enc: Uint8Array | null;
  channel: ColumnType<ObjectionChannel, ObjectionChannel | undefined, ObjectionChannel>;
  /** Post only: the postmark's Beijing date (以邮戳为准). */
  postmark_date: string | null;
  /** Paper, post or fax: the staff member who registered it. */
  registered_by: string | null;
  /** The objector stated that no evidence is provided (未提供佐证材料); the result notice says so. */
  no_evidence: ColumnType<boolean, boolean | undefined, boolean>;
  /** JSON number[]: log indexes of the calendar entries the due date was computed with. */
  due_calendar_entries: ColumnType<string, string | undefined, string>;
  /** JSON of the first (provisional) due date, kept once a logged correction replaced it. */
  due_first: string | null;
  /** Migration 0018: the log index of the objection-decision entry in force. */
  decision_log_index: ColumnType<number | null, number | null | undefined, number | null>;
  /** Migration 0018: an upheld objection's entry kept on its list: the judging group's reason, its entry, when, by whom. */
  hold_kept_reason: ColumnType<string | null, string | null | undefined, string | null>;
  hold_kept_log_index: ColumnType<number | null, number | null | undefined, number | null>;
  hold_kept_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  hold_kept_by: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Migration 0018: a member unit of the judging group assigned to verify an objection, and its finding (each logged). */
export interface ObjectionUnitTable {
  objection_id: string;
  unit: string;
  assigned_log_index: number;
  assigned_at: Date;
  assigned_by: string;
  finding: string | null;
  finding_log_index: number | null;
  finding_at: Date | null;
  finding_by: string | null;
}

export type ObjectionChannel = 'online' | 'in-person' | 'post' | 'fax';

export interface ObjectionFileTable {
  objection_id: string;
  position: number;
  sha256: string;
  size: number;
  media_type: string;
  file_name: string;
  /** evidence: 佐证材料; letter: the signed (个人) or sealed (单位, 加盖公章) objection letter. */
  role: ColumnType<'evidence' | 'letter', 'evidence' | 'letter' | undefined, never>;
}

/** Per cycle: the objection-intake details every windowed notice prints (JSON IntakeDetails). */
export interface CycleIntakeTable {
  cycle_id: string;
  details: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
}

/** The calendar's public log entries (src/calendar/log.ts): State Council tables and local overrides. */
export interface CalendarEntryTable {
  log_index: number;
  kind: 'table' | 'override' | 'override-withdrawn';
  year: number | null;
  date: string | null;
  document: string; // the logged document, canonical JSON
  created_at: CreatedAt;
}

export interface ObjectionEventTable {
  id: Generated<number>;
  objection_id: string;
  at: Date;
  actor: string;
  action: string;
  detail: ColumnType<string, string | undefined, string>; // JSON
}

/** Per-address request counters; key_hash = HMAC(bucket ‖ address ‖ window), never the address. */
export interface ObjectionRateLimitTable {
  key_hash: string;
  bucket: string;
  window_start: Date;
  expires_at: Date;
  count: number;
}

/** Public log (src/log, migration 0003): the head, the only row ever updated; its size is the append lock. */
export interface LogHeadTable {
  id: number; // always 1
  size: number;
  /** Hashes of the maximal complete subtrees of `size`, highest first (src/log/append.ts); null: read them from log_hash. */
  frontier: Uint8Array | null;
}

/** Public log entry `idx` (dense 0..size-1): `bytes` is the exact Merkle leaf data (canonical JSON). */
export interface LogEntryTable {
  idx: number;
  type: string;
  cycle_id: string | null;
  doc_hash: string; // lowercase hex SHA-256 of the document's canonical JSON
  bytes: Uint8Array;
}

/** Public log: stored hash `idx` (Crosby–Wallach order, crypto/tlog.ts storedHashIndex) → 32-byte hash. */
export interface LogHashTable {
  idx: number;
  hash: Uint8Array;
}

/** Public log: a full document (canonical JSON) by its SHA-256. */
export interface LogDocumentTable {
  hash: string;
  type: string;
  body: string;
}

/** Public log: a signed checkpoint (C2SP tlog-checkpoint as a signed note, log signature only). */
export interface LogCheckpointTable {
  size: number;
  root_hash: Uint8Array;
  note: string;
  signed_at: Date;
}

/** Public log: a witness's cosignature/v1 line on a checkpoint. */
export interface LogCosignatureTable {
  checkpoint_size: number;
  witness: string;
  key_id: string; // 8 hex digits
  line: string; // `— <name> <base64>` without the newline
  cosigned_at: Date; // the cosignature's own timestamp
  received_at: CreatedAt;
}

export interface Database {
  log_head: LogHeadTable;
  log_entry: LogEntryTable;
  log_hash: LogHashTable;
  log_document: LogDocumentTable;
  log_checkpoint: LogCheckpointTable;
  log_cosignature: LogCosignatureTable;
  meta: MetaTable;
  calendar_override: CalendarOverrideTable;
  cycle: CycleTable;
  account: AccountTable;
  account_token: AccountTokenTable;
  member: MemberTable;
  member_challenge: MemberChallengeTable;
  member_session: MemberSessionTable;
  meeting: MeetingTable;
  checkin: CheckinTable;
  ballot: BallotTable;
  ballot_phase: BallotPhaseTable;
  ballot_cosign: BallotCosignTable;
  token_served: TokenServedTable;
  secret_ballot: SecretBallotTable;
  hand_vote: HandVoteTable;
  supervisor_device: SupervisorDeviceTable;
  meeting_procedure: MeetingProcedureTable;
  procedure_vote: ProcedureVoteTable;
  award_fixing: AwardFixingTable;
  award_fixing_vote: AwardFixingVoteTable;
  award_approval: AwardApprovalTable;
  recusal: RecusalTable;
  tally_confirmation: TallyConfirmationTable;
  supervisor_tally_confirmation: SupervisorTallyConfirmationTable;
  meeting_display: MeetingDisplayTable;
  notice: NoticeTable;
  applicant: ApplicantTable;
  candidate_list: CandidateListTable;
  objection: ObjectionTable;
  objection_file: ObjectionFileTable;
  objection_unit: ObjectionUnitTable;
  objection_event: ObjectionEventTable;
  objection_rate_limit: ObjectionRateLimitTable;
  cycle_intake: CycleIntakeTable;
  calendar_entry: CalendarEntryTable;
}
