// A prepared ballot can be withdrawn before its vote opens — a logged entry that frees its
// seats (三(一): 25 − won − held) — and not once tokens or hands have started. The verifier accepts the
// withdrawal and counts the seats the same way.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { call, type Tablet } from '../../src/protocol/tablet.js';
import { expectProblem } from '../support/problems.js';
import { parseBundle, verifyBundle } from '../../src/verify/index.js';
import { verifierKeyOf } from '../../src/log/index.js';

describeEachDb('withdrawing a prepared ballot', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: { staff: string; supervisor: string };
  let tablets: Tablet[];
  let meetingId: string;
  const staffCall = <T>(path: string, json?: unknown) => call<T>(fetchOf(h), path, { method: json === undefined ? 'GET' : 'POST', token: tokens.staff, ...(json !== undefined ? { json } : {}) });
  const post = (path: string, json: unknown, token = tokens.staff) => h.request(path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(json) });
  const prepare = (award: string, seats: number) => post('/api/v1/cycles/2026/ballots', { meetingId, award, seats, candidates: [{ name: '甲公司' }, { name: '乙集团' }] });
  const seatsLeft = async () => (await staffCall<{ seatsLeft: Record<string, number> }>('/api/v1/cycles/2026/ballots')).seatsLeft;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
    tokens = await staffAndSupervisor(h);
    tablets = await enrolledTablets(h, await cycleWithMembers(h, tokens.staff, '2026', 3));
    meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '全体会议' })).id;
    for (const tab of tablets) await tab.checkIn(meetingId);
    await adoptProcedure(fetchOf(h), tokens, meetingId, tablets[0]!, 3);
  });
  afterAll(async () => t.close());

  it('frees the seats of a prepared ballot with a logged entry; refuses once the vote opened; the verifier agrees', async () => {
    // A 质量奖 ballot holding all 25 seats blocks any other.
    const held = await prepare('quality', 25);
    expect(held.status).toBe(201);
    const heldId = ((await held.json()) as { id: string }).id;
    expect((await seatsLeft()).quality).toBe(0);
    await expectProblem(await prepare('quality', 1), 422, 'unprocessable');

    // A reason is required; members and the public may not withdraw.
    await expectProblem(await post(`/api/v1/ballots/${heldId}/withdraw`, { reason: '' }), 400, 'invalid-request');
    expect((await post(`/api/v1/ballots/${heldId}/withdraw`, { reason: '名额设置有误' }, tokens.supervisor)).status).toBe(403);

    const w = await post(`/api/v1/ballots/${heldId}/withdraw`, { reason: '名额设置有误，重新准备' });
    expect(w.status, await w.clone().text()).toBe(200);
    const { logIndex } = (await w.json()) as { logIndex: number };
    expect((await seatsLeft()).quality).toBe(25);
    expect((await staffCall<{ phase: string }>(`/api/v1/ballots/${heldId}`)).phase).toBe('withdrawn');
    // Withdrawn is final: not again, and it never opens.
    const again = await expectProblem(await post(`/api/v1/ballots/${heldId}/withdraw`, { reason: '再次' }), 409, 'conflict');
    expect(again.detail_zh).toMatch(/仅可撤回/);
    await expectProblem(await post(`/api/v1/ballots/${heldId}/phase`, { to: 'issuing' }), 409, 'conflict');

    // The seats are free again: a 2-seat ballot now fits; once its issuance opened it cannot be withdrawn.
    const real = (await (await prepare('quality', 2)).json()) as { id: string };
    await staffCall(`/api/v1/ballots/${real.id}/phase`, { to: 'issuing' });
    await expectProblem(await post(`/api/v1/ballots/${real.id}/withdraw`, { reason: '已开始' }), 409, 'conflict');
    // A show of hands once its voting opened: refused too.
    const hands = (await (await prepare('innovation', 1)).json()) as { id: string };
    await staffCall(`/api/v1/ballots/${hands.id}/phase`, { to: 'voting' });
    await expectProblem(await post(`/api/v1/ballots/${hands.id}/withdraw`, { reason: '已开始' }), 409, 'conflict');
    expect((await seatsLeft()).quality).toBe(23);

    // The log: the withdrawal names the preparation; the verifier accepts it and counts the seats.
    const rows = await t.db.selectFrom('log_entry').select(['idx', 'type']).where('type', '=', 'ballot-withdrawn').execute();
    expect(rows.map((r) => Number(r.idx))).toEqual([logIndex]);
    const res = await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${tokens.supervisor}` } });
    expect(res.status).toBe(200);
    const report = verifyBundle(parseBundle(await res.json()), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), now: h.clock.now() });
    const check = (id: string) => report.checks.find((c) => c.id === id);
    expect(check('ballot-withdrawn')?.status).toBe('pass');
    expect(check('ballot-withdrawn')?.message.en).toMatch(/^1 withdrawn ballot/);
    expect(check('award-seats-held')?.status).toBe('pass');
    // The withdrawn secret ballot has no key, and that is not a failure.
    expect(report.checks.filter((c) => c.id === 'ballot-key-first' && c.status === 'fail' && c.subject?.en.includes(heldId))).toEqual([]);
  });
});
