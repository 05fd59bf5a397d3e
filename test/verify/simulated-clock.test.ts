// simulated-clock: a log written on a demonstration's clock is judged on that clock, with a warning; a clock
// declared after the cycle's entries fails (it could otherwise move "now" to hide a late result); --as-of
// still judges as of the date given.
import { afterEach, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { publishedNotice, setup, submitObjection } from '../notices/support.js';
import { logSimulatedClock } from '../../src/calendar/simulated-clock.js';
import { verifierKeyOf } from '../../src/log/index.js';
import { parseBundle, verifyBundle } from '../../src/verify/index.js';

// The demonstration's clock reads 2026-03-02 while real time is 2026-12-07: 280 days behind.
const SIMULATED = new Date('2026-03-02T02:00:00Z');
const REAL = new Date('2026-12-07T02:00:00Z');
const OFFSET = SIMULATED.getTime() - REAL.getTime();

describeEachDb('a log written on a simulated clock', (kind) => {
  let t: TestDb;
  afterEach(async () => t?.close());

  const cycleWithPendingObjection = async (h: TestApp) => {
    const { staff, supervisor } = await setup(h);
    const notice = await publishedNotice(h, staff);
    expect((await submitObjection(h, notice.id)).status).toBe(201); // due 5 working days later, no result yet
    return supervisor;
  };
  const verify = async (h: TestApp, supervisor: string, opts: { asOf?: Date } = {}) => {
    const res = await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${supervisor}` } });
    const report = verifyBundle(parseBundle(await res.json()), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), now: REAL, ...opts });
    return { report, status: (id: string) => report.checks.find((c) => c.id === id)?.status };
  };

  it('declared first: judged on its clock, with a warning; --as-of still rules', async () => {
    t = await openTestDb(kind);
    const h = testApp(t, { now: SIMULATED.toISOString(), config: { LOG_CHECKPOINT_INTERVAL_MS: 0, OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    await logSimulatedClock(h.deps.db, { now: () => SIMULATED, offsetMs: OFFSET }, REAL);
    const supervisor = await cycleWithPendingObjection(h);
    const judged = await verify(h, supervisor);
    expect(judged.status('simulated-clock')).toBe('warn');
    expect(judged.status('objection-results')).toBe('pass');
    expect(judged.report.asOf).toBe(SIMULATED.toISOString());
    const late = await verify(h, supervisor, { asOf: REAL });
    expect(late.status('objection-results')).toBe('fail');
  });

  it('declared after the cycle’s entries: fails, and the real time is not moved back for nothing', async () => {
    t = await openTestDb(kind);
    const h = testApp(t, { now: SIMULATED.toISOString(), config: { LOG_CHECKPOINT_INTERVAL_MS: 0, OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    const supervisor = await cycleWithPendingObjection(h);
    const honest = await verify(h, supervisor);
    expect(honest.status('simulated-clock')).toBe('pass');
    expect(honest.status('objection-results')).toBe('fail'); // overdue on real time
    await logSimulatedClock(h.deps.db, { now: () => SIMULATED, offsetMs: OFFSET }, REAL);
    const moved = await verify(h, supervisor);
    expect(moved.status('simulated-clock')).toBe('fail');
    expect(moved.report.ok).toBe(false);
  });
});
