// The window's first day: the publication day before the cut-off on a working day, else the next
// working day, or a later day staff chose; the printed range always holds exactly 7 working days.
// The notice prints the 异议须知, the intake details and a 落款 in 年月日 form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { officialCalendar, workingDaysBetween } from '../../src/calendar/workdays.js';
import { addDays } from '../../src/calendar/dates.js';
import { computeWindow } from '../../src/notices/window.js';
import { api, draftNotice, publish, setup } from '../notices/support.js';
import { expectProblem } from '../support/problems.js';

const count = (start: string, end: string) => workingDaysBetween(addDays(start, -1), end, officialCalendar);

describe('computeWindow', () => {
  it('a list published at 23:59 on a Friday starts on the next working day (Monday)', () => {
    const w = computeWindow(officialCalendar, new Date('2026-03-06T15:59:01Z'), 'including'); // Fri 23:59:01 Beijing
    expect(w).toMatchObject({ start: '2026-03-09', end: '2026-03-17', mode: 'including' });
    expect(count(w.start, w.end)).toBe(7);
  });
  it('before the cut-off on a working day: the publication day is day 1; at the cut-off: the next working day', () => {
    expect(computeWindow(officialCalendar, new Date('2026-03-02T08:59:00Z'), 'including').start).toBe('2026-03-02'); // 16:59
    expect(computeWindow(officialCalendar, new Date('2026-03-02T09:00:00Z'), 'including').start).toBe('2026-03-03'); // 17:00
    expect(computeWindow(officialCalendar, new Date('2026-03-02T03:00:00Z'), 'including', '09:00').start).toBe('2026-03-03');
  });
  it('on a holiday: the next working day (国庆 2026: published 10-03, 10-08 first day)', () => {
    expect(computeWindow(officialCalendar, new Date('2026-10-03T02:00:00Z'), 'including').start).toBe('2026-10-08');
  });
  it('a chosen later first day; a chosen Saturday moves to Monday; an earlier choice is ignored', () => {
    const at = new Date('2026-03-02T02:00:00Z');
    expect(computeWindow(officialCalendar, at, 'including', '17:00', '2026-03-04')).toMatchObject({ start: '2026-03-04', chosenFirstDay: '2026-03-04' });
    expect(computeWindow(officialCalendar, at, 'including', '17:00', '2026-03-07').start).toBe('2026-03-09');
    expect(computeWindow(officialCalendar, at, 'including', '17:00', '2026-02-27').start).toBe('2026-03-02');
  });
  it('for every hour of two months, in either mode, the range holds exactly 7 working days and starts on or after publication', () => {
    for (let h = 0; h < 24 * 61; h += 5) {
      const at = new Date(Date.UTC(2026, 8, 15) + h * 3_600_000);
      for (const mode of ['including', 'after'] as const) {
        const w = computeWindow(officialCalendar, at, mode);
        expect(count(w.start, w.end), `${at.toISOString()} ${mode}`).toBe(7);
        expect(w.start >= new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(true);
      }
    }
  });
});

describe('a published list prints the 异议须知, the intake details and its 落款', () => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    h = testApp(t, { now: '2026-03-06T15:59:01Z' });
    ({ staff } = await setup(h));
  });
  afterAll(async () => t.close());

  it('refuses a list when the cycle has no intake details', async () => {
    const s = api(h, staff);
    await s('POST', '/api/v1/cycles', { id: '2027', name: '2027' });
    const d = await draftNotice(h, staff, { cycleId: '2027' });
    await expectProblem(await s('POST', `/api/v1/notices/${d.id}/publish`), 422, 'unprocessable');
  });

  it('prints them; the logged document carries them', async () => {
    const n = await publish(h, staff, (await draftNotice(h, staff)).id);
    expect(n.window).toMatchObject({ start: '2026-03-09', end: '2026-03-17' });
    expect(n.document).toMatchObject({ intake: { unit: '杭州市市场监督管理局质量发展处', postcode: '310000' }, signOff: { issuer: '杭州市市场监督管理局', date: '2026年3月6日' } });
    const html = await (await h.request(`/notices/${n.id}`)).text();
    for (const s of ['异议须知', '2026年3月9日至2026年3月17日，共7个工作日', '加盖本单位公章', '匿名异议和逾期提出的异议不予受理', '以寄出邮戳日期为准', '依法予以保密', '0571-00000000', '310000', '2026年3月6日']) expect(html).toContain(s);
  });
});
