// The JSON shapes of the calendar routes (src/calendar/routes.ts, table-routes.ts) that pages read: what the
// calendar is built from, a State Council table parsed for confirmation, and a table published. Pages
// import the types (`import type`).
import { z } from '@hono/zod-openapi';
import { WORKDAY_MODES, type WorkdayMode } from './workdays.js';

export const Mode = z.enum(WORKDAY_MODES as [WorkdayMode, ...WorkdayMode[]]).openapi({
  description:
    "after: the start day is not counted (民法典 第二百零一条, e.g. 自收到材料之日起5个工作日内); including: the start day is day 1 when it is a working day (公示时间 X月X日至Y月Y日).",
});

export const Notice = z
  .object({ year: z.number().int(), number: z.string(), title: z.string(), published: z.string(), url: z.string() })
  .openapi('HolidayNotice');

export const PublicOverride = z
  .object({ date: z.string(), kind: z.enum(['off', 'work']), reason: z.string(), createdAt: z.string().optional() })
  .openapi('CalendarOverride');

export const CalendarInfo = z
  .object({
    version: z.string(),
    tableVersion: z.string(),
    years: z.array(z.number().int()),
    sources: z.array(Notice),
    provisional: z.object({ years: z.array(z.number().int()), rule: z.string() }),
    rules: z.object({
      publicityWorkingDays: z.number().int(),
      objectionVerificationWorkingDays: z.number().int(),
      noticeWindowMode: Mode,
      objectionDueMode: Mode,
    }),
    overrides: z.array(PublicOverride),
  })
  .openapi('Calendar');

const DaySchema = z.object({ date: z.string(), weekday: z.string(), kind: z.enum(['off', 'work']), holiday: z.string(), item: z.string() });
export const Preview = z
  .object({
    year: z.number().int(),
    notice: z.object({ number: z.string(), title: z.string(), published: z.string(), url: z.string() }),
    days: z.array(DaySchema),
    confirm: z.string().openapi({ description: 'Send back to publish exactly this table' }),
  })
  .openapi('HolidayTablePreview');

export const TablePublished = z.object({
  year: z.number().int(),
  logIndex: z.number().int(),
  calendarVersion: z.string(),
  corrections: z.array(z.object({ trackingNo: z.string(), previous: z.string(), current: z.string(), provisionalBefore: z.boolean(), provisionalNow: z.boolean(), logIndex: z.number().int() })),
});

export type CalendarInfoJson = z.infer<typeof CalendarInfo>;
export type TablePreviewJson = z.infer<typeof Preview>;
export type TablePublishedJson = z.infer<typeof TablePublished>;
