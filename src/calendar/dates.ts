// Calendar dates as plain 'YYYY-MM-DD' strings in Beijing time (Asia/Shanghai, UTC+8 all year: China
// has had no daylight saving time since 1991). Arithmetic runs on day numbers (days since 1970-01-01),
// never on a JS Date in the server's local zone, so the host's time zone cannot shift a deadline.
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** Beijing time is UTC+8 all year round. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Thrown for a string that is not a real calendar date (e.g. '2026-02-30'); src/errors.ts makes it a 400. */
export class InvalidDateError extends RangeError {
  readonly zh: string;
  constructor(readonly input: string) {
    super(`'${input}' is not a calendar date of the form YYYY-MM-DD.`);
    this.zh = `“${input}”不是有效的日期(格式 YYYY-MM-DD)。`;
    this.name = 'InvalidDateError';
  }
}

/** True for a real date in 'YYYY-MM-DD' form (rejects 2026-02-30, 2025-02-29, 2026-13-01). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.UTC reads years 0–99 as 1900–1999; no deadline of this module lies before 1900 anyway.
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01 for a date; throws InvalidDateError for anything that is not a real date. */
export function dayNumber(date: IsoDate): number {
  if (!isIsoDate(date)) throw new InvalidDateError(date);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekday(date: IsoDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: IsoDate): boolean {
  const d = weekday(date);
  return d === 0 || d === 6;
}

/** An instant in Beijing time, `YYYY-MM-DDTHH:mm:ss.sss+08:00`. */
export function beijingIso(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** The Beijing calendar date (UTC+8) of an instant. */
export function beijingDate(instant: Date): IsoDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('beijingDate: invalid Date');
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The end of a Beijing date: a period "ends at 24:00 of its last day" (民法典 第二百零三条).
 * We state it as the last millisecond of that day, `YYYY-MM-DDT23:59:59.999+08:00`, so the printed
 * date is the period's last day (as on the notice) and "still open" reads `now <= endsAt`. The exact
 * rule for whether an instant lies within the period is `isOnOrBefore(instant, lastDay)`, which
 * compares Beijing dates and so has no millisecond edge at all.
 */
export function endOfDayInstant(date: IsoDate): { iso: string; instant: Date } {
  const nextMidnightUtc = (dayNumber(date) + 1) * MS_PER_DAY - BEIJING_OFFSET_MS;
  return { iso: `${date}T23:59:59.999+08:00`, instant: new Date(nextMidnightUtc - 1) };
}

/** Whether an instant falls on or before the Beijing date `lastDay` (i.e. before 24:00 of it). */
export function isOnOrBefore(instant: Date, lastDay: IsoDate): boolean {
  return beijingDate(instant) <= lastDay;
}
