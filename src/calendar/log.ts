// The working-day calendar as a public fact. Every State Council table a deadline uses and every local
// override is an entry of the public log, appended before it can affect a deadline:
//
//   calendar-table     hzqa-calendar-table/v1      a year's 国务院办公厅 notice, item by item, with its source
//                                                  (文号, date, URL) and who entered it (bundled tables are
//                                                  logged the first time a deadline reaches their year)
//   calendar-override  hzqa-calendar-override/v1   a local day off / working day (add) or its withdrawal,
//                                                  with its reason and the staff member who decided it
//   deadline-correction hzqa-deadline-correction/v1 a pending objection's due date recomputed after a
//                                                  table or override arrived (refs: receipt, calendar)
//
// Each deadline records the log indexes of the calendar entries it used (`calendarEntries`): the
// table of every year its period touches and every override dated inside it. A verifier rebuilds the
// calendar from exactly those entries, checks that each precedes the deadline in the log and that no
// earlier calendar entry touching the period is missing. The table `calendar_entry` only indexes
// these entries for the server; the log is the record.
import * as z from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem, problem } from '../errors.js';
import { canonicalJson } from '../log/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { appendEntry, CalendarOverrideDocument, CalendarTableDocument, DeadlineCorrectionDocument } from '../log/documents/index.js';
import { endOfDayInstant, yearOf, type IsoDate } from './dates.js';
import { objectionVerificationDue } from './rules.js';
import { OFFICIAL_YEARS, type OfficialYear } from './table.js';
import { buildCalendar, type Calendar, type DayKind, type Deadline, type OverrideEntry } from './workdays.js';

type Db = Kysely<Database> | Transaction<Database>;

export { CALENDAR_ENTRY_TYPES } from './entry-types.js';

export type CalendarTableDocument = z.infer<typeof CalendarTableDocument>;
export type CalendarOverrideDocument = z.infer<typeof CalendarOverrideDocument>;
export type DeadlineCorrectionDocument = z.infer<typeof DeadlineCorrectionDocument>;

/** Where each logged calendar fact sits in the log. */
export interface CalendarLogIndex {
  tables: ReadonlyMap<number, number>;
  overrides: ReadonlyMap<IsoDate, number>;
}

export interface LoggedOverride extends OverrideEntry {
  logIndex: number;
  decidedBy: string;
  createdAt: Date;
}

/** The calendar from the bundled tables and the logged entries, with each entry's log index. */
export async function loadLoggedCalendar(db: Db): Promise<{ cal: Calendar; index: CalendarLogIndex; overrides: LoggedOverride[] }> {
  const rows = await db.selectFrom('calendar_entry').selectAll().orderBy('log_index').execute();
  const tables = new Map<number, number>();
  const entered: OfficialYear[] = [];
  const byDate = new Map<IsoDate, LoggedOverride | null>();
  for (const r of rows) {
    const doc = parseJsonColumn(z.union([CalendarTableDocument, CalendarOverrideDocument]), r.document, 'calendar_entry.document');
    if (doc.v === 'hzqa-calendar-table/v1') {
      tables.set(doc.year, Number(r.log_index));
      if (doc.source === 'entered') entered.push({ year: doc.year, notice: doc.notice, arrangements: doc.arrangements });
    } else if (doc.action === 'add') {
      byDate.set(doc.date, { date: doc.date, kind: doc.kind, reason: doc.reason, logIndex: Number(r.log_index), decidedBy: doc.decidedBy, createdAt: new Date(r.created_at) });
    } else {
      byDate.set(doc.date, null);
    }
  }
  const overrides = [...byDate.values()].filter((o): o is LoggedOverride => o !== null);
  const table = entered.length === 0 ? OFFICIAL_YEARS : [...OFFICIAL_YEARS, ...entered].sort((a, b) => a.year - b.year);
  return { cal: buildCalendar(overrides, table), index: { tables, overrides: new Map(overrides.map((o) => [o.date, o.logIndex])) }, overrides };
}

/** Appends a calendar entry and indexes it; the caller's transaction holds the log's append lock after this. */
async function appendCalendarEntry(trx: Transaction<Database>, doc: CalendarTableDocument | CalendarOverrideDocument, refs: Record<string, number> = {}) {
  const entry =
    doc.v === 'hzqa-calendar-table/v1'
      ? await appendEntry(trx, 'calendar-table', doc, { cycleId: null, refs })
      : await appendEntry(trx, 'calendar-override', doc, { cycleId: null, refs });
  await trx
    .insertInto('calendar_entry')
    .values({
      log_index: entry.index,
      kind: doc.v === 'hzqa-calendar-table/v1' ? 'table' : doc.action === 'add' ? 'override' : 'override-withdrawn',
      year: doc.v === 'hzqa-calendar-table/v1' ? doc.year : null,
      date: doc.v === 'hzqa-calendar-table/v1' ? null : doc.date,
      document: canonicalJson(doc),
    })
    .execute();
  return entry.index;
}

const lockLog = (trx: Transaction<Database>) => trx.selectFrom('log_head').select('size').forUpdate().execute();

/**
 * The calendar entries a period [from, to] uses, logging each bundled year's table first if it is not
 * in the log yet (so a table is public before any deadline depends on it). Inside the deadline's own
 * transaction; years without a table (provisional) contribute no entry.
 */
export async function calendarEntriesFor(trx: Transaction<Database>, from: IsoDate, to: IsoDate): Promise<number[]> {
  await lockLog(trx);
  const { index } = await loadLoggedCalendar(trx);
  const out: number[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) {
    let at = index.tables.get(y);
    const bundled = OFFICIAL_YEARS.find((t) => t.year === y);
    if (at === undefined && bundled) {
      at = await appendCalendarEntry(trx, { v: 'hzqa-calendar-table/v1', year: y, notice: bundled.notice, arrangements: [...bundled.arrangements].map((a) => ({ ...a, off: [...a.off] as [string, string], work: [...a.work] })), source: 'bundled' });
    }
    if (at !== undefined) out.push(at);
  }
  for (const [date, at] of index.overrides) if (date >= from && date <= to) out.push(at);
  return out.sort((a, b) => a - b);
}


/** A published 公示 window containing `date`: an override there would change a window already printed. */
async function windowContaining(db: Db, date: IsoDate) {
  return db
    .selectFrom('notice')
    .select(['id', 'window_start', 'window_end'])
    .where('status', '=', 'published')
    .where('window_start', '<=', date)
    .where('window_end', '>=', date)
    .executeTakeFirst();
}

/** What a calendar change did to pending objections. */
export interface CalendarChange {
  logIndex: number;
  calendarVersion: string;
  corrections: { trackingNo: string; previous: string; current: string; provisionalBefore: boolean; provisionalNow: boolean; logIndex: number }[];
}

/** Adds (or withdraws) a local override as a log entry, then recomputes pending due dates. */
export async function logOverride(
  db: Kysely<Database>,
  input: { action: 'add' | 'withdraw'; date: IsoDate; kind?: DayKind; reason: string; decidedBy: string },
  now: Date,
): Promise<CalendarChange> {
  return db.transaction().execute(async (trx) => {
    await lockLog(trx);
    const { overrides } = await loadLoggedCalendar(trx);
    const current = overrides.find((o) => o.date === input.date);
    if (input.action === 'add' && current) throw problem('conflict', `There is already a local calendar override for ${input.date}.`, `${input.date} 已有本地日历调整。`, { date: input.date });
    if (input.action === 'withdraw' && !current) throw new Problem('not-found', { en: `No override for ${input.date}.`, zh: `${input.date} 没有本地调整。` });
    const w = await windowContaining(trx, input.date);
    if (w) {
      throw problem('conflict', 
        `${input.date} lies in the published publicity window of notice ${w.id} (${w.window_start} to ${w.window_end}); a local override cannot change a window already published — publish a correction notice instead.`,
        `${input.date} 位于已发布公告 ${w.id} 的公示期（${w.window_start}至${w.window_end}）内，本地调整不能改变已公布的公示期，请发布更正公告。`,
        { date: input.date, noticeId: w.id },
      );
    }
    const doc: CalendarOverrideDocument = {
      v: 'hzqa-calendar-override/v1',
      action: input.action,
      date: input.date,
      kind: input.action === 'add' ? input.kind! : current!.kind,
      reason: input.reason,
      decidedBy: input.decidedBy,
      ...(input.action === 'withdraw' ? { withdraws: current!.logIndex } : {}),
    };
    const at = await appendCalendarEntry(trx, CalendarOverrideDocument.parse(doc), input.action === 'withdraw' ? { withdraws: current!.logIndex } : {});
    return recomputePending(trx, at, now);
  });
}

/** Publishes a year's State Council table (entered by staff from the notice's text) as a log entry. */
export async function logEnteredTable(db: Kysely<Database>, year: OfficialYear, enteredBy: string, noticeTextSha256: string, now: Date): Promise<CalendarChange> {
  return db.transaction().execute(async (trx) => {
    await lockLog(trx);
    const { cal } = await loadLoggedCalendar(trx);
    if (cal.years.includes(year.year)) {
      throw problem('conflict', `The calendar already has the State Council table for ${year.year}.`, `日历已有国务院${year.year}年节假日安排。`, { year: year.year });
    }
    const doc = CalendarTableDocument.parse({ v: 'hzqa-calendar-table/v1', year: year.year, notice: year.notice, arrangements: year.arrangements, source: 'entered', enteredBy, noticeTextSha256 });
    const at = await appendCalendarEntry(trx, doc);
    return recomputePending(trx, at, now);
  });
}

/**
 * Recomputes the due date of every objection whose result is not yet published with the calendar as
 * it now stands; each one that changed (date or provisional mark) gets a `deadline-correction` entry
 * and its row keeps the first value (due_first) for the objector's status page.
 */
async function recomputePending(trx: Transaction<Database>, cause: number, now: Date): Promise<CalendarChange> {
  const { cal } = await loadLoggedCalendar(trx);
  const pending = await trx.selectFrom('objection').selectAll().where('status', '!=', 'published').orderBy('receipt_log_index').forUpdate().execute();
  const corrections: CalendarChange['corrections'] = [];
  for (const o of pending) {
    const due: Deadline = objectionVerificationDue(cal, o.received_date, o.due_mode, { provisional: true });
    if (due.date === o.due_date && due.provisional === o.due_provisional) continue;
    const previous = { dueDate: o.due_date, dueEndsAt: endOfDayInstant(o.due_date).iso, provisional: o.due_provisional, calendarVersion: o.calendar_version, calendarEntries: parseJsonColumn(z.array(z.number().int()), o.due_calendar_entries, 'objection.due_calendar_entries') };
    const entries = await calendarEntriesFor(trx, o.received_date, due.date);
    const current = { dueDate: due.date, dueEndsAt: due.endsAt, provisional: due.provisional, calendarVersion: due.calendarVersion, calendarEntries: entries };
    const doc = DeadlineCorrectionDocument.parse({
      v: 'hzqa-deadline-correction/v1',
      trackingNo: o.tracking_no,
      receiptLogIndex: Number(o.receipt_log_index),
      receivedDate: o.received_date,
      dueMode: o.due_mode,
      previous,
      current,
      cause,
    });
    const entry = await appendEntry(trx, 'deadline-correction', doc, { cycleId: o.cycle_id, refs: { receipt: Number(o.receipt_log_index), calendar: cause } });
    await trx
      .updateTable('objection')
      .set({
        due_date: due.date,
        due_ends_at: new Date(due.endsAt),
        due_provisional: due.provisional,
        calendar_version: due.calendarVersion,
        due_calendar_entries: JSON.stringify(entries),
        due_first: o.due_first ?? JSON.stringify(previous),
        overdue_flagged_at: null,
      })
      .where('id', '=', o.id)
      .execute();
    await trx
      .insertInto('objection_event')
      .values({ objection_id: o.id, at: now, actor: 'system', action: 'due-corrected', detail: JSON.stringify({ from: o.due_date, to: due.date, provisional: due.provisional, logIndex: entry.index, cause }) })
      .execute();
    corrections.push({ trackingNo: o.tracking_no, previous: o.due_date, current: due.date, provisionalBefore: o.due_provisional, provisionalNow: due.provisional, logIndex: entry.index });
  }
  return { logIndex: cause, calendarVersion: cal.version, corrections };
}

/** "暂按…计算，待国务院公布YYYY年安排后重算": the mark of a provisional due date, naming the missing years. */
export function provisionalNote(from: IsoDate, to: IsoDate, cal: Calendar): { zh: string; en: string } {
  const years: number[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) if (!cal.years.includes(y)) years.push(y);
  const ys = years.join('、');
  return {
    zh: `暂按周末和法定节假日计算，待国务院公布${ys}年安排后重算`,
    en: `provisional: counted with weekends and statutory holidays only, to be recomputed when the State Council publishes its ${ys} arrangements`,
  };
}

