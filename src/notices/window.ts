// A notice's objection window (三(三)7: 7 working days): counted on the calendar when the notice is
// published, read back from its row, and whether it is open at a given instant.
import type { loadCalendar } from '../calendar/queries.js';
import { publicityWindow } from '../calendar/rules.js';
import { beijingDate, beijingIso, endOfDayInstant } from '../calendar/dates.js';
import { addWorkingDays, isWorkingDay } from '../calendar/workdays.js';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import { NOTICE_WINDOW_WORKING_DAYS, type NoticeWindow } from './model.js';
import type { NoticeRow } from './rows.js';

/**
 * The objection window of a list published at `publishedAt`. Day 1 is the publication day when
 * `mode` is 'including', it is a working day and publication is before the cut-off (NOTICE_CUTOFF,
 * Beijing time); otherwise the next working day. Staff may choose a later first day (`chosen`; a
 * non-working day moves to the next working day). The window then holds exactly 7 working days from
 * its first day, both printed: "公示时间：X月X日至Y月Y日（共7个工作日）". Throws 422 for a year without a table.
 */
export function computeWindow(
  cal: Awaited<ReturnType<typeof loadCalendar>>,
  publishedAt: Date,
  mode: 'after' | 'including',
  cutoff = '17:00',
  chosen?: string | null,
): NoticeWindow {
  const publishedOn = beijingDate(publishedAt);
  const timeOfDay = beijingIso(publishedAt).slice(11, 16);
  const sameDay = mode === 'including' && timeOfDay < cutoff && isWorkingDay(publishedOn, cal);
  const earliest = sameDay ? publishedOn : addWorkingDays(publishedOn, 1, 'after', cal).date;
  const start = chosen && chosen > earliest ? addWorkingDays(chosen, 1, 'including', cal).date : earliest;
  const d = publicityWindow(cal, start, 'including');
  return {
    start,
    end: d.date,
    mode: 'including',
    closesAt: d.endsAt,
    workingDays: NOTICE_WINDOW_WORKING_DAYS,
    calendarVersion: d.calendarVersion,
    ...(chosen && chosen > earliest ? { chosenFirstDay: chosen } : {}),
  };
}

export function windowOf(row: NoticeRow): NoticeWindow | null {
  if (!row.window_start || !row.window_end || !row.window_mode || !row.window_closes_at) return null;
  const doc = row.document ? parseJsonColumn(NoticeDocumentSchema, row.document, 'notice.document') : null;
  if (doc?.window) return doc.window;
  return {
    start: row.window_start,
    end: row.window_end,
    mode: row.window_mode,
    closesAt: endOfDayInstant(row.window_end).iso,
    workingDays: NOTICE_WINDOW_WORKING_DAYS,
    calendarVersion: row.calendar_version ?? '',
  };
}

/** Whether objections are accepted at `now`: published, with a window, not yet past its last millisecond. */
export function isOpen(row: NoticeRow, now: Date): boolean {
  return (
    row.status === 'published' &&
    row.published_at !== null &&
    row.window_closes_at !== null &&
    now.getTime() >= row.published_at.getTime() &&
    now.getTime() <= row.window_closes_at.getTime()
  );
}
