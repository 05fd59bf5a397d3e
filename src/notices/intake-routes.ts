// Staff set each cycle's objection-intake details; anyone may read them (they are printed on every list).
import { z } from '@hono/zod-openapi';
import { route } from '../auth/guard.js';
import { principalOf } from '../auth/principal.js';
import { jsonBody, jsonResponse, newRouter, problemResponses } from '../openapi.js';
import { Problem } from '../errors.js';
import { CycleId } from '../cycles/routes.js';
import { getIntakeDetails, setIntakeDetails } from './intake-details.js';
import { getCycle } from '../cycles/queries.js';
import { IntakeDetails as Details } from './responses.js';

export const intakeRoutes = newRouter()
  .openapi(
    route({
      method: 'put',
      path: '/api/v1/cycles/{id}/objection-intake',
      roles: ['staff'],
      tags: ['notices'],
      summary: 'Set where and how objections are received (受理单位, 联系人, 电话, 地址, 邮编, 邮箱, 传真); printed on every list published afterwards',
      request: { params: z.object({ id: CycleId }), body: jsonBody(Details) },
      responses: { 200: jsonResponse('saved', Details), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { db, clock } = c.env.deps;
      const id = c.req.valid('param').id;
      await getCycle(db, id);
      const p = principalOf(c);
      return c.json(await setIntakeDetails(db, id, c.req.valid('json'), p.role === 'staff' ? p.name : 'staff', clock.now()), 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles/{id}/objection-intake',
      roles: ['public'],
      tags: ['notices'],
      summary: 'Where and how objections are received for a cycle',
      request: { params: z.object({ id: CycleId }) },
      responses: { 200: jsonResponse('the details', Details), ...problemResponses(400, 404) },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const d = await getIntakeDetails(c.env.deps.db, id);
      if (!d) throw new Problem('not-found', { en: `Cycle ${id} has no objection-intake details.`, zh: `周期 ${id} 尚未设置异议受理信息。` });
      return c.json(d, 200);
    },
  );

/** The details tests and the demo use (a made-up office; real deployments set their own). */
export const EXAMPLE_INTAKE = {
  unit: '杭州市市场监督管理局质量发展处',
  contactPerson: '王明',
  phone: '0571-00000000',
  address: '杭州市上城区示例路1号',
  postcode: '310000',
  email: 'zlj@example.gov.cn',
} as const;
