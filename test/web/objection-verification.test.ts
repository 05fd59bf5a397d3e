// The staff console drives an objection's verification in a real browser: member units are chosen from
// the judging group's roster (no free text), each unit's finding is recorded, a decision without a unit is
// refused on the page, the decision cites the findings; an upheld objection's entry is then on hold (the
// query that fixing the 拟授奖组织名单 consults lists it) until the judging group's reason for keeping it is
// recorded — each step a public log entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, publishedMaterialList, startWeb, type WebHarness } from './support.js';
import { objectionForm } from '../notices/support.js';
import { entriesOnHold } from '../../src/objections/holds.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!HAVE_CHROMIUM)('the staff console verifies an objection with member units of the roster', () => {
  let w: WebHarness;
  let page: Page;
  let trackingNo: string;

  const logTypes = async () => {
    const types: string[] = [];
    for (;;) {
      const res = await w.api(`/api/v1/log/entries/${types.length}`);
      if (res.status === 404) return types;
      expect(res.status).toBe(200);
      types.push(((await res.json()) as { type: string }).type);
    }
  };

  /** Records one unit's finding in its own form. */
  const recordFinding = async (unit: string, text: string) => {
    const form = page.locator('form.finding-form', { has: page.getByLabel(`${unit}的核查情况`) });
    await form.getByLabel(`${unit}的核查情况`).fill(text);
    await form.getByRole('button', { name: '记录核查情况' }).click();
    await expect.poll(() => page.locator('#unit-findings').textContent(), { timeout: 20_000 }).toContain(text);
  };

  beforeAll(async () => {
    w = await startWeb();
    const noticeId = await publishedMaterialList(w, ['杭州甲科技有限公司', '杭州乙制造股份有限公司']);
    for (const unit of ['市经济和信息化局', '市应急管理局', '市科学技术局']) {
      await w.call('/api/v1/cycles/2026/members', { method: 'POST', json: { name: `${unit}代表`, unit, isChair: unit === '市经济和信息化局' } });
    }
    const res = await w.api(`/api/v1/notices/${noticeId}/objections`, { method: 'POST', body: objectionForm({ organisation: '杭州乙制造股份有限公司' }) });
    expect(res.status, await res.clone().text()).toBe(201);
    ({ trackingNo } = (await res.json()) as { trackingNo: string });
    ({ page } = await w.newPage());
    page.on('dialog', (d) => void d.accept());
    await page.goto('/staff');
    await page.getByLabel('访问令牌').fill(w.staff);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#tab-objections').click({ timeout: 20_000 });
    await page.locator(`#open-${trackingNo}`).click({ timeout: 20_000 });
    await page.locator(`#objection-${trackingNo}`).waitFor({ timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await w?.close();
  });

  it('units from the roster, a finding each, the decision citing them; a decision without a unit is refused on the page', async () => {
    const box = page.locator(`#objection-${trackingNo}`);
    // The roster's units are the only choice: a box each, no text field for a unit.
    expect(await box.locator('#assign-form input[type=checkbox]').count()).toBe(3);
    expect(await box.locator('#assign-form input[type=text], #assign-form input:not([type])').count()).toBe(0);
    await box.getByLabel('核查结论').selectOption('rejected');
    await box.getByLabel(/结论摘要/).fill('经核查，异议不成立。');
    await box.getByRole('button', { name: '作出结论' }).click();
    await expect.poll(() => page.locator('#flash').textContent(), { timeout: 20_000 }).toContain('至少指派一个单位');
    const before = (await logTypes()).length;

    await box.getByLabel('市经济和信息化局', { exact: true }).check();
    await box.getByLabel('市应急管理局', { exact: true }).check();
    await box.getByRole('button', { name: '指派' }).click();
    await recordFinding('市经济和信息化局', '经核查，该组织申报材料中的证书已过有效期。');
    await w.shot(page, 'staff-objection-units');
    // Not every unit heard yet: refused, naming the unit.
    await page.locator(`#objection-${trackingNo}`).getByLabel('核查结论').selectOption('upheld');
    await page.locator(`#objection-${trackingNo}`).getByLabel(/结论摘要/).fill('经核查，异议成立。');
    await page.locator(`#objection-${trackingNo}`).getByRole('button', { name: '作出结论' }).click();
    await expect.poll(() => page.locator('#flash').textContent(), { timeout: 20_000 }).toContain('请先记录 市应急管理局 的核查情况');
    await recordFinding('市应急管理局', '经核查，情况属实。');
    await page.locator(`#objection-${trackingNo}`).getByLabel('核查结论').selectOption('upheld');
    await page.locator(`#objection-${trackingNo}`).getByLabel(/结论摘要/).fill('经核查，该组织申报材料中的证书已过有效期，异议成立。');
    await page.locator(`#objection-${trackingNo}`).getByRole('button', { name: '作出结论' }).click();
    await expect.poll(() => page.locator('#objection-history').textContent(), { timeout: 20_000 }).toContain('作出核查结论（成立）');
    const history = (await page.locator('#objection-history').textContent())!;
    expect(history).toContain('交由 市经济和信息化局、市应急管理局 会同核查');
    expect(history).toContain('记录核查情况：经核查，情况属实。（市应急管理局）');
    expect((await logTypes()).slice(before)).toEqual(['objection-assigned', 'objection-finding', 'objection-finding', 'objection-decision']);
  });

  it('upheld: the entry is on hold until the judging group’s reason for keeping it is recorded', async () => {
    await page.locator('#draft-result').click({ timeout: 20_000 });
    await page.locator('#publish-result').click({ timeout: 20_000 });
    await page.locator('#result-notice-link').waitFor({ timeout: 20_000 });
    const box = page.locator(`#objection-${trackingNo}`);
    expect(await box.locator('dl').textContent()).toContain('该组织在名单中的条目暂停处理');
    expect((await entriesOnHold(w.server.deps.db, '2026')).map((e) => [e.trackingNo, e.organisation])).toEqual([[trackingNo, '杭州乙制造股份有限公司']]);
    await w.shot(page, 'staff-objection-hold');
    await box.getByLabel('评审组保留该条目的理由').fill('证书已于公示期内换发，评审组认为不影响申报条件，予以保留。');
    await box.getByRole('button', { name: '记录保留理由' }).click();
    await expect.poll(() => page.locator(`#objection-${trackingNo} dl`).textContent(), { timeout: 20_000 }).toContain('评审组保留该条目，理由：证书已于公示期内换发');
    expect(await page.locator('#objection-history').textContent()).toContain('记录评审组保留该条目的理由');
    expect(await entriesOnHold(w.server.deps.db, '2026')).toEqual([]);
    expect((await logTypes()).at(-1)).toBe('objection-hold-kept');
  });
});
