// The public objection page in a real browser (Debian's Chromium through playwright-core) against the
// Node server: a unit objects with its 统一社会信用代码, contact person, sealed letter and evidence; a
// person with their 居民身份证号码, signature and evidence; an anonymous objection and one without
// evidence are refused on the page with nothing stored. A notice is photographed on screen and as
// printed (test-artifacts/notice-screen.png, notice-print.png, notice-print.pdf): the printed notice
// keeps the list, the 异议须知, the intake details and the 落款, and drops the live parts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, PDF, SCREENSHOTS, publishedMaterialList, startWeb, type WebHarness } from './support.js';
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const ARTIFACTS = path.dirname(SCREENSHOTS);
const ORGS = ['杭州甲科技有限公司', '杭州乙制造股份有限公司', '杭州丙服务集团'];
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
const pdf = (tag: string) => Buffer.concat([PDF, Buffer.from(`% ${tag}\n`)]);

interface Detail {
  kind: string;
  identity: Record<string, string>;
  letter: { position: number } | null;
  noEvidence: boolean;
  files: unknown[];
  receiptLogIndex: number;
}

describe.skipIf(!HAVE_CHROMIUM)('objections through the public page; a notice on screen and printed', () => {
  let w: WebHarness;
  let noticeId: string;

  const objectionCount = async () => (await w.call<{ objections: unknown[] }>('/api/v1/objections?cycleId=2026')).objections.length;

  /** Fills the parts of the form every objector fills, then submits; returns the page after submission. */
  const fillCommon = async (page: Page, org: string, evidence: { name: string; mimeType: string; buffer: Buffer }[]) => {
    await page.getByLabel('联系方式').fill('0571-88880000');
    await page.getByLabel('异议对象（组织）').selectOption(org);
    await page.getByLabel('事实').fill('该组织申报材料所列2025年度质量指标与其年报数据不符。');
    await page.getByLabel('理由').fill('申报材料不实，不符合申报条件。');
    if (evidence.length) await page.getByLabel(/^佐证材料/).setInputFiles(evidence);
    await page.getByLabel(/材料真实/).check();
  };

  const submitAndReadReceipt = async (page: Page) => {
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForURL('**/objections/receipt');
    await page.locator('#receipt').getByText('受理编号').waitFor();
    return page.evaluate(() => JSON.parse(sessionStorage.getItem('hzqa.objection.receipt')!) as { objectionId: string; trackingNo: string; receiptLogIndex: number });
  };

  beforeAll(async () => {
    w = await startWeb();
    noticeId = await publishedMaterialList(w, ORGS);
  }, 60_000);

  afterAll(async () => {
    await w?.close();
  });

  it('a notice on screen shows its live parts; printed, it keeps the list, the 异议须知, the intake details and the 落款, and drops them', async () => {
    const { page } = await w.newPage();
    await page.goto(`/notices/${noticeId}`);
    await expect.poll(() => page.locator('#verify').getAttribute('data-verified'), { timeout: 15_000 }).toBe('true');
    const live = [page.locator('#verify'), page.locator('[data-closes-at]'), page.getByRole('link', { name: '对本名单提出异议' }), page.locator('.site-header')];
    for (const l of live) expect(await l.isVisible()).toBe(true);
    const rules = page.locator('section.objection-rules');
    for (const s of ['异议须知', '以书面形式', '加盖本单位公章', '匿名异议和逾期提出的异议不予受理', '以寄出邮戳日期为准', EXAMPLE_INTAKE.unit, EXAMPLE_INTAKE.phone, EXAMPLE_INTAKE.postcode])
      expect(await rules.textContent()).toContain(s);
    // Published Monday 2026-03-02 10:00 Beijing time, before the cut-off: 7 working days 3月2日 to 3月10日.
    expect(await rules.textContent()).toContain('2026年3月2日至2026年3月10日，共7个工作日');
    expect(await page.locator('.sign-off').textContent()).toContain('2026年3月2日');
    await page.screenshot({ path: path.join(ARTIFACTS, 'notice-screen.png'), fullPage: true });

    await page.emulateMedia({ media: 'print' });
    for (const l of live) expect(await l.isVisible()).toBe(false);
    for (const l of [rules, page.locator('.sign-off'), page.locator('table').first()]) expect(await l.isVisible()).toBe(true);
    for (const name of ORGS) expect(await page.getByRole('cell', { name }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'notice-print.png'), fullPage: true });
    const printed = await page.pdf({ path: path.join(ARTIFACTS, 'notice-print.pdf'), format: 'A4', printBackground: false });
    expect(printed.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    for (const f of ['notice-screen.png', 'notice-print.png']) expect(fs.statSync(path.join(ARTIFACTS, f)).size).toBeGreaterThan(10_000);
  });

  it('a unit objects with its credit code, contact person, sealed letter and evidence', async () => {
    const before = await objectionCount();
    const { page } = await w.newPage();
    await page.goto(`/notices/${noticeId}`);
    await page.getByRole('link', { name: '对本名单提出异议' }).click();
    await page.getByRole('radio', { name: '单位' }).check();
    // Only the unit's identity fields are shown (and sent). Polled: on a loaded machine the page's
    // script may attach its listener just after the click, and it then hides the fields on start.
    await expect.poll(() => page.getByLabel('居民身份证号码').isVisible()).toBe(false);
    await page.getByLabel('异议人名称/姓名').fill('杭州丁检测技术有限公司');
    await page.getByLabel('统一社会信用代码').fill('91350100M000100Y43');
    await page.getByLabel('联系人').fill('李四');
    await page.getByLabel(/^异议书扫描件/).setInputFiles({ name: '盖章异议书.pdf', mimeType: 'application/pdf', buffer: pdf('sealed') });
    await fillCommon(page, ORGS[0]!, [
      { name: '年报摘录.pdf', mimeType: 'application/pdf', buffer: pdf('report') },
      { name: '现场照片.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await w.shot(page, 'objection-form-unit');
    const receipt = await submitAndReadReceipt(page);
    const text = (await page.locator('#receipt').textContent())!;
    for (const s of ['盖章异议书.pdf', '年报摘录.pdf', '现场照片.png']) expect(text).toContain(s);
    await w.shot(page, 'objection-receipt-unit');

    const d = await w.call<Detail>(`/api/v1/objections/${receipt.objectionId}`);
    expect(d).toMatchObject({ kind: 'unit', identity: { kind: 'unit', creditCode: '91350100M000100Y43', contactPerson: '李四' }, letter: { position: 0 }, noEvidence: false });
    // The sealed letter is kept apart (position 0), the evidence files after it.
    expect((d.files as { position: number; name: string }[]).map((f) => [f.position, f.name])).toEqual([
      [1, '年报摘录.pdf'],
      [2, '现场照片.png'],
    ]);
    expect(await objectionCount()).toBe(before + 1);
    // The public log records the kind and the count of evidence files, never the identity.
    const entry = await w.call<{ document: Record<string, unknown> }>(`/api/v1/log/entries/${receipt.receiptLogIndex}`);
    expect(entry.document).toMatchObject({ objectorKind: 'unit', evidenceFiles: 2, noEvidence: false, channel: 'online' });
    expect(JSON.stringify(entry)).not.toContain('91350100M000100Y43');
    expect(JSON.stringify(entry)).not.toContain('李四');
  });

  it('a person objects with their ID number, signature and evidence', async () => {
    const { page } = await w.newPage();
    await page.goto(`/notices/${noticeId}/objection`);
    expect(await page.getByLabel('统一社会信用代码').isVisible()).toBe(false);
    await page.getByLabel('异议人名称/姓名').fill('王五');
    await page.getByLabel('居民身份证号码').fill('11010519491231002X');
    await page.getByLabel(/^签名/).fill('王五');
    await fillCommon(page, ORGS[1]!, [{ name: '质量事故通报.pdf', mimeType: 'application/pdf', buffer: pdf('person') }]);
    await w.shot(page, 'objection-form-person');
    const receipt = await submitAndReadReceipt(page);
    const d = await w.call<Detail>(`/api/v1/objections/${receipt.objectionId}`);
    expect(d).toMatchObject({ kind: 'person', identity: { kind: 'person', idNumber: '11010519491231002X', signature: '王五' }, letter: null, noEvidence: false });
    const entry = await w.call<{ document: Record<string, unknown> }>(`/api/v1/log/entries/${receipt.receiptLogIndex}`);
    expect(entry.document).toMatchObject({ objectorKind: 'person', evidenceFiles: 1 });
    expect(JSON.stringify(entry)).not.toContain('11010519491231002X');
  });

  it('refused on the page with a clear message, nothing stored: an anonymous objection, a wrong ID check digit, no evidence', async () => {
    const before = await objectionCount();
    const { page } = await w.newPage();
    const attempt = async (name: string, id: string, evidence: boolean, expected: RegExp) => {
      await page.goto(`/notices/${noticeId}/objection`);
      await page.getByLabel('异议人名称/姓名').fill(name);
      await page.getByLabel('居民身份证号码').fill(id);
      await page.getByLabel(/^签名/).fill(name);
      await fillCommon(page, ORGS[2]!, evidence ? [{ name: 'a.pdf', mimeType: 'application/pdf', buffer: pdf(name) }] : []);
      await page.getByRole('button', { name: '提交' }).click();
      const err = page.locator('#form-error');
      await err.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await err.textContent()).toMatch(expected);
      expect(page.url()).toContain('/objection');
    };
    await attempt('匿名', '330106199003071236', true, /匿名异议不予受理/);
    await attempt('赵六', '330106199003071237', true, /居民身份证号码校验码不符/);
    await attempt('赵六', '330106199003071236', false, /至少上传一份佐证材料/);
    await w.shot(page, 'objection-refused-no-evidence');
    expect(await objectionCount()).toBe(before);
  });
});
