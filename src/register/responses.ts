// The JSON shapes of the register routes (src/register/routes.ts) that pages read: the register of
// applicants and each award's 候选组织建议名单. Pages import the types (`import type`).
import { z } from '@hono/zod-openapi';
import { AWARDS } from '../votes/awards.js';

export const Award = z.enum(AWARDS);
export const Applicant = z.object({ creditCode: z.string(), name: z.string(), award: Award, logIndex: z.number().int() }).openapi('Applicant');
export const CandidateList = z
  .object({
    award: Award,
    organisations: z.array(z.object({ creditCode: z.string(), name: z.string() })),
    logIndex: z.number().int(),
  })
  .passthrough()
  .openapi('CandidateList');
export const Register = z.object({ applicants: z.array(Applicant), candidateLists: z.array(CandidateList) });

export type RegisterJson = z.infer<typeof Register>;
