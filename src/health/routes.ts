import { z } from '@hono/zod-openapi';
import { route } from '../auth/guard.js';
import { sql } from 'kysely';
import { newRouter, problemResponses } from '../openapi.js';
import { Problem } from '../errors.js';

const Health = z
  .object({
    status: z.literal('ok'),
    db: z.enum(['pglite', 'postgres']),
    migrations: z.number().int(),
    time: z.string(),
  })
  .openapi('Health');

export const healthRoutes = newRouter().openapi(
  route({
    roles: ['public'],
    method: 'get',
    path: '/healthz',
    tags: ['meta'],
    summary: 'Liveness and readiness: 200 once migrations have run',
    responses: { 200: { description: 'ready', content: { 'application/json': { schema: Health } } }, ...problemResponses(503) },
  }),
  async (c) => {
    const { deps } = c.env;
    const ready = await Promise.race([deps.ready.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 0))]);
    if (!ready) throw new Problem('service-unavailable', { en: 'migrations have not finished', zh: '数据库迁移尚未完成' });
    const row = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(deps.db);
    return c.json({ status: 'ok' as const, db: deps.dbKind, migrations: row.rows[0]?.n ?? 0, time: deps.clock.now().toISOString() }, 200);
  },
);
