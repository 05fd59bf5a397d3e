// The archive's CSV: RFC 4180 quoting, CRLF, a UTF-8 byte-order mark, and no cell a spreadsheet
// would compute.
import { describe, expect, it } from 'vitest';
import { attachment, csvCell, toCsv } from '../../src/export/csv.js';

describe('archive CSV', () => {
  it('quotes what must be quoted and doubles quotes', () => {
    expect(csvCell('甲公司')).toBe('甲公司');
    expect(csvCell('甲,乙')).toBe('"甲,乙"');
    expect(csvCell('他说"成立"')).toBe('"他说""成立"""');
    expect(csvCell('两行\n文字')).toBe('"两行\n文字"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });

  it('never leaves a cell a spreadsheet would read as a formula', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1']) {
      const cell = csvCell(evil);
      expect(cell.replace(/^"/, '')).toMatch(/^'/);
    }
    // Numbers are written as numbers, negative ones too.
    expect(csvCell(-3)).toBe('-3');
  });

  it('writes a BOM, a header and CRLF-ended rows', () => {
    const csv = toCsv(['序号', '组织名称'], [[1, '甲公司'], [2, '乙,集团']]);
    expect(csv).toBe('\uFEFF序号,组织名称\r\n1,甲公司\r\n2,"乙,集团"\r\n');
  });

  it('names the download in Chinese with an ASCII fallback', () => {
    expect(attachment('名单.csv', 'list.csv')).toBe(`attachment; filename="list.csv"; filename*=UTF-8''%E5%90%8D%E5%8D%95.csv`);
  });
});
