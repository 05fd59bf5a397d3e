// China working days and legal deadlines, on plain 'YYYY-MM-DD' Beijing dates.
//
// A day is a working day unless it is a weekend or a public holiday, except that the State Council's
// make-up working days (调休上班, often a Saturday or Sunday) are working days; the bureau's local
// overrides (calendar_override) take precedence over both. Years without a published notice are
// refused (CalendarYearUnknownError) unless the caller asks for a provisional computation.
import { addDays, dayNumber, endOfDayInstant, isIsoDate, isWeekend, InvalidDateError, yearOf, type IsoDate } from './dates.js';
import { PROVISIONAL_FESTIVALS } from './festivals.js';
import { PROVISIONAL_YEARS, statutoryHolidays } from './provisional.js';
import { OFFICIAL_YEARS, officialDays, shortHash, TABLE_VERSION, type OfficialDay, type OfficialYear } from './table.js';

export type DayKind = 'off' | 'work';

/** A local override of the national table, decided by the bureau. */
export interface OverrideEntry {
  date: IsoDate;
  kind: DayKind;
  reason: string;
  createdAt?: Date;
}

export interface Calendar {
  /** Effective version: the table's version, plus a hash of the overrides when there are any. */
  readonly version: string;
  readonly tableVersion: string;
  /** The State Council notices this calendar is built from. */
  readonly table: readonly OfficialYear[];
  /** Years with an official table. */
  readonly years: readonly number[];
  readonly overrides: readonly OverrideEntry[];
  readonly official: ReadonlyMap<IsoDate, OfficialDay>;
  readonly overrideByDate: ReadonlyMap<IsoDate, OverrideEntry>;
}

/** The calendar of the bundled table plus the given overrides. */
export function buildCalendar(overrides: readonly OverrideEntry[] = [], table: readonly OfficialYear[] = OFFICIAL_YEARS): Calendar {
  const official = new Map<IsoDate, OfficialDay>();
  for (const y of table) for (const day of officialDays(y)) official.set(day.date, day);
  const sorted = [...overrides].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  // Any table (the bundled one, or with years entered from the log) is versioned the same way.
  const tableVersion = table === OFFICIAL_YEARS ? TABLE_VERSION : `cn-${table.map((y) => y.year).join('.')}@${shortHash({ OFFICIAL_YEARS: table, PROVISIONAL_FESTIVALS })}`;
  // Only what changes a computation goes into the hash: editing an override's reason keeps the version.
  const version = sorted.length === 0 ? tableVersion : `${tableVersion}+local.${shortHash(sorted.map((o) => [o.date, o.kind]))}`;
  return {
    version,
    tableVersion,
    table,
    years: table.map((y) => y.year),
    overrides: sorted,
    official,
    overrideByDate: new Map(sorted.map((o) => [o.date, o])),
  };
}

/** The calendar of the bundled State Council table alone, without local overrides. */
export const officialCalendar: Calendar = buildCalendar();

/** A date in a year with no State Council table: refuse rather than guess Mon–Fri (src/errors.ts: a 422). */
export class CalendarYearUnknownError extends Error {
  readonly zh: string;
  readonly coveredYears: number[];
  constructor(
    readonly year: number,
    coveredYears: readonly number[],
    readonly provisionalAvailable: boolean,
  ) {
    const text = {
      en:
        `No official holiday arrangement is known for ${year}: this calendar covers ${coveredYears.join(', ')} ` +
        `(State Council notices). Working days in ${year} cannot be counted reliably` +
        (provisionalAvailable ? '; a provisional result (weekends and statutory holidays only) may be requested.' : ', not even provisionally.'),
      zh:
        `尚无${year}年的官方放假安排：本日历仅收录${coveredYears.join('、')}年的国务院办公厅节假日安排通知，` +
        `无法准确计算${year}年的工作日` +
        (provisionalAvailable ? ';可请求仅按周末和法定节假日计算的暂定结果。' : ',也无法给出暂定结果。'),
    };
    super(text.en);
    this.zh = text.zh;
    this.coveredYears = [...coveredYears];
    this.name = 'CalendarYearUnknownError';
  }
}

export interface CalendarOptions {
  /** For a year without a table, count weekends and statutory holidays only, and say so. */
  provisional?: boolean;
}

export interface DayStatus {
  date: IsoDate;
  working: boolean;
  /** Decided by the provisional rule, not by an official table or override. */
  provisional: boolean;
  source: 'override' | 'notice' | 'weekday' | 'weekend' | 'statutory';
  /** The holiday's name, the notice's number, or the override's reason, when there is one. */
  holiday?: string;
  notice?: string;
  reason?: string;
}

/** Why a date is or is not a working day. Throws CalendarYearUnknownError for an unknown year. */
export function dayStatus(date: IsoDate, cal: Calendar, opts: CalendarOptions = {}): DayStatus {
  if (!isIsoDate(date)) throw new InvalidDateError(date);
  // The bureau's decision for a date stands even in a year the national table does not cover.
  const override = cal.overrideByDate.get(date);
  if (override) return { date, working: override.kind === 'work', provisional: false, source: 'override', reason: override.reason };
  const year = yearOf(date);
  if (cal.years.includes(year)) {
    const official = cal.official.get(date);
    if (official) return { date, working: official.kind === 'work', provisional: false, source: 'notice', holiday: official.holiday, notice: official.notice };
    return { date, working: !isWeekend(date), provisional: false, source: isWeekend(date) ? 'weekend' : 'weekday' };
  }
  const statutory = opts.provisional ? statutoryHolidays(year) : undefined;
  if (!statutory) throw new CalendarYearUnknownError(year, cal.years, PROVISIONAL_YEARS.includes(year));
  const holiday = statutory.get(date);
  if (holiday) return { date, working: false, provisional: true, source: 'statutory', holiday };
  return { date, working: !isWeekend(date), provisional: true, source: isWeekend(date) ? 'weekend' : 'weekday' };
}

export function isWorkingDay(date: IsoDate, cal: Calendar, opts: CalendarOptions = {}): boolean {
  return dayStatus(date, cal, opts).working;
}

/**
 * How a period of N working days is counted from its start date.
 *
 * - `after`: the start day is not counted; day 1 is the first working day after it.
 *   民法典 第二百零一条: "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。"
 *   Used for "自收到材料之日起5个工作日内" (三(三)7, objection verification).
 * - `including`: the start day is day 1 when it is a working day; otherwise day 1 is the next working
 *   day. This is how 公示 notices print their window ("公示时间：X月X日至Y月Y日", the day of
 *   publication included), 三(三)7 公示7个工作日.
 *
 * Either way the last day is a working day, so 第二百零三条's "last day is a holiday → next day" rule
 * never moves it, and the period ends at 24:00 Beijing time of that day (第二百零三条).
 */
export type WorkdayMode = 'after' | 'including';

export const WORKDAY_MODES: readonly WorkdayMode[] = ['after', 'including'];

export interface WorkdayResult {
  date: IsoDate;
  provisional: boolean;
}

/** The N-th working day counted from `from` in the given mode (N ≥ 1). */
export function addWorkingDays(from: IsoDate, n: number, mode: WorkdayMode, cal: Calendar, opts: CalendarOptions = {}): WorkdayResult {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`addWorkingDays: n must be a positive integer, got ${n}`);
  dayNumber(from); // validates
  let provisional = false;
  let counted = 0;
  let d = mode === 'after' ? addDays(from, 1) : from;
  for (;;) {
    const s = dayStatus(d, cal, opts);
    provisional ||= s.provisional;
    if (s.working && ++counted === n) return { date: d, provisional };
    d = addDays(d, 1);
  }
}

/**
 * Working days in (from, to] — so addWorkingDays(from, n, 'after') = d ⇔ workingDaysBetween(from, d) = n
 * for a working day d. Negative when `to` is before `from`.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, cal: Calendar, opts: CalendarOptions = {}): number {
  const [a, b] = [dayNumber(from), dayNumber(to)];
  if (b < a) return -workingDaysBetween(to, from, cal, opts);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, cal, opts)) count++;
  return count;
}

/**
 * Working days left until a period ending on `due` closes, counting `today` itself (the period runs
 * until 24:00 of the last day, so a working today is still usable). 0 once `today` is past `due`.
 */
export function workingDaysLeft(today: IsoDate, due: IsoDate, cal: Calendar, opts: CalendarOptions = {}): number {
  if (dayNumber(due) < dayNumber(today)) return 0;
  return workingDaysBetween(addDays(today, -1), due, cal, opts);
}

/** A computed deadline, as stored by notices and objections: always with the calendar version used. */
export interface Deadline {
  from: IsoDate;
  add: number;
  mode: WorkdayMode;
  /** The last day of the period (Beijing date). */
  date: IsoDate;
  /** 24:00 Beijing time of `date`, as `YYYY-MM-DDT23:59:59.999+08:00` (see endOfDayInstant). */
  endsAt: string;
  provisional: boolean;
  calendarVersion: string;
}

export function computeDeadline(cal: Calendar, from: IsoDate, add: number, mode: WorkdayMode, opts: CalendarOptions = {}): Deadline {
  const { date, provisional } = addWorkingDays(from, add, mode, cal, opts);
  return { from, add, mode, date, endsAt: endOfDayInstant(date).iso, provisional, calendarVersion: cal.version };
}

/** Whether a stored deadline was computed with another calendar version than `cal`. */
export function needsRecompute(deadline: Pick<Deadline, 'calendarVersion'>, cal: Calendar): boolean {
  return deadline.calendarVersion !== cal.version;
}

/** The deadline recomputed with `cal`, and whether its last day moved. */
export function recomputeDeadline(deadline: Deadline, cal: Calendar, opts: CalendarOptions = {}): { deadline: Deadline; moved: boolean } {
  const next = computeDeadline(cal, deadline.from, deadline.add, deadline.mode, { provisional: deadline.provisional || opts.provisional });
  return { deadline: next, moved: next.date !== deadline.date };
}
