import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { fetchOf, staffAndSupervisor } from '../support/actors.js';
import { runDemoCycle, type DemoCycle } from '../../src/demo/cycle.js';
import { ballotCounted, call } from '../../src/protocol/tablet.js';
import { verifierKeyOf } from '../../src/log/index.js';
import { formatReport, parseBundle, verifyBundle } from '../../src/verify/index.js';

describe('a whole award cycle through the HTTP API (the demo)', () => {
  let t: TestDb;
  let h: TestApp;
  let demo: DemoCycle;
  let supervisorToken: string;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    h = testApp(t, { now: '2026-03-02T01:00:00Z', config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } }); // every write checkpointed: the export covers the whole cycle
    const { staff, supervisor } = await staffAndSupervisor(h);
    supervisorToken = supervisor;
    demo = await runDemoCycle(fetchOf(h), { staffToken: staff, supervisorToken: supervisor, advance: (iso) => h.clock.set(iso) });
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

  it('the supervisors’ verifier passes every check of the demo cycle (the two staff-recorded hands are notes)', async () => {
    const res = await h.request(`/api/v1/cycles/${demo.cycleId}/export`, { headers: { authorization: `Bearer ${supervisorToken}` } });
    expect(res.status).toBe(200);
    const report = verifyBundle(parseBundle(await res.json()), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), now: h.clock.now() });
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id), formatReport(report, 'en')).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'warn' && c.id === 'hands-staff-recorded')).toHaveLength(2);
    expect(report.checks.filter((c) => c.subject?.en.startsWith('ballot ')).length).toBeGreaterThan(20);
    // A register, the three lists staggered in time, each after the previous 公示, candidates from the 建议名单.
    for (const id of ['register-codes', 'list-sequence', 'ballot-candidates', 'initial-winners-derived'] as const) expect(report.checks.find((c) => c.id === id)?.status, id).toBe('pass');
    const f = fetchOf(h);
    const at = async (id: string) => (await call<{ publishedAt: string; window: { end: string } }>(f, `/api/v1/notices/${id}`));
    const [m, o, w] = [await at(demo.notices.materialReview), await at(demo.notices.onsiteReview), await at(demo.notices.initialWinners)];
    expect(o.publishedAt.slice(0, 10) > m.window.end).toBe(true);
    expect(w.publishedAt.slice(0, 10) > o.window.end).toBe(true);
    // After the 公示: the 审定 at a second meeting after the 初选 list's window, the submission, the city
    // government's decision and the 表彰通报 listing its organisations, each bound by its check.
    for (const id of ['award-fixed', 'government-decision', 'award-notice'] as const) expect(report.checks.find((c) => c.id === id)?.status, id).toBe('pass');
    expect(demo.award).not.toBeNull();
    const fixing = await call<{ fixing: { status: string; document: { proposedAt: string } }; decision: { document: { date: string; documentNumber: string } } }>(f, `/api/v1/cycles/${demo.cycleId}/award`);
    expect(fixing.fixing.status).toBe('adopted');
    expect(fixing.fixing.document.proposedAt.slice(0, 10) > w.window.end).toBe(true);
    expect(fixing.decision.document.documentNumber).toBe('杭政办函〔2026〕10号');
    const commendation = await at(demo.award!.commendation);
    const awarded = await call<{ organisations: { name: string }[] }>(f, `/api/v1/cycles/${demo.cycleId}/awarded?date=${fixing.decision.document.date}`);
    expect((commendation as unknown as { organisations: { name: string }[] }).organisations.map((x) => x.name).sort()).toEqual(awarded.organisations.map((x) => x.name).sort());
    expect(awarded.organisations.length).toBeGreaterThan(3);
    // The decision's file is public, also when the submission carried the same bytes (the demo sends one PDF for both).
    const files = await call<{ submission: { document: { file: { sha256: string } } }; decision: { document: { file: { sha256: string; name: string } } } }>(f, `/api/v1/cycles/${demo.cycleId}/award`);
    expect(files.submission.document.file.sha256).toBe(files.decision.document.file.sha256);
    const served = await h.request(`/api/v1/cycles/${demo.cycleId}/award/files/${files.decision.document.file.sha256}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-disposition')).toContain(encodeURIComponent(files.decision.document.file.name));
  });
});
