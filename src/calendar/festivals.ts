// Provisional calendar for years whose State Council notice is not yet out: weekends plus the
// statutory public holidays of 全国年节及纪念日放假办法 (国务院令第795号, amended 2024-11-10, in force
// 2025-01-01), 第二条 (holidays for all citizens), with no 调休 and no 补假 (第六条) — those are only
// known once the notice is published. A deadline computed this way is marked provisional.
import type { IsoDate } from './dates.js';

/** Lunar festivals and the 清明 solar term, as Gregorian dates, for the years computed provisionally. */
export interface FestivalDates {
  /** 农历正月初一 */
  springFestival: IsoDate;
  /** 清明 (solar term) */
  qingming: IsoDate;
  /** 农历五月初五 */
  dragonBoat: IsoDate;
  /** 农历八月十五 */
  midAutumn: IsoDate;
}

/**
 * Derived once from the chinese-days package's lunar conversion and solar-term tables (a dev
 * dependency, not available at run time) and committed as data; re-checked against chinese-days by
 * test/calendar/workdays.test.ts. 2028 has a leap fifth month: 端午 is in the regular one.
 */
export const PROVISIONAL_FESTIVALS: Readonly<Record<number, FestivalDates>> = {
  2027: { springFestival: '2027-02-06', qingming: '2027-04-05', dragonBoat: '2027-06-09', midAutumn: '2027-09-15' },
  2028: { springFestival: '2028-01-26', qingming: '2028-04-04', dragonBoat: '2028-05-28', midAutumn: '2028-10-03' },
  2029: { springFestival: '2029-02-13', qingming: '2029-04-04', dragonBoat: '2029-06-16', midAutumn: '2029-09-22' },
  2030: { springFestival: '2030-02-03', qingming: '2030-04-05', dragonBoat: '2030-06-05', midAutumn: '2030-09-12' },
  2031: { springFestival: '2031-01-23', qingming: '2031-04-05', dragonBoat: '2031-06-24', midAutumn: '2031-10-01' },
  2032: { springFestival: '2032-02-11', qingming: '2032-04-04', dragonBoat: '2032-06-12', midAutumn: '2032-09-19' },
  2033: { springFestival: '2033-01-31', qingming: '2033-04-04', dragonBoat: '2033-06-01', midAutumn: '2033-09-08' },
  2034: { springFestival: '2034-02-19', qingming: '2034-04-05', dragonBoat: '2034-06-20', midAutumn: '2034-09-27' },
  2035: { springFestival: '2035-02-08', qingming: '2035-04-05', dragonBoat: '2035-06-10', midAutumn: '2035-09-16' },
};
