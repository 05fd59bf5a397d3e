// The staff console corrects a member's entry and removes a member before they took part: the form offers
// only members whose tablet is not enrolled, each change needs a reason, removal asks first, and both are
// logged. While a meeting is open the server refuses and the console says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Tablet } from '../../src/protocol/tablet.js';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const WAIT = { timeout: 30_000 };

describe.skipIf(!HAVE_CHROMIUM)('staff console: correcting and removing members', () => {
  let w: WebHarness;
  let staff: Page;
  const ids: string[] = [];
  let answer: 'accept' | 'dismiss' = 'accept';
  const asked: string[] = [];
  const logged = async (type: string) => Number((await w.server.deps.db.selectFrom('log_entry').select((e) => e.fn.countAll<number>().as('n')).where('type', '=', type).executeTakeFirstOrThrow()).n);
  const roster = async () => (await w.call<{ members: { id: string; name: string; unit: string }[] }>('/api/v1/cycles/2026/members')).members;

  beforeAll(async () => {
    w = await startWeb();
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026年度杭州市政府质量奖' } });
    const codes: string[] = [];
    for (const [i, [name, unit]] of [['王主任', '杭州市市场监督管理局'], ['李处长', '杭州市发改委'], ['张教授', '浙江大学']].entries()) {
      const r = await w.call<{ id: string; enrollmentCode: string }>('/api/v1/cycles/2026/members', { method: 'POST', json: { name, unit, isChair: i === 0 } });
      ids.push(r.id);
      codes.push(r.enrollmentCode);
    }
    await Tablet.enroll(w.api, codes[0]!);
    ({ page: staff } = await w.newPage());
    staff.on('dialog', (d) => {
      asked.push(d.message());
      void (answer === 'accept' ? d.accept() : d.dismiss());
    });
    await staff.goto('/staff');
    await staff.getByLabel('访问令牌').fill(w.staff);
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.locator('#tab-members').click();
    await staff.locator('#change-member-form').waitFor(WAIT);
  }, 120_000);

  afterAll(async () => w?.close());

  it('only members without an enrolled tablet are offered; a correction needs a reason and is logged', async () => {
    await expect(staff.locator('#change-member option').allInnerTexts()).resolves.toEqual(['李处长（杭州市发改委）', '张教授（浙江大学）']);
    await staff.selectOption('#change-member', ids[1]!);
    await expect(staff.locator('#change-unit').inputValue()).resolves.toBe('杭州市发改委');
    await staff.fill('#change-unit', '杭州市发展和改革委员会');
    await staff.click('#change-save');
    // The browser holds the form back until the reason is given.
    await expect(staff.locator('#change-reason:invalid').count()).resolves.toBe(1);
    await staff.waitForTimeout(500);
    expect(await logged('member-amended')).toBe(0);
    await staff.fill('#change-reason', '单位名称录入不全');
    await w.shot(staff, 'staff-member-correct');
    await staff.click('#change-save');
    await staff.locator('#roster', { hasText: '杭州市发展和改革委员会' }).waitFor(WAIT);
    expect(await logged('member-amended')).toBe(1);
    expect((await roster()).find((m) => m.id === ids[1])!.unit).toBe('杭州市发展和改革委员会');
  }, 60_000);

  it('removal asks first; 取消 keeps the member; 确定 takes them off the roster and logs it', async () => {
    await staff.selectOption('#change-member', ids[2]!);
    // Removal is a button of its own: without a reason the console asks for one and sends nothing.
    await staff.click('#change-remove');
    await expect(staff.locator('#flash').textContent(WAIT)).resolves.toBe('请填写理由。');
    await staff.fill('#change-reason', '重复登记');
    answer = 'dismiss';
    await staff.click('#change-remove');
    await expect.poll(() => asked.length, WAIT).toBe(1);
    expect(asked[0]).toBe('将张教授移出评审组名单后不能恢复，移出及理由将记入公开日志。确定移出？');
    await staff.waitForTimeout(1000);
    expect((await roster()).map((m) => m.name)).toEqual(['王主任', '李处长', '张教授']);
    answer = 'accept';
    await staff.click('#change-remove');
    await expect.poll(async () => (await roster()).map((m) => m.name), WAIT).toEqual(['王主任', '李处长']);
    await expect.poll(() => staff.locator('#roster tbody tr').count(), WAIT).toBe(2);
    expect(await logged('member-removed')).toBe(1);
  }, 60_000);

  it('while a meeting is open the correction is refused and the console says why', async () => {
    await w.call('/api/v1/cycles/2026/meetings', { method: 'POST', json: { title: '2026年度杭州市政府质量奖评审组全体会议' } });
    await staff.locator('#tab-meeting').click();
    await staff.locator('#tab-members').click();
    await staff.locator('#staff-panel:not([aria-busy])').waitFor(WAIT);
    await staff.locator('#change-member-form').waitFor(WAIT);
    await staff.fill('#change-name', '李处长（更正）');
    await staff.fill('#change-reason', '姓名录入有误');
    await staff.click('#change-save');
    await staff.locator('#flash', { hasText: '正在进行' }).waitFor(WAIT);
    await expect(staff.locator('#flash').textContent(WAIT)).resolves.toBe('“2026年度杭州市政府质量奖评审组全体会议”正在进行，会议结束前名单不能改动。');
    expect(await logged('member-amended')).toBe(1);
  }, 60_000);
});
