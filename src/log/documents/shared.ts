/**
 * Pieces that documents of several concerns share: hex of a fixed length, dates, log indexes,
 * counts, the awards, choices and tallies, and how a member or a candidate is named in the log.
 * @module
 */
import * as z from 'zod';
import { AWARDS } from '../../votes/awards.js';

export const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes of lowercase hex`);
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const index = z.number().int().min(0);
export const count = z.number().int().min(0);

export const AwardSchema = z.enum(AWARDS);
export const BallotKindSchema = z.enum(['secret', 'show-of-hands']);
export const ChoiceSchema = z.enum(['for', 'against', 'abstain']);
export const ChoicesSchema = z.record(z.string(), ChoiceSchema);
export const TallySchema = z.record(z.string(), z.strictObject({ for: count, against: count, abstain: count }));
export const CandidateSchema = z.strictObject({ id: z.string(), name: z.string() });
/** A member named in the log (roster, eligible, served). */
export const MemberRefSchema = z.strictObject({ memberId: z.string(), name: z.string(), unit: z.string() });
/** A member of the supervisory group (评审工作监督小组) named in the log, by account. */
export const SupervisorRefSchema = z.strictObject({ accountId: z.number().int().min(1), name: z.string() });
export const WorkdayModeSchema = z.enum(['after', 'including']);
