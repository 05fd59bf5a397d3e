// Public calendar endpoints: the working-day deadline calculator, the days off and make-up working
// days of a year with their source notice, and what the calendar is built from (table, overrides).
import { z } from '@hono/zod-openapi';
import { route } from '../auth/guard.js';
import { newRouter, problemResponses } from '../openapi.js';
import { isIsoDate } from './dates.js';
import { PROVISIONAL_YEARS } from './provisional.js';
import type { Context } from 'hono';
import { loadCalendar } from './queries.js';
import { OBJECTION_VERIFICATION_WORKING_DAYS, PUBLICITY_WORKING_DAYS } from './rules.js';
import { officialDays, type OfficialYear } from './table.js';
import { CalendarInfo, Mode, Notice, PublicOverride } from './responses.js';
import { CalendarYearUnknownError, computeDeadline, type Calendar } from './workdays.js';
import type { AppEnv } from '../deps.js';

const perRequest = new WeakMap<Request, Promise<Calendar>>();

/** loadCalendar, once per request: every deadline of one request uses the same calendar version. */
function requestCalendar(c: Context<AppEnv>): Promise<Calendar> {
  let cal = perRequest.get(c.req.raw);
  if (!cal) {
    cal = loadCalendar(c.env.deps.db);
    perRequest.set(c.req.raw, cal);
  }
  return cal;
}


/** The calculator's bound on N: the regulation's periods are 5 and 7 working days. */
const MAX_ADD = 60;

const IsoDateParam = z
  .string()
  .refine(isIsoDate, { message: 'must be a calendar date YYYY-MM-DD' })
  .openapi({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', example: '2026-03-02', description: 'Beijing date, YYYY-MM-DD' });


const WorkdaysQuery = z.object({
  from: IsoDateParam,
  // Digits only: Number() would also accept '0x10', '1e1' or ' 7'.
  add: z
    .string()
    .regex(/^\d{1,3}$/, { message: `must be an integer from 1 to ${MAX_ADD}` })
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_ADD))
    .openapi({ type: 'integer', minimum: 1, maximum: MAX_ADD, example: 7 }),
  mode: Mode,
  provisional: z.enum(['allow']).optional().openapi({
    description: 'allow: for a year without a State Council notice, count weekends and statutory holidays only and mark the result provisional',
  }),
});

const DeadlineSchema = z
  .object({
    from: z.string(),
    add: z.number().int(),
    mode: Mode,
    date: z.string().openapi({ description: 'Last day of the period, Beijing date' }),
    endsAt: z.string().openapi({ example: '2026-03-10T23:59:59.999+08:00', description: '24:00 Beijing time of the last day (民法典 第二百零三条)' }),
    provisional: z.boolean(),
    calendarVersion: z.string(),
  })
  .openapi('Deadline');



const YearDays = z
  .object({
    year: z.number().int(),
    notice: Notice,
    days: z.array(
      z.object({ date: z.string(), kind: z.enum(['off', 'work']), holiday: z.string(), item: z.string(), notice: z.string() }),
    ),
    overrides: z.array(PublicOverride),
    calendarVersion: z.string(),
  })
  .openapi('CalendarYear');


const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const noticeOf = (y: OfficialYear) => ({ year: y.year, ...y.notice });

export const calendarRoutes = newRouter()
  .openapi(
    route({
      roles: ['public'],
      method: 'get',
      path: '/api/v1/calendar/workdays',
      tags: ['calendar'],
      summary: 'The last day of a period of N China working days, and its end (24:00 Beijing time)',
      request: { query: WorkdaysQuery },
      responses: { 200: json(DeadlineSchema, 'the deadline'), ...problemResponses(400, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const cal = await requestCalendar(c);
      return c.json(computeDeadline(cal, q.from, q.add, q.mode, { provisional: q.provisional === 'allow' }), 200);
    },
  )
  .openapi(
    route({
      roles: ['public'],
      method: 'get',
      path: '/api/v1/calendar/days',
      tags: ['calendar'],
      summary: "A year's days off and make-up working days, each with its State Council notice",
      request: {
        query: z.object({
          year: z
            .string()
            .regex(/^\d{4}$/, { message: 'must be a year YYYY' })
            .transform(Number)
            .openapi({ type: 'integer', example: 2026 }),
        }),
      },
      responses: { 200: json(YearDays, 'the year'), ...problemResponses(400, 422) },
    }),
    async (c) => {
      const { year } = c.req.valid('query');
      const cal = await requestCalendar(c);
      const official = cal.table.find((y) => y.year === year);
      if (!official) throw new CalendarYearUnknownError(year, cal.years, PROVISIONAL_YEARS.includes(year));
      const days = officialDays(official);
      const overrides = cal.overrides.filter((o) => o.date.startsWith(`${year}-`)).map(({ date, kind, reason }) => ({ date, kind, reason }));
      return c.json({ year, notice: noticeOf(official), days, overrides, calendarVersion: cal.version }, 200);
    },
  )
  .openapi(
    route({
      roles: ['public'],
      method: 'get',
      path: '/api/v1/calendar',
      tags: ['calendar'],
      summary: 'The working-day calendar: version, years covered, source notices and local overrides',
      responses: { 200: json(CalendarInfo, 'the calendar') },
    }),
    async (c) => {
      const cal = await requestCalendar(c);
      const { config } = c.env.deps;
      return c.json(
        {
          version: cal.version,
          tableVersion: cal.tableVersion,
          years: [...cal.years],
          sources: cal.table.map(noticeOf),
          provisional: {
            years: [...PROVISIONAL_YEARS],
            rule: '全国年节及纪念日放假办法(2024年修订)第二条: weekends and statutory holidays only, no 调休 or 补假',
          },
          rules: {
            publicityWorkingDays: PUBLICITY_WORKING_DAYS,
            objectionVerificationWorkingDays: OBJECTION_VERIFICATION_WORKING_DAYS,
            noticeWindowMode: config.NOTICE_WINDOW_MODE,
            objectionDueMode: config.OBJECTION_DUE_MODE,
          },
          // Who added an override is staff data and stays out of this public listing.
          overrides: cal.overrides.map((o) => ({
            date: o.date,
            kind: o.kind,
            reason: o.reason,
            ...(o.createdAt ? { createdAt: o.createdAt.toISOString() } : {}),
          })),
        },
        200,
      );
    },
  );
