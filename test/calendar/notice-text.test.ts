// The State Council notices' texts parse to exactly the bundled tables; malformed texts are refused.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHolidayNotice, NoticeTextError } from '../../src/calendar/notice-text.js';
import { OFFICIAL_YEARS } from '../../src/calendar/table.js';

const noticeText = (year: number) => readFileSync(new URL(`./notices/${year}.txt`, import.meta.url), 'utf8');

describe('parseHolidayNotice', () => {
  for (const official of OFFICIAL_YEARS) {
    it(`${official.notice.title} gives exactly the bundled ${official.year} table`, () => {
      const parsed = parseHolidayNotice(noticeText(official.year), official.notice.url);
      // Plain JSON comparison: the same keys (statedDays only where the notice states a total), order and values.
      expect(JSON.parse(JSON.stringify(parsed))).toEqual(JSON.parse(JSON.stringify(official)));
    });
  }

  it('reads full-width digits, CRLF and a date carrying its year', () => {
    const text = noticeText(2026).replace(/\n/g, '\r\n').replace('一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。', '一、元旦：２０２５年１２月３１日至２０２６年１月３日放假调休，共4天。1月4日（周日）上班。');
    const y = parseHolidayNotice(text, 'https://www.gov.cn/');
    expect(y.arrangements[0]).toMatchObject({ off: ['2025-12-31', '2026-01-03'], statedDays: 4, work: ['2026-01-04'] });
  });

  const refuses: [string, (t: string) => string, RegExp][] = [
    ['a stated total that does not match the span', (t) => t.replace('放假调休，共9天', '放假调休，共8天'), /states 8 days/],
    ['a missing item number', (t) => t.replace('三、清明节', '四、清明节'), /item 四 where 三/],
    ['a date that does not exist', (t) => t.replace('2月28日（周六）上班', '2月30日（周六）上班'), /working day/],
    ['no title', (t) => t.replace('国务院办公厅关于2026年部分节假日安排的通知', '关于放假的通知'), /no title/],
    ['no 文号', (t) => t.replace('国办发明电〔2025〕7号', ''), /document number/],
    ['no 落款 date', (t) => t.replace(/2025年11月4日\s*$/, ''), /落款/],
    ['an unknown clause', (t) => t.replace('至21日（周日）放假，共3天。', '至21日（周日）放假，另行通知。'), /unexpected/],
    ['a day both off and worked', (t) => t.replace('5月9日（周六）上班', '5月3日（周日）上班'), /both off/],
  ];
  for (const [what, edit, message] of refuses) {
    it(`refuses ${what}`, () => {
      const text = edit(noticeText(2026));
      expect(text).not.toBe(noticeText(2026));
      expect(() => parseHolidayNotice(text, 'https://www.gov.cn/')).toThrow(NoticeTextError);
      expect(() => parseHolidayNotice(text, 'https://www.gov.cn/')).toThrow(message);
    });
  }
});
