// What the meeting-conduct routes (conduct-routes.ts) answer: the 表决办法 and its adoption, 回避, the
// tellers' confirmations, the live meeting view and the papers. One schema per response, shown in the
// API document and imported (as types) by the staff console, the tablet and the meeting screen.
import { z } from '@hono/zod-openapi';
import { AwardSchema, BallotKindSchema, CandidateSchema, ChoiceSchema, MeetingMinutesDocument, MeetingProcedureDocument, MemberRefSchema, ResultSchema, SupervisorRefSchema } from '../log/documents/index.js';
import { RulesSchema } from './rules.js';
import { BALLOT_PHASES } from './phases.js';
import { MeetingStatus } from './responses.js';

const index = z.number().int().min(0);
const count = z.number().int().min(0);
const PhaseSchema = z.enum(BALLOT_PHASES);
const ProcedureStatus = z.enum(['proposed', 'adopted', 'rejected']);
const TellerRole = z.enum(['counter', 'scrutineer']);
const DeclaredBy = z.enum(['member', 'chair']);
/** Text in both languages (the rules in words, an award's name). */
const Bilingual = z.object({ zh: z.string(), en: z.string() });
const HandCounts = z.object({ for: count, against: count, abstain: count });

// ---------------------------------------------------------------- 表决办法

export const ProcedureProposed = z.object({ procedureId: z.string(), logIndex: index, documentHash: z.string() }).openapi('ProcedureProposed');

export const Procedure = z
  .object({
    id: z.string(),
    status: ProcedureStatus,
    document: MeetingProcedureDocument,
    documentHash: z.string(),
    logIndex: index,
    decidedLogIndex: index.nullable(),
    /** The chair's record of the hands in the room, awaiting a supervisor's confirmation. */
    chairRecord: HandCounts.extend({ name: z.string() }).nullable(),
    votes: z.array(z.object({ memberId: z.string(), choice: ChoiceSchema })),
    counts: HandCounts,
    /** The calling member's own vote on it (null for others). */
    myVote: ChoiceSchema.nullable(),
  })
  .openapi('Procedure');

export const ProcedureVoted = z.object({ procedureId: z.string(), choice: ChoiceSchema }).openapi('ProcedureVoted');

export const ProcedureDecided = z.object({ adopted: z.boolean(), logIndex: index }).openapi('ProcedureDecided');

export const ChairRecorded = z.object({ procedureId: z.string(), awaiting: z.literal('supervisor') }).openapi('ChairRecorded');

// ---------------------------------------------------------------- 回避 and tellers

/** A log entry written by this call, or (`already`) the one an identical earlier call wrote. */
export const Logged = z.object({ logIndex: index, already: z.boolean() }).openapi('Logged');

/** The cycle's plenary meetings, newest first. */
export const MeetingList = z.object({ meetings: z.array(z.object({ id: z.string(), title: z.string(), status: z.enum(['open', 'closed']), openedAt: z.string() })) });

export const Recusals = z
  .object({ recusals: z.array(z.object({ memberId: z.string(), name: z.string(), candidateId: z.string(), declaredBy: DeclaredBy, logIndex: index })) })
  .openapi('Recusals');

export const TallyConfirmed = Logged.extend({ role: TellerRole }).openapi('TallyConfirmed');

export const ResultReference = z.object({ ballotId: z.string(), resultLogIndex: index, resultDocHash: z.string() }).openapi('ResultReference');

// ---------------------------------------------------------------- the live meeting

const LiveCandidate = ResultSchema.shape.candidates.element.extend({ name: z.string() });

const LiveBallot = z.object({
  id: z.string(),
  title: z.string(),
  award: AwardSchema,
  kind: BallotKindSchema,
  phase: PhaseSchema,
  seats: count,
  rules: RulesSchema,
  rulesText: Bilingual,
  candidates: z.array(CandidateSchema),
  membersTotal: count.nullable(),
  present: count.nullable(),
  keyFingerprint: z.string().nullable(),
  /** Tokens issued (secret ballot; null for a show of hands). */
  issued: count.nullable(),
  /** Ballots cast or hands recorded: counts only, never who or when. */
  cast: count,
  recusals: z.array(z.object({ name: z.string(), candidateId: z.string(), candidateName: z.string(), declaredBy: DeclaredBy })),
  result: ResultSchema.extend({ candidates: z.array(LiveCandidate) }).nullable(),
  resultLogIndex: index.nullable(),
  confirmations: z.array(z.object({ name: z.string(), role: TellerRole, confirmedAt: z.string(), logIndex: index })),
});

const LiveProcedure = z.object({
  id: z.string(),
  status: ProcedureStatus,
  rules: RulesSchema,
  rulesText: Bilingual,
  counters: z.array(MemberRefSchema),
  scrutineers: z.array(MemberRefSchema),
  /** 监票人 from the supervisory group. */
  supervisorScrutineers: z.array(SupervisorRefSchema),
  documentHash: z.string(),
  logIndex: index,
  decidedLogIndex: index.nullable(),
  counts: HandCounts,
  chairRecord: HandCounts.extend({ name: z.string() }).nullable(),
});

/** The meeting as the room sees it (staff console, chair, supervisors): the status with the quorum under the adopted rules. */
export const MeetingLive = MeetingStatus.extend({
  minutesLogIndex: index.nullable(),
  procedure: LiveProcedure.nullable(),
  ballots: z.array(LiveBallot),
  /** The supervisory group's attendees: a device registered for the cycle (they may be named 监票人). */
  supervisors: z.array(SupervisorRefSchema),
}).openapi('MeetingLive');

/** The meeting screen's view: the live meeting with the roster reduced to names and check-ins. */
export const MeetingScreen = MeetingLive.extend({ roster: z.array(z.object({ name: z.string(), unit: z.string(), checkedIn: z.boolean() })) }).openapi('MeetingScreen');

// ---------------------------------------------------------------- papers

const Teller = z.object({ memberId: z.string(), name: z.string(), unit: z.string() });

/** 计票结果报告单. */
export const TallySheet = z
  .object({
    ballotId: z.string(),
    title: z.string(),
    meetingId: z.string(),
    meetingTitle: z.string(),
    award: AwardSchema,
    awardName: Bilingual,
    kind: BallotKindSchema,
    seats: count,
    rules: RulesSchema,
    rulesText: Bilingual,
    /** 应到/实到/发出/收回/有效/无效 */
    counts: z.object({ expected: count, present: count, issued: count, returned: count, valid: count, invalid: count }),
    candidates: z.array(LiveCandidate),
    winners: z.array(z.object({ candidateId: z.string(), name: z.string() })),
    vacancies: count,
    runoff: ResultSchema.shape.runoff.unwrap().extend({ names: z.array(z.string()) }).nullable(),
    recusals: z.array(z.object({ name: z.string(), candidateName: z.string(), declaredBy: DeclaredBy, logIndex: index })),
    resultLogIndex: index,
    resultDocHash: z.string(),
    /** A member's confirmation names the member; a supervisor's (监票人 from the supervisory group) the account. */
    confirmations: z.array(z.object({ memberId: z.string().nullable(), accountId: z.number().int().nullable(), name: z.string(), unit: z.string(), role: TellerRole, signature: z.string(), confirmedAt: z.string(), logIndex: index })),
    counters: z.array(Teller),
    scrutineers: z.array(Teller),
    supervisorScrutineers: z.array(SupervisorRefSchema),
    chair: z.object({ id: z.string(), name: z.string(), unit: z.string() }).nullable(),
  })
  .openapi('TallySheet');

/** 会议纪要 as it stands (the document logged at the meeting's close, before its close entry exists). */
export const Minutes = MeetingMinutesDocument.omit({ closeLogIndex: true }).openapi('Minutes');

export const DisplayLink = z.object({ key: z.string(), path: z.string() }).openapi('MeetingDisplayLink');
export type DisplayLinkJson = z.infer<typeof DisplayLink>;
export type MeetingListJson = z.infer<typeof MeetingList>;
export type ProcedureJson = z.infer<typeof Procedure>;
export type ProcedureVotedJson = z.infer<typeof ProcedureVoted>;
export type ChairRecordedJson = z.infer<typeof ChairRecorded>;
export type LoggedJson = z.infer<typeof Logged>;
export type TallyConfirmedJson = z.infer<typeof TallyConfirmed>;
export type MeetingLiveJson = z.infer<typeof MeetingLive>;
export type MeetingScreenJson = z.infer<typeof MeetingScreen>;
export type TallySheetJson = z.infer<typeof TallySheet>;
export type MinutesJson = z.infer<typeof Minutes>;
export type RecusalsJson = z.infer<typeof Recusals>;
export type ResultReferenceJson = z.infer<typeof ResultReference>;
