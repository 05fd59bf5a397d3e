// The public notice board and a notice's page as a reader meets them: a notice without a window names its
// kind once; a corrected list is no longer open for objections (the board, the API's state filter and the
// intake all say so, and point to the correction); the 统一社会信用代码 column shows the register's codes —
// on the lists and on a result notice — and is left out when a list gives none.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { api, expectProblem, publish, rosterUnit, setup, submitObjection, verifiedBy, type NoticeJson, type ReceiptJson } from './support.js';
import { creditCodeCheckCharacter } from '../../src/identity/codes.js';
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';

const code = (body: string) => body + creditCodeCheckCharacter(body);
const REGISTER = [
  { name: '杭州甲科技有限公司', creditCode: code('91330100MA2H10001'), award: 'quality' },
  { name: '杭州乙制造股份有限公司', creditCode: code('91330100MA2H10002'), award: 'quality' },
];

/** The board's item for a notice: its <li>, as the server renders it. */
const itemOf = (html: string, id: string) => {
  const at = html.indexOf(`href="/notices/${id}"`);
  expect(at, id).toBeGreaterThan(0);
  return html.slice(html.lastIndexOf('<li', at), html.indexOf('</li>', at));
};
/** The board section a notice is listed in. */
const sectionOf = (html: string, id: string) => {
  const at = html.indexOf(`href="/notices/${id}"`);
  return /<h2 id="([a-z-]+)"/g.exec(html.slice(html.lastIndexOf('<h2 id=', at)))![1];
};

describeEachDb('the notice board', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let list: NoticeJson;
  let correction: NoticeJson;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T02:00:00Z', config: { OBJECTION_SUBMIT_RATE_LIMIT: 1000, LOG_CHECKPOINT_INTERVAL_MS: 0 } });
    ({ staff } = await setup(h));
    const s = api(h, staff);
    for (const a of REGISTER) expect((await s('POST', '/api/v1/cycles/2026/applicants', a)).status).toBe(201);
    const draft = async (extra: Record<string, unknown>) => {
      const res = await s('POST', '/api/v1/notices', { cycleId: '2026', type: 'material-review', title: '2026年度拟进入材料评审组织名单公示', body: '现予以公示。', ...extra });
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as NoticeJson).id;
    };
    list = await publish(h, staff, await draft({ organisations: REGISTER.map((a) => ({ name: a.name })) }));
    correction = await publish(h, staff, await draft({ title: '关于2026年度拟进入材料评审组织名单的更正公示', organisations: [{ name: REGISTER[0]!.name }], corrects: list.id }));
  });
  afterAll(async () => t.close());

  it('a corrected list takes no more objections: the API, its state filter, the board and the intake agree', async () => {
    const s = api(h, staff);
    const original = (await (await s('GET', `/api/v1/notices/${list.id}`)).json()) as NoticeJson;
    expect(original).toMatchObject({ open: false, closed: true, correctedBy: [correction.id] });
    expect(((await (await s('GET', `/api/v1/notices/${correction.id}`)).json()) as NoticeJson).open).toBe(true);
    const ids = async (state: string) => ((await (await s('GET', `/api/v1/notices?cycleId=2026&state=${state}`)).json()) as { notices: NoticeJson[] }).notices.map((n) => n.id);
    expect(await ids('open')).toEqual([correction.id]);
    expect(await ids('closed')).toEqual([list.id]);

    const board = await (await h.request('/notices')).text();
    expect(sectionOf(board, correction.id)).toBe('open-notices');
    expect(sectionOf(board, list.id)).toBe('closed-notices');
    expect(itemOf(board, list.id)).toContain('已更正');
    const page = await (await h.request(`/notices/${list.id}`)).text();
    expect(page).not.toContain(`/notices/${list.id}/objection"`);
    // Linked by title, not by id.
    expect(page).toContain(`>关于2026年度拟进入材料评审组织名单的更正公示 </a>`);

    const refused = await expectProblem(await submitObjection(h, list.id), 409, 'objection-window-closed');
    expect(refused.correctedBy).toBe(correction.id);
    expect(String(refused.detail_zh)).toContain(`已由公告 ${correction.id} 更正`);
    expect((await submitObjection(h, correction.id)).status).toBe(201);
  });

  it('the register’s codes on the lists and on a result notice, whose kind the board prints once', async () => {
    const listPage = await (await h.request(`/notices/${correction.id}`)).text();
    expect(listPage).toContain('<th scope="col">统一社会信用代码</th>');
    expect(listPage).toContain(`<td class="mono">${REGISTER[0]!.creditCode}</td>`);

    const s = api(h, staff);
    const r = (await (await submitObjection(h, correction.id, { organisation: REGISTER[0]!.name, name: '王五' })).json()) as ReceiptJson;
    await rosterUnit(h, staff, '市经信局');
    await verifiedBy(h, staff, r.objectionId, { 市经信局: '经核查，反映情况不属实。' });
    expect((await s('POST', `/api/v1/objections/${r.objectionId}/decision`, { decision: 'rejected', summary: '经核查，异议不成立。' })).status).toBe(200);
    const draft = (await (await s('POST', '/api/v1/notices', { cycleId: '2026', type: 'objection-result', title: '关于拟进入材料评审组织名单异议核查结果的公告', body: '现将异议核查结果公告如下。', objectionIds: [r.objectionId] })).json()) as { id: string };
    const preview = (await (await s('GET', `/api/v1/notices/${draft.id}/preview`)).json()) as { organisations: { name: string; code?: string }[] };
    expect(preview.organisations).toEqual([{ name: REGISTER[0]!.name, code: REGISTER[0]!.creditCode }]);
    const result = await publish(h, staff, draft.id);
    expect(result.document!.organisations).toEqual([{ name: REGISTER[0]!.name, code: REGISTER[0]!.creditCode }]);
    expect(await (await h.request(`/notices/${result.id}`)).text()).toContain(`<td class="mono">${REGISTER[0]!.creditCode}</td>`);

    const item = itemOf(await (await h.request('/notices')).text(), result.id);
    expect(item.split('异议核查结果').length - 1, item).toBe(2); // once in the title, once as the kind
    expect(item).not.toMatch(/异议核查结果<\/span>\s*异议核查结果/);
  });

  it('a list without codes (a cycle without a register) has no empty code column', async () => {
    const s = api(h, staff);
    expect((await s('POST', '/api/v1/cycles', { id: 'free', name: '无登记册周期' })).status).toBe(201);
    expect((await s('PUT', '/api/v1/cycles/free/objection-intake', EXAMPLE_INTAKE)).status).toBe(200);
    const d = (await (await s('POST', '/api/v1/notices', { cycleId: 'free', type: 'material-review', title: '名单公示', body: '现予以公示。', organisations: [{ name: '杭州丙服务集团' }] })).json()) as { id: string };
    const n = await publish(h, staff, d.id);
    const page = await (await h.request(`/notices/${n.id}`)).text();
    expect(page).toContain('杭州丙服务集团');
    expect(page).not.toContain('统一社会信用代码</th>');
  });
});
