// The register of applicants and the 候选组织建议名单 over HTTP (queries.ts). Staff write; the register and
// the lists are public (they are in the public log already).
import { z } from '@hono/zod-openapi';
import { newRouter, problemResponses, jsonResponse, jsonBody } from '../openapi.js';
import { route } from '../auth/guard.js';
import { checkpointAfterWrite } from '../log/index.js';
import { getCycle } from '../cycles/queries.js';
import { CycleId } from '../cycles/routes.js';
import { Applicant, Award, CandidateList, Register } from './responses.js';
import { candidateLists, fixCandidateList, listApplicants, registerApplicant } from './queries.js';

const CreditCode = z.string().trim().min(1).max(40).openapi({ description: '统一社会信用代码 (18 characters, GB 32100 check character)', example: '91330100MA2AAAAA1X' });

export const registerRoutes = newRouter()
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/cycles/{cycleId}/applicants',
      roles: ['staff'],
      tags: ['register'],
      summary: 'Register an applicant of the cycle: 统一社会信用代码 (check character verified), name, award applied for; logged',
      request: { params: z.object({ cycleId: CycleId }), body: jsonBody(z.object({ creditCode: CreditCode, name: z.string().trim().min(1).max(200), award: Award }).strict()) },
      responses: { 201: jsonResponse('registered', Applicant), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      await getCycle(c.env.deps.db, cycleId);
      const r = await registerApplicant(c.env.deps.db, cycleId, c.req.valid('json'), c.env.deps.clock.now());
      await checkpointAfterWrite(c.env.deps);
      return c.json(r, 201);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles/{cycleId}/applicants',
      roles: ['public'],
      tags: ['register'],
      summary: 'The register of applicants of the cycle, and each award’s 候选组织建议名单',
      request: { params: z.object({ cycleId: CycleId }) },
      responses: { 200: jsonResponse('register', Register), ...problemResponses(404) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      await getCycle(c.env.deps.db, cycleId);
      return c.json({ applicants: await listApplicants(c.env.deps.db, cycleId), candidateLists: await candidateLists(c.env.deps.db, cycleId) }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/cycles/{cycleId}/candidate-lists',
      roles: ['staff'],
      tags: ['register'],
      summary: 'Fix an award’s 候选组织建议名单 (三(三)5) from the on-site list, reviewed by member units of the roster; logged',
      request: {
        params: z.object({ cycleId: CycleId }),
        body: jsonBody(z.object({ award: Award, creditCodes: z.array(CreditCode).min(1).max(200), reviewedBy: z.array(z.string().trim().min(1).max(100)).min(1).max(50) }).strict()),
      },
      responses: { 201: jsonResponse('fixed', CandidateList), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      await getCycle(c.env.deps.db, cycleId);
      const r = await fixCandidateList(c.env.deps.db, cycleId, c.req.valid('json'), c.env.deps.clock.now());
      await checkpointAfterWrite(c.env.deps);
      return c.json(r, 201);
    },
  );
