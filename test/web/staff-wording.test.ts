// As people read it: the meeting's proposed name from the cycle's name, the judging group's roster in the
// order staff entered it (not by random id) in the console's members and meeting tabs, and upload limits
// in MB on the public objection form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, publishedMaterialList, startWeb, type WebHarness } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const WAIT = { timeout: 30_000 };
// Six members: their random ids fall in the order entered once in 720 draws.
const ROSTER = [
  ['王主任', '杭州市市场监督管理局'],
  ['李处长', '杭州市发展和改革委员会'],
  ['张教授', '浙江大学'],
  ['陈工', '杭州市标准化研究院'],
  ['赵会长', '杭州市质量协会'],
  ['周总', '杭州市工商业联合会'],
] as const;

describe.skipIf(!HAVE_CHROMIUM)('console and form wording: meeting name, roster order, upload limits', () => {
  let w: WebHarness;
  let staff: Page;
  let noticeId: string;

  beforeAll(async () => {
    w = await startWeb();
    // The cycle as the office names it: '2026 年度杭州市政府质量奖' (a space typed after the year).
    noticeId = await publishedMaterialList(w, ['杭州甲科技有限公司']);
    for (const [i, [name, unit]] of ROSTER.entries()) await w.call('/api/v1/cycles/2026/members', { method: 'POST', json: { name, unit, isChair: i === 0 } });
    ({ page: staff } = await w.newPage());
    await staff.goto('/staff');
    await staff.getByLabel('访问令牌').fill(w.staff);
    await staff.getByRole('button', { name: '登录' }).click();
  }, 120_000);

  afterAll(async () => w?.close());

  it('the roster in the order entered, in the members tab and on the opened meeting', async () => {
    await staff.locator('#tab-members').click();
    const names = (table: string) => staff.locator(`${table} tbody tr td:first-child`).allInnerTexts();
    await expect.poll(() => names('#roster'), WAIT).toEqual(ROSTER.map(([n]) => n));
    await staff.locator('#tab-meeting').click();
    const title = staff.locator('#open-meeting input');
    await expect(title.inputValue(WAIT)).resolves.toBe('2026年度杭州市政府质量奖评审组全体会议');
    await staff.locator('#open-meeting button[type=submit]').click();
    await staff.locator('#quorum').waitFor(WAIT);
    await expect(staff.locator('h3').first().textContent()).resolves.toContain('2026年度杭州市政府质量奖评审组全体会议');
    expect((await names('#meeting-roster')).map((n) => n.replace(/（.*）$/, ''))).toEqual(ROSTER.map(([n]) => n));
    await w.shot(staff, 'staff-meeting-roster-order');
    // The roster logged with the meeting is in the same order.
    const meetingId = (await staff.locator('#quorum').getAttribute('data-meeting'))!;
    const m = await w.call<{ logIndex: number }>(`/api/v1/meetings/${meetingId}`);
    const entry = await w.call<{ entry: string }>(`/api/v1/log/entries/${m.logIndex}`);
    const doc = JSON.parse(Buffer.from(entry.entry, 'base64').toString('utf8')) as { doc: string };
    const logged = await w.call<{ document: { roster: { name: string }[] } }>(`/api/v1/log/documents/${doc.doc}`);
    expect(logged.document.roster.map((r) => r.name)).toEqual(ROSTER.map(([n]) => n));
  }, 120_000);

  it('upload limits in MB on the objection form', async () => {
    const { page } = await w.newPage();
    await page.goto(`/notices/${noticeId}/objection`);
    await expect(page.locator('#evidence-limits').textContent(WAIT)).resolves.toBe('每个文件最大 20 MB，全部文件合计最大 60 MB。');
  }, 60_000);
});
