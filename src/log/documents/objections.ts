/**
 * Objections: a receipt during a notice's window with its 5-working-day due date, and a pending
 * objection's due date corrected after a calendar entry arrived.
 * @module
 */
import * as z from 'zod';
import { WorkdayModeSchema, count, hex, index, isoDate } from './shared.js';

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

/** Whose or which: an objection's tracking number and its receipt, restated by each later entry about it. */
const objectionRef = { trackingNo: z.string(), receiptLogIndex: index, cycleId: z.string() };

/**
 * 会同评审组相关成员单位 (三(三)7): member units of the cycle's judging group assigned to verify an
 * objection with the bureau, each named by the member-registered entry that puts it on the roster.
 */
export const ObjectionAssignedDocument = z.strictObject({
  ...objectionRef,
  units: z.array(z.strictObject({ unit: z.string().min(1), memberLogIndex: index })).min(1),
  assignedAt: z.string(),
  assignedBy: z.string(),
});

/** One assigned unit's finding (核查意见): which unit (its assignment entry), when it was recorded, what it found. */
export const ObjectionFindingDocument = z.strictObject({
  ...objectionRef,
  unit: z.string().min(1),
  assignedLogIndex: index,
  finding: z.string().min(1),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

export const ObjectionDecisionSchema = z.enum(['upheld', 'partly-upheld', 'rejected']);

/**
 * The decision on an objection (成立 / 部分成立 / 不成立) with the summary its result notice prints: the
 * entry objected to (the list and the organisation on it), and every unit's finding it rests on. A new
 * decision before the result is published supersedes the last; the result notice restates the one in force.
 */
export const ObjectionDecisionDocument = z.strictObject({
  ...objectionRef,
  entry: z.strictObject({ noticeId: z.string(), noticeLogIndex: index, organisation: z.string() }),
  decision: ObjectionDecisionSchema,
  summary: z.string().min(1),
  findings: z.array(z.strictObject({ unit: z.string(), logIndex: index })).min(1),
  supersedes: index.nullable(),
  decidedAt: z.string(),
  decidedBy: z.string(),
});

/**
 * An upheld objection's entry kept on its list (三(三)8): the judging group's reason, citing the
 * decision in force. Until this, or a correction of the list leaving the entry out, the entry is on hold.
 */
export const ObjectionHoldKeptDocument = z.strictObject({
  ...objectionRef,
  decisionLogIndex: index,
  entry: z.strictObject({ noticeId: z.string(), organisation: z.string() }),
  reason: z.string().min(1),
  recordedAt: z.string(),
  recordedBy: z.string(),
});
