// Correcting and removing a judging-group member: allowed, with a reason, only before the member took
// part (no tablet ever enrolled, on no meeting's roster) and while no meeting is open; each change a log
// entry written with the row; the verifier reads them back (roster-changes) and the roster's units as
// corrected. Every refusal writes nothing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { fetchOf, staffAndSupervisor } from '../support/actors.js';
import { call, Tablet } from '../../src/protocol/tablet.js';
import { expectProblem } from '../support/problems.js';
import { getDocument, listEntries, verifierKeyOf } from '../../src/log/index.js';
import { parseBundle, verifyBundle, type ExportBundle } from '../../src/verify/index.js';

describeEachDb('roster corrections and removals', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let supervisor: string;
  const ids: string[] = [];
  const codes: string[] = [];
  const req = (method: string, path: string, json?: unknown, token: string | null = staff) =>
    h.request(path, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  const logSize = async () => Number((await h.deps.db.selectFrom('log_entry').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const roster = async () => (await call<{ members: { id: string; name: string; unit: string; isChair: boolean }[] }>(fetchOf(h), '/api/v1/cycles/2026/members', { token: staff })).members;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T02:00:00Z' });
    ({ staff, supervisor } = await staffAndSupervisor(h));
    await call(fetchOf(h), '/api/v1/cycles', { method: 'POST', token: staff, json: { id: '2026', name: '2026年度杭州市政府质量奖' } });
    for (const [name, unit] of [['王主任', '杭州市市场监督管理局'], ['李处长', '杭州市发改委'], ['张教授', '浙江大学'], ['陈工', '杭州市标准化研究院']]) {
      const r = await call<{ id: string; enrollmentCode: string }>(fetchOf(h), '/api/v1/cycles/2026/members', { method: 'POST', token: staff, json: { name, unit, isChair: ids.length === 0 } });
      ids.push(r.id);
      codes.push(r.enrollmentCode);
    }
  });
  afterAll(async () => t.close());

  it('a member not yet enrolled is corrected with a reason: the row and a member-amended entry', async () => {
    const before = await logSize();
    const res = await req('PATCH', `/api/v1/members/${ids[1]}`, { unit: '杭州市发展和改革委员会', reason: '单位名称录入不全' });
    expect(res.status, await res.clone().text()).toBe(200);
    const { logIndex } = (await res.json()) as { logIndex: number };
    expect(await logSize()).toBe(before + 1);
    const [entry] = await listEntries(h.deps.db, { cycleId: '2026', type: 'member-amended' });
    expect(entry!.index).toBe(logIndex);
    expect(JSON.parse((await getDocument(h.deps.db, entry!.docHash))!.body)).toEqual({
      memberId: ids[1],
      cycleId: '2026',
      name: '李处长',
      unit: '杭州市发展和改革委员会',
      isChair: false,
      reason: '单位名称录入不全',
      amendedAt: '2026-03-02T02:00:00.000Z',
    });
    expect((await roster()).find((m) => m.id === ids[1])).toMatchObject({ name: '李处长', unit: '杭州市发展和改革委员会' });
  });

  it('bad requests and other roles are refused, and write nothing', async () => {
    const before = await logSize();
    await expectProblem(await req('PATCH', `/api/v1/members/${ids[1]}`, { unit: 'x' }), 400, 'invalid-request'); // no reason
    await expectProblem(await req('PATCH', `/api/v1/members/${ids[1]}`, { unit: '', reason: 'r' }), 400, 'invalid-request');
    await expectProblem(await req('PATCH', `/api/v1/members/${ids[1]}`, { deviceKey: 'aa', reason: 'r' }), 400, 'invalid-request');
    await expectProblem(await req('PATCH', `/api/v1/members/${ids[1]}`, { unit: '杭州市发展和改革委员会', reason: '无变化' }), 400, 'invalid-request');
    await expectProblem(await req('POST', `/api/v1/members/${ids[2]}/removal`, {}), 400, 'invalid-request');
    await expectProblem(await req('POST', `/api/v1/members/${ids[2]}/removal`, { reason: '误录' }, supervisor), 403, 'forbidden');
    await expectProblem(await req('PATCH', `/api/v1/members/${ids[2]}`, { name: 'x', reason: '误录' }, null), 401, 'unauthorized');
    await expectProblem(await req('POST', '/api/v1/members/m_AAAAAAAAAAAA/removal', { reason: '误录' }), 404, 'not-found');
    expect(await logSize()).toBe(before);
  });

  it('a member not yet enrolled is removed: the row goes, a member-removed entry names them with the reason', async () => {
    const before = await logSize();
    const res = await req('POST', `/api/v1/members/${ids[3]}/removal`, { reason: '重复登记' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await logSize()).toBe(before + 1);
    const [entry] = await listEntries(h.deps.db, { cycleId: '2026', type: 'member-removed' });
    expect(JSON.parse((await getDocument(h.deps.db, entry!.docHash))!.body)).toEqual({ memberId: ids[3], cycleId: '2026', name: '陈工', unit: '杭州市标准化研究院', reason: '重复登记', removedAt: '2026-03-02T02:00:00.000Z' });
    expect((await roster()).map((m) => m.name)).toEqual(['王主任', '李处长', '张教授']);
    // Its code no longer enrols a tablet.
    await expect(Tablet.enroll(fetchOf(h), codes[3]!)).rejects.toThrow();
    await expectProblem(await req('POST', `/api/v1/members/${ids[3]}/removal`, { reason: '重复登记' }), 404, 'not-found');
  });

  it('once a tablet was enrolled (even after a new code), or the member is on a meeting’s roster, or a meeting is open: refused, nothing written', async () => {
    await Tablet.enroll(fetchOf(h), codes[0]!);
    // A new code clears the device: the member still took part once.
    await call(fetchOf(h), `/api/v1/members/${ids[0]}/enrollment`, { method: 'POST', token: staff });
    const before = await logSize();
    const enrolled = await expectProblem(await req('PATCH', `/api/v1/members/${ids[0]}`, { name: '王局长', reason: '职务变动' }), 409, 'conflict');
    expect(enrolled.detail_zh).toBe('王主任已绑定过平板，名单记录不能再改动；如需调整，请另行登记成员。');
    await expectProblem(await req('POST', `/api/v1/members/${ids[0]}/removal`, { reason: '工作调动' }), 409, 'conflict');
    const meeting = await call<{ id: string }>(fetchOf(h), '/api/v1/cycles/2026/meetings', { method: 'POST', token: staff, json: { title: '2026年度杭州市政府质量奖评审组全体会议' } });
    const open = await expectProblem(await req('POST', `/api/v1/members/${ids[2]}/removal`, { reason: '误录' }), 409, 'conflict');
    expect(open.detail_zh).toBe('“2026年度杭州市政府质量奖评审组全体会议”正在进行，会议结束前名单不能改动。');
    await call(fetchOf(h), `/api/v1/meetings/${meeting.id}/close`, { method: 'POST', token: staff });
    const before2 = await logSize();
    const listed = await expectProblem(await req('PATCH', `/api/v1/members/${ids[2]}`, { unit: '浙江大学管理学院', reason: '单位录入不全' }), 409, 'conflict');
    expect(listed.detail_zh).toBe('张教授已列入已召开会议的名单，名单记录不能再改动；如需调整，请另行登记成员。');
    expect(await logSize()).toBe(before2);
    expect(before2).toBeGreaterThan(before); // the meeting's own entries, nothing else
    expect((await roster()).find((m) => m.id === ids[2])!.unit).toBe('浙江大学');
  });

  it('the verifier reads the corrections and removals back and passes them (roster-changes)', async () => {
    h.clock.set('2026-03-02T06:00:00Z'); // a checkpoint over every entry is due
    const res = await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${supervisor}` } });
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as ExportBundle;
    const r = verifyBundle(parseBundle(bundle), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), witnessKeys: [], now: h.clock.now() });
    const check = r.checks.find((x) => x.id === 'roster-changes')!;
    expect(check.status, JSON.stringify(check)).toBe('pass');
    expect(check.message.en).toBe('2 roster corrections and removals, each before the member took part');
    expect(r.checks.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual([]);
  });
});
