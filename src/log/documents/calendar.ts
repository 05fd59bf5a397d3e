/**
 * The working-day calendar: the State Council's holiday arrangements of a year, and the bureau's own
 * days off or working days. Both are logged with cycle null.
 * @module
 */
import * as z from 'zod';
import { hex, index, isoDate } from './shared.js';

const ArrangementSchema = z.strictObject({
  item: z.string().min(1).max(4),
  holiday: z.string().min(1).max(40),
  holidayEn: z.string().min(1).max(120),
  off: z.tuple([isoDate, isoDate]),
  statedDays: z.number().int().min(1).max(31).optional(),
  work: z.array(isoDate).max(10),
});

/**
 * A year of the State Council's holiday arrangements (国务院办公厅关于YYYY年部分节假日安排的通知), with its
 * source (文号, date, URL): bundled tables are logged before the first deadline that uses them,
 * entered ones by staff from the notice's text (enteredBy, SHA-256 of the text). Cycle null.
 */
export const CalendarTableDocument = z.strictObject({
  v: z.literal('hzqa-calendar-table/v1'),
  year: z.number().int().min(1999).max(2200),
  notice: z.strictObject({ number: z.string().min(1).max(60), title: z.string().min(1).max(100), published: isoDate, url: z.string().min(1).max(500) }),
  arrangements: z.array(ArrangementSchema).min(1).max(10),
  source: z.enum(['bundled', 'entered']),
  enteredBy: z.string().min(1).max(200).optional(),
  noticeTextSha256: hex(32).optional(),
});

/**
 * The server runs on a simulated clock (a demonstration started on a fixed date, CLOCK_START): every time
 * it writes is `offsetMs` away from real time. Logged with cycle null when such a server starts, before
 * it writes anything else, so that every tool reading the log judges time as the server did (the
 * verifier warns that the log is a demonstration's). `startsAt` is the simulated time at `startedAt`, real.
 */
export const SimulatedClockDocument = z.strictObject({
  v: z.literal('hzqa-simulated-clock/v1'),
  startsAt: z.string().datetime({ offset: true }),
  startedAt: z.string().datetime({ offset: true }),
  offsetMs: z.number().int(),
});

/** A local day off or working day decided by the bureau (add), or its withdrawal (refs.withdraws). Cycle null. */
export const CalendarOverrideDocument = z.strictObject({
  v: z.literal('hzqa-calendar-override/v1'),
  action: z.enum(['add', 'withdraw']),
  date: isoDate,
  kind: z.enum(['off', 'work']),
  reason: z.string().min(1).max(500),
  decidedBy: z.string().min(1).max(200),
  withdraws: index.optional(),
});
