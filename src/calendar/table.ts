// The bundled table of China's public holidays and make-up working days (调休上班), one entry per year
// for which the State Council (国务院办公厅) has published its annual notice "关于YYYY年部分节假日安排的通知".
// Each arrangement is transcribed item by item from the notice (一、元旦 … 七、国庆节), with the total
// days it states (共N天) so a transcription slip fails a test. Cross-checked day by day against the
// chinese-days package in test/calendar/table.test.ts.
//
// Adding a year: when the notice for the next year appears on www.gov.cn (usually late Oct – mid Nov),
// add an entry below; the table version changes with the content, so stored deadlines computed
// provisionally for that year report needsRecompute().
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { addDays, type IsoDate } from './dates.js';
import { PROVISIONAL_FESTIVALS } from './festivals.js';

export interface StateCouncilNotice {
  /** 文号, e.g. 国办发明电〔2024〕12号 */
  number: string;
  title: string;
  /** Date of the notice (成文/发布日期), Beijing date. */
  published: IsoDate;
  /** The notice on the central government's website (中国政府网). */
  url: string;
}

/** One numbered item of a notice: a holiday span (放假调休) and the weekend days worked for it (上班). */
export interface Arrangement {
  /** The item's number in the notice, e.g. '二'. */
  item: string;
  holiday: string;
  holidayEn: string;
  /** First and last day off, inclusive, as printed ("X月X日至Y月Y日"). */
  off: readonly [IsoDate, IsoDate];
  /** The total the notice states (共N天), when it states one. */
  statedDays?: number;
  /** Make-up working days (调休上班), usually a Saturday or Sunday. */
  work: readonly IsoDate[];
}

export interface OfficialYear {
  year: number;
  notice: StateCouncilNotice;
  arrangements: readonly Arrangement[];
}

export const OFFICIAL_YEARS: readonly OfficialYear[] = [
  {
    year: 2024,
    notice: {
      number: '国办发明电〔2023〕7号',
      title: '国务院办公厅关于2024年部分节假日安排的通知',
      published: '2023-10-25',
      url: 'https://www.gov.cn/zhengce/content/202310/content_6911527.htm',
    },
    arrangements: [
      // "1月1日放假，与周末连休。"
      { item: '一', holiday: '元旦', holidayEn: "New Year's Day", off: ['2024-01-01', '2024-01-01'], work: [] },
      // 除夕 (2月9日, Friday) was not a day off in 2024: the notice only "encourages" employers to let
      // staff rest that day (鼓励……安排职工在除夕休息); for a legal period it is a working day.
      { item: '二', holiday: '春节', holidayEn: 'Spring Festival', off: ['2024-02-10', '2024-02-17'], statedDays: 8, work: ['2024-02-04', '2024-02-18'] },
      { item: '三', holiday: '清明节', holidayEn: 'Qingming Festival', off: ['2024-04-04', '2024-04-06'], statedDays: 3, work: ['2024-04-07'] },
      { item: '四', holiday: '劳动节', holidayEn: 'Labour Day', off: ['2024-05-01', '2024-05-05'], statedDays: 5, work: ['2024-04-28', '2024-05-11'] },
      // "6月10日放假，与周末连休。"
      { item: '五', holiday: '端午节', holidayEn: 'Dragon Boat Festival', off: ['2024-06-10', '2024-06-10'], work: [] },
      { item: '六', holiday: '中秋节', holidayEn: 'Mid-Autumn Festival', off: ['2024-09-15', '2024-09-17'], statedDays: 3, work: ['2024-09-14'] },
      { item: '七', holiday: '国庆节', holidayEn: 'National Day', off: ['2024-10-01', '2024-10-07'], statedDays: 7, work: ['2024-09-29', '2024-10-12'] },
    ],
  },
  {
    // First year under 全国年节及纪念日放假办法 as amended in November 2024: 除夕 becomes a public
    // holiday (春节 4 days) and 劳动节 gains 5月2日 (2 days).
    year: 2025,
    notice: {
      number: '国办发明电〔2024〕12号',
      title: '国务院办公厅关于2025年部分节假日安排的通知',
      published: '2024-11-12',
      url: 'https://www.gov.cn/zhengce/content/202411/content_6986382.htm',
    },
    arrangements: [
      // "1月1日（周三）放假1天，不调休。"
      { item: '一', holiday: '元旦', holidayEn: "New Year's Day", off: ['2025-01-01', '2025-01-01'], statedDays: 1, work: [] },
      { item: '二', holiday: '春节', holidayEn: 'Spring Festival', off: ['2025-01-28', '2025-02-04'], statedDays: 8, work: ['2025-01-26', '2025-02-08'] },
      { item: '三', holiday: '清明节', holidayEn: 'Qingming Festival', off: ['2025-04-04', '2025-04-06'], statedDays: 3, work: [] },
      { item: '四', holiday: '劳动节', holidayEn: 'Labour Day', off: ['2025-05-01', '2025-05-05'], statedDays: 5, work: ['2025-04-27'] },
      { item: '五', holiday: '端午节', holidayEn: 'Dragon Boat Festival', off: ['2025-05-31', '2025-06-02'], statedDays: 3, work: [] },
      { item: '六', holiday: '国庆节、中秋节', holidayEn: 'National Day and Mid-Autumn Festival', off: ['2025-10-01', '2025-10-08'], statedDays: 8, work: ['2025-09-28', '2025-10-11'] },
    ],
  },
  {
    year: 2026,
    notice: {
      number: '国办发明电〔2025〕7号',
      title: '国务院办公厅关于2026年部分节假日安排的通知',
      published: '2025-11-04',
      url: 'https://www.gov.cn/zhengce/content/202511/content_7047090.htm',
    },
    arrangements: [
      { item: '一', holiday: '元旦', holidayEn: "New Year's Day", off: ['2026-01-01', '2026-01-03'], statedDays: 3, work: ['2026-01-04'] },
      { item: '二', holiday: '春节', holidayEn: 'Spring Festival', off: ['2026-02-15', '2026-02-23'], statedDays: 9, work: ['2026-02-14', '2026-02-28'] },
      { item: '三', holiday: '清明节', holidayEn: 'Qingming Festival', off: ['2026-04-04', '2026-04-06'], statedDays: 3, work: [] },
      { item: '四', holiday: '劳动节', holidayEn: 'Labour Day', off: ['2026-05-01', '2026-05-05'], statedDays: 5, work: ['2026-05-09'] },
      { item: '五', holiday: '端午节', holidayEn: 'Dragon Boat Festival', off: ['2026-06-19', '2026-06-21'], statedDays: 3, work: [] },
      { item: '六', holiday: '中秋节', holidayEn: 'Mid-Autumn Festival', off: ['2026-09-25', '2026-09-27'], statedDays: 3, work: [] },
      { item: '七', holiday: '国庆节', holidayEn: 'National Day', off: ['2026-10-01', '2026-10-07'], statedDays: 7, work: ['2026-09-20', '2026-10-10'] },
    ],
  },
];

export interface OfficialDay {
  date: IsoDate;
  kind: 'off' | 'work';
  holiday: string;
  /** The notice's item and number, e.g. '二', '国办发明电〔2025〕7号'. */
  item: string;
  notice: string;
}

/** Every day off and make-up working day a year's notice lists, in date order. */
export function officialDays(y: OfficialYear): OfficialDay[] {
  const days: OfficialDay[] = [];
  const common = (a: Arrangement) => ({ holiday: a.holiday, item: a.item, notice: y.notice.number });
  for (const a of y.arrangements) {
    for (let d = a.off[0]; d <= a.off[1]; d = addDays(d, 1)) days.push({ date: d, kind: 'off', ...common(a) });
    for (const d of a.work) days.push({ date: d, kind: 'work', ...common(a) });
  }
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** First 8 hex digits of the SHA-256 of a value's JSON: enough to tell calendar versions apart. */
export function shortHash(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(value)))).slice(0, 8);
}

/**
 * The calendar version of the bundled data: the years covered and a hash of everything a computation
 * reads (the official table and the provisional festival dates), so any correction yields a new version.
 */
export const TABLE_VERSION = `cn-${OFFICIAL_YEARS.map((y) => y.year).join('.')}@${shortHash({ OFFICIAL_YEARS, PROVISIONAL_FESTIVALS })}`;
