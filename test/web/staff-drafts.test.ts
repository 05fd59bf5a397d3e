// A draft notice in the staff console: its title, text and organisations edited before it is published
// (the preview then shows the edited list), and discarded after a confirmation. Neither writes to the
// public log: a draft is the office's working paper until it is published, and then it never changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const WAIT = { timeout: 30_000 };
const TITLE = '2026年度杭州市政府质量奖拟进入材料评审组织名单公示';

describe.skipIf(!HAVE_CHROMIUM)('staff console: a draft notice edited and discarded', () => {
  let w: WebHarness;
  let staff: Page;
  let draftId: string;
  let answer: 'accept' | 'dismiss' = 'accept';
  const asked: string[] = [];
  const logSize = async () => Number((await w.server.deps.db.selectFrom('log_entry').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    w = await startWeb();
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026年度杭州市政府质量奖' } });
    await w.call('/api/v1/cycles/2026/objection-intake', { method: 'PUT', json: EXAMPLE_INTAKE });
    ({ page: staff } = await w.newPage());
    staff.on('dialog', (d) => {
      asked.push(d.message());
      void (answer === 'accept' ? d.accept() : d.dismiss());
    });
    await staff.goto('/staff');
    await staff.getByLabel('访问令牌').fill(w.staff);
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.locator('#tab-notices').click();
    await staff.locator('#draft-type').selectOption('material-review', WAIT);
    await staff.fill('#draft-title', '拟进入材料评审组织名单公示（草稿）');
    await staff.fill('#draft-body', '现将拟进入材料评审的组织名单予以公示。');
    await staff.fill('#draft-orgs-lines', '杭州甲科技有限公司\n杭州乙制造有眼公司');
    await staff.click('#draft-notice button[type=submit]');
    const card = staff.locator('.panel[id^=draft-]', { hasText: '（草稿）' });
    await card.waitFor(WAIT);
    draftId = (await card.getAttribute('id'))!.replace('draft-', '');
  }, 120_000);

  afterAll(async () => w?.close());

  it('the draft’s title, text and organisations are edited in place; nothing is logged', async () => {
    const before = await logSize();
    await staff.locator(`#edit-${draftId} summary`).click();
    await expect(staff.locator(`#edit-orgs-${draftId}`).inputValue()).resolves.toBe('杭州甲科技有限公司\n杭州乙制造有眼公司');
    await staff.fill(`#edit-title-${draftId}`, TITLE);
    await staff.fill(`#edit-body-${draftId}`, '根据《杭州市政府质量奖管理办法》三（三）7，现将拟进入材料评审的组织名单予以公示。');
    await staff.fill(`#edit-orgs-${draftId}`, '杭州甲科技有限公司\n杭州乙制造有限公司，91330100716105852F');
    await w.shot(staff, 'staff-draft-edit');
    await staff.click(`#edit-save-${draftId}`);
    await staff.locator(`#draft-${draftId} h3`, { hasText: TITLE }).waitFor(WAIT);
    await staff.click(`#show-preview-${draftId}`);
    await staff.locator(`#preview-${draftId}`).getByText('杭州乙制造有限公司').first().waitFor(WAIT);
    const saved = await w.call<{ title: string; body: string; status: string; organisations: { name: string; code?: string }[] }>(`/api/v1/notices/${draftId}`);
    expect(saved).toMatchObject({ title: TITLE, status: 'draft', organisations: [{ name: '杭州甲科技有限公司' }, { name: '杭州乙制造有限公司', code: '91330100716105852F' }] });
    expect(saved.body).toContain('三（三）7');
    expect(await logSize()).toBe(before);
  }, 60_000);

  it('a draft is discarded only once the clerk confirms; 取消 keeps it', async () => {
    const before = await logSize();
    answer = 'dismiss';
    await staff.click(`#delete-${draftId}`);
    await expect.poll(() => asked.length, WAIT).toBe(1);
    expect(asked[0]).toBe(`删除草稿“${TITLE}”后不能恢复。确定删除？`);
    await staff.waitForTimeout(1000);
    expect((await w.call<{ status: string }>(`/api/v1/notices/${draftId}`)).status).toBe('draft');
    answer = 'accept';
    await staff.click(`#delete-${draftId}`);
    await expect.poll(() => staff.locator(`#draft-${draftId}`).count(), WAIT).toBe(0);
    await expect(w.call(`/api/v1/notices/${draftId}`)).rejects.toThrow();
    expect(await logSize()).toBe(before);
  }, 60_000);
});
