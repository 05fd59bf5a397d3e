// The pages as the server renders them (no browser): strict CSP with no inline script or style, the
// language switch, the pinned log key, 404s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { publishedNotice, setup } from '../notices/support.js';
import { verifierKeyOf } from '../../src/log/checkpoint.js';
import { PAGE_ROUTES } from '../../src/web/routes.js';
import { NON_API_ROUTES } from '../../src/auth/guard.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { call } from '../../src/protocol/tablet.js';
import { DICT } from '../../src/web/i18n.js';

/** Half-width punctuation touching a Chinese character (the pages write ，：；？！（） there). */
const HALF_WIDTH_NEXT_TO_CHINESE = /[\u4e00-\u9fff“”《》、。][,:;?!()]|[,:;?!()][\u4e00-\u9fff“”《》]/;

describe('server-rendered pages', () => {
  let t: TestDb;
  let h: TestApp;
  let noticeId: string;
  let ballot: { id: string; meeting_id: string };

  beforeAll(async () => {
    t = await openTestDb('pglite');
    h = testApp(t);
    const tokens = await setup(h);
    noticeId = (await publishedNotice(h, tokens.staff)).id;
    // A tallied show of hands, for the tally sheet and the minutes.
    const accounts = await staffAndSupervisor(h);
    const tablets = await enrolledTablets(h, await cycleWithMembers(h, accounts.staff, 'print', 3));
    const f = fetchOf(h);
    const staffCall = <T>(path: string, json: unknown) => call<T>(f, path, { method: 'POST', token: accounts.staff, json });
    const meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/print/meetings', { title: '评审组全体会议' })).id;
    for (const tab of tablets) await tab.checkIn(meetingId);
    await adoptProcedure(f, accounts, meetingId, tablets[0]!, 3);
    const id = (await staffCall<{ id: string }>('/api/v1/cycles/print/ballots', { meetingId, award: 'innovation', seats: 1, candidates: [{ name: '甲公司' }, { name: '乙集团' }] })).id;
    await staffCall(`/api/v1/ballots/${id}/phase`, { to: 'voting' });
    for (const tab of tablets) await tab.raiseHands(id, { c01: 'for', c02: 'against' });
    await staffCall(`/api/v1/ballots/${id}/phase`, { to: 'tallied' });
    ballot = { id, meeting_id: meetingId };
  });
  afterAll(async () => t.close());

  // The print pages need a tallied ballot and its meeting; every other page takes the notice.
  const paths = () => PAGE_ROUTES.map((p) => p.replace(':id', p.startsWith('/print/ballots/') ? ballot.id : p.startsWith('/print/meetings/') || p.startsWith('/meeting/') ? ballot.meeting_id : noticeId));

  it('every page is listed in NON_API_ROUTES', () => {
    for (const p of PAGE_ROUTES) expect(NON_API_ROUTES.some((r) => r.method === 'GET' && r.path === p), p).toBe(true);
  });

  it('serves every page as HTML under the strict CSP, with no inline script or style', async () => {
    for (const path of paths()) {
      const res = await h.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await res.text();
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('lang="zh-CN"');
      // Every script is a file of this app, or a JSON data block (never executed).
      for (const m of html.matchAll(/<script([^>]*)>/g)) expect(m[1], path).toMatch(/src="\/assets\/web\/[a-z]+\.js"|type="application\/json"/);
      expect(html).not.toMatch(/\sstyle=|<style/);
      expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
    }
  });

  it('switches to English with ?lang=en (remembered in a cookie) and back', async () => {
    const en = await h.request('/notices?lang=en');
    expect(en.headers.get('set-cookie')).toMatch(/lang=en/);
    expect(await en.text()).toContain('<h1>Public notices</h1>');
    const again = await h.request('/notices', { headers: { cookie: 'lang=en' } });
    const html = await again.text();
    expect(html).toContain('lang="en"');
    expect(html).toContain('Public notices');
    expect(await (await h.request('/notices', { headers: { cookie: 'lang=xx' } })).text()).toContain('公示公告');
  });

  it('a notice page shows the document and pins the log key from the server config', async () => {
    const html = await (await h.request(`/notices/${noticeId}`)).text();
    expect(html).toContain(`data-log-key="${verifierKeyOf(h.deps.keys.logSignerKey)}"`);
    expect(html).toContain('杭州乙制造股份有限公司');
    const block = /<script type="application\/json" id="notice-document">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const doc = JSON.parse(block);
    expect(doc.v).toBe('hzqa-notice/v1');
    expect(doc.id).toBe(noticeId);
  });

  it('Chinese text takes full-width punctuation: every message, and every page as rendered in Chinese', async () => {
    const bad = Object.entries(DICT).filter(([, v]) => HALF_WIDTH_NEXT_TO_CHINESE.test(v.zh)).map(([k, v]) => `${k}: ${v.zh}`);
    expect(bad).toEqual([]);
    expect(HALF_WIDTH_NEXT_TO_CHINESE.test('异议对象(组织)')).toBe(true);
    for (const path of paths()) {
      const html = await (await h.request(path)).text();
      const text = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, '\n');
      const lines = text.split('\n').filter((l) => HALF_WIDTH_NEXT_TO_CHINESE.test(l));
      expect(lines, path).toEqual([]);
    }
    // Notices date their window and publication in 年月日.
    const notice = await (await h.request(`/notices/${noticeId}`)).text();
    expect(notice).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(notice).toMatch(/\d{4}年\d{1,2}月\d{1,2}日至\d{4}年\d{1,2}月\d{1,2}日（北京时间/);
  });

  it('answers 404 pages for unknown or malformed notices', async () => {
    expect((await h.request('/notices/n_AAAAAAAAAAAA')).status).toBe(404);
    expect((await h.request('/notices/nope')).status).toBe(404);
    expect((await h.request('/notices/nope/objection')).status).toBe(404);
  });
});
