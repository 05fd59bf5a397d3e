/**
 * CSV for the archive (RFC 4180): comma-separated, CRLF line ends, a field quoted when it holds a
 * comma, a quote or a line break, a quote doubled inside quotes. UTF-8 with a byte-order mark, the
 * form in which the spreadsheet programs Chinese offices use open Chinese text correctly.
 * A cell that a spreadsheet would read as a formula (it starts with = + - @, a tab or a carriage
 * return) is prefixed with an apostrophe: the names in these files come from the public and from
 * objectors, and a file opened in the archive must not compute anything.
 * @module
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell as written. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The file: a header row, then the rows, each line ended by CRLF, after a UTF-8 byte-order mark. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  const line = (cells: readonly (string | number | boolean | null | undefined)[]) => cells.map(csvCell).join(',') + '\r\n';
  return '\uFEFF' + line(header) + rows.map(line).join('');
}

/** Content-Disposition for a download named in Chinese (RFC 6266 §4.3 with RFC 8187's filename*). */
export function attachment(filename: string, fallback: string): string {
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
