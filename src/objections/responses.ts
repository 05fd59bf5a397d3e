// What the objection routes (routes.ts) answer: the receipt, the public status and receipts, and the
// staff's summary and detail. Shown in the API document and imported (as types) by the pages.
import { z } from '@hono/zod-openapi';

/** How the objection reached the bureau: online, or registered by staff from paper, post or fax. */
const Channel = z.enum(['online', 'in-person', 'post', 'fax']);
/** An evidence file or letter as stored: its hash, size, type (judged by content) and name. */
const StoredFile = z.object({ sha256: z.string(), size: z.number().int(), mediaType: z.string(), name: z.string() });
const Bilingual = z.object({ zh: z.string(), en: z.string() });

export const Decision = z.enum(['upheld', 'partly-upheld', 'rejected']).openapi({ description: 'upheld 成立 · partly-upheld 部分成立 · rejected 不成立' });
export const Status = z.enum(['received', 'verifying', 'decided', 'published']);

export const ReceiptSchema = z
  .object({
    objectionId: z.string(),
    trackingNo: z.string().openapi({ example: 'YY-20260302-7K3M9Q' }),
    accessCode: z.string().openapi({ description: 'Shown only now; needed with the tracking number to look up the status', example: 'ABCDE-FGHJK-MNPQR-STUVW' }),
    noticeId: z.string(),
    receivedAt: z.string().openapi({ example: '2026-03-02T10:00:00.000+08:00' }),
    receivedDate: z.string(),
    dueDate: z.string().openapi({ description: 'Verification due (5 working days, 三(三)7)' }),
    dueEndsAt: z.string().openapi({ example: '2026-03-09T23:59:59.999+08:00' }),
    dueMode: z.enum(['after', 'including']),
    dueWorkingDays: z.number().int(),
    provisional: z.boolean(),
    calendarVersion: z.string(),
    digest: z.string().openapi({ description: 'SHA-256 of the canonical submission (src/objections/digest.ts)' }),
    digestVersion: z.string(),
    files: z.array(StoredFile.extend({ position: z.number().int() })),
    receiptLogIndex: z.number().int(),
    receiptDocumentHash: z.string(),
    channel: Channel,
    postmarkDate: z.string().nullable(),
    noEvidence: z.boolean().openapi({ description: 'The objector stated that no evidence is provided (未提供佐证材料)' }),
    letter: StoredFile.nullable(),
    calendarEntries: z.array(z.number().int()).openapi({ description: 'Log indexes of the calendar entries the due date used' }),
    provisionalNote: Bilingual.nullable(),
  })
  .openapi('ObjectionReceipt');

export const SummarySchema = z
  .object({
    id: z.string(),
    trackingNo: z.string(),
    noticeId: z.string(),
    cycleId: z.string(),
    kind: z.enum(['unit', 'person']),
    organisation: z.string(),
    receivedAt: z.string(),
    receivedDate: z.string(),
    dueDate: z.string(),
    dueEndsAt: z.string(),
    dueProvisional: z.boolean(),
    workingDaysLeft: z.number().int().nullable(),
    overdue: z.boolean(),
    status: Status,
    decision: Decision.nullable(),
    assignedUnits: z.array(z.string()),
    files: z.number().int(),
    receiptLogIndex: z.number().int(),
    resultNoticeId: z.string().nullable(),
  })
  .openapi('ObjectionSummary');

export const ObjectionListSchema = z.object({ objections: z.array(SummarySchema) });
export const DetailSchema = SummarySchema.omit({ files: true })
  .extend({
    name: z.string(),
    contact: z.string(),
    facts: z.string(),
    reasons: z.string(),
    digest: z.string(),
    receiptDocumentHash: z.string(),
    calendarVersion: z.string(),
    findings: z.string().nullable(),
    decisionSummary: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    resultPublishedAt: z.string().nullable(),
    files: z.array(StoredFile.extend({ position: z.number().int() })),
    events: z.array(z.object({ at: z.string(), actor: z.string(), action: z.string(), detail: z.record(z.string(), z.unknown()) })),
    identity: z
      .object({ kind: z.enum(['unit', 'person']), idNumber: z.string().optional(), signature: z.string().optional(), creditCode: z.string().optional(), contactPerson: z.string().optional() })
      .nullable(),
    channel: Channel,
    postmarkDate: z.string().nullable(),
    registeredBy: z.string().nullable(),
    noEvidence: z.boolean(),
    letter: StoredFile.extend({ position: z.number().int() }).nullable(),
    calendarEntries: z.array(z.number().int()),
    dueFirst: z.object({ dueDate: z.string(), provisional: z.boolean() }).nullable(),
    units: z.array(
      z.object({
        unit: z.string(),
        assignedAt: z.string(),
        assignedLogIndex: z.number().int(),
        finding: z.string().nullable(),
        findingAt: z.string().nullable(),
        findingLogIndex: z.number().int().nullable(),
      }),
    ).openapi({ description: 'The member units verifying the objection (会同核查) and each one’s finding, as logged' }),
    rosterUnits: z.array(z.string()).openapi({ description: 'The member units of the cycle’s judging group: units are assigned from these' }),
    decisionLogIndex: z.number().int().nullable(),
    hold: z
      .object({ state: z.enum(['held', 'kept', 'removed']), reason: z.string().nullable(), at: z.string().nullable(), onLists: z.array(z.string()) })
      .nullable()
      .openapi({ description: 'An upheld objection’s entry: held until a correction removes it or the judging group records why it stays (kept)' }),
  })
  .openapi('ObjectionDetail');

export const PublicStatusSchema = z
  .object({
    trackingNo: z.string(),
    noticeId: z.string(),
    organisation: z.string(),
    receivedAt: z.string(),
    receivedDate: z.string(),
    dueDate: z.string(),
    dueEndsAt: z.string(),
    dueProvisional: z.boolean(),
    provisionalNote: Bilingual.nullable(),
    dueFirst: z.object({ dueDate: z.string(), provisional: z.boolean() }).nullable(),
    workingDaysLeft: z.number().int().nullable(),
    overdue: z.boolean(),
    status: z.enum(['received', 'verifying', 'result-published']),
    digest: z.string(),
    receiptLogIndex: z.number().int(),
    result: z
      .object({ decision: Decision, decisionName: z.string(), summary: z.string(), noticeId: z.string(), publishedAt: z.string() })
      .nullable(),
  })
  .openapi('ObjectionStatus');

export const PublicReceiptSchema = z
  .object({
    trackingNo: z.string(),
    noticeId: z.string(),
    receivedDate: z.string(),
    dueDate: z.string(),
    dueEndsAt: z.string(),
    digest: z.string(),
    receiptLogIndex: z.number().int(),
    receiptDocumentHash: z.string(),
    dueProvisional: z.boolean(),
    provisionalNote: Bilingual.nullable(),
    overdue: z.boolean(),
    resultPublished: z.boolean(),
    resultNoticeId: z.string().nullable(),
  })
  .openapi('PublicObjectionReceipt');

export type ObjectionReceiptJson = z.infer<typeof ReceiptSchema>;
export type ObjectionSummaryJson = z.infer<typeof SummarySchema>;
export type ObjectionListJson = z.infer<typeof ObjectionListSchema>;
export type ObjectionDetailJson = z.infer<typeof DetailSchema>;
export type ObjectionStatusJson = z.infer<typeof PublicStatusSchema>;
export type PublicObjectionReceiptJson = z.infer<typeof PublicReceiptSchema>;
