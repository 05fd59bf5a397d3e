// CSV for the archive: a published list, a tallied ballot's result and the objection register, each
// the same facts the pages and the log show; drafts, untallied ballots and the objectors' identities
// stay out; the register is for staff and supervisors only.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { call } from '../../src/protocol/tablet.js';
import { expectProblem } from '../support/problems.js';
import { DEFAULT_OBJECTION, api, draftNotice, publish, submitObjection } from '../notices/support.js';

const rowsOf = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);

describeEachDb('archive CSV exports', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let supervisor: string;
  let listId: string;
  let draftId: string;
  let ballotId: string;
  let openBallotId: string;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T02:00:00Z' });
    ({ staff, supervisor } = await staffAndSupervisor(h));
    const tablets = await enrolledTablets(h, await cycleWithMembers(h, staff, '2026', 3));
    listId = (await publish(h, staff, (await draftNotice(h, staff, { organisations: [{ name: '=HYPERLINK("http://x")' }, { name: '杭州乙制造股份有限公司', code: '91330100MA2AAAAA1X' }] })).id)).id;
    draftId = (await draftNotice(h, staff)).id;
    const filed = await submitObjection(h, listId, { ...DEFAULT_OBJECTION, organisation: '杭州乙制造股份有限公司' });
    expect(filed.status, await filed.clone().text()).toBe(201);

    const accounts = { staff, supervisor };
    const post = <T>(path: string, json: unknown) => call<T>(fetchOf(h), path, { method: 'POST', token: staff, json });
    const meetingId = (await post<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '全体会议' })).id;
    for (const tab of tablets) await tab.checkIn(meetingId);
    await adoptProcedure(fetchOf(h), accounts, meetingId, tablets[0]!, 3);
    ballotId = (await post<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'innovation', seats: 1, candidates: [{ name: '杭州丁科技有限公司' }, { name: '杭州戊制造有限公司' }] })).id;
    await post(`/api/v1/ballots/${ballotId}/phase`, { to: 'voting' });
    for (const tab of tablets) await tab.raiseHands(ballotId, { c01: 'for', c02: 'against' });
    await post(`/api/v1/ballots/${ballotId}/phase`, { to: 'tallied' });
    openBallotId = (await post<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'excellence', seats: 1, candidates: [{ name: '杭州己服务有限公司' }] })).id;
  });
  afterAll(async () => t.close());

  it('a published list: its organisations, in order, with codes, formula-proof, named in Chinese', async () => {
    const res = await h.request(`/api/v1/notices/${listId}/organisations.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(decodeURIComponent(res.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe('2026年度杭州市政府质量奖拟进入材料评审组织名单公示（名单）.csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the UTF-8 byte-order mark
    const text = new TextDecoder().decode(bytes);
    expect(rowsOf(text)).toEqual(['序号,组织名称,统一社会信用代码,奖项', `1,"'=HYPERLINK(""http://x"")",,`, '2,杭州乙制造股份有限公司,91330100MA2AAAAA1X,']);
    // A draft is nobody's to download, staff's included (it is not a list yet).
    await expectProblem(await h.request(`/api/v1/notices/${draftId}/organisations.csv`), 404);
  });

  it('a tallied ballot: every candidate’s counts, the attendance counted and who was elected', async () => {
    const res = await h.request(`/api/v1/ballots/${ballotId}/result.csv`);
    expect(res.status).toBe(200);
    expect(rowsOf(await res.text())).toEqual(['序号,候选组织,同意,不同意,弃权,回避,表决人数,达到通过规则,结果', '1,杭州丁科技有限公司,3,0,0,0,3,是,当选', '2,杭州戊制造有限公司,0,3,0,0,3,否,']);
    await expectProblem(await h.request(`/api/v1/ballots/${openBallotId}/result.csv`), 409);
  });

  it('the objection register: for staff and supervisors, without the objector', async () => {
    await expectProblem(await h.request('/api/v1/cycles/2026/objections.csv'), 401);
    for (const token of [staff, supervisor]) {
      const res = await api(h, token)('GET', '/api/v1/cycles/2026/objections.csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const rows = rowsOf(await res.text());
      expect(rows[0]).toBe('受理编号,收到日期,所涉公示,所涉组织,异议人类别,核查截止日,剩余工作日,逾期,核查单位,状态,核查结论,核查结果公告,受理记录日志序号');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatch(new RegExp(`^[^,]+,2026-03-02,${listId},杭州乙制造股份有限公司,个人,2026-03-09,5,,,已受理,,,\\d+$`));
      expect(rows.join('\n')).not.toMatch(/张三|330106199003071236|13800000000/);
    }
    await expectProblem(await api(h, staff)('GET', '/api/v1/cycles/nope/objections.csv'), 404);
  });
});
