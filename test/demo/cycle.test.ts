import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { fetchOf, staffAndSupervisor } from '../support/actors.js';
import { runDemoCycle, type DemoCycle } from '../../src/demo/cycle.js';
import { ballotCounted, call } from '../../src/protocol/tablet.js';

describe('a whole award cycle through the HTTP API (the demo)', () => {
  let t: TestDb;
  let h: TestApp;
  let demo: DemoCycle;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    h = testApp(t, { now: '2026-03-02T01:00:00Z' });
    const { staff } = await staffAndSupervisor(h);
    demo = await runDemoCycle(fetchOf(h), { staffToken: staff });
  }, 120_000);
  afterAll(async () => t.close());

  it('elects winners, publishes every list, and each member finds their secret ballot counted', async () => {
    const f = fetchOf(h);
    const bulletin = await call<{ ballots: { token: string; signature: string; choices: Record<string, 'for' | 'against' | 'abstain'> }[]; result: { winners: string[] } }>(
      f,
      `/api/v1/ballots/${demo.ballots.quality}/bulletin`,
    );
    expect(bulletin.ballots).toHaveLength(6);
    for (const r of demo.receipts) expect(ballotCounted(bulletin, r)).toBe(true);
    expect(bulletin.result.winners).toEqual(['c01', 'c02']);
    const winners = await call<{ organisations: { name: string; award?: string }[]; logIndex: number }>(f, `/api/v1/notices/${demo.notices.initialWinners}`);
    expect(winners.organisations.map((o) => o.award)).toEqual(expect.arrayContaining(['quality', 'innovation', 'excellence']));
    const status = await call<{ status: string }>(f, '/api/v1/objections/status', { method: 'POST', json: { trackingNo: demo.objection.trackingNo, accessCode: demo.objection.accessCode } });
    expect(status.status).toBe('result-published');
  });
});
