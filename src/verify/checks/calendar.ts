/**
 * The working-day calendar, as the verifier counts with it. Deadlines (公示 windows, objection
 * verification clocks, their logged corrections) are recomputed with the verifier's OWN State Council
 * table for every year it has; for a year it lacks, with the calendar-table entry of the log for that
 * year, and only when that entry was logged before the deadline. The server's bundled table is only
 * compared with the verifier's (calendar-table); the log's table entries are compared too
 * (calendar-log): a logged table that differs from the verifier's own for a year both have fails.
 *
 * Local overrides (days off or worked by local arrangement) count only as calendar-override entries of
 * the log made before the window or clock they affect (a withdrawal likewise); an override that lives
 * only in the bureau's database is never accepted. Every deadline names the calendar entries it used
 * (deadline-entries): exactly the logged table of each year its period touches and each override in
 * force inside the period, all logged before it.
 *
 *   calendar-table    the server's table (bundle) against its stated version and the verifier's own
 *   calendar-log      the log's table entries against the verifier's own; overrides and withdrawals coherent
 *   deadline-entries  each deadline names exactly the calendar entries in force for its period, all earlier
 * @module
 */
import { buildCalendar, type Calendar, type OverrideEntry } from '../../calendar/workdays.js';
import { OFFICIAL_YEARS, shortHash, TABLE_VERSION, type OfficialYear } from '../../calendar/table.js';
import type { BundleCalendar } from '../bundle.js';
import { sameJson } from '../canonical.js';
import type { Ledger } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

/** A logged State Council table: the year's arrangements and the index of the entry. */
export interface LoggedTable {
  index: number;
  table: OfficialYear;
  source: 'bundled' | 'entered';
}

/** A logged override (add) or its withdrawal. */
export interface LoggedOverrideChange {
  index: number;
  action: 'add' | 'withdraw';
  date: string;
  kind: 'off' | 'work';
  withdraws?: number | undefined;
}

/** The calendar entries of the log, in log order. */
export interface CalendarLog {
  tables: LoggedTable[];
  overrides: LoggedOverrideChange[];
}

export function readCalendarLog(ledger: Ledger): CalendarLog {
  return {
    tables: ledger.ofType('calendar-table').map((e) => ({ index: e.index, table: { year: e.doc.year, notice: e.doc.notice, arrangements: e.doc.arrangements }, source: e.doc.source })),
    overrides: ledger.ofType('calendar-override').map((e) => ({ index: e.index, action: e.doc.action, date: e.doc.date, kind: e.doc.kind, withdraws: e.doc.withdraws })),
  };
}

/** An override in force: its day and the index of the entry that added it. */
export interface LoggedOverride {
  date: string;
  kind: 'off' | 'work';
  logIndex: number;
}

export interface VerifierCalendars {
  /** The calendar to recompute a deadline logged at index `from`: only calendar entries logged before it count. */
  at(from: number): Calendar;
  /** The calendar entries a deadline logged at `from` for the period [start, end] must name. */
  entriesFor(from: number, start: string, end: string): { entries: number[]; missingYears: number[] };
  /** Overrides only in the bureau's database (never accepted): for messages. */
  readonly unloggedOverrides: readonly { date: string; kind: 'off' | 'work' }[];
}

const OWN = new Map(OFFICIAL_YEARS.map((y) => [y.year, y]));
const yearOf = (date: string) => Number(date.slice(0, 4));

/** The overrides in force just before log index `from`: adds and withdrawals applied in log order. */
function overridesBefore(log: CalendarLog, from: number): LoggedOverride[] {
  const byDate = new Map<string, LoggedOverride>();
  for (const o of log.overrides) {
    if (o.index >= from) break;
    if (o.action === 'add') byDate.set(o.date, { date: o.date, kind: o.kind, logIndex: o.index });
    else if (byDate.get(o.date)?.logIndex === o.withdraws) byDate.delete(o.date);
  }
  return [...byDate.values()];
}

/** The first logged table of `year` before log index `from`. */
const tableBefore = (log: CalendarLog, year: number, from: number) => log.tables.find((t) => t.table.year === year && t.index < from);

function isOfficialYear(value: unknown): value is OfficialYear {
  return typeof value === 'object' && value !== null && 'year' in value && Number.isSafeInteger(value.year);
}

/** The verifier's calendars over the log: its own tables, then logged tables for other years, then logged overrides. */
export function verifierCalendars(log: CalendarLog, bundleOverrides: readonly { date: string; kind: 'off' | 'work' }[]): VerifierCalendars {
  const cache = new Map<string, Calendar>();
  const at = (from: number): Calendar => {
    const extra = [...new Set(log.tables.map((t) => t.table.year))].filter((y) => !OWN.has(y)).map((y) => tableBefore(log, y, from)?.table).filter((t): t is OfficialYear => t !== undefined);
    const overrides: OverrideEntry[] = overridesBefore(log, from).map((o) => ({ date: o.date, kind: o.kind, reason: `log #${o.logIndex}` }));
    const key = JSON.stringify([extra.map((t) => t.year), overrides.map((o) => o.reason)]);
    let built = cache.get(key);
    if (!built) {
      built = buildCalendar(overrides, extra.length ? [...OFFICIAL_YEARS, ...extra].sort((a, b) => a.year - b.year) : OFFICIAL_YEARS);
      cache.set(key, built);
    }
    return built;
  };
  const entriesFor = (from: number, start: string, end: string) => {
    const entries: number[] = [];
    const missingYears: number[] = [];
    for (let y = yearOf(start); y <= yearOf(end); y++) {
      const logged = tableBefore(log, y, from);
      if (logged) entries.push(logged.index);
      // A year the verifier has must have been logged before a deadline used it; a year nobody has is provisional.
      else if (OWN.has(y)) missingYears.push(y);
    }
    for (const o of overridesBefore(log, from)) if (o.date >= start && o.date <= end) entries.push(o.logIndex);
    return { entries: entries.sort((a, b) => a - b), missingYears };
  };
  const inForce = overridesBefore(log, Number.MAX_SAFE_INTEGER);
  const unloggedOverrides = bundleOverrides.filter((o) => !inForce.some((l) => l.date === o.date && l.kind === o.kind)).map((o) => ({ date: o.date, kind: o.kind }));
  return { at, entriesFor, unloggedOverrides };
}

/** calendar-table: the server's table (in the bundle) against its version and against the verifier's own. */
export function checkCalendarTable(calendar: BundleCalendar, log: CalendarLog, out: Collector): VerifierCalendars {
  const fails: Text[] = [];
  const warn: Text[] = [];
  const serverYears = calendar.table.filter(isOfficialYear);
  if (serverYears.length !== calendar.table.length) fails.push(T('the table in the bundle is malformed', '数据包中的日历表格式错误'));
  let computed = '';
  try {
    computed = `cn-${serverYears.map((y) => y.year).join('.')}@${shortHash({ OFFICIAL_YEARS: serverYears, PROVISIONAL_FESTIVALS: calendar.provisionalFestivals })}`;
  } catch {
    computed = '';
  }
  if (computed !== calendar.tableVersion) fails.push(T(`the table in the bundle hashes to ${computed || '?'}, not its stated version ${calendar.tableVersion}`, `数据包中的日历表哈希为 ${computed || '？'}，而非所述版本 ${calendar.tableVersion}`));
  for (const year of serverYears) {
    const mine = OWN.get(year.year);
    if (!mine) warn.push(T(`year ${year.year} is not in this verifier's table (${TABLE_VERSION}): its deadlines are checked with the year's calendar-table entry of the log`, `本验证程序日历表（${TABLE_VERSION}）中没有 ${year.year} 年：该年期限按日志中该年的日历表条目核对`));
    else if (!sameJson(mine, year)) fails.push(T(`the server's table for ${year.year} differs from the State Council table this verifier carries`, `服务器 ${year.year} 年日历表与本验证程序所载国务院安排不同`));
  }
  const calendars = verifierCalendars(log, calendar.overrides);
  const unlogged = calendars.unloggedOverrides;
  if (unlogged.length)
    warn.push(T(`${unlogged.length} local override(s) only in the bureau's database (${unlogged.map((o) => `${o.date} ${o.kind}`).join(', ')}): not accepted for any deadline`, `${unlogged.length} 项本地调整仅存于主管部门数据库（${unlogged.map((o) => `${o.date} ${o.kind === 'off' ? '休息' : '上班'}`).join('、')}）：不用于任何期限`));
  out.add('calendar-table', null, fails, T(`State Council table ${TABLE_VERSION} (this verifier's) agrees with the server's ${calendar.tableVersion}`, `国务院安排 ${TABLE_VERSION}（本验证程序）与服务器 ${calendar.tableVersion} 一致`), {
    warn,
    remedy: T('overrides count only as calendar entries of the log made before the deadline they move; update the verifier for years it lacks', '本地调整须作为日历条目在其影响的期限开始前记入日志方予认可；缺少的年份请更新验证程序'),
  });
  return calendars;
}

/** calendar-log: the log's State Council tables agree with the verifier's own; overrides and withdrawals are coherent. */
export function checkCalendarLog(log: CalendarLog, out: Collector): void {
  const fails: Text[] = [];
  const info: Text[] = [];
  const firstOfYear = new Map<number, LoggedTable>();
  for (const t of log.tables) {
    const y = t.table.year;
    const mine = OWN.get(y);
    if (mine && !sameJson(mine, t.table)) fails.push(T(`table entry #${t.index} for ${y} differs from the State Council table this verifier carries (${mine.notice.number})`, `日历表条目 #${t.index}（${y} 年）与本验证程序所载国务院安排（${mine.notice.number}）不同`));
    const first = firstOfYear.get(y);
    if (first && !sameJson(first.table, t.table)) fails.push(T(`table entry #${t.index} for ${y} differs from the earlier entry #${first.index} for the same year`, `日历表条目 #${t.index}（${y} 年）与此前同年条目 #${first.index} 不同`));
    if (!first) firstOfYear.set(y, t);
    if (!mine) info.push(T(`${y}: table entered from ${t.table.notice.number} (#${t.index}), not in this verifier's table`, `${y} 年：按 ${t.table.notice.number} 录入（#${t.index}），本验证程序无该年安排`));
  }
  const inForce = new Map<string, number>();
  for (const o of log.overrides) {
    if (o.action === 'add') {
      const current = inForce.get(o.date);
      if (current !== undefined) fails.push(T(`override #${o.index} adds ${o.date}, which override #${current} already set`, `本地调整 #${o.index} 再次设定 ${o.date}（已由 #${current} 设定）`));
      inForce.set(o.date, o.index);
    } else if (o.withdraws === undefined || inForce.get(o.date) !== o.withdraws) {
      fails.push(T(`withdrawal #${o.index} of ${o.date} does not name the override in force for that day`, `撤销条目 #${o.index} 未指向 ${o.date} 当时有效的本地调整`));
    } else inForce.delete(o.date);
  }
  out.add('calendar-log', null, fails, T(`${log.tables.length} State Council table entr${log.tables.length === 1 ? 'y' : 'ies'} agree with this verifier's, ${log.overrides.length} override entr${log.overrides.length === 1 ? 'y' : 'ies'} coherent`, `${log.tables.length} 项国务院安排条目与本验证程序一致，${log.overrides.length} 项本地调整条目前后一致`), {
    info,
    skip: log.tables.length === 0 && log.overrides.length === 0 ? T('no calendar entries in the log', '日志中没有日历条目') : null,
  });
}

/** A deadline as logged: where, for which period, and the calendar entries it names. */
export interface LoggedDeadline {
  who: Text;
  index: number;
  start: string;
  end: string;
  named: readonly number[] | undefined;
}

/** deadline-entries: each deadline names exactly the calendar entries in force for its period, all logged before it. */
export function checkDeadlineEntries(ledger: Ledger, calendars: VerifierCalendars, deadlines: readonly LoggedDeadline[], out: Collector): void {
  const fails: Text[] = [];
  for (const d of deadlines) {
    const { who } = d;
    if (!d.named) {
      fails.push(T(`${who.en}: names no calendar entries`, `${who.zh}：未注明所用的日历条目`));
      continue;
    }
    for (const i of d.named) {
      const type = ledger.at(i)?.type;
      if (type !== 'calendar-table' && type !== 'calendar-override') fails.push(T(`${who.en}: names #${i}, which is not a calendar entry`, `${who.zh}：所注 #${i} 不是日历条目`));
      else if (i >= d.index) fails.push(T(`${who.en}: names calendar entry #${i}, logged after it`, `${who.zh}：所注日历条目 #${i} 晚于其记录`));
    }
    const { entries, missingYears } = calendars.entriesFor(d.index, d.start, d.end);
    for (const y of missingYears) fails.push(T(`${who.en}: the ${y} State Council table it counts with was not logged before it`, `${who.zh}：所用的 ${y} 年国务院安排未在其之前记入日志`));
    const named = [...new Set(d.named)].sort((a, b) => a - b);
    if (named.join(',') !== entries.join(','))
      fails.push(T(`${who.en}: names calendar entries [${named.join(', ')}], but the entries in force for ${d.start}–${d.end} are [${entries.join(', ')}]`, `${who.zh}：注明日历条目 [${named.join('、')}]，但 ${d.start} 至 ${d.end} 期间有效的条目为 [${entries.join('、')}]`));
  }
  out.add('deadline-entries', null, fails, T(`${deadlines.length} deadline(s) name the logged calendar entries they used`, `${deadlines.length} 个期限均注明所用的已记入日志的日历条目`), {
    skip: deadlines.length === 0 ? T('no deadlines', '没有期限') : null,
  });
}
