// 三(三)8: an upheld objection holds its entry, and the judging group may keep the entry on the list with a
// logged reason (objection-hold-kept). The 审定 is refused while the entry is held and put to the meeting once
// the reason is logged; the verifier's award-fixed check agrees both ways, and a keep the bureau forges
// (dropped, or with no reason, re-signed with the log key) leaves the entry on hold for the verifier.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { staffAndSupervisor } from '../support/actors.js';
import { expectProblem } from '../support/problems.js';
import { parseBundle, verifyBundle, type ExportBundle } from '../../src/verify/index.js';
import { verifierKeyOf } from '../../src/log/index.js';
import { relog } from '../verify/support.js';
import { api } from '../notices/support.js';
import { entriesOnHold } from '../../src/objections/holds.js';
import { answer, cycleToInitialWinners, object, WINNER } from './award-support.js';

describeEachDb('审定 with an upheld objection’s entry kept by the judging group', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: { staff: string; supervisor: string };
  const post = (path: string, json: unknown, token = tokens.staff) => api(h, token)('POST', path, json);

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T01:00:00Z', config: { LOG_CHECKPOINT_INTERVAL_MS: 0, OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    tokens = await staffAndSupervisor(h);
  });
  afterAll(async () => t.close());

  it('refused while held, put to the meeting once the reason is logged; the verifier binds the keep, and a forged one leaves the entry on hold', async () => {
    const c = await cycleToInitialWinners(h, tokens, '2026');
    h.clock.set('2026-03-09T02:00:00Z'); // in the list's 公示; the objection's result is due 03-16
    const receipt = await object(h, c.list.id, WINNER);
    h.clock.set('2026-03-11T02:00:00Z');
    await answer(h, tokens.staff, '2026', receipt, 'upheld');

    // Held: refused, naming the entry.
    const refused = await expectProblem(await post(`/api/v1/meetings/${c.meetingId}/award-fixing`, {}), 409, 'conflict');
    expect(refused.held).toMatchObject([{ organisation: WINNER, trackingNo: receipt.trackingNo }]);
    // A keep needs a reason.
    await expectProblem(await post(`/api/v1/objections/${receipt.objectionId}/keep`, { reason: '  ' }), 400, 'invalid-request');

    // The judging group's reason is logged: the hold is released, the 审定 goes to the meeting with the winner on the list.
    const kept = await post(`/api/v1/objections/${receipt.objectionId}/keep`, { reason: '经评审组审议，异议所涉证书已于公示期内换发，不影响申报条件，予以保留。' });
    expect(kept.status, await kept.clone().text()).toBe(200);
    expect(await entriesOnHold(t.db, '2026')).toEqual([]);
    await expectProblem(await post(`/api/v1/objections/${receipt.objectionId}/keep`, { reason: '再次记录。' }), 409, 'conflict');
    const proposed = await post(`/api/v1/meetings/${c.meetingId}/award-fixing`, {});
    expect(proposed.status, await proposed.clone().text()).toBe(201);
    expect(((await proposed.json()) as { document: { organisations: unknown[] } }).document.organisations).toEqual([{ name: WINNER, award: 'quality' }]);

    // The verifier: the proposal rests on the logged keep …
    const res = await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${tokens.supervisor}` } });
    const bundle = (await res.json()) as ExportBundle;
    const verify = (b: ExportBundle) => verifyBundle(parseBundle(JSON.parse(JSON.stringify(b))), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), now: h.clock.now() });
    const status = (b: ExportBundle, id: string) => verify(b).checks.find((x) => x.id === id)?.status;
    const report = verify(bundle);
    expect(report.checks.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual([]);
    expect(report.checks.find((x) => x.id === 'award-fixed')?.status).toBe('pass');
    expect(report.checks.find((x) => x.id === 'objection-holds')?.status).toBe('pass');

    // … and the same proposal without it (the keep dropped, the log re-signed) fails award-fixed: the entry is held.
    const signer = h.deps.keys.logSignerKey;
    type Items = Parameters<Parameters<typeof relog>[2]>[0];
    const keepAt = (items: Items) => items.findIndex((x) => x.type === 'objection-hold-kept');
    const dropped = await relog(bundle, signer, (items) => {
      const k = keepAt(items);
      // Only the proposal follows the keep: nothing after it names an index that shifts.
      expect(items.slice(k + 1).map((x) => x.type)).toEqual(['award-fixing-proposed']);
      items.splice(k, 1);
    });
    expect(status(dropped, 'award-fixed')).toBe('fail');
    expect(verify(dropped).checks.find((x) => x.id === 'award-fixed')!.details.map((d) => d.zh).join()).toMatch(/既未经更正移出，也未载明保留理由/);
    // A keep with no reason is no keep: objection-holds fails it, and award-fixed still sees the entry held.
    const noReason = await relog(bundle, signer, (items) => void (items[keepAt(items)]!.doc.reason = ' '));
    expect(status(noReason, 'objection-holds')).toBe('fail');
    expect(status(noReason, 'award-fixed')).toBe('fail');
    // A keep citing a decision that is not the upheld one in force (the receipt's index) likewise.
    const miscited = await relog(bundle, signer, (items) => void (items[keepAt(items)]!.doc.decisionLogIndex = items[keepAt(items)]!.doc.receiptLogIndex));
    expect(status(miscited, 'objection-holds')).toBe('fail');
    expect(status(miscited, 'award-fixed')).toBe('fail');
  });
});
