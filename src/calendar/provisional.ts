// The statutory public holidays of a year, for provisional computations (see festivals.ts for why).
import { addDays, type IsoDate } from './dates.js';
import { PROVISIONAL_FESTIVALS, type FestivalDates } from './festivals.js';

/** Years for which a provisional calendar can be computed. */
export const PROVISIONAL_YEARS: readonly number[] = Object.keys(PROVISIONAL_FESTIVALS).map(Number);

/**
 * 全国年节及纪念日放假办法(2024年修订) 第二条 — holidays for all citizens (全体公民放假的节日):
 * 元旦 1 day (1月1日); 春节 4 days (农历除夕、正月初一至初三); 清明节 1 day (清明当日);
 * 劳动节 2 days (5月1日、2日); 端午节 1 day (农历端午当日); 中秋节 1 day (农历中秋当日);
 * 国庆节 3 days (10月1日至3日). Returns date → holiday name, or undefined outside PROVISIONAL_YEARS.
 */
export function statutoryHolidays(year: number): ReadonlyMap<IsoDate, string> | undefined {
  const f = PROVISIONAL_FESTIVALS[year];
  return f ? statutoryHolidaysFrom(year, f) : undefined;
}

/** The 第二条 rule applied to a year's festival dates (tests apply it to published years too). */
export function statutoryHolidaysFrom(year: number, f: FestivalDates): ReadonlyMap<IsoDate, string> {
  const days = new Map<IsoDate, string>();
  const span = (first: IsoDate, count: number, name: string) => {
    for (let i = 0; i < count; i++) {
      const d = addDays(first, i);
      // 中秋 can fall on 10月1日–3日 (e.g. 2031): the day is off either way; keep both names.
      days.set(d, days.has(d) ? `${days.get(d)}、${name}` : name);
    }
  };
  span(`${year}-01-01`, 1, '元旦');
  span(addDays(f.springFestival, -1), 4, '春节');
  span(f.qingming, 1, '清明节');
  span(`${year}-05-01`, 2, '劳动节');
  span(f.dragonBoat, 1, '端午节');
  // 国庆 before 中秋, so a shared day reads "国庆节、中秋节" as the notices name it.
  span(`${year}-10-01`, 3, '国庆节');
  span(f.midAutumn, 1, '中秋节');
  return days;
}
