import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { staffAndSupervisor } from '../support/actors.js';

describeEachDb('staff calendar overrides', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let supervisor: string;
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    ({ staff, supervisor } = await staffAndSupervisor(h));
  });
  afterAll(async () => t.close());

  const workdays = async () => (await (await h.request('/api/v1/calendar/workdays?from=2026-03-02&add=5&mode=after')).json()) as { date: string; calendarVersion: string };
  const post = (token: string | null, body: unknown) =>
    h.request('/api/v1/calendar/overrides', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('a local day off moves deadlines and changes the calendar version; removing it restores both', async () => {
    const before = await workdays();
    expect(before.date).toBe('2026-03-09'); // Mon 03-02 + 5 working days (after)
    expect((await post(null, { date: '2026-03-04', kind: 'off', reason: '杭州市调休' })).status).toBe(401);
    expect((await post(supervisor, { date: '2026-03-04', kind: 'off', reason: '杭州市调休' })).status).toBe(403);
    expect((await post(staff, { date: '2026-02-30', kind: 'off', reason: 'x' })).status).toBe(400);
    const added = await post(staff, { date: '2026-03-04', kind: 'off', reason: '杭州市调休' });
    expect(added.status).toBe(201);
    expect((await post(staff, { date: '2026-03-04', kind: 'work', reason: 'again' })).status).toBe(409);
    const after = await workdays();
    expect(after.date).toBe('2026-03-10');
    expect(after.calendarVersion).not.toBe(before.calendarVersion);
    const del = await h.request('/api/v1/calendar/overrides/2026-03-04', { method: 'DELETE', headers: { authorization: `Bearer ${staff}` } });
    expect(del.status).toBe(200);
    expect(await workdays()).toEqual(before);
  });
});
