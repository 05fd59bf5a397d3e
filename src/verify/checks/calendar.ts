/**
 * The working-day calendar, as the verifier counts with it. Deadlines (公示 windows, objection
 * verification clocks) are recomputed with the verifier's OWN State Council table for every year it
 * has; the server's table is used only for years the verifier lacks, and only if it hashes to its
 * stated version. A server table that differs from the verifier's for a year both have fails.
 *
 * Local overrides (days off or worked by local arrangement) are the bureau's own data: from its
 * database they are not accepted (they could be added, back-dated or deleted at will). An override
 * counts only when it is a calendar entry of the log made before the window or clock it affects; a
 * logged deadline that only an unlogged override explains fails.
 * @module
 */
import { buildCalendar, type Calendar, type OverrideEntry } from '../../calendar/workdays.js';
import { OFFICIAL_YEARS, shortHash, TABLE_VERSION, type OfficialYear } from '../../calendar/table.js';
import type { BundleCalendar } from '../bundle.js';
import { sameJson } from '../canonical.js';
import { T, type Collector, type Text } from './types.js';

/** A local override that is a log entry: the day, and the index of the entry that made it. */
export interface LoggedOverride {
  date: string;
  kind: 'off' | 'work';
  logIndex: number;
}

export interface VerifierCalendars {
  /** The calendar to recompute a deadline whose window or clock starts at log index `from`. */
  at(from: number): Calendar;
  /** Whether any override (logged or not) could change a computation: for messages. */
  readonly unloggedOverrides: readonly { date: string; kind: 'off' | 'work' }[];
}

function isOfficialYear(value: unknown): value is OfficialYear {
  return typeof value === 'object' && value !== null && 'year' in value && Number.isSafeInteger(value.year);
}

/** calendar-table: the server's table against its version and against the verifier's own. */
export function checkCalendarTable(calendar: BundleCalendar, loggedOverrides: readonly LoggedOverride[], out: Collector): VerifierCalendars {
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
  const tableVerified = computed === calendar.tableVersion;
  if (!tableVerified) fails.push(T(`the table in the bundle hashes to ${computed || '?'}, not its stated version ${calendar.tableVersion}`, `数据包中的日历表哈希为 ${computed || '?'},而非所述版本 ${calendar.tableVersion}`));
  const own = new Map(OFFICIAL_YEARS.map((y) => [y.year, y]));
  const extra: OfficialYear[] = [];
  for (const year of serverYears) {
    const mine = own.get(year.year);
    if (!mine) {
      extra.push(year);
      warn.push(T(`year ${year.year} is not in this verifier's table (${TABLE_VERSION}): its deadlines are checked with the server's table`, `本验证程序日历表(${TABLE_VERSION})中没有 ${year.year} 年:该年期限按服务器日历表核对`));
    } else if (!sameJson(mine, year)) fails.push(T(`the server's table for ${year.year} differs from the State Council table this verifier carries`, `服务器 ${year.year} 年日历表与本验证程序所载国务院安排不同`));
  }
  const table: OfficialYear[] = [...OFFICIAL_YEARS, ...(tableVerified ? extra : [])].sort((a, b) => a.year - b.year);
  const unlogged = calendar.overrides.filter((o) => !loggedOverrides.some((l) => l.date === o.date && l.kind === o.kind)).map((o) => ({ date: o.date, kind: o.kind }));
  if (unlogged.length)
    warn.push(T(`${unlogged.length} local override(s) only in the bureau's database (${unlogged.map((o) => `${o.date} ${o.kind}`).join(', ')}): not accepted for any deadline`, `${unlogged.length} 项本地调整仅存于主管部门数据库(${unlogged.map((o) => `${o.date} ${o.kind === 'off' ? '休息' : '上班'}`).join('、')}):不用于任何期限`));
  for (const o of loggedOverrides) if (!calendar.overrides.some((b) => b.date === o.date && b.kind === o.kind)) warn.push(T(`logged override ${o.date} ${o.kind} (#${o.logIndex}) is not in the server's current calendar`, `日志中的本地调整 ${o.date}(#${o.logIndex})不在服务器当前日历中`));
  const byIndex = [...loggedOverrides].sort((a, b) => a.logIndex - b.logIndex);
  const cache = new Map<number, Calendar>();
  const at = (from: number): Calendar => {
    const accepted: OverrideEntry[] = byIndex.filter((o) => o.logIndex < from).map((o) => ({ date: o.date, kind: o.kind, reason: `log #${o.logIndex}` }));
    const key = accepted.length;
    const hit = cache.get(key);
    if (hit) return hit;
    const built = buildCalendar(accepted, table);
    cache.set(key, built);
    return built;
  };
  out.add('calendar-table', null, fails, T(`State Council table ${TABLE_VERSION} (this verifier's) agrees with the server's ${calendar.tableVersion}`, `国务院安排 ${TABLE_VERSION}(本验证程序)与服务器 ${calendar.tableVersion} 一致`), {
    warn,
    remedy: T('overrides count only as calendar entries of the log made before the deadline they move; update the verifier for years it lacks', '本地调整须作为日历条目在其影响的期限开始前记入日志方予认可;缺少的年份请更新验证程序'),
  });
  return { at, unloggedOverrides: unlogged };
}
