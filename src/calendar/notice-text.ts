// Reading a State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) from its text, so
// staff can enter a new year's table without a code release: paste the notice, check the days the
// parser found (shown day by day), confirm, and the table becomes a public log entry (calendar/log.ts).
//
// The notices keep one standard wording, year after year:
//   title        国务院办公厅关于2026年部分节假日安排的通知
//   文号          国办发明电〔2025〕7号
//   items        一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
//                五、端午节：6月10日放假，与周末连休。
//                一、元旦：1月1日（周三）放假1天，不调休。
//   落款          国务院办公厅 / 2025年11月4日
// Dates inside an item are "M月D日", an end day without a month takes the start's month, and a date
// may carry its year ("2018年12月30日") when it lies outside the notice's year. Parentheses hold
// weekdays and lunar dates only and are dropped before reading. Anything the parser cannot read
// exactly is refused with the offending line, never guessed.
import { addDays, dayNumber, isIsoDate, type IsoDate } from './dates.js';
import type { Arrangement, OfficialYear } from './table.js';

const HOLIDAY_EN: Record<string, string> = {
  元旦: "New Year's Day",
  春节: 'Spring Festival',
  清明节: 'Qingming Festival',
  劳动节: 'Labour Day',
  端午节: 'Dragon Boat Festival',
  中秋节: 'Mid-Autumn Festival',
  国庆节: 'National Day',
};

const ITEM_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** What the parser could not read, in both languages, with the offending line (errors.ts makes it a 400). */
export class NoticeTextError extends Error {
  readonly zh: string;
  constructor(
    en: string,
    zh: string,
    readonly line?: string,
  ) {
    super(`The notice text cannot be read: ${en}`);
    this.zh = `无法识别通知文本：${zh}`;
    this.name = 'NoticeTextError';
  }
}

const toHalfWidth = (s: string) => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

/** "M月D日" (optionally "YYYY年M月D日", or "D日" after a start date) → ISO date. */
function readDate(text: string, year: number, monthOf?: IsoDate): IsoDate | null {
  const m = /^(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日$/.exec(text.trim());
  if (!m) return null;
  const y = m[1] ? Number(m[1]) : monthOf && !m[2] ? Number(monthOf.slice(0, 4)) : year;
  const mo = m[2] ? Number(m[2]) : monthOf ? Number(monthOf.slice(5, 7)) : NaN;
  if (!Number.isInteger(mo)) return null;
  const iso = `${y}-${String(mo).padStart(2, '0')}-${String(Number(m[3])).padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** Parses one item's text (after "一、元旦："), e.g. "1月1日至3日放假调休，共3天。1月4日上班。". */
function readItem(item: string, holiday: string, body: string, year: number, line: string): Arrangement {
  const sentences = body.split('。').map((s) => s.trim()).filter(Boolean);
  let off: [IsoDate, IsoDate] | null = null;
  let statedDays: number | undefined;
  const work: IsoDate[] = [];
  for (const sentence of sentences) {
    const clauses = sentence.split('，');
    if (/放假/.test(clauses[0]!) && !off) {
      const span = /^(.+?)放假(?:调休)?(?:(\d+)天)?$/.exec(clauses[0]!);
      if (!span) throw new NoticeTextError(`no dates before 放假 in item ${item}`, `第${item}项“放假”前没有日期`, line);
      const [a, b] = span[1]!.split('至');
      const start = readDate(a!, year);
      const end = b === undefined ? start : start ? readDate(b, year, start) : null;
      if (!start || !end || dayNumber(end) < dayNumber(start)) throw new NoticeTextError(`dates "${span[1]}" in item ${item}`, `第${item}项的日期“${span[1]}”`, line);
      off = [start, end];
      if (span[2]) statedDays = Number(span[2]);
      for (const c of clauses.slice(1)) {
        const total = /^共(\d+)天$/.exec(c);
        if (total) statedDays = Number(total[1]);
        else if (!/^(与周末连休|不调休)$/.test(c)) throw new NoticeTextError(`unexpected "${c}" in item ${item}`, `第${item}项中无法识别的“${c}”`, line);
      }
      continue;
    }
    if (/上班$/.test(sentence)) {
      for (const part of sentence.replace(/上班$/, '').split('、')) {
        const d = readDate(part, year);
        if (!d) throw new NoticeTextError(`working day "${part}" in item ${item}`, `第${item}项的上班日期“${part}”`, line);
        work.push(d);
      }
      continue;
    }
    // Exhortations (鼓励……休息) carry no date once parentheses are gone; a date here is unexpected.
    if (/\d+月\d+日/.test(sentence)) throw new NoticeTextError(`a sentence with a date that is neither 放假 nor 上班 in item ${item}`, `第${item}项含有既非“放假”也非“上班”的日期`, line);
  }
  if (!off) throw new NoticeTextError(`item ${item} has no days off`, `第${item}项没有放假日期`, line);
  const days = dayNumber(off[1]) - dayNumber(off[0]) + 1;
  if (statedDays !== undefined && statedDays !== days) {
    throw new NoticeTextError(`item ${item} states ${statedDays} days but ${off[0]}–${off[1]} holds ${days}`, `第${item}项写明共${statedDays}天，但${off[0]}至${off[1]}为${days}天`, line);
  }
  const holidayEn = holiday
    .split('、')
    .map((h) => HOLIDAY_EN[h])
    .filter(Boolean)
    .join(' and ');
  if (!holidayEn) throw new NoticeTextError(`unknown holiday "${holiday}"`, `无法识别的节日“${holiday}”`, line);
  for (const d of work) if (dayNumber(d) >= dayNumber(off[0]) && dayNumber(d) <= dayNumber(off[1])) {
    throw new NoticeTextError(`item ${item}: ${d} is both off and a working day`, `第${item}项：${d}既放假又上班`, line);
  }
  return { item, holiday, holidayEn, off, ...(statedDays !== undefined ? { statedDays } : {}), work };
}

/** Reads the notice's title, 文号, items and 落款 date; `url` is where staff found it (中国政府网). */
export function parseHolidayNotice(input: string, url: string): OfficialYear {
  const text = toHalfWidth(input.replace(/\r\n?/g, '\n')).replace(/[（(][^）)]*[）)]/g, '').replace(/[ \t\u3000]+/g, '');
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const title = lines.find((l) => /^国务院办公厅关于\d{4}年部分节假日安排的通知$/.test(l));
  if (!title) throw new NoticeTextError('no title "国务院办公厅关于YYYY年部分节假日安排的通知"', '未找到标题“国务院办公厅关于YYYY年部分节假日安排的通知”');
  const year = Number(/(\d{4})年/.exec(title)![1]);
  const number = lines.find((l) => /^国办发(?:明电)?〔\d{4}〕\d+号$/.test(l));
  if (!number) throw new NoticeTextError('no document number such as 国办发明电〔2025〕7号', '未找到文号（如 国办发明电〔2025〕7号）');
  const issuerAt = lines.lastIndexOf('国务院办公厅');
  const dateLine = issuerAt >= 0 ? lines[issuerAt + 1] : undefined;
  const dm = dateLine ? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(dateLine) : null;
  const published = dm ? `${dm[1]}-${dm[2]!.padStart(2, '0')}-${dm[3]!.padStart(2, '0')}` : '';
  if (!isIsoDate(published)) throw new NoticeTextError('no 落款 date after 国务院办公厅 at the end', '末尾“国务院办公厅”之后未找到成文日期');

  const arrangements: Arrangement[] = [];
  for (const line of lines) {
    const m = /^([一二三四五六七八九十])、([^：:]+)[：:](.+)$/.exec(line);
    if (!m) continue;
    const expected = ITEM_NUMERALS[arrangements.length];
    if (m[1] !== expected) throw new NoticeTextError(`item ${m[1]} where ${expected} was expected`, `应为第${expected}项，却是第${m[1]}项`, line);
    arrangements.push(readItem(m[1]!, m[2]!, m[3]!, year, line));
  }
  if (arrangements.length === 0) throw new NoticeTextError('no numbered items (一、元旦：…)', '未找到编号事项（一、元旦：……）');
  const seen = new Set<IsoDate>();
  for (const a of arrangements) {
    for (let d = a.off[0]; d <= a.off[1]; d = addDays(d, 1)) {
      if (seen.has(d)) throw new NoticeTextError(`${d} is listed twice`, `${d}重复列出`);
      seen.add(d);
    }
  }
  return { year, notice: { number, title, published, url }, arrangements };
}
