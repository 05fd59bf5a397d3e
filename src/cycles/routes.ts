import { z } from '@hono/zod-openapi';
import { newRouter, problemResponses } from '../openapi.js';
import { route } from '../auth/guard.js';
import { createCycle, listCycles } from './queries.js';
import { Cycle, CycleId, CycleListSchema } from './responses.js';

export { CycleId } from './responses.js';

const toCycle = (c: { id: string; name: string; created_at: Date }) => ({ id: c.id, name: c.name, createdAt: c.created_at.toISOString() });

export const cycleRoutes = newRouter()
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles',
      roles: ['public'],
      tags: ['cycles'],
      summary: 'Award cycles (评比表彰周期)',
      responses: { 200: { description: 'cycles', content: { 'application/json': { schema: CycleListSchema } } } },
    }),
    async (c) => c.json({ cycles: (await listCycles(c.env.deps.db)).map(toCycle) }, 200),
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/cycles',
      roles: ['staff'],
      tags: ['cycles'],
      summary: 'Create an award cycle',
      request: { body: { content: { 'application/json': { schema: z.object({ id: CycleId, name: z.string().min(1).max(200) }) } }, required: true } },
      responses: {
        201: { description: 'created', content: { 'application/json': { schema: Cycle } } },
        ...problemResponses(400, 401, 403, 409),
      },
    }),
    async (c) => c.json(toCycle(await createCycle(c.env.deps.db, c.req.valid('json'))), 201),
  );
