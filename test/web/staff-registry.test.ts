// The staff console, in a real browser, for what arrives on paper: an objection posted to the bureau is
// registered with its receipt date and postmark and gets its receipt, log entry and clock; a postmark
// later than the receipt is refused on the page with nothing stored. A new year's State Council table is
// entered from the text of its notice: listed day by day, published only once confirmed, and then in
// the calendar everyone counts with; a local day off is added and withdrawn, each in the public log.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, PDF, publishedMaterialList, startWeb, type WebHarness } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const TEXT_2027 = readFileSync(new URL('../calendar/notices/2027.txt', import.meta.url), 'utf8');
const URL_2027 = 'https://www.gov.cn/zhengce/content/202611/content_0000000.htm';

interface Objection {
  id: string;
  trackingNo: string;
  receivedDate: string;
}

describe.skipIf(!HAVE_CHROMIUM)('the staff console registers paper objections and enters the calendar', () => {
  let w: WebHarness;
  let noticeId: string;
  let page: Page;

  const objections = async () => (await w.call<{ objections: Objection[] }>('/api/v1/objections?cycleId=2026')).objections;
  /** The type of every entry in the public log, read until the first index that is not there. */
  const logTypes = async () => {
    const types: string[] = [];
    for (;;) {
      const res = await w.api(`/api/v1/log/entries/${types.length}`);
      if (res.status === 404) return types;
      expect(res.status).toBe(200);
      types.push(((await res.json()) as { type: string }).type);
    }
  };

  beforeAll(async () => {
    w = await startWeb();
    noticeId = await publishedMaterialList(w, ['杭州甲科技有限公司', '杭州乙制造股份有限公司']);
    ({ page } = await w.newPage());
    await page.goto('/staff');
    await page.getByLabel('访问令牌').fill(w.staff);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#tab-registered').click({ timeout: 20_000 });
    await page.locator('#registered-form').waitFor({ timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await w?.close();
  });

  async function fillPostedLetter(received: string, postmark: string) {
    await page.locator('#reg-notice').selectOption(noticeId);
    await page.locator('#reg-channel').selectOption('post');
    await page.locator('#reg-postmark').fill(postmark);
    await page.locator('#reg-received').fill(received);
    await page.getByLabel('单位', { exact: true }).check();
    await page.locator('#reg-name').fill('杭州丙电子有限公司');
    await page.locator('#reg-credit').fill('91350100M000100Y43');
    await page.locator('#reg-contact-person').fill('李四');
    await page.locator('#reg-contact').fill('0571-87654321');
    await page.locator('#reg-org').selectOption('杭州乙制造股份有限公司');
    await page.locator('#reg-facts').fill('该组织申报材料中的质量管理体系认证证书已过有效期。');
    await page.locator('#reg-reasons').fill('不符合申报条件。');
    await page.locator('#reg-letter').setInputFiles({ name: '盖章异议书.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.locator('#reg-files').setInputFiles({ name: '证书复印件.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.from('%evidence\n')]) });
    await page.locator('#reg-declaration').check();
  }

  it('a posted letter whose postmark is later than its receipt is refused on the page, and nothing is stored', async () => {
    await fillPostedLetter('2026-03-02', '2026-03-03');
    await page.getByRole('button', { name: '登记并出具回执' }).click();
    await expect.poll(() => page.locator('#flash .alert-error').textContent(), { timeout: 20_000 }).toContain('登记信息无效：邮戳日期不能晚于收到日期。');
    expect(await objections()).toEqual([]);
  });

  it('a posted letter is registered with its receipt date and postmark: a receipt to print, a log entry, the clock from that date', async () => {
    await fillPostedLetter('2026-03-02', '2026-03-02');
    await page.getByRole('button', { name: '登记并出具回执' }).click();
    const tracking = (await page.locator('#registered-tracking').textContent({ timeout: 20_000 }))!.trim();
    expect(tracking).toMatch(/^YY-20260302-/);
    expect(await page.locator('#flash').textContent()).toContain(`已登记，受理编号 ${tracking}`);
    // 5 working days from Monday 2026-03-02.
    expect(await page.locator('#registered-receipt').textContent()).toContain('2026-03-09');
    const [o] = await objections();
    expect(o).toMatchObject({ trackingNo: tracking, receivedDate: '2026-03-02' });
    expect(await w.call(`/api/v1/objections/${o!.id}`)).toMatchObject({ channel: 'post', postmarkDate: '2026-03-02', registeredBy: expect.stringContaining('王工'), files: [expect.objectContaining({ name: '证书复印件.pdf' })] });
    const receipts = await w.call<{ receipts: { trackingNo: string }[] }>(`/api/v1/notices/${noticeId}/receipts`);
    expect(receipts.receipts.map((r) => r.trackingNo)).toEqual([tracking]);
    await w.shot(page, 'staff-registered-objection');
  });

  it('a new year’s table is entered from the notice’s text: listed day by day, published once confirmed, then counted with', async () => {
    await page.locator('#tab-calendar').click();
    await page.locator('#table-form').waitFor({ timeout: 20_000 });
    expect(await page.locator('#staff-panel').textContent()).toContain('已载入国务院节假日安排的年份：2024、2025、2026');
    await page.locator('#table-text').fill(TEXT_2027);
    await page.locator('#table-url').fill(URL_2027);
    await page.getByRole('button', { name: '解析并逐日列出' }).click();
    const rows = page.locator('#table-days tbody tr');
    await rows.first().waitFor({ timeout: 20_000 });
    expect(await rows.count()).toBeGreaterThan(20);
    expect(await page.locator('#table-days').textContent()).toContain('2027-01-01');
    expect((await w.call<{ years: number[] }>('/api/v1/calendar')).years).not.toContain(2027);
    // Dismissing the confirmation publishes nothing.
    page.once('dialog', (d) => void d.dismiss());
    await page.getByRole('button', { name: '核对无误，发布2027年安排' }).click();
    await page.waitForTimeout(500);
    expect((await w.call<{ years: number[] }>('/api/v1/calendar')).years).not.toContain(2027);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '核对无误，发布2027年安排' }).click();
    await expect.poll(() => page.locator('#flash').textContent(), { timeout: 20_000 }).toContain('2027年安排已发布');
    expect((await w.call<{ years: number[] }>('/api/v1/calendar')).years).toContain(2027);
    expect(await logTypes()).toContain('calendar-table');
    await expect.poll(() => page.locator('#calendar-provisional').textContent(), { timeout: 20_000 }).toContain('2028年至2035年尚无国务院安排');
    await w.shot(page, 'staff-calendar-table');
  });

  it('a local day off is added to the public log and withdrawn again', async () => {
    await page.locator('#override-form').waitFor({ timeout: 20_000 });
    await page.locator('#override-date').fill('2026-12-28');
    await page.locator('#override-kind').selectOption('off');
    await page.locator('#override-reason').fill('市政府决定的本地调休');
    await page.getByRole('button', { name: '添加并记入公开日志' }).click();
    await page.locator('#overrides').getByText('市政府决定的本地调休').waitFor({ timeout: 20_000 });
    expect((await w.call<{ overrides: { date: string }[] }>('/api/v1/calendar')).overrides.map((o) => o.date)).toEqual(['2026-12-28']);
    await page.locator('#withdraw-2026-12-28').click();
    await expect.poll(async () => (await w.call<{ overrides: unknown[] }>('/api/v1/calendar')).overrides, { timeout: 20_000 }).toEqual([]);
    expect((await logTypes()).filter((t) => t.startsWith('calendar-override')).length).toBeGreaterThanOrEqual(2);
  });
});
