/**
 * The calendar's log entry types, and the simulated clock a demonstration runs on: in the log with no
 * cycle, and part of every cycle's export and verification.
 */
export const CALENDAR_ENTRY_TYPES: readonly string[] = ['calendar-table', 'calendar-override', 'simulated-clock'];
