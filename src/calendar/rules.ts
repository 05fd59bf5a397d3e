// The periods of the award's regulation that are counted in working days. Each lives here once, with
// its clause; how the start day is counted is configuration (NOTICE_WINDOW_MODE, OBJECTION_DUE_MODE).
import type { IsoDate } from './dates.js';
import { computeDeadline, type Calendar, type CalendarOptions, type Deadline, type WorkdayMode } from './workdays.js';

/** 三(三)7: each list is announced to the public (社会公示) for 7 working days. */
export const PUBLICITY_WORKING_DAYS = 7;

/** 三(三)7: an objection is verified, and the result published, within 5 working days of receiving the materials. */
export const OBJECTION_VERIFICATION_WORKING_DAYS = 5;

/** The 公示 window of a list published on `publishedOn` (config NOTICE_WINDOW_MODE, default 'including'). */
export function publicityWindow(cal: Calendar, publishedOn: IsoDate, mode: WorkdayMode, opts?: CalendarOptions): Deadline {
  return computeDeadline(cal, publishedOn, PUBLICITY_WORKING_DAYS, mode, opts);
}

/** When the verification of an objection received on `receivedOn` is due (config OBJECTION_DUE_MODE, default 'after'). */
export function objectionVerificationDue(cal: Calendar, receivedOn: IsoDate, mode: WorkdayMode, opts?: CalendarOptions): Deadline {
  return computeDeadline(cal, receivedOn, OBJECTION_VERIFICATION_WORKING_DAYS, mode, opts);
}
