/**
 * The log's document vocabulary: every entry type the public log carries, and for each the zod
 * schema of its document. The server appends only through `appendEntry` below (the document must
 * parse under its type's schema before it is written), and the supervisors' verifier parses every
 * document with the same schemas (src/verify/bundle.ts): a document that does not parse, or an entry
 * type not listed here, fails verification.
 *
 * Adding an entry type: one schema here, with a line saying what public fact it records (and the
 * clause of the regulation, where there is one), one line in ENTRY_SCHEMAS; then write it with
 * `appendEntry(trx, 'the-type', document, { cycleId })` and read it in src/verify/checks/.
 *
 * Schemas are strict (an unknown field fails) so that a document cannot carry a fact that no one
 * checks. Runs anywhere (zod only at runtime, plus the storage append for the server).
 * @module
 */
import * as z from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { RulesSchema } from '../votes/rules.js';
import { AWARDS } from '../votes/awards.js';
import { appendRawEntries } from './append.js';

// ---------------------------------------------------------------- shared pieces

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes of lowercase hex`);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const index = z.number().int().min(0);
const count = z.number().int().min(0);

export const AwardSchema = z.enum(AWARDS);
export const BallotKindSchema = z.enum(['secret', 'show-of-hands']);
export const ChoiceSchema = z.enum(['for', 'against', 'abstain']);
export const ChoicesSchema = z.record(z.string(), ChoiceSchema);
export const TallySchema = z.record(z.string(), z.strictObject({ for: count, against: count, abstain: count }));
export const CandidateSchema = z.strictObject({ id: z.string(), name: z.string() });
/** A member named in the log (roster, eligible, served). */
export const MemberRefSchema = z.strictObject({ memberId: z.string(), name: z.string(), unit: z.string() });
export const WorkdayModeSchema = z.enum(['after', 'including']);

/** 回避 as the result restates it: who, from which candidate, and the recusal's entry. */
const ResultRecusalSchema = z.strictObject({ memberId: z.string(), name: z.string(), candidateId: z.string(), logIndex: index });

export const ResultSchema = z.strictObject({
  present: count,
  seats: count,
  rules: RulesSchema,
  /** With 回避: `recused` members and the reduced `present` the candidate's pass rule counted against. */
  candidates: z.array(z.strictObject({ candidateId: z.string(), for: count, against: count, abstain: count, passed: z.boolean(), recused: count.optional(), present: count.optional() })),
  winners: z.array(z.string()),
  vacancies: count,
  runoff: z.strictObject({ required: z.literal(true), candidates: z.array(z.string()), seats: count, forCount: count }).nullable(),
});

/** What every stage of a ballot restates from its preparation (checked equal by the verifier). */
const ballotSettings = {
  ballotId: z.string(),
  cycleId: z.string(),
  award: AwardSchema,
  seats: z.number().int().min(1),
  rules: RulesSchema,
  candidates: z.array(CandidateSchema),
};

/** 回避 of a member present from one candidate, with the recusal's own entry. */
const RecusalRefSchema = z.strictObject({ memberId: z.string(), candidateId: z.string(), logIndex: index });

/**
 * The vote opens: who is present (checked in at that moment), against the whole group; the adopted
 * 表决办法 it runs under; the 回避 of members present (only when there are any).
 */
const ballotOpening = {
  ...ballotSettings,
  membersTotal: count,
  present: count,
  eligible: z.array(MemberRefSchema),
  procedureLogIndex: index,
  recusals: z.array(RecusalRefSchema).optional(),
};

/** A secret ballot's recusal class: the key that signs the tokens of members recused from exactly `recused`. */
export const KeyClassSchema = z.strictObject({
  recused: z.array(z.string()).min(1),
  /** For a co-issued ballot, the sum of the class's two keys (no proof of its own, as for the ballot's key). */
  publicKey: hex(48),
  proofOfPossession: hex(96).nullable(),
  members: count,
  coIssuance: z.strictObject({ bureauPublicKey: hex(48), bureauProofOfPossession: hex(96), cosignerPublicKey: hex(48), cosignerProofOfPossession: hex(96) }).optional(),
});

// ---------------------------------------------------------------- the documents

/** 全体会议 opened: the meeting and the judging group's roster at that moment (quorum counts against it). */
export const MeetingOpenDocument = z.strictObject({
  meetingId: z.string(),
  cycleId: z.string(),
  title: z.string(),
  roster: z.array(MemberRefSchema),
  membersTotal: count,
});

/** The meeting closed: no check-in, ballot or hand after this entry belongs to it. */
export const MeetingCloseDocument = z.strictObject({ meetingId: z.string() });

/** 签到: a member present at the meeting, signed by the member's tablet (Ed25519 device key). */
export const CheckinDocument = z.strictObject({
  meetingId: z.string(),
  memberId: z.string(),
  name: z.string(),
  unit: z.string(),
  deviceKey: hex(32),
  signature: hex(64),
});

/** A ballot prepared: award, decision method (三(三)6), seats (三(一)), rules and candidates, fixed before the vote. */
export const BallotPreparedDocument = z.strictObject({
  ballotId: z.string(),
  cycleId: z.string(),
  meetingId: z.string(),
  award: AwardSchema,
  kind: BallotKindSchema,
  title: z.string(),
  seats: z.number().int().min(1),
  rules: RulesSchema,
  candidates: z.array(CandidateSchema),
  runoffOf: z.string().nullable(),
});

/**
 * A prepared ballot withdrawn before its vote opened (no key, no hands): it holds no seats (三(一)) and
 * never opens. Names its ballot-prepared entry; the reason is printed as staff gave it.
 */
export const BallotWithdrawnDocument = z.strictObject({
  ballotId: z.string(),
  cycleId: z.string(),
  meetingId: z.string(),
  award: AwardSchema,
  seats: z.number().int().min(1),
  preparedLogIndex: index,
  reason: z.string().min(1),
  withdrawnAt: z.string(),
});

/** 无记名投票 opens: the members present and the ballot's BLS public key with its proof of possession, before any token. */
export const BallotKeyDocument = z.strictObject({
  ...ballotOpening,
  kind: z.literal('secret'),
  phase: z.literal('issuing'),
  ciphersuite: z.string(),
  /** The key tokens verify under: for a co-issued ballot, the sum of the two keys in coIssuance. */
  publicKey: hex(48),
  /** Null for a co-issued ballot (nobody holds the aggregate's secret key; each share's key has one). */
  proofOfPossession: hex(96).nullable(),
  /** The Ed25519 key (hex) that signs cast receipts (src/votes/receipts.ts). */
  receiptKey: hex(32).optional(),
  /** 2-of-2 issuance (crypto/cosign.ts): both keys with their proofs, and the co-signer's signed approval of the list. */
  coIssuance: z
    .strictObject({
      bureauPublicKey: hex(48),
      bureauProofOfPossession: hex(96),
      cosignerPublicKey: hex(48),
      cosignerProofOfPossession: hex(96),
      /** The co-signer's "hzqa-cosigner/v1 ballot-key" statement (C2SP signed note, src/cosigner/statements.ts). */
      cosignerApproval: z.string(),
    })
    .optional(),
  /** 回避: the key of each recusal class, co-issued like the ballot's own key when it is. */
  keyClasses: z.array(KeyClassSchema).optional(),
});

/** 举手表决 opens: the members present, who alone may raise hands. */
export const BallotVotingDocument = z.strictObject({
  ...ballotOpening,
  kind: z.literal('show-of-hands'),
  phase: z.literal('voting'),
});

/** Token issuance closes, casting opens: the members served a token, by name. */
export const BallotPhaseDocument = z.strictObject({
  ballotId: z.string(),
  phase: z.literal('casting'),
  issued: count,
  served: z.array(MemberRefSchema),
  /** A co-issued ballot: the index of the co-signer's own served list (cosigner-served). */
  cosignerServedLogIndex: index.optional(),
});

/** A co-issued ballot's issuance closed at the co-signer: its served list, signed by it ("hzqa-cosigner/v1 served"). */
export const CosignerServedDocument = z.strictObject({
  ballotId: z.string(),
  served: z.array(z.string()),
  statement: z.string(),
});

/** Casting closed: every secret ballot (token, unblinded signature, choices) in token order, and the tally. */
export const BallotBulletinDocument = z.strictObject({
  ...ballotSettings,
  ciphersuite: z.string(),
  publicKey: hex(48),
  proofOfPossession: hex(96).nullable(),
  keyClasses: z.array(KeyClassSchema).optional(),
  keyLogIndex: index,
  membersTotal: count,
  present: count,
  issued: count,
  served: z.array(MemberRefSchema),
  ballots: z.array(z.strictObject({ token: hex(32), message: z.string().regex(/^[0-9a-f]*$/), signature: hex(96), choices: ChoicesSchema, recused: z.array(z.string()).min(1).optional() })),
  tally: TallySchema,
});

/** The result of a ballot under its own rules (三(一), 三(三)6): from the bulletin, or from the named record's hash. */
export const BallotResultDocument = z.discriminatedUnion('kind', [
  z.strictObject({
    ...ballotSettings,
    kind: z.literal('secret'),
    present: count,
    issued: count,
    cast: count,
    tally: TallySchema,
    result: ResultSchema,
    bulletinLogIndex: index.nullable(),
    recusals: z.array(ResultRecusalSchema).optional(),
  }),
  z.strictObject({
    ...ballotSettings,
    kind: z.literal('show-of-hands'),
    present: count,
    votes: count,
    staffRecorded: count,
    tally: TallySchema,
    result: ResultSchema,
    recordHash: hex(32),
    recusals: z.array(ResultRecusalSchema).optional(),
  }),
]);

/** 表决办法 put to the meeting: quorum and pass rule (the meeting's, and each prepared ballot's), 计票人 and 监票人. */
export const MeetingProcedureDocument = z.strictObject({
  procedureId: z.string(),
  meetingId: z.string(),
  cycleId: z.string(),
  rules: RulesSchema,
  ballots: z.array(z.strictObject({ ballotId: z.string(), title: z.string(), rules: RulesSchema })),
  counters: z.array(MemberRefSchema),
  scrutineers: z.array(MemberRefSchema),
});

const ProcedureCounts = { for: count, against: count, abstain: count, membersTotal: count, present: count };
const procedureDecided = { procedureId: z.string(), meetingId: z.string(), procedureLogIndex: index, procedureHash: hex(32), adopted: z.boolean() };

/**
 * The meeting's decision on a 表决办法: by the members' signed hands, by the chair's signed record that a
 * supervisor confirmed, or withdrawn (replaced by a new proposal). Adopted with 同意 from more than half present.
 */
export const MeetingProcedureDecidedDocument = z.discriminatedUnion('mode', [
  z.strictObject({
    ...procedureDecided,
    ...ProcedureCounts,
    mode: z.literal('hands'),
    votes: z.array(z.strictObject({ memberId: z.string(), name: z.string(), choice: ChoiceSchema, signature: hex(64), deviceKey: hex(32), checkinLogIndex: index })),
  }),
  z.strictObject({
    ...procedureDecided,
    ...ProcedureCounts,
    mode: z.literal('chair-record'),
    chair: z.strictObject({ memberId: z.string(), name: z.string(), deviceKey: hex(32), for: count, against: count, abstain: count, signature: hex(64), checkinLogIndex: index }),
    confirmedBy: z.strictObject({ accountId: count, name: z.string() }),
  }),
  z.strictObject({ ...procedureDecided, mode: z.literal('withdrawn'), adopted: z.literal(false) }),
]);

/** 回避: a member takes no part in the vote on one candidate, signed by the member's tablet or the chair's. */
export const RecusalDocument = z.strictObject({
  ballotId: z.string(),
  meetingId: z.string(),
  memberId: z.string(),
  name: z.string(),
  unit: z.string(),
  candidateId: z.string(),
  candidateName: z.string(),
  declaredBy: z.enum(['member', 'chair']),
  signerMemberId: z.string(),
  signerName: z.string(),
  deviceKey: hex(32),
  signature: hex(64),
  reason: z.string(),
});

/** A 计票人/监票人 confirms a result: Ed25519 over the result entry's index and document hash, by the tablet that checked in. */
export const TallyConfirmationDocument = z.strictObject({
  ballotId: z.string(),
  resultLogIndex: index,
  resultDocHash: hex(32),
  memberId: z.string(),
  name: z.string(),
  unit: z.string(),
  role: z.enum(['counter', 'scrutineer']),
  deviceKey: hex(32),
  checkinLogIndex: index,
  signature: hex(64),
});

/** 会议纪要, logged when the meeting closes: attendance, the 表决办法 and its adoption, each vote and its result. */
export const MeetingMinutesDocument = z.strictObject({
  meetingId: z.string(),
  cycleId: z.string(),
  title: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  openLogIndex: index.nullable(),
  closeLogIndex: index,
  membersTotal: count,
  checkedIn: count,
  attendees: z.array(z.strictObject({ name: z.string(), unit: z.string(), checkedInAt: z.string().nullable() })),
  absent: z.array(z.strictObject({ name: z.string(), unit: z.string() })),
  chair: z.strictObject({ id: z.string(), name: z.string(), unit: z.string() }).nullable(),
  procedure: z
    .strictObject({
      status: z.enum(['proposed', 'adopted', 'rejected']),
      rules: RulesSchema,
      rulesText: z.string(),
      counters: z.array(z.string()),
      scrutineers: z.array(z.string()),
      logIndex: index,
      documentHash: hex(32),
      adoption: z
        .strictObject({
          mode: z.string().nullable(),
          for: count.nullable(),
          against: count.nullable(),
          abstain: count.nullable(),
          present: count.nullable(),
          adopted: z.boolean(),
          confirmedBy: z.string().nullable(),
          logIndex: index,
        })
        .nullable(),
    })
    .nullable(),
  votes: z.array(
    z.strictObject({
      ballotId: z.string(),
      title: z.string(),
      award: AwardSchema,
      kind: BallotKindSchema,
      seats: count,
      phase: z.string(),
      present: count.nullable(),
      winners: z.array(z.string()),
      runoff: z.array(z.string()).nullable(),
      recusals: z.array(z.strictObject({ name: z.string(), candidateName: z.string() })),
      confirmations: z.array(z.strictObject({ name: z.string(), role: z.enum(['counter', 'scrutineer']) })),
      resultLogIndex: index.nullable(),
    }),
  ),
});

const NoticeWindowSchema = z.strictObject({
  start: isoDate,
  end: isoDate,
  mode: WorkdayModeSchema,
  closesAt: z.string(),
  workingDays: count,
  calendarVersion: z.string(),
  /** Log indexes of the calendar entries (calendar-table, calendar-override) the window was counted with. */
  calendarEntries: z.array(index).optional(),
  /** The first day staff chose, when later than the earliest allowed (publication day, or next working day). */
  chosenFirstDay: isoDate.optional(),
});

/** Where and how objections are received (受理), printed on every windowed notice with the 异议须知. */
export const IntakeDetailsSchema = z.strictObject({
  unit: z.string().min(1).max(100),
  contactPerson: z.string().min(1).max(50),
  phone: z.string().min(1).max(50),
  address: z.string().min(1).max(200),
  postcode: z.string().regex(/^\d{6}$/, '6 digits'),
  email: z.string().max(100).optional(),
  fax: z.string().max(50).optional(),
});

/** The 落款: the issuer and the date, as printed (2026年3月2日). */
const SignOffSchema = z.strictObject({ issuer: z.string(), date: z.string().regex(/^\d{4}年\d{1,2}月\d{1,2}日$/) });

/** 公示 (三(三)7) of a list, an objection result or a revocation (六(三), 六(五)); corrections name the notice they correct. */
export const NoticeDocumentSchema = z.strictObject({
  v: z.literal('hzqa-notice/v1'),
  id: z.string(),
  cycleId: z.string(),
  type: z.enum(['material-review', 'onsite-review', 'initial-winners', 'objection-result', 'revocation']),
  typeName: z.string(),
  title: z.string(),
  body: z.string(),
  organisations: z.array(z.strictObject({ name: z.string(), code: z.string().optional(), award: AwardSchema.optional() })),
  corrects: z.strictObject({ id: z.string(), logIndex: index, documentHash: hex(32) }).nullable(),
  window: NoticeWindowSchema.nullable(),
  ballots: z
    .array(
      z.strictObject({
        ballotId: z.string(),
        award: AwardSchema,
        kind: BallotKindSchema,
        winners: z.array(z.strictObject({ candidateId: z.string(), name: z.string() })),
        resultLogIndex: index,
        bulletinLogIndex: index.nullable(),
      }),
    )
    .optional(),
  objections: z
    .array(
      z.strictObject({
        trackingNo: z.string(),
        receiptLogIndex: index,
        receivedDate: isoDate,
        dueDate: isoDate,
        organisation: z.string(),
        decision: z.enum(['upheld', 'partly-upheld', 'rejected']),
        summary: z.string(),
        /** The objector stated that no evidence was provided: the notice prints 未提供佐证材料. */
        noEvidence: z.boolean().optional(),
      }),
    )
    .optional(),
  intake: IntakeDetailsSchema.optional(),
  signOff: SignOffSchema.optional(),
  revocation: z
    .strictObject({
      basis: z.enum(['六(三)', '六(五)']),
      award: AwardSchema,
      approval: z.string().optional(),
      /** The city government's approval: 文号 and date. */
      approvalNumber: z.string().min(1).optional(),
      approvalDate: isoDate.optional(),
      /** 六(五): the event's date, within two years of the award. */
      eventDate: isoDate.optional(),
      /** The list of winners the organisation is on (六（三）/六（五）: only a winner's award is revoked). */
      awardedBy: z.strictObject({ id: z.string(), logIndex: index, date: isoDate }).optional(),
    })
    .optional(),
  /** A list drawn from the previous stage's list (拟进入现场评审 from 拟进入材料评审, 初选 from 现场), in a cycle with a register. */
  drawnFrom: z.strictObject({ id: z.string(), logIndex: index, documentHash: hex(32) }).optional(),
  /** Published before the previous list's 公示 was over or its objections answered: the reason staff recorded. */
  sequenceOverride: z.strictObject({ reason: z.string().min(1) }).optional(),
  publishedAt: z.string(),
  issuer: z.string(),
});

/** The register (三(三)1–2): an applicant of the cycle, its 统一社会信用代码 (GB 32100) and the award applied for. */
export const ApplicantRegisteredDocument = z.strictObject({
  cycleId: z.string(),
  creditCode: z.string(),
  name: z.string(),
  award: AwardSchema,
  registeredAt: z.string(),
});

/**
 * 候选组织建议名单 of one award (三(三)5): drawn from the published on-site list (its notice named), reviewed by
 * the member units named; ballots of the award may name only these organisations.
 */
export const CandidateListDocument = z.strictObject({
  cycleId: z.string(),
  award: AwardSchema,
  organisations: z.array(z.strictObject({ creditCode: z.string(), name: z.string() })).min(1),
  onsiteNotice: z.strictObject({ id: z.string(), logIndex: index }),
  reviewedBy: z.array(z.string()).min(1),
  fixedAt: z.string(),
});

/** An objection received (三(三)7) during a notice's window: its digest and its 5-working-day verification due date. */
export const ObjectionReceiptDocument = z.strictObject({
  v: z.literal('hzqa-objection-receipt/v1'),
  trackingNo: z.string(),
  noticeId: z.string(),
  noticeLogIndex: index.nullable(),
  digest: hex(32),
  digestVersion: z.string(),
  receivedDate: isoDate,
  dueDate: isoDate,
  dueEndsAt: z.string(),
  dueMode: WorkdayModeSchema,
  dueWorkingDays: count,
  provisional: z.boolean(),
  calendarVersion: z.string(),
  /** Log indexes of the calendar entries the due date was computed with (each earlier in the log). */
  calendarEntries: z.array(index).optional(),
  /** online, or registered by staff: in-person (当面递交), post (邮寄), fax (传真). */
  channel: z.enum(['online', 'in-person', 'post', 'fax']).optional(),
  /** Registered by staff: when (Beijing time); receivedDate is when the bureau received it. */
  registeredAt: z.string().optional(),
  /** Post: the postmark's date, which decides lateness (以邮戳为准). */
  postmarkDate: isoDate.optional(),
  objectorKind: z.enum(['unit', 'person']).optional(),
  evidenceFiles: count.optional(),
  /** The objector stated that no evidence is provided (未提供佐证材料). */
  noEvidence: z.boolean().optional(),
});

const ArrangementSchema = z.strictObject({
  item: z.string().min(1).max(4),
  holiday: z.string().min(1).max(40),
  holidayEn: z.string().min(1).max(120),
  off: z.tuple([isoDate, isoDate]),
  statedDays: z.number().int().min(1).max(31).optional(),
  work: z.array(isoDate).max(10),
});

/**
 * A year of the State Council's holiday arrangements (国务院办公厅关于YYYY年部分节假日安排的通知), with its
 * source (文号, date, URL): bundled tables are logged before the first deadline that uses them,
 * entered ones by staff from the notice's text (enteredBy, SHA-256 of the text). Cycle null.
 */
export const CalendarTableDocument = z.strictObject({
  v: z.literal('hzqa-calendar-table/v1'),
  year: z.number().int().min(1999).max(2200),
  notice: z.strictObject({ number: z.string().min(1).max(60), title: z.string().min(1).max(100), published: isoDate, url: z.string().min(1).max(500) }),
  arrangements: z.array(ArrangementSchema).min(1).max(10),
  source: z.enum(['bundled', 'entered']),
  enteredBy: z.string().min(1).max(200).optional(),
  noticeTextSha256: hex(32).optional(),
});

/** A local day off or working day decided by the bureau (add), or its withdrawal (refs.withdraws). Cycle null. */
export const CalendarOverrideDocument = z.strictObject({
  v: z.literal('hzqa-calendar-override/v1'),
  action: z.enum(['add', 'withdraw']),
  date: isoDate,
  kind: z.enum(['off', 'work']),
  reason: z.string().min(1).max(500),
  decidedBy: z.string().min(1).max(200),
  withdraws: index.optional(),
});

const DueSchema = z.strictObject({ dueDate: isoDate, dueEndsAt: z.string(), provisional: z.boolean(), calendarVersion: z.string(), calendarEntries: z.array(index) });

/**
 * A pending objection's due date recomputed after a calendar entry (`cause`) arrived — e.g. a
 * provisional date once the State Council's table for its year is entered. refs: receipt, calendar.
 */
export const DeadlineCorrectionDocument = z.strictObject({
  v: z.literal('hzqa-deadline-correction/v1'),
  trackingNo: z.string(),
  receiptLogIndex: index,
  receivedDate: isoDate,
  dueMode: WorkdayModeSchema,
  previous: DueSchema,
  current: DueSchema,
  cause: index,
});

/** The judging group's roster: a member registered for the cycle (never the enrollment code). */
export const MemberRegisteredDocument = z.strictObject({
  memberId: z.string(),
  cycleId: z.string(),
  name: z.string(),
  unit: z.string(),
  isChair: z.boolean(),
  registeredAt: z.string(),
});

/** A member's tablet enrolled: the device key that signs the member's check-ins, token requests and hands. */
export const MemberEnrolledDocument = z.strictObject({
  memberId: z.string(),
  cycleId: z.string(),
  name: z.string(),
  unit: z.string(),
  deviceKey: hex(32),
  deviceKeyFingerprint: z.string(),
  enrolledAt: z.string(),
});

/** A member's tablet enrollment code re-issued: the old device key no longer signs for the member. */
export const MemberEnrollmentReissuedDocument = z.strictObject({
  memberId: z.string(),
  cycleId: z.string(),
  name: z.string(),
  unit: z.string(),
});

const assetFile = z.strictObject({
  path: z.string().regex(/^\/assets\/[A-Za-z0-9._/-]+$/).refine((p) => !p.split('/').includes('..'), 'no .. segments'),
  sha256: hex(32),
  size: count,
});

/**
 * A deployed build (src/assets/manifest.ts): every file served to browsers with its SHA-256, the
 * source commit (`dirty`: built with uncommitted changes), the pinned esbuild. Cycle null.
 */
export const AssetManifestDocument = z.strictObject({
  v: z.literal(1),
  commit: z.union([z.string().regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/), z.literal('unknown')]),
  dirty: z.boolean(),
  esbuild: z.string().regex(/^\d+\.\d+\.\d+$/),
  files: z
    .array(assetFile)
    .min(1)
    .refine((fs) => fs.every((f, i) => i === 0 || fs[i - 1]!.path < f.path), 'files sorted by path, each once'),
});

/**
 * A supervisor's device registered for a cycle: its key confirms (countersigns) hands that staff recorded
 * for a member whose tablet failed. Public, so each confirmation traces to a device registered beforehand.
 */
export const SupervisorDeviceDocument = z.strictObject({
  cycleId: z.string(),
  name: z.string(),
  deviceKey: hex(32),
  deviceKeyFingerprint: z.string(),
  registeredAt: z.string(),
});

/** Every entry type, by name, with its document's schema. */
export const ENTRY_SCHEMAS = {
  'meeting-open': MeetingOpenDocument,
  'meeting-close': MeetingCloseDocument,
  checkin: CheckinDocument,
  'member-enrollment-reissued': MemberEnrollmentReissuedDocument,
  'member-registered': MemberRegisteredDocument,
  'member-enrolled': MemberEnrolledDocument,
  'cosigner-served': CosignerServedDocument,
  'supervisor-device': SupervisorDeviceDocument,
  'ballot-prepared': BallotPreparedDocument,
  'ballot-key': BallotKeyDocument,
  'ballot-voting': BallotVotingDocument,
  'ballot-phase': BallotPhaseDocument,
  'ballot-bulletin': BallotBulletinDocument,
  'ballot-result': BallotResultDocument,
  'ballot-withdrawn': BallotWithdrawnDocument,
  'applicant-registered': ApplicantRegisteredDocument,
  'candidate-list': CandidateListDocument,
  notice: NoticeDocumentSchema,
  'objection-receipt': ObjectionReceiptDocument,
  'calendar-table': CalendarTableDocument,
  'calendar-override': CalendarOverrideDocument,
  'deadline-correction': DeadlineCorrectionDocument,
  'asset-manifest': AssetManifestDocument,
  'meeting-procedure': MeetingProcedureDocument,
  'meeting-procedure-decided': MeetingProcedureDecidedDocument,
  recusal: RecusalDocument,
  'tally-confirmation': TallyConfirmationDocument,
  'meeting-minutes': MeetingMinutesDocument,
} as const satisfies Record<string, z.ZodType>;

export type EntryType = keyof typeof ENTRY_SCHEMAS;
export type DocumentOf<T extends EntryType> = z.infer<(typeof ENTRY_SCHEMAS)[T]>;
export const ENTRY_TYPES = Object.keys(ENTRY_SCHEMAS) as EntryType[];

export function isEntryType(type: string): type is EntryType {
  return Object.hasOwn(ENTRY_SCHEMAS, type);
}

/** A document of a known type, parsed. */
export type TypedDocument = { [T in EntryType]: { type: T; doc: DocumentOf<T> } }[EntryType];

/**
 * Anyone: parses a document (already JSON-parsed) under its entry type's schema. Never throws:
 * an unknown type or a document that does not match is an error text naming the first problem.
 */
export function parseDocument(type: string, value: unknown): { ok: true; value: TypedDocument } | { ok: false; error: string } {
  if (!isEntryType(type)) return { ok: false, error: `unknown entry type ${type}` };
  const r = ENTRY_SCHEMAS[type].safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'does not match'}` };
  }
  return { ok: true, value: { type, doc: r.data } as TypedDocument };
}

/** A document that does not match its own entry type's schema: a bug in the writer, never user input. */
export class DocumentSchemaError extends Error {
  override readonly name = 'DocumentSchemaError';
}

export interface AppendOptions {
  cycleId: string | null;
  refs?: Record<string, string | number>;
}

/**
 * Server: appends one typed entry inside `trx` (see append.ts for the lock and the transaction rule).
 * The document is checked against its schema first, so the log never holds a document that the
 * verifier would reject; the document is logged exactly as given.
 */
export async function appendEntry<T extends EntryType>(
  trx: Kysely<Database> | Transaction<Database>,
  type: T,
  document: DocumentOf<T>,
  options: AppendOptions,
): Promise<{ index: number; docHash: string }> {
  const parsed = parseDocument(type, document);
  if (!parsed.ok) throw new DocumentSchemaError(`${type} document: ${parsed.error}`);
  const [appended] = await appendRawEntries(trx, [{ type, cycleId: options.cycleId, document, ...(options.refs ? { refs: options.refs } : {}) }]);
  if (!appended) throw new Error('append returned nothing');
  return appended;
}
