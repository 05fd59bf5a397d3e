/**
 * The log's document vocabulary: every entry type the public log carries, and for each the zod
 * schema of its document, one file per concern beside this one (shared pieces in shared.ts). The
 * server appends only through `appendEntry` below (the document must parse under its type's schema
 * before it is written), and the supervisors' verifier parses every document with the same schemas
 * (src/verify/bundle.ts): a document that does not parse, or an entry type not listed in
 * ENTRY_SCHEMAS, fails verification.
 *
 * Adding an entry type: one schema in the file of its concern (meeting, votes, members, register,
 * notices, objections, calendar, assets), with a line saying what public fact it records (and the
 * clause of the regulation, where there is one), one line in ENTRY_SCHEMAS below under that concern;
 * then write it with `appendEntry(trx, 'the-type', document, { cycleId })` and read it in
 * src/verify/checks/.
 *
 * Schemas are strict (an unknown field fails) so that a document cannot carry a fact that no one
 * checks. Runs anywhere (zod only at runtime, plus the storage append for the server).
 * @module
 */
import type * as z from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../schema/database.js';
import { appendRawEntries } from '../append.js';
import { AssetManifestDocument } from './assets.js';
import { AwardFixingDecidedDocument, AwardFixingProposedDocument, AwardSubmissionDocument, GovernmentDecisionDocument } from './award.js';
import { CalendarOverrideDocument, CalendarTableDocument, SimulatedClockDocument } from './calendar.js';
import { CheckinDocument, MeetingCloseDocument, MeetingMinutesDocument, MeetingOpenDocument, MeetingProcedureDecidedDocument, MeetingProcedureDocument } from './meeting.js';
import { MemberAmendedDocument, MemberEnrolledDocument, MemberEnrollmentReissuedDocument, MemberRegisteredDocument, MemberRemovedDocument, SupervisorDeviceDocument } from './members.js';
import { NoticeDocumentSchema } from './notices.js';
import { DeadlineCorrectionDocument, ObjectionAssignedDocument, ObjectionDecisionDocument, ObjectionFindingDocument, ObjectionHoldKeptDocument, ObjectionReceiptDocument } from './objections.js';
import { ApplicantRegisteredDocument, CandidateListDocument } from './register.js';
import {
  BallotBulletinDocument,
  BallotKeyDocument,
  BallotPhaseDocument,
  BallotPreparedDocument,
  BallotResultDocument,
  BallotVotingDocument,
  BallotWithdrawnDocument,
  CosignerServedDocument,
  RecusalDocument,
  TallyConfirmationDocument,
} from './votes.js';

export { AwardSchema, BallotKindSchema, CandidateSchema, ChoiceSchema, ChoicesSchema, MemberRefSchema, SupervisorRefSchema, TallySchema, WorkdayModeSchema } from './shared.js';
export * from './assets.js';
export * from './award.js';
export * from './calendar.js';
export * from './meeting.js';
export * from './members.js';
export * from './notices.js';
export * from './objections.js';
export * from './register.js';
export * from './votes.js';

/** Every entry type, by name, with its document's schema. */
export const ENTRY_SCHEMAS = {
  // meeting.ts
  'meeting-open': MeetingOpenDocument,
  'meeting-close': MeetingCloseDocument,
  checkin: CheckinDocument,
  'meeting-procedure': MeetingProcedureDocument,
  'meeting-procedure-decided': MeetingProcedureDecidedDocument,
  'meeting-minutes': MeetingMinutesDocument,
  // members.ts
  'member-registered': MemberRegisteredDocument,
  'member-enrolled': MemberEnrolledDocument,
  'member-enrollment-reissued': MemberEnrollmentReissuedDocument,
  'member-amended': MemberAmendedDocument,
  'member-removed': MemberRemovedDocument,
  'supervisor-device': SupervisorDeviceDocument,
  // votes.ts
  'ballot-prepared': BallotPreparedDocument,
  'ballot-withdrawn': BallotWithdrawnDocument,
  'ballot-key': BallotKeyDocument,
  'ballot-voting': BallotVotingDocument,
  'ballot-phase': BallotPhaseDocument,
  'cosigner-served': CosignerServedDocument,
  'ballot-bulletin': BallotBulletinDocument,
  'ballot-result': BallotResultDocument,
  recusal: RecusalDocument,
  'tally-confirmation': TallyConfirmationDocument,
  // register.ts
  'applicant-registered': ApplicantRegisteredDocument,
  'candidate-list': CandidateListDocument,
  // notices.ts
  notice: NoticeDocumentSchema,
  // objections.ts
  'objection-receipt': ObjectionReceiptDocument,
  'deadline-correction': DeadlineCorrectionDocument,
  'objection-assigned': ObjectionAssignedDocument,
  'objection-finding': ObjectionFindingDocument,
  'objection-decision': ObjectionDecisionDocument,
  'objection-hold-kept': ObjectionHoldKeptDocument,
  // calendar.ts
  'calendar-table': CalendarTableDocument,
  'calendar-override': CalendarOverrideDocument,
  'simulated-clock': SimulatedClockDocument,
  // assets.ts
  'asset-manifest': AssetManifestDocument,
  // award.ts
  'award-fixing-proposed': AwardFixingProposedDocument,
  'award-fixing-decided': AwardFixingDecidedDocument,
  'award-submission': AwardSubmissionDocument,
  'government-decision': GovernmentDecisionDocument,
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
