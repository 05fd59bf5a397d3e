// Staff: the bureau's local calendar overrides (a local day off or working day; Hangzhou has made
// such adjustments). Each change gives the calendar a new version, so deadlines computed with the
// old one can be found (needsRecompute) and recomputed.
import { z } from '@hono/zod-openapi';
import { route } from '../auth/guard.js';
import { principalOf } from '../auth/principal.js';
import { newRouter, problemResponses, jsonResponse } from '../openapi.js';
import { Problem } from '../errors.js';
import { isIsoDate } from './dates.js';
import { addOverride, loadCalendar, removeOverride } from './queries.js';

const IsoDate = z.string().refine(isIsoDate, { message: 'must be a calendar date YYYY-MM-DD' });

export const calendarOverrideRoutes = newRouter()
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/calendar/overrides',
      roles: ['staff'],
      tags: ['calendar'],
      summary: 'Add a local day off (off) or working day (work); returns the new calendar version',
      request: {
        body: {
          content: { 'application/json': { schema: z.object({ date: IsoDate, kind: z.enum(['off', 'work']), reason: z.string().trim().min(1).max(500) }) } },
          required: true,
        },
      },
      responses: { 201: jsonResponse('added', z.object({ date: z.string(), kind: z.string(), calendarVersion: z.string() })), ...problemResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const p = principalOf(c);
      const body = c.req.valid('json');
      await addOverride(c.env.deps.db, { ...body, createdBy: p.role === 'staff' ? p.name : 'staff' }, c.env.deps.clock.now());
      return c.json({ date: body.date, kind: body.kind, calendarVersion: (await loadCalendar(c.env.deps.db)).version }, 201);
    },
  )
  .openapi(
    route({
      method: 'delete',
      path: '/api/v1/calendar/overrides/{date}',
      roles: ['staff'],
      tags: ['calendar'],
      summary: 'Remove a local override',
      request: { params: z.object({ date: IsoDate }) },
      responses: { 200: jsonResponse('removed', z.object({ calendarVersion: z.string() })), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { date } = c.req.valid('param');
      const p = principalOf(c);
      if (!(await removeOverride(c.env.deps.db, date, p.role === 'staff' ? p.name : 'staff', c.env.deps.clock.now()))) throw new Problem('not-found', { en: `No override for ${date}.`, zh: `${date} 没有本地调整。` });
      return c.json({ calendarVersion: (await loadCalendar(c.env.deps.db)).version }, 200);
    },
  );
