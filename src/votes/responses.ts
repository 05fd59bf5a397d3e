// What the meeting and ballot routes answer: one schema per response, shown in the API document and
// imported (as types) by the tablet and staff pages, so the pages and the server share one shape.
import { z } from '@hono/zod-openapi';
import { AwardSchema, BallotBulletinDocument, BallotKindSchema, CandidateSchema, MemberRefSchema, ResultSchema } from '../log/documents/index.js';
import { HandsRecordSchema } from '../verify/bundle.js';
import { RulesSchema } from './rules.js';
import { BALLOT_PHASES } from './phases.js';

const index = z.number().int().min(0);
const count = z.number().int().min(0);
const PhaseSchema = z.enum(BALLOT_PHASES);
const MeetingStatusSchema = z.enum(['open', 'closed']);

// ---------------------------------------------------------------- meeting and check-in

export const MeetingOpened = z.object({ id: z.string(), cycleId: z.string(), title: z.string(), logIndex: index, membersTotal: count }).openapi('MeetingOpened');

export const MeetingStatus = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    title: z.string(),
    status: MeetingStatusSchema,
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    logIndex: index.nullable(),
    membersTotal: count,
    checkedIn: count,
    quorum: z.object({ rules: RulesSchema.shape.quorum, needed: count, met: z.boolean() }),
    roster: z.array(z.object({ memberId: z.string(), name: z.string(), unit: z.string(), isChair: z.boolean(), checkedInAt: z.string().nullable() })),
  })
  .openapi('MeetingStatus');

export const MeetingClosed = z.object({ logIndex: index }).openapi('MeetingClosed');

export const MyMeeting = z
  .object({
    meetingId: z.string(),
    title: z.string(),
    status: MeetingStatusSchema,
    checkedInAt: z.string().nullable(),
    ballots: z.array(z.object({ id: z.string(), award: AwardSchema, kind: BallotKindSchema, title: z.string(), phase: PhaseSchema, seats: count })),
  })
  .openapi('MyMeeting');

export const CheckedIn = z.object({ checkedInAt: z.string(), logIndex: index, already: z.boolean() }).openapi('CheckedIn');

// ---------------------------------------------------------------- ballots

export const Ballot = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    meetingId: z.string(),
    award: AwardSchema,
    kind: BallotKindSchema,
    title: z.string(),
    seats: count,
    rules: RulesSchema,
    candidates: z.array(CandidateSchema),
    phase: PhaseSchema,
    runoffOf: z.string().nullable(),
    membersTotal: count.nullable(),
    present: count.nullable(),
    eligible: z.array(MemberRefSchema).nullable(),
    ciphersuite: z.string().nullable(),
    publicKey: z.string().nullable(),
    keyFingerprint: z.string().nullable(),
    proofOfPossession: z.string().nullable(),
    coIssuance: z
      .object({
        bureauPublicKey: z.string(),
        bureauProofOfPossession: z.string(),
        cosignerPublicKey: z.string(),
        cosignerProofOfPossession: z.string(),
        cosignerApproval: z.string(),
        cosignerServedLogIndex: index.nullable(),
      })
      .nullable(),
    receiptKey: z.string().nullable(),
    keyLogIndex: index.nullable(),
    bulletinLogIndex: index.nullable(),
    result: ResultSchema.nullable(),
    resultLogIndex: index.nullable(),
    phases: z.array(z.object({ phase: PhaseSchema, logIndex: index })),
    /** The quorum and pass rule in words. */
    rulesText: z.object({ zh: z.string(), en: z.string() }).optional(),
    /** 回避: the key of each recusal class (secret ballot), and the recusals of the members present, once open. */
    keyClasses: z.array(z.object({ recused: z.array(z.string()), publicKey: z.string(), proofOfPossession: z.string().nullable(), members: count })).nullable().optional(),
    recusals: z.array(z.object({ memberId: z.string(), candidateId: z.string() })).nullable().optional(),
  })
  .openapi('Ballot');

export const BallotList = z
  .object({
    ballots: z.array(z.object({ id: z.string(), award: AwardSchema, kind: BallotKindSchema, title: z.string(), phase: PhaseSchema, seats: count, meetingId: z.string(), runoffOf: z.string().nullable() })),
    seatsLeft: z.record(AwardSchema, count),
  })
  .openapi('BallotList');

export const PhaseMoved = z.object({ phase: PhaseSchema, logIndex: index, ballot: Ballot }).openapi('PhaseMoved');

// ---------------------------------------------------------------- secret ballot and show of hands

/** The bulletin as logged, with the result and where both are in the log. */
export const Bulletin = BallotBulletinDocument.extend({ result: ResultSchema.nullable(), logIndex: index.nullable(), resultLogIndex: index.nullable() }).openapi('Bulletin');

export const HandsRecorded = z.object({ ballotId: z.string(), memberId: z.string(), recordedBy: z.enum(['member', 'staff']) }).openapi('HandsRecorded');

/**
 * The named record of a show of hands (who voted how, with device keys and signatures) as the verifier
 * reads it (src/verify/bundle.ts), with its hash, the ballot's phase and its result.
 */
export const HandsRecord = HandsRecordSchema.extend({ recordHash: z.string(), phase: PhaseSchema, result: ResultSchema.nullable(), resultLogIndex: index.nullable() }).openapi('HandsRecord');

export type MeetingOpenedJson = z.infer<typeof MeetingOpened>;
export type MeetingStatusJson = z.infer<typeof MeetingStatus>;
export type MyMeetingJson = z.infer<typeof MyMeeting>;
export type BallotJson = z.infer<typeof Ballot>;
export type BallotListJson = z.infer<typeof BallotList>;
export type PhaseMovedJson = z.infer<typeof PhaseMoved>;
export type BulletinJson = z.infer<typeof Bulletin>;
export type HandsRecordJson = z.infer<typeof HandsRecord>;
