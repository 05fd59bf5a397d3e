import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { call, type Tablet } from '../../src/protocol/tablet.js';
import { getEntry } from '../../src/log/index.js';
import { api, publish, submitObjection, type NoticeJson } from './support.js';
import { expectProblem } from '../support/problems.js';

describeEachDb('初选授奖组织名单 from tallied ballots', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let ballotId: string;
  let resultLogIndex: number;
  let meetingId: string;
  let tablets: Tablet[];

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T02:00:00Z' });
    const accounts = await staffAndSupervisor(h);
    ({ staff } = accounts);
    tablets = await enrolledTablets(h, await cycleWithMembers(h, staff, '2026', 3));
    const staffCall = <T>(path: string, json: unknown) => call<T>(fetchOf(h), path, { method: 'POST', token: staff, json });
    meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '全体会议' })).id;
    for (const tab of tablets) await tab.checkIn(meetingId);
    await adoptProcedure(fetchOf(h), accounts, meetingId, tablets[0]!, 3);
    const b = await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', {
      meetingId,
      award: 'innovation',
      seats: 2,
      candidates: [{ name: '杭州丁科技有限公司' }, { name: '杭州戊制造有限公司' }],
    });
    ballotId = b.id;
    await staffCall(`/api/v1/ballots/${b.id}/phase`, { to: 'voting' });
    for (const tab of tablets) await tab.raiseHands(b.id, { c01: 'for', c02: 'against' });
    const tallied = await staffCall<{ ballot: { resultLogIndex: number } }>(`/api/v1/ballots/${b.id}/phase`, { to: 'tallied' });
    resultLogIndex = tallied.ballot.resultLogIndex;
  });
  afterAll(async () => t.close());

  it('lists exactly the winners of the tallied ballots, links the results, and takes objections on them', async () => {
    const res = await api(h, staff)('POST', '/api/v1/notices', {
      cycleId: '2026',
      type: 'initial-winners',
      title: '2026年度杭州市政府质量奖初选授奖组织名单公示',
      body: '经评审组全体会议表决,现将初选授奖组织名单予以公示。',
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const draftId = ((await res.json()) as NoticeJson).id;
    // The draft's preview lists the organisations the published list will.
    const preview = await api(h, staff)('GET', `/api/v1/notices/${draftId}/preview`);
    expect(await preview.json()).toEqual({ organisations: [{ name: '杭州丁科技有限公司', award: 'innovation' }], objections: null });
    const n = await publish(h, staff, draftId);
    expect((await api(h, staff)('GET', `/api/v1/notices/${draftId}/preview`)).status).toBe(409);
    expect(n.organisations).toEqual([{ name: '杭州丁科技有限公司', award: 'innovation' }]);
    expect(n.document?.ballots).toEqual([
      expect.objectContaining({ ballotId, award: 'innovation', kind: 'show-of-hands', resultLogIndex, winners: [{ candidateId: 'c01', name: '杭州丁科技有限公司' }] }),
    ]);
    expect((await getEntry(t.db, n.logIndex!))?.refs).toMatchObject({ 'result.0': resultLogIndex });
    expect(n.window).toMatchObject({ start: '2026-03-02', end: '2026-03-10' });
    expect((await submitObjection(h, n.id, { organisation: '杭州丁科技有限公司' })).status).toBe(201);
    await expectProblem(await submitObjection(h, n.id, { organisation: '杭州戊制造有限公司' }), 422, 'unprocessable');
  });

  it('refuses hand-typed names, a list leaving out a tallied ballot, and a list while a ballot is still open', async () => {
    const s = api(h, staff);
    const base = { cycleId: '2026', type: 'initial-winners', title: '初选授奖组织名单公示', body: '现予以公示。' };
    // Names typed by hand, with or without ballots: refused, nothing stored.
    const typed = await expectProblem(await s('POST', '/api/v1/notices', { ...base, organisations: [{ name: '未经投票的某公司', award: 'quality' }] }), 422, 'unprocessable');
    expect(typed.detail_zh).toMatch(/不能手工填写/);
    await expectProblem(await s('POST', '/api/v1/notices', { ...base, organisations: [{ name: '未经投票的某公司', award: 'quality' }], ballotIds: [ballotId] }), 422, 'unprocessable');
    // A second tallied ballot: a list naming only the first is refused at publication.
    const staffCall = <T>(path: string, json: unknown) => call<T>(fetchOf(h), path, { method: 'POST', token: staff, json });
    const second = await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'excellence', seats: 1, candidates: [{ name: '杭州己服务有限公司' }] });
    const draft = (await (await s('POST', '/api/v1/notices', { ...base, ballotIds: [ballotId] })).json()) as NoticeJson;
    // While the second ballot is still prepared: refused, naming it.
    const open = await expectProblem(await s('POST', `/api/v1/notices/${draft.id}/publish`), 409, 'conflict');
    expect(open.ballotIds).toEqual([second.id]);
    await staffCall(`/api/v1/ballots/${second.id}/phase`, { to: 'voting' });
    for (const tab of tablets) await tab.raiseHands(second.id, { c01: 'for' });
    await staffCall(`/api/v1/ballots/${second.id}/phase`, { to: 'tallied' });
    const partial = await expectProblem(await s('POST', `/api/v1/notices/${draft.id}/publish`), 422, 'unprocessable');
    expect(partial.missing).toEqual([second.id]);
    // Without ballotIds the list takes every tallied ballot.
    const whole = await publish(h, staff, ((await (await s('POST', '/api/v1/notices', base)).json()) as NoticeJson).id);
    expect((whole.document as { ballots: { ballotId: string }[] }).ballots.map((b) => b.ballotId)).toEqual([ballotId, second.id]);
    expect(whole.organisations).toEqual([
      { name: '杭州丁科技有限公司', award: 'innovation' },
      { name: '杭州己服务有限公司', award: 'excellence' },
    ]);
    expect((await t.db.selectFrom('notice').select('status').where('id', '=', draft.id).executeTakeFirstOrThrow()).status).toBe('draft');
  });
});
