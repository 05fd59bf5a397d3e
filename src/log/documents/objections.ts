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
