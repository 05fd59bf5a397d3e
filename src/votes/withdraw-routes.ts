// Withdrawing a prepared ballot over HTTP (withdraw.ts): staff only, with a reason that is logged.
import { z } from '@hono/zod-openapi';
import { newRouter, problemResponses, jsonResponse, jsonBody } from '../openapi.js';
import { route } from '../auth/guard.js';
import { checkpointAfterWrite } from '../log/index.js';
import { withdrawBallot } from './withdraw.js';

const BallotId = z.string().regex(/^b_[A-Za-z0-9_-]{12}$/);
const Withdrawn = z.object({ ballotId: z.string(), phase: z.literal('withdrawn'), logIndex: z.number().int() }).openapi('BallotWithdrawn');

export const withdrawRoutes = newRouter().openapi(
  route({
    method: 'post',
    path: '/api/v1/ballots/{ballotId}/withdraw',
    roles: ['staff'],
    tags: ['ballots'],
    summary: 'Withdraw a prepared ballot before its vote opens (frees its seats); logged with the reason',
    request: { params: z.object({ ballotId: BallotId }), body: jsonBody(z.object({ reason: z.string().trim().min(1).max(500) })) },
    responses: { 200: jsonResponse('withdrawn', Withdrawn), ...problemResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const { ballotId } = c.req.valid('param');
    const { logIndex } = await withdrawBallot(c.env.deps.db, ballotId, c.req.valid('json').reason, c.env.deps.clock.now());
    await checkpointAfterWrite(c.env.deps);
    return c.json({ ballotId, phase: 'withdrawn' as const, logIndex }, 200);
  },
);
