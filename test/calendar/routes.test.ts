import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { expectProblem } from '../support/problems.js';
import { testApp, type TestApp } from '../support/app.js';
import { addOverride, listOverrides, loadCalendar, removeOverride } from '../../src/calendar/queries.js';
import { TABLE_VERSION } from '../../src/calendar/table.js';

describeEachDb('calendar routes', (kind) => {
  let t: TestDb;
  let h: TestApp;
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
  });
  afterAll(async () => t.close());

  const workdays = (query: string) => h.request(`/api/v1/calendar/workdays?${query}`);

  it('GET /api/v1/calendar/workdays answers the deadline with its end in Beijing time and the version', async () => {
    const res = await workdays('from=2026-03-02&add=7&mode=including');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      from: '2026-03-02',
      add: 7,
      mode: 'including',
      date: '2026-03-10',
      endsAt: '2026-03-10T23:59:59.999+08:00',
      provisional: false,
      calendarVersion: TABLE_VERSION,
    });
    const after = (await (await workdays('from=2025-01-27&add=5&mode=after')).json()) as Record<string, unknown>;
    expect(after.date).toBe('2025-02-10');
  });

  it('a year without a table is a 422 calendar-year-unknown naming the year, unless provisional=allow', async () => {
    const body = await expectProblem(await workdays('from=2026-12-28&add=5&mode=after'), 422, 'calendar-year-unknown');
    expect(body.year).toBe(2027);
    expect(String(body.detail)).toContain('2027');
    const res = await workdays('from=2026-12-28&add=5&mode=after&provisional=allow');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ date: '2027-01-05', endsAt: '2027-01-05T23:59:59.999+08:00', provisional: true });
    await expectProblem(await workdays('from=2036-03-03&add=1&mode=after&provisional=allow'), 422, 'calendar-year-unknown');
  });

  it('bad input is a 400 invalid-request naming the field', async () => {
    const cases: [string, string][] = [
      ['from=2026-02-30&add=5&mode=after', 'from'],
      ['from=2026-3-2&add=5&mode=after', 'from'],
      ['from=yesterday&add=5&mode=after', 'from'],
      ['add=5&mode=after', 'from'],
      ['from=2026-03-02&add=0&mode=after', 'add'],
      ['from=2026-03-02&add=61&mode=after', 'add'],
      ['from=2026-03-02&add=-1&mode=after', 'add'],
      ['from=2026-03-02&add=1.5&mode=after', 'add'],
      ['from=2026-03-02&add=0x10&mode=after', 'add'],
      ['from=2026-03-02&add=&mode=after', 'add'],
      ['from=2026-03-02&mode=after', 'add'],
      ['from=2026-03-02&add=5&mode=before', 'mode'],
      ['from=2026-03-02&add=5', 'mode'],
      ['from=2026-03-02&add=5&mode=after&provisional=yes', 'provisional'],
    ];
    for (const [query, field] of cases) {
      const body = await expectProblem(await workdays(query), 400, 'invalid-request');
      expect(body.errors, query).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
    }
    const ok = await workdays('from=2026-03-02&add=60&mode=after');
    expect(ok.status).toBe(200);
  });

  it('GET /api/v1/calendar/days lists a year\'s days off and make-up days with their notice', async () => {
    const res = await h.request('/api/v1/calendar/days?year=2025');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { year: number; notice: Record<string, unknown>; days: Record<string, unknown>[] };
    expect(body.notice).toMatchObject({ number: '国办发明电〔2024〕12号', published: '2024-11-12', url: expect.stringMatching(/^https:\/\/www\.gov\.cn\//) });
    expect(body.days.filter((d) => d.kind === 'work').map((d) => d.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(body.days.filter((d) => d.kind === 'off')).toHaveLength(28);
    expect(body.days[0]).toEqual({ date: '2025-01-01', kind: 'off', holiday: '元旦', item: '一', notice: '国办发明电〔2024〕12号' });
    await expectProblem(await h.request('/api/v1/calendar/days?year=2027'), 422, 'calendar-year-unknown');
    await expectProblem(await h.request('/api/v1/calendar/days?year=20x6'), 400, 'invalid-request');
  });

  it('local overrides change results and the version; GET /api/v1/calendar lists them without who added them', async () => {
    const before = (await (await h.request('/api/v1/calendar')).json()) as Record<string, unknown>;
    expect(before).toMatchObject({ version: TABLE_VERSION, tableVersion: TABLE_VERSION, years: [2024, 2025, 2026], overrides: [] });
    expect((before.sources as unknown[]).length).toBe(3);

    const added = await addOverride(t.db, { date: '2026-03-05', kind: 'off', reason: '杭州市本地调整(测试)', createdBy: 'staff@example.org' });
    expect(added).toMatchObject({ date: '2026-03-05', kind: 'off', createdBy: 'staff@example.org' });
    await expect(addOverride(t.db, { date: '2026-03-05', kind: 'work', reason: 'again', createdBy: 'x' })).rejects.toMatchObject({ status: 409 });
    await expect(addOverride(t.db, { date: '2026-02-30', kind: 'off', reason: 'x', createdBy: 'x' })).rejects.toMatchObject({ status: 400 });
    expect(await listOverrides(t.db)).toHaveLength(1);

    const res = (await (await workdays('from=2026-03-02&add=7&mode=including')).json()) as Record<string, unknown>;
    expect(res.date).toBe('2026-03-11');
    expect(res.calendarVersion).not.toBe(TABLE_VERSION);
    expect(res.calendarVersion).toBe((await loadCalendar(t.db)).version);
    expect(String(res.calendarVersion)).toMatch(/\+local\.[0-9a-f]{8}$/);

    const info = (await (await h.request('/api/v1/calendar')).json()) as { version: string; overrides: Record<string, unknown>[] };
    expect(info.version).toBe(res.calendarVersion);
    expect(info.overrides).toEqual([{ date: '2026-03-05', kind: 'off', reason: '杭州市本地调整(测试)', createdAt: expect.any(String) }]);
    expect(JSON.stringify(info)).not.toContain('staff@example.org');
    const days = (await (await h.request('/api/v1/calendar/days?year=2026')).json()) as { overrides: unknown[] };
    expect(days.overrides).toEqual([{ date: '2026-03-05', kind: 'off', reason: '杭州市本地调整(测试)' }]);

    // A make-up working day on a Saturday.
    await addOverride(t.db, { date: '2026-03-07', kind: 'work', reason: '补班(测试)', createdBy: 'staff@example.org' });
    const sat = (await (await workdays('from=2026-03-06&add=1&mode=after')).json()) as Record<string, unknown>;
    expect(sat.date).toBe('2026-03-07');
    expect(sat.calendarVersion).not.toBe(res.calendarVersion);

    expect(await removeOverride(t.db, '2026-03-05')).toBe(true);
    expect(await removeOverride(t.db, '2026-03-07')).toBe(true);
    expect(await removeOverride(t.db, '2026-03-07')).toBe(false);
    const reverted = (await (await workdays('from=2026-03-02&add=7&mode=including')).json()) as Record<string, unknown>;
    expect(reverted).toMatchObject({ date: '2026-03-10', calendarVersion: TABLE_VERSION });
  });

  it('is described in /api/openapi.json', async () => {
    const doc = (await (await h.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/calendar/workdays', '/api/v1/calendar/days', '/api/v1/calendar']) expect(Object.keys(doc.paths)).toContain(p);
  });
});
