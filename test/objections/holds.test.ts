// An upheld objection holds its entry until a correction of the list removes it or the judging group
// records why it stays; entriesOnHold is what fixing the 拟授奖组织名单 consults.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { api, draftNotice, expectProblem, ORGS, publish, publishedNotice, setup, submitObjection, type NoticeJson, type ReceiptJson } from '../notices/support.js';
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
    for (const unit of ['市经信局', '市应急管理局']) {
      expect((await api(h, staff)('POST', '/api/v1/cycles/2026/members', { name: `${unit}代表`, unit, isChair: false })).status).toBe(201);
    }
    notice = await publishedNotice(h, staff); // 2026-03-02 … 2026-03-10
  });
  afterAll(async () => t.close());

  it('upheld: the entry is on hold until a correction of the list leaves it out', async () => {
    h.clock.set('2026-03-03T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id, { organisation: '杭州丙服务集团' })).json()) as ReceiptJson;
    const s = api(h, staff);
    const path = `/api/v1/objections/${r.objectionId}`;
    expect(await entriesOnHold(t.db, '2026')).toEqual([]);
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
