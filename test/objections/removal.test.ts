// A correction of the 初选授奖组织名单 takes a winner off only for an upheld objection whose entry is on hold;
// the document names the decision, later corrections keep it off, and the hold is released.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { staffAndSupervisor } from '../support/actors.js';
import { expectProblem } from '../support/problems.js';
import { api, publish, type NoticeJson } from '../notices/support.js';
import { answer, cycleToInitialWinners, object, WINNER } from '../procedure/award-support.js';
import { entriesOnHold } from '../../src/objections/holds.js';

describeEachDb('objections: a correction of the list of initial winners removes an upheld entry', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: { staff: string; supervisor: string };
  let list: NoticeJson;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T01:00:00Z', config: { OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    tokens = await staffAndSupervisor(h);
    ({ list } = await cycleToInitialWinners(h, tokens, '2026'));
  });
  afterAll(async () => t.close());

  const draft = async (extra: Record<string, unknown>) => {
    const res = await api(h, tokens.staff)('POST', '/api/v1/notices', { cycleId: '2026', type: 'initial-winners', title: '初选授奖组织名单更正公告', body: '现予更正。', organisations: [], ...extra });
    return res;
  };

  it('refused without an upheld objection; with one, the winner leaves the list and the hold is released', async () => {
    // No objection upheld yet: the winner cannot be taken off.
    let res = await draft({ corrects: list.id, removed: [WINNER] });
    expect(res.status).toBe(201);
    const early = (await res.json()) as NoticeJson;
    const refused = await expectProblem(await api(h, tokens.staff)('POST', `/api/v1/notices/${early.id}/publish`), 422, 'unprocessable');
    expect(String(refused.detail_zh)).toContain('只有经核查成立的异议才能将其移出名单');
    await api(h, tokens.staff)('DELETE', `/api/v1/notices/${early.id}`);
    // Only a correction takes winners off.
    await expectProblem(await draft({ removed: [WINNER] }), 400, 'invalid-request');

    h.clock.set('2026-03-03T02:00:00Z');
    const receipt = await object(h, list.id, WINNER);
    h.clock.set('2026-03-11T02:00:00Z');
    await answer(h, tokens.staff, '2026', receipt, 'upheld');
    const [held] = await entriesOnHold(t.db, '2026');
    expect(held).toMatchObject({ organisation: WINNER, onLists: [list.id] });

    res = await draft({ corrects: list.id, removed: [WINNER] });
    const corrected = await publish(h, tokens.staff, ((await res.json()) as NoticeJson).id);
    expect(corrected.organisations).toEqual([]);
    expect(corrected.document!.removed).toEqual([{ name: WINNER, award: 'quality', decisionLogIndex: held!.decisionLogIndex }]);
    expect(await entriesOnHold(t.db, '2026')).toEqual([]);
    // A later correction keeps it off.
    res = await draft({ corrects: corrected.id });
    const again = await publish(h, tokens.staff, ((await res.json()) as NoticeJson).id);
    expect(again.organisations).toEqual([]);
    expect(again.document!.removed).toEqual(corrected.document!.removed);
  });
});
