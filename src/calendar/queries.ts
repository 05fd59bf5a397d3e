// The bureau's local overrides and the effective calendar. Both come from the public log
// (calendar/log.ts): an override is added or withdrawn by appending an entry, never by editing a table.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem, toProblem } from '../errors.js';
import { InvalidDateError, isIsoDate, type IsoDate } from './dates.js';
import { loadLoggedCalendar, logOverride, type CalendarChange } from './log.js';
import type { Calendar, DayKind } from './workdays.js';

export interface CalendarOverride {
  /** The override's entry in the public log. */
  id: number;
  date: IsoDate;
  kind: DayKind;
  reason: string;
  createdAt: Date;
  createdBy: string;
}

export async function listOverrides(db: Kysely<Database>): Promise<CalendarOverride[]> {
  const { overrides } = await loadLoggedCalendar(db);
  return overrides
    .map((o) => ({ id: o.logIndex, date: o.date, kind: o.kind, reason: o.reason, createdAt: o.createdAt, createdBy: o.decidedBy }))
    .sort((a, b) => (a.date < b.date ? -1 : 1));
}

/**
 * Adds a local day off or working day as a public log entry; a second override for the same date is a
 * 409, as is one inside a published 公示 window. Pending objections' due dates are recomputed, each
 * change a logged correction.
 */
export async function addOverride(
  db: Kysely<Database>,
  input: { date: IsoDate; kind: DayKind; reason: string; createdBy: string },
  now: Date = new Date(),
): Promise<CalendarOverride & { change: CalendarChange }> {
  if (!isIsoDate(input.date)) throw toProblem(new InvalidDateError(input.date))!;
  if (input.kind !== 'off' && input.kind !== 'work') throw invalidField('kind', "'off' or 'work'", "'off' 或 'work'");
  const reason = input.reason.trim();
  if (!reason) throw invalidField('reason', 'a non-empty reason', '非空的理由');
  if (!input.createdBy.trim()) throw invalidField('createdBy', 'who adds it', '添加人');
  const change = await logOverride(db, { action: 'add', date: input.date, kind: input.kind, reason, decidedBy: input.createdBy }, now);
  return { id: change.logIndex, date: input.date, kind: input.kind, reason, createdAt: now, createdBy: input.createdBy, change };
}

/** Withdraws the override of a date (a log entry); false when there was none. */
export async function removeOverride(db: Kysely<Database>, date: IsoDate, by = 'staff', now: Date = new Date()): Promise<boolean> {
  const current = (await listOverrides(db)).find((o) => o.date === date);
  if (!current) return false;
  await logOverride(db, { action: 'withdraw', date, reason: `撤销 ${date} 的本地调整`, decidedBy: by }, now);
  return true;
}

/** The effective calendar: the bundled State Council tables, the logged ones, and the logged overrides. */
export async function loadCalendar(db: Kysely<Database>): Promise<Calendar> {
  return (await loadLoggedCalendar(db)).cal;
}

function invalidField(field: string, en: string, zh: string): Problem {
  return new Problem('invalid-request', { en: `${field}: expected ${en}.`, zh: `${field}：应为${zh}。` }, { extensions: { errors: [{ path: field, message: en }] } });
}
