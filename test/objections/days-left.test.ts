// The 5-working-day verification clock shows 5 working days left on the day an
// objection is received (the day of receipt is not one of them), and counts down from the next one.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { api, publishedNotice, setup, submitObjection, type NoticeJson } from '../notices/support.js';

describeEachDb('working days left on the verification clock', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  beforeAll(async () => {
    t = await openTestDb(kind);
    // Monday 2 March 2026, 10:00 Beijing time.
    h = testApp(t, { now: '2026-03-02T02:00:00Z' });
    ({ staff } = await setup(h));
  });
  afterAll(async () => t.close());

  it('5 on the day of receipt, 5 on the first day of the clock, then one fewer each working day', async () => {
    const notice: NoticeJson = await publishedNotice(h, staff);
    expect((await submitObjection(h, notice.id, { organisation: notice.organisations[0]!.name })).status).toBe(201);
    const left = async () => ((await (await api(h, staff)('GET', '/api/v1/objections?cycleId=2026')).json()) as { objections: { workingDaysLeft: number; dueDate: string }[] }).objections[0]!;
    expect(await left()).toEqual(expect.objectContaining({ workingDaysLeft: 5, dueDate: '2026-03-09' }));
    h.clock.set('2026-03-03T02:00:00Z'); // Tuesday: the clock's first day, still whole
    expect((await left()).workingDaysLeft).toBe(5);
    h.clock.set('2026-03-04T02:00:00Z'); // Wednesday
    expect((await left()).workingDaysLeft).toBe(4);
    h.clock.set('2026-03-09T02:00:00Z'); // Monday: the due date itself
    expect((await left()).workingDaysLeft).toBe(1);
  });
});
