// The staff console's 会议与归档 tab and its reminder, in a real browser: the cycle's meetings and
// ballots listed, the tally sheet and minutes linked, a list's organisations and a result downloaded as
// CSV, the objection register downloaded with the staff token; above every tab, objections near their
// 5-working-day deadline, then overdue, are called out as the clock moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockStartingAt } from '../../src/deps.js';
import { call } from '../../src/protocol/tablet.js';
import type { MemoryApp } from '../../tools/harness/memory-app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets } from '../../tools/harness/actors.js';
import { DEFAULT_OBJECTION, objectionForm } from '../notices/support.js';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!HAVE_CHROMIUM)('the staff console’s archive tab and reminders', () => {
  let w: WebHarness;
  let page: Page;
  let noticeId: string;
  let ballotId: string;

  beforeAll(async () => {
    w = await startWeb();
    // The members' tablets and the staff's API calls, against the real server.
    const app = { deps: w.server.deps, request: (p: string, init?: RequestInit) => w.api(p, init) } as unknown as MemoryApp;
    const tablets = await enrolledTablets(app, await cycleWithMembers(app, w.staff, '2026', 3));
    const { id } = await w.call<{ id: string }>('/api/v1/notices', {
      method: 'POST',
      json: { cycleId: '2026', type: 'material-review', title: '2026年度杭州市政府质量奖拟进入材料评审组织名单公示', body: '现将拟进入材料评审的组织名单予以公示。', organisations: [{ name: '杭州甲科技有限公司' }, { name: '杭州乙制造股份有限公司', code: '91330100716105852F' }] },
    });
    noticeId = id;
    await w.call(`/api/v1/notices/${id}/publish`, { method: 'POST' });
    const filed = await w.api(`/api/v1/notices/${id}/objections`, { method: 'POST', body: objectionForm({ ...DEFAULT_OBJECTION, organisation: '杭州乙制造股份有限公司' }) });
    expect(filed.status).toBe(201);
    const meetingId = (await w.call<{ id: string }>('/api/v1/cycles/2026/meetings', { method: 'POST', json: { title: '2026年度评审组全体会议' } })).id;
    for (const t of tablets) await t.checkIn(meetingId);
    await adoptProcedure(w.api, { staff: w.staff, supervisor: w.supervisor }, meetingId, tablets[0]!, 3);
    ballotId = (await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', { method: 'POST', json: { meetingId, award: 'innovation', seats: 1, candidates: [{ name: '杭州丁科技有限公司' }, { name: '杭州戊制造有限公司' }] } })).id;
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'voting' } });
    for (const t of tablets) await t.raiseHands(ballotId, { c01: 'for', c02: 'against' });
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'tallied' } });
    await call(w.api, `/api/v1/meetings/${meetingId}/close`, { method: 'POST', token: w.staff });

    ({ page } = await w.newPage());
    await page.goto('/staff');
    await page.getByLabel('访问令牌').fill(w.staff);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#tab-archive').click({ timeout: 20_000 });
    await page.locator('#archive-ballots').waitFor({ timeout: 20_000 });
  }, 180_000);
  afterAll(async () => w?.close());

  it('lists the meeting and its ballot with the print pages, and downloads the CSV files', async () => {
    const meetings = await page.locator('#archive-meetings tbody tr').allInnerTexts();
    expect(meetings).toHaveLength(1);
    expect(meetings[0]).toContain('2026年度评审组全体会议');
    expect(meetings[0]).toContain('已结束');
    expect(await page.locator('#archive-ballots tbody tr').innerText()).toContain('已计票');
    expect(await page.getByRole('link', { name: '计票结果报告单' }).getAttribute('href')).toBe(`/print/ballots/${ballotId}/tally-sheet`);
    expect(await page.getByRole('link', { name: '会议纪要' }).count()).toBe(1);
    await w.shot(page, 'staff-archive');

    const result = page.waitForEvent('download');
    await page.getByRole('link', { name: '计票结果（CSV）' }).click();
    const resultCsv = await (await result).path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p!, 'utf8')));
    expect(resultCsv).toContain('1,杭州丁科技有限公司,3,0,0,0,3,是,当选');

    const list = page.waitForEvent('download');
    await page.locator('#archive-notices').getByRole('link', { name: '名单（CSV）' }).click();
    const listDownload = await list;
    expect(listDownload.suggestedFilename()).toBe('2026年度杭州市政府质量奖拟进入材料评审组织名单公示（名单）.csv');
    expect(await page.locator('#archive-notices a', { hasText: '打印' }).getAttribute('href')).toBe(`/notices/${noticeId}`);

    const register = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载异议登记表（CSV）' }).click();
    const registerDownload = await register;
    expect(registerDownload.suggestedFilename()).toBe('2026 年度杭州市政府质量奖异议登记表.csv');
    const text = await import('node:fs').then(async (fs) => fs.readFileSync((await registerDownload.path())!, 'utf8'));
    expect(text).toContain('杭州乙制造股份有限公司,个人');
    expect(text).not.toContain('张三');
  });

  it('reminds staff of objections near their deadline, then overdue, above every tab', async () => {
    expect(await page.locator('#reminders').innerText()).toBe('');
    // Filed on Monday 2 March, due on Monday 9 March (5 working days): on Friday 6 March two are left.
    w.server.deps.clock = clockStartingAt(new Date('2026-03-06T10:00:00+08:00'));
    await page.locator('#tab-members').click();
    await expect.poll(() => page.locator('#reminders').innerText(), { timeout: 20_000 }).toContain('1件异议将在2个工作日内到期');
    w.server.deps.clock = clockStartingAt(new Date('2026-03-10T10:00:00+08:00'));
    await page.locator('#tab-archive').click();
    await expect.poll(() => page.locator('#reminders').innerText(), { timeout: 20_000 }).toContain('1件异议已超过核查期限');
    await w.shot(page, 'staff-reminder-overdue');
    await page.locator('#reminders').getByRole('button', { name: '查看异议' }).click();
    await expect.poll(() => page.locator('#tab-objections').getAttribute('aria-pressed')).toBe('true');
  });
});
