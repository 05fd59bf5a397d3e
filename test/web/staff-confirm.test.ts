// The staff console asks before every irreversible step of the meeting — each phase of a vote (a show of
// hands: 表决中, 已计票; a secret ballot: 领取选票凭证, 投票中, 投票结束) and 结束会议 — in the browser's own dialog, naming what the step fixes;
// 取消 sends nothing. And a refusal shown in one tab does not stay on top of the next tab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialog, Page } from 'playwright-core';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, adoptThroughThePages, startWeb, type WebHarness } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const WAIT = { timeout: 30_000 };
const TITLE = '2026年度创新奖举手表决';

describe.skipIf(!HAVE_CHROMIUM)('staff console: confirmations before irreversible steps, no stale alert', () => {
  let w: WebHarness;
  let staff: Page;
  const codes: string[] = [];
  const tablets: Page[] = [];
  let ballotId: string;
  let meetingId: string;
  /** What the next dialog is answered; every dialog's text is kept. */
  let answer: 'accept' | 'dismiss' = 'accept';
  const asked: string[] = [];

  const phase = async () => (await w.call<{ phase: string }>(`/api/v1/ballots/${ballotId}`)).phase;
  /** Clicks a button whose step the console asks about first, and answers `a`; the question asked. */
  const clickAnswering = async (selector: string, a: 'accept' | 'dismiss') => {
    answer = a;
    const before = asked.length;
    await staff.locator(selector).click(WAIT);
    await expect.poll(() => asked.length, WAIT).toBe(before + 1);
    return asked.at(-1)!;
  };

  beforeAll(async () => {
    w = await startWeb();
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026年度杭州市政府质量奖' } });
    for (let i = 0; i < 3; i++) {
      const r = await w.call<{ enrollmentCode: string }>('/api/v1/cycles/2026/members', { method: 'POST', json: { name: `成员${i + 1}`, unit: `成员单位${i + 1}`, isChair: i === 0 } });
      codes.push(r.enrollmentCode);
    }
    ({ page: staff } = await w.newPage());
    staff.on('dialog', (d: Dialog) => {
      asked.push(d.message());
      void (answer === 'accept' ? d.accept() : d.dismiss());
    });
    await staff.goto('/staff');
    await staff.getByLabel('访问令牌').fill(w.staff);
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.locator('#tab-meeting').click();
    await staff.locator('#open-meeting button[type=submit]').click(WAIT);
    await staff.locator('#quorum').waitFor(WAIT);
    meetingId = (await staff.locator('#quorum').getAttribute('data-meeting'))!;
    const form = staff.locator('#prepare-ballot');
    await form.locator('select').first().selectOption('innovation');
    await form.locator('input:not([type])').first().fill(TITLE);
    await form.locator('textarea').fill('杭州丁科技有限公司\n杭州戊制造有限公司');
    await form.getByRole('button', { name: '准备表决' }).click();
    const card = staff.locator('[id^=staff-ballot-]', { hasText: TITLE });
    await card.waitFor(WAIT);
    ballotId = (await card.getAttribute('id'))!.replace('staff-ballot-', '');
  }, 180_000);

  afterAll(async () => w?.close());

  it('a refusal shown in the meeting tab is gone once another tab is chosen', async () => {
    // Nobody has checked in: opening the vote is refused, and the console says why.
    expect(await clickAnswering(`#staff-ballot-${ballotId} button[data-next=voting]`, 'accept')).toContain(TITLE);
    await staff.locator('#flash .alert-error').waitFor(WAIT);
    await expect(staff.locator('#flash').textContent()).resolves.toMatch(/法定人数|表决办法/);
    await staff.locator('#tab-members').click();
    await staff.locator('#roster').waitFor(WAIT);
    await expect(staff.locator('#flash .alert').count()).resolves.toBe(0);
    await staff.locator('#tab-meeting').click();
    await staff.locator(`#staff-ballot-${ballotId}`).waitFor(WAIT);
    await expect(staff.locator('#flash .alert').count()).resolves.toBe(0);
  }, 60_000);

  it('each phase of the vote is asked first; 取消 leaves the vote as it was', async () => {
    for (const code of codes) {
      const { page } = await w.newPage();
      await page.goto('/tablet');
      await page.getByLabel('注册码').fill(code);
      await page.getByRole('button', { name: '绑定' }).click();
      await page.getByRole('button', { name: '签到' }).click(WAIT);
      await page.locator('#checkin-status.ok').waitFor(WAIT);
      tablets.push(page);
    }
    await adoptThroughThePages(w, tablets);
    await staff.locator('#tab-meeting').click();

    const open = `#staff-ballot-${ballotId} button[data-next=voting]`;
    const question = await clickAnswering(open, 'dismiss');
    expect(question).toBe(`“${TITLE}”进入表决中：出席人数按此时的签到确定并记入公开日志，不能退回。确定继续？`);
    await staff.waitForTimeout(1500);
    expect(await phase()).toBe('prepared');
    await clickAnswering(open, 'accept');
    await staff.locator(`#staff-ballot-${ballotId}[data-phase=voting]`).waitFor(WAIT);

    for (const page of tablets) {
      await page.locator(`#vote-form-${ballotId}`).waitFor(WAIT);
      // One seat: 同意 for 丁, 不同意 for 戊.
      await page.locator('fieldset[data-candidate="c01"] label.option-for').click();
      await page.locator('fieldset[data-candidate="c02"] label.option-against').click();
      await page.locator(`#review-${ballotId}`).click();
      await page.locator(`#confirm-${ballotId}`).click();
      await page.getByText('您的表决已记录').waitFor(WAIT);
    }
    const tally = `#staff-ballot-${ballotId} button[data-next=tallied]`;
    expect(await clickAnswering(tally, 'dismiss')).toBe(`“${TITLE}”计票：结果记入公开日志，不能更改。确定继续？`);
    await staff.waitForTimeout(1500);
    expect(await phase()).toBe('voting');
    await clickAnswering(tally, 'accept');
    await staff.locator(`#staff-ballot-${ballotId}[data-phase=tallied]`).waitFor(WAIT);
  }, 240_000);

  it('each phase of a secret ballot is asked first too (领取选票凭证, 投票中, 投票结束); 取消 leaves it as it was', async () => {
    const title = '2026年度质量奖无记名投票';
    const secret = (
      await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', {
        method: 'POST',
        json: { meetingId, award: 'quality', title, seats: 1, candidates: [{ name: '杭州己科技有限公司' }, { name: '杭州庚制造有限公司' }] },
      })
    ).id;
    const phaseOf = async () => (await w.call<{ phase: string }>(`/api/v1/ballots/${secret}`)).phase;
    await staff.locator('#tab-members').click();
    await staff.locator('#tab-meeting').click();
    const steps = [
      ['issuing', 'prepared', `“${title}”开始领取选票凭证：出席人数按此时的签到确定并记入公开日志，不能退回。确定继续？`],
      ['casting', 'issuing', `“${title}”进入投票中：此后不再领取选票凭证，不能退回。确定继续？`],
      ['closed', 'casting', `“${title}”投票结束：此后投出的选票不再接受，不能退回。确定继续？`],
      // Counted (no ballot was cast: the seat stays vacant), so that the meeting can close.
      ['tallied', 'closed', `“${title}”计票：结果记入公开日志，不能更改。确定继续？`],
    ] as const;
    for (const [to, from, question] of steps) {
      const button = `#staff-ballot-${secret} button[data-next=${to}]`;
      expect(await clickAnswering(button, 'dismiss')).toContain(question);
      await staff.waitForTimeout(1500);
      expect(await phaseOf()).toBe(from);
      await clickAnswering(button, 'accept');
      await staff.locator(`#staff-ballot-${secret}[data-phase=${to}]`).waitFor(WAIT);
      expect(await phaseOf()).toBe(to);
    }
  }, 240_000);

  it('结束会议 is asked first; 取消 keeps the meeting open', async () => {
    const status = async () => (await w.call<{ status: string }>(`/api/v1/meetings/${meetingId}`)).status;
    expect(await clickAnswering('#close-meeting', 'dismiss')).toContain('会议纪要按此时的记录记入公开日志');
    await staff.waitForTimeout(1500);
    expect(await status()).toBe('open');
    await w.shot(staff, 'staff-meeting-before-close');
    await clickAnswering('#close-meeting', 'accept');
    await staff.locator('#print-minutes').waitFor(WAIT);
    expect(await status()).toBe('closed');
  }, 60_000);
});
