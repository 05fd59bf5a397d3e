/**
 * The register of applicants (三(三)1–2) and the 候选组织建议名单 drawn from it (三(三)5).
 * @module
 */
import * as z from 'zod';
import { AwardSchema, index } from './shared.js';

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
