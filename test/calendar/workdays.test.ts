import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import chineseDays from 'chinese-days';
import {
  addDays,
  beijingDate,
  dayNumber,
  endOfDayInstant,
  fromDayNumber,
  InvalidDateError,
  isIsoDate,
  isOnOrBefore,
  weekday,
} from '../../src/calendar/dates.js';
import { PROVISIONAL_FESTIVALS } from '../../src/calendar/festivals.js';
import { PROVISIONAL_YEARS, statutoryHolidays, statutoryHolidaysFrom } from '../../src/calendar/provisional.js';
import { objectionVerificationDue, publicityWindow } from '../../src/calendar/rules.js';
import { OFFICIAL_YEARS, officialDays } from '../../src/calendar/table.js';
import { toProblem } from '../../src/errors.js';
import {
  addWorkingDays,
  buildCalendar,
  CalendarYearUnknownError,
  computeDeadline,
  dayStatus,
  isWorkingDay,
  needsRecompute,
  officialCalendar as cal,
  recomputeDeadline,
  workingDaysBetween,
  workingDaysLeft,
  type WorkdayMode,
} from '../../src/calendar/workdays.js';

const add = (from: string, n: number, mode: WorkdayMode, opts = {}) => addWorkingDays(from, n, mode, cal, opts).date;

describe('dates', () => {
  it('accepts real dates only', () => {
    for (const d of ['2024-02-29', '2026-12-31', '2026-01-01']) expect(isIsoDate(d)).toBe(true);
    for (const d of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-1-01', '20260101', '2026-01-01T00:00', '', '0099-01-01']) {
      expect(isIsoDate(d), d).toBe(false);
    }
    expect(() => dayNumber('2026-02-30')).toThrow(InvalidDateError);
  });

  it('counts days and weekdays without a local time zone', () => {
    expect(weekday('2026-03-02')).toBe(1); // Monday
    expect(weekday('2024-02-04')).toBe(0); // Sunday
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(fromDayNumber(dayNumber('2030-06-15'))).toBe('2030-06-15');
  });

  it('states the end of a day as 24:00 Beijing time and reads instants in UTC+8', () => {
    const end = endOfDayInstant('2026-03-10');
    expect(end.iso).toBe('2026-03-10T23:59:59.999+08:00');
    expect(end.instant.toISOString()).toBe('2026-03-10T15:59:59.999Z');
    expect(new Date(end.iso).getTime()).toBe(end.instant.getTime());
    expect(beijingDate(new Date('2026-03-10T15:59:59.999Z'))).toBe('2026-03-10');
    expect(beijingDate(new Date('2026-03-10T16:00:00.000Z'))).toBe('2026-03-11');
    expect(beijingDate(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01');
    expect(isOnOrBefore(new Date('2026-03-10T15:59:59.999Z'), '2026-03-10')).toBe(true);
    expect(isOnOrBefore(new Date('2026-03-10T16:00:00Z'), '2026-03-10')).toBe(false);
  });
});

describe('working days from the State Council table', () => {
  it('knows make-up Saturdays and Sundays and the days around them', () => {
    for (const d of ['2024-02-04', '2024-02-18', '2024-04-07', '2024-09-14', '2025-01-26', '2025-02-08', '2025-09-28', '2025-10-11', '2026-01-04', '2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10']) {
      expect(isWorkingDay(d, cal), d).toBe(true);
      expect(weekday(d) % 6, d).toBe(0); // a Saturday or Sunday
    }
    for (const d of ['2024-02-03', '2024-02-17', '2025-01-25', '2025-02-09', '2025-10-12', '2026-10-11']) expect(isWorkingDay(d, cal), d).toBe(false);
    expect(dayStatus('2025-02-08', cal)).toMatchObject({ working: true, source: 'notice', holiday: '春节', notice: '国办发明电〔2024〕12号' });
    expect(dayStatus('2025-10-06', cal)).toMatchObject({ working: false, source: 'notice', holiday: '国庆节、中秋节' });
    expect(dayStatus('2026-03-07', cal)).toMatchObject({ working: false, source: 'weekend', provisional: false });
  });

  it('counts across Spring Festival', () => {
    // 2024: 除夕 2月9日 was a working day; 2月4日 and 2月18日 (Sundays) were worked.
    expect(add('2024-02-02', 7, 'including')).toBe('2024-02-09');
    expect(add('2024-02-08', 5, 'after')).toBe('2024-02-21');
    expect(add('2024-02-08', 2, 'after')).toBe('2024-02-18');
    // 2025: 1月28日–2月4日 off, 1月26日 (Sun) and 2月8日 (Sat) worked.
    expect(add('2025-01-27', 5, 'after')).toBe('2025-02-10');
    expect(add('2025-01-24', 7, 'including')).toBe('2025-02-08');
    // 2026: 2月15日–23日 off, 2月14日 and 2月28日 (Sat) worked.
    expect(add('2026-02-13', 1, 'after')).toBe('2026-02-14');
    expect(add('2026-02-14', 1, 'after')).toBe('2026-02-24');
    expect(add('2026-02-24', 5, 'including')).toBe('2026-02-28');
  });

  it('counts across National Day', () => {
    expect(add('2025-09-26', 1, 'after')).toBe('2025-09-28');
    expect(add('2025-09-29', 3, 'after')).toBe('2025-10-10');
    expect(add('2025-09-29', 4, 'after')).toBe('2025-10-11');
    expect(add('2026-09-28', 7, 'including')).toBe('2026-10-12');
    expect(add('2024-09-27', 7, 'including')).toBe('2024-10-11');
  });

  it('starts counting with the next working day when the start day is a holiday, in either mode', () => {
    expect(add('2026-10-03', 5, 'after')).toBe('2026-10-13');
    expect(add('2026-10-03', 5, 'including')).toBe('2026-10-13');
    // From a working day the two modes differ by one working day.
    expect(add('2026-10-08', 5, 'including')).toBe('2026-10-13');
    expect(add('2026-10-08', 5, 'after')).toBe('2026-10-14');
    // A weekend start in 'including' mode.
    expect(add('2026-03-07', 1, 'including')).toBe('2026-03-09');
    expect(add('2026-03-07', 1, 'after')).toBe('2026-03-09');
  });

  it('crosses year boundaries into a year with a table', () => {
    expect(add('2025-12-29', 5, 'after')).toBe('2026-01-06'); // 1月1日–3日 off, 1月4日 (Sun) worked
    expect(add('2024-12-30', 3, 'after')).toBe('2025-01-03');
    expect(add('2023-12-31', 1, 'after')).toBe('2024-01-02'); // an uncounted start day needs no table
    expect(() => add('2023-12-29', 1, 'after')).toThrow(CalendarYearUnknownError); // 12月30日 would be counted
  });

  it('refuses a year without a table, naming it, unless asked for a provisional result', () => {
    expect(add('2026-12-28', 3, 'after')).toBe('2026-12-31'); // stays inside 2026: fine
    let err: unknown;
    try {
      add('2026-12-28', 5, 'after');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CalendarYearUnknownError);
    expect((err as CalendarYearUnknownError).year).toBe(2027);
    expect(toProblem(err)!.status).toBe(422);
    expect((err as Error).message).toContain('2027');
    expect(() => isWorkingDay('2027-03-03', cal)).toThrow(CalendarYearUnknownError);
    expect(() => isWorkingDay('2023-03-03', cal)).toThrow(/2023/);

    const r = addWorkingDays('2026-12-28', 5, 'after', cal, { provisional: true });
    expect(r).toEqual({ date: '2027-01-05', provisional: true }); // 1月1日 statutory, then a weekend
    // Provisional only where it is used.
    expect(addWorkingDays('2026-12-28', 3, 'after', cal, { provisional: true })).toEqual({ date: '2026-12-31', provisional: false });
    // 2027 Spring Festival: 除夕 2月5日 (Fri) to 初三 2月8日 (Mon).
    expect(add('2027-02-04', 1, 'after', { provisional: true })).toBe('2027-02-09');
    // No provisional data before the table or after 2035.
    expect(() => isWorkingDay('2023-06-01', cal, { provisional: true })).toThrow(CalendarYearUnknownError);
    expect(() => isWorkingDay('2036-06-02', cal, { provisional: true })).toThrow(CalendarYearUnknownError);
  });

  it('rejects a bad count or date', () => {
    expect(() => add('2026-03-02', 0, 'after')).toThrow(RangeError);
    expect(() => add('2026-03-02', 1.5, 'after')).toThrow(RangeError);
    expect(() => add('2026-02-30', 1, 'after')).toThrow(InvalidDateError);
  });

  it('counts working days between and left', () => {
    expect(workingDaysBetween('2025-09-29', '2025-10-11', cal)).toBe(4);
    expect(workingDaysBetween('2025-10-11', '2025-09-29', cal)).toBe(-4);
    expect(workingDaysBetween('2026-03-02', '2026-03-02', cal)).toBe(0);
    expect(workingDaysLeft('2026-03-02', '2026-03-10', cal)).toBe(7);
    expect(workingDaysLeft('2026-03-10', '2026-03-10', cal)).toBe(1);
    expect(workingDaysLeft('2026-03-11', '2026-03-10', cal)).toBe(0);
    expect(workingDaysLeft('2026-10-01', '2026-10-09', cal)).toBe(2);
  });
});

describe('the regulation periods (三(三)7)', () => {
  it('publicity: 7 working days including the day of publication; objection check: 5 after receipt', () => {
    const w = publicityWindow(cal, '2026-03-02', 'including');
    expect(w).toMatchObject({ from: '2026-03-02', add: 7, date: '2026-03-10', endsAt: '2026-03-10T23:59:59.999+08:00' });
    expect(objectionVerificationDue(cal, '2026-03-06', 'after').date).toBe('2026-03-13');
  });
});

describe('provisional calendar (全国年节及纪念日放假办法 第二条)', () => {
  it('bundles festival dates for 2027–2035 that agree with chinese-days', () => {
    expect(PROVISIONAL_YEARS).toEqual([2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035]);
    for (const year of PROVISIONAL_YEARS) {
      const f = PROVISIONAL_FESTIVALS[year]!;
      expect(f.springFestival).toBe(chineseDays.getSolarDateFromLunar(`${year}-01-01`).date);
      expect(f.qingming).toBe(chineseDays.getSolarTermDate(year, 4, 'pure_brightness'));
      expect(f.dragonBoat).toBe(chineseDays.getSolarDateFromLunar(`${year}-05-05`).date);
      expect(f.midAutumn).toBe(chineseDays.getSolarDateFromLunar(`${year}-08-15`).date);
      const eve = chineseDays.getLunarDate(addDays(f.springFestival, -1));
      expect(eve.lunarMon).toBe(12);
    }
  });

  it('gives 13 statutory days a year (fewer only when 中秋 falls in 国庆)', () => {
    for (const year of PROVISIONAL_YEARS) {
      const days = statutoryHolidays(year)!;
      const midAutumnInNationalDay = PROVISIONAL_FESTIVALS[year]!.midAutumn <= `${year}-10-03` && PROVISIONAL_FESTIVALS[year]!.midAutumn >= `${year}-10-01`;
      expect(days.size, String(year)).toBe(midAutumnInNationalDay ? 12 : 13);
    }
    expect(statutoryHolidays(2028)!.get('2028-10-03')).toBe('国庆节、中秋节');
    expect(statutoryHolidays(2031)!.get('2031-10-01')).toBe('国庆节、中秋节');
    expect(statutoryHolidays(2026)).toBeUndefined();
  });

  it('the rule is a subset of the days off in every year with an official table from 2025 on', () => {
    for (const y of OFFICIAL_YEARS.filter((o) => o.year >= 2025)) {
      const f = {
        springFestival: chineseDays.getSolarDateFromLunar(`${y.year}-01-01`).date,
        qingming: chineseDays.getSolarTermDate(y.year, 4, 'pure_brightness'),
        dragonBoat: chineseDays.getSolarDateFromLunar(`${y.year}-05-05`).date,
        midAutumn: chineseDays.getSolarDateFromLunar(`${y.year}-08-15`).date,
      };
      const off = new Set(officialDays(y).filter((d) => d.kind === 'off').map((d) => d.date));
      for (const d of statutoryHolidaysFrom(y.year, f).keys()) expect(off.has(d), `${d} off in ${y.year}`).toBe(true);
    }
  });
});

describe('overrides and versions', () => {
  it('a local day off or working day changes results and the version; its reason does not', () => {
    const local = buildCalendar([{ date: '2026-03-05', kind: 'off', reason: '杭州市调整' }]);
    expect(local.version).toMatch(new RegExp(`^${cal.version.replace(/[.]/g, '\\.')}\\+local\\.[0-9a-f]{8}$`));
    expect(isWorkingDay('2026-03-05', local)).toBe(false);
    expect(addWorkingDays('2026-03-02', 7, 'including', local).date).toBe('2026-03-11');
    expect(buildCalendar([{ date: '2026-03-05', kind: 'off', reason: 'another wording' }]).version).toBe(local.version);
    expect(buildCalendar([{ date: '2026-03-05', kind: 'work', reason: '' }]).version).not.toBe(local.version);
    const saturday = buildCalendar([{ date: '2026-03-07', kind: 'work', reason: '补班' }]);
    expect(dayStatus('2026-03-07', saturday)).toMatchObject({ working: true, source: 'override', reason: '补班' });
    // An override decides its own date even in a year without a table.
    expect(isWorkingDay('2027-01-04', buildCalendar([{ date: '2027-01-04', kind: 'work', reason: 'x' }]))).toBe(true);
  });

  it('a deadline records its calendar version and knows when it needs recomputing', () => {
    const d = computeDeadline(cal, '2026-03-02', 7, 'including');
    expect(d).toEqual({
      from: '2026-03-02',
      add: 7,
      mode: 'including',
      date: '2026-03-10',
      endsAt: '2026-03-10T23:59:59.999+08:00',
      provisional: false,
      calendarVersion: cal.version,
    });
    expect(needsRecompute(d, cal)).toBe(false);
    const local = buildCalendar([{ date: '2026-03-05', kind: 'off', reason: 'x' }]);
    expect(needsRecompute(d, local)).toBe(true);
    expect(recomputeDeadline(d, local)).toMatchObject({ moved: true, deadline: { date: '2026-03-11', calendarVersion: local.version } });
    const p = computeDeadline(cal, '2026-12-28', 5, 'after', { provisional: true });
    expect(p).toMatchObject({ date: '2027-01-05', provisional: true });
  });
});

describe('properties', () => {
  const start = dayNumber('2024-01-01');
  const end = dayNumber('2026-09-15'); // + 60 working days stays inside the table
  const date = fc.integer({ min: start, max: end }).map(fromDayNumber);
  const provisionalDate = fc.integer({ min: dayNumber('2026-01-01'), max: dayNumber('2035-09-01') }).map(fromDayNumber);
  const n = fc.integer({ min: 1, max: 60 });
  const mode = fc.constantFrom<WorkdayMode>('after', 'including');

  it('the result is a working day, after `from` in after mode and on or after it in including mode', () => {
    fc.assert(
      fc.property(date, n, mode, (from, k, m) => {
        const r = add(from, k, m);
        expect(isWorkingDay(r, cal)).toBe(true);
        if (m === 'after') expect(r > from).toBe(true);
        else expect(r >= from).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the same holds for provisional results, which say so exactly when they reach past 2026', () => {
    fc.assert(
      fc.property(provisionalDate, n, mode, (from, k, m) => {
        const r = addWorkingDays(from, k, m, cal, { provisional: true });
        expect(isWorkingDay(r.date, cal, { provisional: true })).toBe(true);
        expect(r.date >= from).toBe(true);
        expect(r.provisional).toBe(r.date >= '2027-01-01');
      }),
      { numRuns: 200 },
    );
  });

  it('adding 1 N times agrees with adding N (after mode)', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 30 }), (from, k) => {
        let d = from;
        for (let i = 0; i < k; i++) d = add(d, 1, 'after');
        expect(d).toBe(add(from, k, 'after'));
      }),
      { numRuns: 200 },
    );
  });

  it('counting back agrees: between after-mode results, left for including-mode results', () => {
    fc.assert(
      fc.property(date, n, (from, k) => {
        expect(workingDaysBetween(from, add(from, k, 'after'), cal)).toBe(k);
        expect(workingDaysLeft(from, add(from, k, 'including'), cal)).toBe(k);
      }),
      { numRuns: 200 },
    );
  });

  it('including mode is after mode from the previous day', () => {
    fc.assert(
      fc.property(date, n, (from, k) => {
        expect(add(from, k, 'including')).toBe(add(addDays(from, -1), k, 'after'));
      }),
      { numRuns: 200 },
    );
  });
});
