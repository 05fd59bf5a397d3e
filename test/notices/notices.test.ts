import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { canonicalJson, getDocument, getEntry } from '../../src/log/index.js';
import { toHex } from '../../crypto/bytes.js';
import { api, draftNotice, ORGS, publish, publishedNotice, setup, stored, submitObjection, type NoticeJson } from './support.js';
import { expectProblem } from '../support/problems.js';

const hashOf = (doc: unknown) => toHex(sha256(new TextEncoder().encode(canonicalJson(doc))));

describeEachDb('notices', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let supervisor: string;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T02:00:00Z', config: { OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    ({ staff, supervisor } = await setup(h));
  });
  afterAll(async () => t.close());

  it('a draft is not public; staff and supervisors see it', async () => {
    h.clock.set('2026-03-02T02:00:00Z');
    const d = await draftNotice(h, staff);
    expect(d.status).toBe('draft');
    expect(d.window).toBeNull();
    await expectProblem(await api(h)('GET', `/api/v1/notices/${d.id}`), 404, 'not-found');
    expect((await api(h, staff)('GET', `/api/v1/notices/${d.id}`)).status).toBe(200);
    expect((await api(h, supervisor)('GET', `/api/v1/notices/${d.id}`)).status).toBe(200);
    const pub = (await (await api(h)('GET', '/api/v1/notices')).json()) as { notices: NoticeJson[] };
    expect(pub.notices.map((n) => n.id)).not.toContain(d.id);
    const drafts = (await (await api(h, staff)('GET', '/api/v1/notices?state=draft')).json()) as { notices: NoticeJson[] };
    expect(drafts.notices.map((n) => n.id)).toContain(d.id);
    // Only staff draft and publish.
    await expectProblem(await api(h)('POST', `/api/v1/notices/${d.id}/publish`), 401, 'unauthorized');
    await expectProblem(await api(h, supervisor)('POST', `/api/v1/notices/${d.id}/publish`), 403, 'forbidden');
    // A draft can be edited and discarded by staff only, and neither is logged: a draft is not public.
    const logged = (await stored(h)).logEntries;
    await expectProblem(await api(h, supervisor)('PATCH', `/api/v1/notices/${d.id}`, { title: 'x' }), 403, 'forbidden');
    await expectProblem(await api(h)('DELETE', `/api/v1/notices/${d.id}`), 401, 'unauthorized');
    await expectProblem(await api(h, staff)('PATCH', `/api/v1/notices/${d.id}`, { title: '' }), 400, 'invalid-request');
    await expectProblem(await api(h, staff)('PATCH', `/api/v1/notices/${d.id}`, { type: 'award' }), 400, 'invalid-request');
    const edited = await api(h, staff)('PATCH', `/api/v1/notices/${d.id}`, { title: '更正后的标题', organisations: [{ name: '杭州甲科技有限公司' }] });
    expect((await edited.json()) as NoticeJson).toMatchObject({ title: '更正后的标题', organisations: [{ name: '杭州甲科技有限公司' }], status: 'draft' });
    expect((await api(h, supervisor)('DELETE', `/api/v1/notices/${d.id}`)).status).toBe(403);
    expect((await api(h, staff)('DELETE', `/api/v1/notices/${d.id}`)).status).toBe(204);
    await expectProblem(await api(h, staff)('GET', `/api/v1/notices/${d.id}`), 404, 'not-found');
    expect((await stored(h)).logEntries).toBe(logged);
  });

  it('publishing fixes a 7-working-day window (including the day of publication) and prints it in Beijing time', async () => {
    h.clock.set('2026-03-02T02:00:00Z'); // Monday 10:00 Beijing
    const n = await publishedNotice(h, staff);
    expect(n.status).toBe('published');
    expect(n.window).toMatchObject({ start: '2026-03-02', end: '2026-03-10', mode: 'including', closesAt: '2026-03-10T23:59:59.999+08:00' });
    expect(n.open).toBe(true);
    expect(n.document).toMatchObject({ v: 'hzqa-notice/v1', id: n.id, window: n.window, organisations: ORGS, typeName: '拟进入材料评审名单' });
    // The public sees it in full.
    const pub = (await (await api(h)('GET', `/api/v1/notices/${n.id}`)).json()) as NoticeJson;
    expect(pub).toMatchObject({ id: n.id, logIndex: n.logIndex, documentHash: n.documentHash, window: n.window });
    // Nothing changes after publication.
    const refused = await expectProblem(await api(h, staff)('PATCH', `/api/v1/notices/${n.id}`, { title: 'x' }), 409, 'conflict');
    expect(refused.detail_zh).toBe(`“${n.title}”已发布，不能修改或删除；如有错误，请发布更正公告。`);
    await expectProblem(await api(h, staff)('POST', `/api/v1/notices/${n.id}/publish`), 409, 'conflict');
    await expectProblem(await api(h, staff)('DELETE', `/api/v1/notices/${n.id}`), 409, 'conflict');
  });

  it('the document hashes to what the public log holds', async () => {
    h.clock.set('2026-03-02T02:00:00Z');
    const n = await publishedNotice(h, staff, { type: 'onsite-review', title: '拟进入现场评审名单公示' });
    expect(hashOf(n.document)).toBe(n.documentHash);
    const entry = await getEntry(t.db, n.logIndex!);
    expect(entry).toMatchObject({ type: 'notice', cycleId: '2026', docHash: n.documentHash });
    const doc = await getDocument(t.db, n.documentHash!);
    expect(doc?.body).toBe(canonicalJson(n.document));
    expect(JSON.parse(doc!.body)).toEqual(n.document);
  });

  it('a make-up Saturday counts and the Spring Festival does not', async () => {
    h.clock.set('2026-02-09T01:00:00Z'); // Monday 2026-02-09, 09:00 Beijing
    const n = await publishedNotice(h, staff);
    // 9, 10, 11, 12, 13, 14 (Saturday, 调休上班), then 15–23 off, 24 → the 7th working day.
    expect(n.window).toMatchObject({ start: '2026-02-09', end: '2026-02-24', closesAt: '2026-02-24T23:59:59.999+08:00' });
  });

  it('publication at 00:30 Beijing time counts that Beijing day (not the UTC one)', async () => {
    // Friday 00:30 Beijing (Thursday in UTC). A list published after the 17:00 cut-off starts the next
    // working day instead (test/notices/window.test.ts).
    h.clock.set('2026-03-05T16:30:00Z');
    const n = await publishedNotice(h, staff);
    expect(n.window).toMatchObject({ start: '2026-03-06', end: '2026-03-16' });
  });

  it('NOTICE_WINDOW_MODE=after does not count the day of publication: the window starts the next working day, and the printed range holds exactly 7', async () => {
    const t2 = await openTestDb(kind);
    try {
      const h2 = testApp(t2, { now: '2026-03-02T02:00:00Z', config: { NOTICE_WINDOW_MODE: 'after' } });
      const s = await setup(h2);
      const n = await publishedNotice(h2, s.staff);
      expect(n.window).toMatchObject({ start: '2026-03-03', end: '2026-03-11', mode: 'including' });
    } finally {
      await t2.close();
    }
  });

  it('a window reaching into a year without a State Council table is refused, and nothing is published', async () => {
    h.clock.set('2026-12-28T02:00:00Z');
    const d = await draftNotice(h, staff);
    const body = await expectProblem(await api(h, staff)('POST', `/api/v1/notices/${d.id}/publish`), 422, 'calendar-year-unknown');
    expect(body.year).toBe(2027);
    const again = (await (await api(h, staff)('GET', `/api/v1/notices/${d.id}`)).json()) as NoticeJson;
    expect(again.status).toBe('draft');
    expect(again.logIndex).toBeNull();
  });

  it('a correction is a new notice pointing to the corrected one; the original stays as it was', async () => {
    h.clock.set('2026-03-02T02:00:00Z');
    const original = await publishedNotice(h, staff);
    const c = await publishedNotice(h, staff, {
      corrects: original.id,
      title: '关于拟进入材料评审组织名单公示的更正',
      organisations: [...ORGS.slice(0, 2), { name: '杭州丁环保有限公司' }],
    });
    expect(c.corrects).toBe(original.id);
    expect(c.document).toMatchObject({ corrects: { id: original.id, logIndex: original.logIndex, documentHash: original.documentHash } });
    const entry = await getEntry(t.db, c.logIndex!);
    expect(entry?.refs).toEqual({ corrects: original.logIndex, 'calendar.0': expect.any(Number) }); // and the calendar table the window used
    const o2 = (await (await api(h)('GET', `/api/v1/notices/${original.id}`)).json()) as NoticeJson;
    expect(o2.correctedBy).toEqual([c.id]);
    expect(o2.documentHash).toBe(original.documentHash);
    expect(o2.organisations).toEqual(ORGS);
    // A second correction of the same notice must correct the correction instead.
    const d = await draftNotice(h, staff, { corrects: original.id });
    const p = await expectProblem(await api(h, staff)('POST', `/api/v1/notices/${d.id}/publish`), 409, 'conflict');
    expect(p.correctedBy).toBe(c.id);
    // A correction keeps the type of the notice it corrects, and corrects only published notices.
    await expectProblem(await api(h, staff)('POST', '/api/v1/notices', { cycleId: '2026', type: 'onsite-review', title: 't', body: 'b', organisations: ORGS, corrects: original.id }), 400, 'invalid-request');
    await expectProblem(await api(h, staff)('POST', '/api/v1/notices', { cycleId: '2026', type: 'material-review', title: 't', body: 'b', organisations: ORGS, corrects: d.id }), 409, 'conflict');
  });

  it('revocation notices have no window and take no objections', async () => {
    h.clock.set('2026-03-02T02:00:00Z');
    await expectProblem(
      await api(h, staff)('POST', '/api/v1/notices', { cycleId: '2026', type: 'revocation', title: '撤销公告', body: '……', organisations: [ORGS[0]] }),
      400,
      'invalid-request',
    );
    // Only a winner can be revoked: this cycle has no list of winners (a whole revocation: test/procedure/register.test.ts).
    const d = await draftNotice(h, staff, {
      type: 'revocation',
      title: '关于撤销杭州甲科技有限公司市政府质量奖的公告',
      organisations: [ORGS[0]],
      revocation: { basis: '六(三)', award: 'quality', approvalNumber: '杭政函〔2026〕1号', approvalDate: '2026-03-01' },
    });
    expect(d.window).toBeNull();
    await expectProblem(await api(h, staff)('POST', `/api/v1/notices/${d.id}/publish`), 409, 'conflict');
    // Without the approval's 文号 and date: refused.
    const unapproved = await draftNotice(h, staff, { type: 'revocation', title: '撤销公告', organisations: [ORGS[0]], revocation: { basis: '六(三)', award: 'quality' } });
    await expectProblem(await api(h, staff)('POST', `/api/v1/notices/${unapproved.id}/publish`), 422, 'unprocessable');
  });

  it('initial-winners: names typed by hand are refused; an unknown ballot is refused; no tallied ballot, nothing to list', async () => {
    h.clock.set('2026-03-02T02:00:00Z');
    const s = api(h, staff);
    await expectProblem(
      await s('POST', '/api/v1/notices', { cycleId: '2026', type: 'initial-winners', title: 't', body: 'b', organisations: [{ name: '杭州甲科技有限公司', award: 'quality' }] }),
      422,
      'unprocessable',
    );
    const res = await s('POST', '/api/v1/notices', { cycleId: '2026', type: 'initial-winners', title: 't', body: 'b', ballotIds: ['b_nope'] });
    expect([404, 409]).toContain(res.status);
    const draft = (await (await s('POST', '/api/v1/notices', { cycleId: '2026', type: 'initial-winners', title: 't', body: 'b' })).json()) as NoticeJson;
    await expectProblem(await s('POST', `/api/v1/notices/${draft.id}/publish`), 409, 'conflict');
    expect((await s('POST', '/api/v1/notices', { cycleId: '2026', type: 'material-review', title: 't', body: 'b', organisations: [ORGS[0], ORGS[0]] })).status).toBe(400);
  });

  it('lists filter by cycle, type and open/closed', async () => {
    h.clock.set('2026-03-02T02:00:00Z');
    const n = await publishedNotice(h, staff, { type: 'onsite-review' });
    const list = async (q: string) => ((await (await api(h)('GET', `/api/v1/notices?${q}`)).json()) as { notices: NoticeJson[] }).notices;
    expect((await list('cycleId=2026&type=onsite-review&state=open')).map((x) => x.id)).toContain(n.id);
    expect((await list('type=material-review')).every((x) => x.type === 'material-review')).toBe(true);
    expect(await list('cycleId=1999')).toEqual([]);
    expect((await list('state=draft')).length).toBe(0); // the public never sees drafts
    h.clock.set('2026-03-10T16:00:00Z'); // 2026-03-11 00:00 Beijing
    expect((await list('state=open')).map((x) => x.id)).not.toContain(n.id);
    const closed = await list('state=closed');
    expect(closed.map((x) => x.id)).toContain(n.id);
    expect(closed.find((x) => x.id === n.id)).toMatchObject({ open: false, closed: true });
    await expectProblem(await api(h)('GET', '/api/v1/notices?state=bogus'), 400, 'invalid-request');
  });
});
