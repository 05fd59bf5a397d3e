/**
 * GET /api/v1/cycles/{cycleId}/export — the cycle export bundle for the supervisory group's
 * independent verifier (format in src/verify/bundle.ts). Public: everything in it is
 * public already; with a staff or supervisor bearer token it also carries the named show-of-hands
 * records (otherwise only their hashes, and the bundle says so).
 *   ?witness=<name>  the latest checkpoint that witness cosigned (default LOG_WITNESS_REQUIRED)
 *   ?from=<size>     add the RFC 9162 consistency proof from that earlier tree size
 * @module
 */
import { z } from '@hono/zod-openapi';
import { newRouter, problemResponses } from '../openapi.js';
import { route } from '../auth/guard.js';
import { principalOf } from '../auth/principal.js';
import { getCycle } from '../cycles/queries.js';
import { CycleId } from '../cycles/routes.js';
import { buildExport } from './build.js';
import { ExportBundleSchema } from '../verify/bundle.js';

const Size = z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'a decimal integer').transform(Number);

export const exportRoutes = newRouter().openapi(
  route({
    method: 'get',
    path: '/api/v1/cycles/{cycleId}/export',
    roles: ['public', 'staff', 'supervisor', 'member'],
    tags: ['verification'],
    summary: 'Everything public about a cycle in one bundle (hzqa-cycle-export/v1), for the supervisory group’s independent verifier (npm run verify)',
    description:
      'Checkpoint with cosignatures, the log key, every log entry of the cycle with its inclusion proof, their documents (meetings, check-ins, ballots, keys, bulletins, results, notices, objection receipts), the show-of-hands records (named records with a staff or supervisor token, otherwise only their hashes), the award’s approval files by SHA-256 (the city government’s decision for everyone, the bureau’s submission with a staff or supervisor token) and the calendar used. `?from=N` adds a consistency proof from tree size N; `?witness=name` uses the latest checkpoint that witness cosigned.',
    request: {
      params: z.object({ cycleId: CycleId }),
      query: z.object({ from: Size.optional(), witness: z.string().regex(/^[^\s+]{1,100}$/).optional() }),
    },
    responses: {
      200: { description: 'the bundle', content: { 'application/json': { schema: ExportBundleSchema } } },
      ...problemResponses(400, 401, 404, 422),
    },
  }),
  async (c) => {
    const deps = c.env.deps;
    const { cycleId } = c.req.valid('param');
    const { from, witness } = c.req.valid('query');
    await getCycle(deps.db, cycleId);
    const p = principalOf(c);
    const audience = p.role === 'staff' || p.role === 'supervisor' ? p.role : 'public';
    const bundle = await buildExport(deps, { cycleId, audience, from, witness });
    c.header('Cache-Control', 'no-store');
    return c.json(bundle, 200);
  },
);
