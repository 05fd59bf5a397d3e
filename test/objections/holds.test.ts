// An upheld objection holds its entry until a correction of the list removes it or the judging group
// records why it stays; entriesOnHold is what fixing the 拟授奖组织名单 consults.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { api, draftNotice, expectProblem, ORGS, publish, publishedNotice, rosterUnit, setup, submitObjection, verifiedBy, type NoticeJson, type ReceiptJson } from '../notices/support.js';
import { listEntries, getDocument } from '../../src/log/index.js';
import { assertNoEntryOnHold, entriesOnHold } from '../../src/objections/holds.js';
import { Problem } from '../../src/errors.js';

describeEachDb('objections: an upheld objection holds its entry', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let notice: NoticeJson;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T02:00:00Z', config: { OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    ({ staff } = await setup(h));
    for (const unit of ['市经信局', '市应急管理局']) await rosterUnit(h, staff, unit);
    notice = await publishedNotice(h, staff); // 2026-03-02 … 2026-03-10
  });
  afterAll(async () => t.close());

  const entries = async (type: string) => {
    const out = [];
    for (const e of await listEntries(t.db, { cycleId: '2026', type })) out.push({ index: e.index, doc: JSON.parse((await getDocument(t.db, e.docHash))!.body) as Record<string, unknown> });
    return out;
  };

  it('refused, with nothing logged: a decision without a unit, a unit not in the roster, a finding of a unit not assigned, a decision before every finding', async () => {
    h.clock.set('2026-03-04T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id, { organisation: '杭州甲科技有限公司' })).json()) as ReceiptJson;
    const s = api(h, staff);
    const path = `/api/v1/objections/${r.objectionId}`;
    const logged = async () => (await listEntries(t.db, { cycleId: '2026' })).length;
    const before = await logged();
    const none = await expectProblem(await s('POST', `${path}/decision`, { decision: 'rejected', summary: '经核查，异议不成立。' }), 409, 'conflict');
    expect(String(none.detail_zh)).toContain('至少指派一个单位');
    const outside = await expectProblem(await s('POST', `${path}/assignment`, { units: ['市经信局', '并非评审组成员单位的某公司'] }), 422, 'unprocessable');
    expect(String(outside.detail_zh)).toContain('并非评审组成员单位的某公司');
    expect(outside.roster).toEqual(['市经信局', '市应急管理局']);
    const unassigned = await expectProblem(await s('POST', `${path}/findings`, { unit: '市经信局', findings: '经核查，不属实。' }), 422, 'unprocessable');
    expect(String(unassigned.detail_zh)).toContain('未被指派');
    expect(await logged()).toBe(before);
    expect((await s('POST', `${path}/assignment`, { units: ['市经信局', '市应急管理局'] })).status).toBe(200);
    expect((await s('POST', `${path}/findings`, { unit: '市经信局', findings: '经核查，反映情况不属实。' })).status).toBe(200);
    const unheard = await expectProblem(await s('POST', `${path}/decision`, { decision: 'rejected', summary: '经核查，异议不成立。' }), 409, 'conflict');
    expect(String(unheard.detail_zh)).toContain('市应急管理局');
    await expectProblem(await s('POST', `${path}/findings`, { unit: '市经信局', findings: '再次记录。' }), 409, 'conflict');
    expect(await logged()).toBe(before + 2); // the assignment and one finding
  });

  it('the happy path: units from the roster, each finding logged, the decision citing them, the result notice restating it', async () => {
    h.clock.set('2026-03-05T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id, { organisation: '杭州乙制造股份有限公司' })).json()) as ReceiptJson;
    const s = api(h, staff);
    const path = `/api/v1/objections/${r.objectionId}`;
    await verifiedBy(h, staff, r.objectionId, { 市经信局: '经核查，反映情况不属实。', 市应急管理局: '未发现该单位发生质量安全事故。' });
    const decided = await s('POST', `${path}/decision`, { decision: 'rejected', summary: '经核查，异议不成立。' });
    expect(decided.status).toBe(200);
    const d = (await decided.json()) as { units: { unit: string; finding: string; findingLogIndex: number }[]; decisionLogIndex: number; rosterUnits: string[]; hold: unknown };
    expect(d.units.map((u) => [u.unit, u.finding])).toEqual([['市经信局', '经核查，反映情况不属实。'], ['市应急管理局', '未发现该单位发生质量安全事故。']]);
    expect(d.rosterUnits).toEqual(['市经信局', '市应急管理局']);
    expect(d.hold).toBeNull();
    const mine = <T extends { doc: Record<string, unknown> }>(list: T[]) => list.filter((e) => e.doc.trackingNo === r.trackingNo);
    const [assigned] = mine(await entries('objection-assigned'));
    const roster = await entries('member-registered');
    expect(assigned!.doc).toMatchObject({ receiptLogIndex: r.receiptLogIndex, units: [{ unit: '市经信局', memberLogIndex: roster[0]!.index }, { unit: '市应急管理局', memberLogIndex: roster[1]!.index }], assignedBy: '市场监管局 王工' });
    const findings = mine(await entries('objection-finding'));
    expect(findings.map((f) => [f.doc.unit, f.doc.finding, f.doc.assignedLogIndex])).toEqual([['市经信局', '经核查，反映情况不属实。', assigned!.index], ['市应急管理局', '未发现该单位发生质量安全事故。', assigned!.index]]);
    const [decision] = mine(await entries('objection-decision'));
    expect(decision!.index).toBe(d.decisionLogIndex);
    expect(decision!.doc).toMatchObject({
      entry: { noticeId: notice.id, noticeLogIndex: notice.logIndex, organisation: '杭州乙制造股份有限公司' },
      decision: 'rejected',
      findings: findings.map((f) => ({ unit: f.doc.unit, logIndex: f.index })),
      supersedes: null,
    });
    const result = await publish(h, staff, (await draftNotice(h, staff, { type: 'objection-result', title: '异议核查结果公示', organisations: undefined, objectionIds: [r.objectionId] })).id);
    expect((result.document!.objections as Record<string, unknown>[])[0]).toMatchObject({ trackingNo: r.trackingNo, decision: 'rejected', decisionLogIndex: decision!.index });
  });

  it('upheld, kept: the judging group’s reason, after the result is published, releases the hold (logged)', async () => {
    h.clock.set('2026-03-06T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id, { organisation: '杭州甲科技有限公司' })).json()) as ReceiptJson;
    const s = api(h, staff);
    const path = `/api/v1/objections/${r.objectionId}`;
    await expectProblem(await s('POST', `${path}/keep`, { reason: '理由' }), 409, 'conflict'); // not upheld
    await verifiedBy(h, staff, r.objectionId, { 市经信局: '经核查，所反映的问题部分属实。' });
    expect((await s('POST', `${path}/decision`, { decision: 'partly-upheld', summary: '经核查，异议部分成立。' })).status).toBe(200);
    expect((await entriesOnHold(t.db, '2026')).map((e) => e.objectionId)).toContain(r.objectionId);
    await expectProblem(await s('POST', `${path}/keep`, { reason: '所涉问题已整改，不影响申报条件。' }), 409, 'conflict'); // result not yet published
    await publish(h, staff, (await draftNotice(h, staff, { type: 'objection-result', title: '异议核查结果公示', organisations: undefined, objectionIds: [r.objectionId] })).id);
    const kept = await s('POST', `${path}/keep`, { reason: '所涉问题已整改，评审组认为不影响申报条件。' });
    expect(kept.status, await kept.clone().text()).toBe(200);
    expect(((await kept.json()) as { hold: unknown }).hold).toMatchObject({ state: 'kept', reason: '所涉问题已整改，评审组认为不影响申报条件。' });
    expect((await entriesOnHold(t.db, '2026')).map((e) => e.objectionId)).not.toContain(r.objectionId);
    const [entry] = (await entries('objection-hold-kept')).filter((e) => e.doc.trackingNo === r.trackingNo);
    const row = await t.db.selectFrom('objection').select('decision_log_index').where('id', '=', r.objectionId).executeTakeFirstOrThrow();
    expect(entry!.doc).toMatchObject({ decisionLogIndex: Number(row.decision_log_index), entry: { noticeId: notice.id, organisation: '杭州甲科技有限公司' }, reason: '所涉问题已整改，评审组认为不影响申报条件。' });
    await expectProblem(await s('POST', `${path}/keep`, { reason: '再次' }), 409, 'conflict');
  });

  // Last: a corrected list takes no more objections.
  it('upheld: the entry is on hold until a correction of the list leaves it out', async () => {
    h.clock.set('2026-03-03T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id, { organisation: '杭州丙服务集团' })).json()) as ReceiptJson;
    const s = api(h, staff);
    const path = `/api/v1/objections/${r.objectionId}`;
    expect(await entriesOnHold(t.db, '2026')).toEqual([]);
    await verifiedBy(h, staff, r.objectionId, { 市应急管理局: '经核查，该事故属于重大质量事故。' });
    expect((await s('POST', `${path}/decision`, { decision: 'upheld', summary: '经核查，异议成立。' })).status).toBe(200);
    const held = await entriesOnHold(t.db, '2026');
    expect(held).toMatchObject([{ objectionId: r.objectionId, trackingNo: r.trackingNo, noticeId: notice.id, organisation: '杭州丙服务集团', decision: 'upheld', onLists: [notice.id] }]);
    const refused = await assertNoEntryOnHold(t.db, '2026').then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(Problem);
    expect((refused as Problem).status).toBe(409);
    expect((refused as Problem).detailZh).toContain('杭州丙服务集团');
    // A correction that still names it changes nothing; one that leaves it out releases the hold.
    h.clock.set('2026-03-11T02:00:00Z');
    const same = await publish(h, staff, (await draftNotice(h, staff, { corrects: notice.id, title: '更正公告' })).id);
    expect((await entriesOnHold(t.db, '2026')).map((e) => e.onLists)).toEqual([[same.id]]);
    await publish(h, staff, (await draftNotice(h, staff, { corrects: same.id, title: '更正公告（二）', organisations: ORGS.filter((o) => o.name !== '杭州丙服务集团') })).id);
    expect(await entriesOnHold(t.db, '2026')).toEqual([]);
    await assertNoEntryOnHold(t.db, '2026');
  });
});
