/**
 * The 公示 document: a list, an objection result or a revocation, with its window, the 异议须知's intake
 * details and its 落款.
 * @module
 */
import * as z from 'zod';
import { AwardSchema, BallotKindSchema, WorkdayModeSchema, count, hex, index, isoDate } from './shared.js';

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

/** 公示 (三(三)7) of a list, an objection result, a revocation (六(三), 六(五)) or the 表彰通报 (四(二)); corrections name the notice they correct. */
export const NoticeDocumentSchema = z.strictObject({
  v: z.literal('hzqa-notice/v1'),
  id: z.string(),
  cycleId: z.string(),
  type: z.enum(['material-review', 'onsite-review', 'initial-winners', 'objection-result', 'revocation', 'commendation']),
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
        /** The objection-decision entry in force, which this result restates. */
        decisionLogIndex: index.optional(),
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
      /** The city government's decision that awarded it (its 文号, log index, date): only a holder's award is revoked. */
      awardedBy: z.strictObject({ id: z.string(), logIndex: index, date: isoDate }).optional(),
    })
    .optional(),
  /** 表彰通报 (四(二)): the city government's decision it announces; it lists exactly the decision's organisations. */
  commendation: z.strictObject({ decision: z.strictObject({ logIndex: index, documentNumber: z.string(), date: isoDate }) }).optional(),
  /** A list drawn from the previous stage's list (拟进入现场评审 from 拟进入材料评审, 初选 from 现场), in a cycle with a register. */
  drawnFrom: z.strictObject({ id: z.string(), logIndex: index, documentHash: hex(32) }).optional(),
  /** Published before the previous list's 公示 was over or its objections answered: the reason staff recorded. */
  sequenceOverride: z.strictObject({ reason: z.string().min(1) }).optional(),
  /**
   * A correction of a list of initial winners: the winners it no longer lists, each taken off by an
   * upheld objection (its logged decision), carried forward by later corrections.
   */
  removed: z.array(z.strictObject({ name: z.string(), award: AwardSchema.optional(), decisionLogIndex: index })).optional(),
  publishedAt: z.string(),
  issuer: z.string(),
});
