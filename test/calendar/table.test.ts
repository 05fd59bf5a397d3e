// The bundled State Council table, checked item by item and day by day against chinese-days.
import { describe, expect, it } from 'vitest';
import chineseDays from 'chinese-days';
import { addDays, dayNumber, isWeekend } from '../../src/calendar/dates.js';
import { OFFICIAL_YEARS, officialDays, TABLE_VERSION } from '../../src/calendar/table.js';
import { isWorkingDay, officialCalendar } from '../../src/calendar/workdays.js';

describe('the bundled table', () => {
  it('covers every year from 2024 through 2026, in order, each with its notice', () => {
    expect(OFFICIAL_YEARS.map((y) => y.year)).toEqual([2024, 2025, 2026]);
    for (const y of OFFICIAL_YEARS) {
      expect(y.notice.number).toMatch(/^国办发明电〔\d{4}〕\d+号$/);
      expect(y.notice.title).toBe(`国务院办公厅关于${y.year}年部分节假日安排的通知`);
      expect(y.notice.url).toMatch(/^https:\/\/www\.gov\.cn\/zhengce\/content\/\d{6}\/content_\d+\.htm$/);
      // Published in the autumn of the year before, under that year's document number.
      expect(y.notice.published.slice(0, 4)).toBe(String(y.year - 1));
      expect(y.notice.number).toContain(`〔${y.year - 1}〕`);
    }
    expect(OFFICIAL_YEARS.map((y) => [y.notice.number, y.notice.published])).toEqual([
      ['国办发明电〔2023〕7号', '2023-10-25'],
      ['国办发明电〔2024〕12号', '2024-11-12'],
      ['国办发明电〔2025〕7号', '2025-11-04'],
    ]);
  });

  it('has each span as long as the notice says (共N天), and make-up days on weekends outside any span', () => {
    for (const y of OFFICIAL_YEARS) {
      for (const a of y.arrangements) {
        expect(a.off[0] <= a.off[1]).toBe(true);
        const length = dayNumber(a.off[1]) - dayNumber(a.off[0]) + 1;
        if (a.statedDays !== undefined) expect(length, `${y.year} ${a.holiday}`).toBe(a.statedDays);
        for (const d of [...a.off, ...a.work]) expect(d.startsWith(`${y.year}-`)).toBe(true);
        for (const w of a.work) {
          expect(isWeekend(w), `${w} is a weekend day`).toBe(true);
          expect(w < a.off[0] || w > a.off[1]).toBe(true);
        }
      }
      const dates = officialDays(y).map((d) => d.date);
      expect(new Set(dates).size).toBe(dates.length);
    }
  });

  it('agrees with chinese-days on every single day of every covered year', () => {
    for (const { year } of OFFICIAL_YEARS) {
      const mismatches: string[] = [];
      for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
        if (isWorkingDay(d, officialCalendar) !== chineseDays.isWorkday(d)) mismatches.push(d);
      }
      expect(mismatches, `mismatches in ${year}`).toEqual([]);
    }
  });

  it('reflects the 2024 amendment from 2025 on: 除夕 is a day off, 劳动节 has 5 days', () => {
    // 2024: 除夕 (2月9日, a Friday) was a working day — the notice only encouraged employers to let staff rest.
    expect(isWorkingDay('2024-02-09', officialCalendar)).toBe(true);
    expect(isWorkingDay('2024-02-10', officialCalendar)).toBe(false);
    // 2025: 除夕 is 1月28日, the first day off; 2026: 除夕 is 2月16日, inside the 9-day span.
    expect(isWorkingDay('2025-01-28', officialCalendar)).toBe(false);
    expect(isWorkingDay('2025-01-27', officialCalendar)).toBe(true);
    expect(isWorkingDay('2026-02-16', officialCalendar)).toBe(false);
    const spring = (year: number) => OFFICIAL_YEARS.find((y) => y.year === year)!.arrangements.find((a) => a.holiday === '春节')!;
    expect(spring(2024).statedDays).toBe(8);
    expect(spring(2025).statedDays).toBe(8);
    expect(spring(2026).statedDays).toBe(9);
  });

  it('has a version naming the years and hashing the content', () => {
    expect(TABLE_VERSION).toMatch(/^cn-2024\.2025\.2026@[0-9a-f]{8}$/);
    expect(officialCalendar.version).toBe(TABLE_VERSION);
  });
});
