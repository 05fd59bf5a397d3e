// What the award routes (routes.ts) answer: the state of the 审定 and of the government's approval, the 审定
// under discussion, the submission and the decision as logged, and the awarded list on a date. The logged
// documents are described by the log's own schemas (src/log/documents/award.ts), so the API document, the
// console and the verifier read one shape. Imported (as types) by the pages.
import { z } from '@hono/zod-openapi';
import { AwardedOrganisationSchema, AwardFixingProposedDocument, AwardSubmissionDocument, GovernmentDecisionDocument } from '../log/documents/index.js';

const index = z.number().int().min(0);
const count = z.number().int().min(0);
const Counts = z.object({ for: count, against: count, abstain: count });

/** What the 审定 rests on (basis.ts): the proposal's document less its identifiers, rules and time. */
const FixingBasis = AwardFixingProposedDocument.pick({ organisations: true, initialWinners: true, removed: true, lists: true, objections: true });

const FixingBlockers = z.object({
  openWindows: z.array(z.object({ id: z.string(), closesAt: z.string() })),
  unanswered: z.array(z.string()),
  held: z.array(z.object({ organisation: z.string(), trackingNo: z.string() })),
});

export const AwardFixing = z
  .object({
    id: z.string(),
    meetingId: z.string(),
    status: z.enum(['proposed', 'adopted', 'rejected']),
    document: AwardFixingProposedDocument,
    documentHash: z.string(),
    logIndex: index,
    decidedLogIndex: index.nullable(),
    /** The chair's record awaiting a supervisor: the signature is checked against the chair's logged check-in. */
    chairRecord: Counts.extend({ memberId: z.string(), name: z.string(), signature: z.string() }).nullable(),
    counts: Counts,
    myVote: z.enum(['for', 'against', 'abstain']).nullable().optional(),
  })
  .openapi('AwardFixing');

export const AwardFixingProposed = z.object({ fixingId: z.string(), logIndex: index, documentHash: z.string(), document: AwardFixingProposedDocument }).openapi('AwardFixingProposed');
export const AwardFixingDecided = z.object({ fixingId: z.string(), adopted: z.boolean(), logIndex: index }).openapi('AwardFixingDecided');
export const AwardSubmission = z.object({ logIndex: index, document: AwardSubmissionDocument }).openapi('AwardSubmission');
export const AwardDecision = z.object({ logIndex: index, document: GovernmentDecisionDocument }).openapi('AwardDecision');

export const AwardState = z
  .object({
    cycleId: z.string(),
    basis: FixingBasis.nullable(),
    blockers: FixingBlockers.nullable(),
    fixing: AwardFixing.nullable(),
    submission: AwardSubmission.nullable(),
    decision: AwardDecision.nullable(),
  })
  .openapi('AwardState');

export const Awarded = z
  .object({
    cycleId: z.string(),
    date: z.string(),
    decision: z.object({ documentNumber: z.string(), date: z.string(), logIndex: index }).nullable(),
    organisations: z.array(AwardedOrganisationSchema),
  })
  .openapi('Awarded');

export type AwardStateJson = z.infer<typeof AwardState>;
export type AwardFixingJson = z.infer<typeof AwardFixing>;
