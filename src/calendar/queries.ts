// The bureau's local overrides (table calendar_override) and the effective calendar built from them.
import type { Kysely } from 'kysely';
import type { Context } from 'hono';
import type { Database } from '../../schema/database.js';
import type { AppEnv } from '../deps.js';
import { Problem, toProblem } from '../errors.js';
import { InvalidDateError, isIsoDate, type IsoDate } from './dates.js';
import { buildCalendar, type Calendar, type DayKind } from './workdays.js';

export interface CalendarOverride {
  id: number;
  date: IsoDate;
  kind: DayKind;
  reason: string;
  createdAt: Date;
  createdBy: string;
}

export async function listOverrides(db: Kysely<Database>): Promise<CalendarOverride[]> {
  const rows = await db.selectFrom('calendar_override').selectAll().orderBy('date').execute();
  return rows.map((r) => ({ id: r.id, date: r.date, kind: r.kind, reason: r.reason, createdAt: new Date(r.created_at), createdBy: r.created_by }));
}

/** Adds a local day off or working day; a second override for the same date is a 409 conflict. */
export async function addOverride(
  db: Kysely<Database>,
  input: { date: IsoDate; kind: DayKind; reason: string; createdBy: string },
): Promise<CalendarOverride> {
  if (!isIsoDate(input.date)) throw toProblem(new InvalidDateError(input.date))!;
  if (input.kind !== 'off' && input.kind !== 'work') throw invalidField('kind', "'off' or 'work'", "'off' 或 'work'");
  const reason = input.reason.trim();
  if (!reason) throw invalidField('reason', 'a non-empty reason', '非空的理由');
  if (!input.createdBy.trim()) throw invalidField('createdBy', 'who adds it', '添加人');
  try {
    const row = await db
      .insertInto('calendar_override')
      .values({ date: input.date, kind: input.kind, reason, created_by: input.createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { id: row.id, date: row.date, kind: row.kind, reason: row.reason, createdAt: new Date(row.created_at), createdBy: row.created_by };
  } catch (err) {
    if ((err as { code?: unknown }).code === '23505') {
      throw new Problem('conflict', {
        en: `There is already a local calendar override for ${input.date}.`,
        zh: `${input.date} 已有本地日历调整。`,
      }, { extensions: { date: input.date } });
    }
    throw err;
  }
}

/** Removes the override of a date; false when there was none. */
export async function removeOverride(db: Kysely<Database>, date: IsoDate): Promise<boolean> {
  const r = await db.deleteFrom('calendar_override').where('date', '=', date).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The effective calendar: the bundled State Council table plus the bureau's overrides. */
export async function loadCalendar(db: Kysely<Database>): Promise<Calendar> {
  return buildCalendar(await listOverrides(db));
}

const perRequest = new WeakMap<Request, Promise<Calendar>>();

/** loadCalendar, once per request: every deadline of one request uses the same calendar version. */
export function requestCalendar(c: Context<AppEnv>): Promise<Calendar> {
  let cal = perRequest.get(c.req.raw);
  if (!cal) {
    cal = loadCalendar(c.env.deps.db);
    perRequest.set(c.req.raw, cal);
  }
  return cal;
}

function invalidField(field: string, en: string, zh: string): Problem {
  return new Problem('invalid-request', { en: `${field}: expected ${en}.`, zh: `${field}:应为${zh}。` }, { extensions: { errors: [{ path: field, message: en }] } });
}
