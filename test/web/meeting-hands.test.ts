// A show of hands held from the pages alone, in Debian Chromium: the console opens the meeting and
// prepares a 创新奖 vote; the 表决办法 is adopted by the chair's record of the hands raised in the room,
// signed on the chair's tablet and confirmed by a supervisor on the supervisors' page; a member declares
// 回避 from a candidate on the tablet, whose ballot then has no buttons for it, and the candidate's pass
// rule counts one fewer present (2 同意 of 3 passes "more than half"; of 4 it would not); the 计票人 and
// 监票人 confirm the count on their tablets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!HAVE_CHROMIUM)('a show of hands with 回避, the chair’s record confirmed by a supervisor, in a real browser', () => {
  let w: WebHarness;
  let staffPage: Page;
  const tablets: Page[] = [];
  const codes: string[] = [];
  const ids: string[] = [];
  let meetingId: string;
  let ballotId: string;

  beforeAll(async () => {
    w = await startWeb();
    // The office's set-up of the cycle (not this test's subject): the cycle and its four members.
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026 年度杭州市政府质量奖' } });
    for (let i = 0; i < 4; i++) {
      const r = await w.call<{ id: string; enrollmentCode: string }>('/api/v1/cycles/2026/members', { method: 'POST', json: { name: `成员${i + 1}`, unit: `成员单位${i + 1}`, isChair: i === 0 } });
      codes.push(r.enrollmentCode);
      ids.push(r.id);
    }
  }, 120_000);

  afterAll(async () => w?.close());

  it('the console opens the meeting and prepares the show of hands; four tablets check in', async () => {
    ({ page: staffPage } = await w.newPage());
    // The console asks before each irreversible step (a vote's phase, closing the meeting): the clerk agrees.
    staffPage.on('dialog', (d) => void d.accept());
    await staffPage.goto('/staff');
    await staffPage.getByLabel('访问令牌').fill(w.staff);
    await staffPage.getByRole('button', { name: '登录' }).click();
    await staffPage.locator('#tab-meeting').click();
    await staffPage.locator('#open-meeting button[type=submit]').click({ timeout: 20_000 });
    await staffPage.locator('#quorum').waitFor({ timeout: 20_000 });
    meetingId = (await staffPage.locator('#quorum').getAttribute('data-meeting'))!;
    const form = staffPage.locator('#prepare-ballot');
    await form.locator('select').first().selectOption('innovation');
    await form.locator('input:not([type])').first().fill('2026年度创新奖举手表决');
    await form.locator('input[type=number]').fill('2');
    await staffPage.locator('#prepare-pass').selectOption({ label: '同意票超过出席成员的 1/2' });
    await form.locator('textarea').fill('杭州丁科技有限公司\n杭州戊制造有限公司\n杭州己检测有限公司');
    await form.getByRole('button', { name: '准备表决' }).click();
    await expect.poll(async () => (await w.call<{ ballots: { id: string }[] }>('/api/v1/cycles/2026/ballots')).ballots.length, { timeout: 20_000 }).toBe(1);
    ballotId = (await w.call<{ ballots: { id: string }[] }>('/api/v1/cycles/2026/ballots')).ballots[0]!.id;
    await staffPage.locator(`#staff-ballot-${ballotId}`).waitFor({ timeout: 20_000 });
    for (const code of codes) {
      const { page } = await w.newPage();
      await page.goto('/tablet');
      await page.getByLabel('注册码').fill(code);
      await page.getByRole('button', { name: '绑定' }).click();
      await page.getByRole('button', { name: '签到' }).click({ timeout: 20_000 });
      await page.locator('#checkin-status.ok').waitFor({ timeout: 20_000 });
      tablets.push(page);
    }
    await expect.poll(() => staffPage.locator('#quorum').textContent(), { timeout: 20_000 }).toContain('4 / 4');
  }, 180_000);

  it('the 表决办法: proposed in the console, the chair records the hands in the room on the tablet, a supervisor confirms on the supervisors’ page', async () => {
    // First proposed with 成员4 as 监票人, then withdrawn and proposed again with 成员3 (logged as withdrawn).
    await staffPage.locator(`#procedure-counter-${ids[1]}`).check({ timeout: 20_000 });
    await staffPage.locator(`#procedure-scrutineer-${ids[3]}`).check();
    await staffPage.locator('#propose-procedure button[type=submit]').click();
    await staffPage.locator('#procedure-status[data-status=proposed]').waitFor({ timeout: 20_000 });
    const first = await w.call<{ id: string }>(`/api/v1/meetings/${meetingId}/procedure`);
    await staffPage.locator('#procedure-replace summary').click();
    await staffPage.locator(`#procedure-counter-${ids[1]}`).check();
    await staffPage.locator(`#procedure-scrutineer-${ids[2]}`).check();
    await staffPage.locator('#propose-procedure button[type=submit]').click();
    await expect.poll(() => staffPage.locator('#procedure-tellers').textContent(), { timeout: 20_000 }).toBe('计票人：成员2；监票人：成员3');
    expect((await w.call<{ id: string }>(`/api/v1/meetings/${meetingId}/procedure`)).id).not.toBe(first.id);
    for (const page of tablets) await expect.poll(() => page.locator('#procedure-tellers').textContent(), { timeout: 20_000 }).toBe('计票人：成员2；监票人：成员3');
    // Only the chair's tablet offers the record.
    await tablets[1]!.locator('#procedure-vote-for').waitFor({ timeout: 20_000 });
    await expect(tablets[1]!.locator('#procedure-record').count()).resolves.toBe(0);
    const chair = tablets[0]!;
    await chair.locator('#procedure-record-for').fill('3', { timeout: 20_000 });
    await chair.locator('#procedure-record-abstain').fill('1');
    await chair.locator('#procedure-record button[type=submit]').click();
    await expect.poll(() => chair.locator('#procedure-chair-recorded').textContent(), { timeout: 20_000 }).toBe('主持人记录：同意 3，不同意 0，弃权 1；待监督小组确认。');
    // Recorded, not yet adopted: no vote opens.
    await expect(w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'voting' } })).rejects.toThrow(/表决办法|procedure/);
    await expect.poll(() => staffPage.locator('#procedure-chair-recorded').textContent(), { timeout: 20_000 }).toContain('同意 3');

    const { page: sup } = await w.newPage();
    await sup.goto('/supervisor');
    await sup.getByLabel('访问令牌').fill(w.supervisor);
    await sup.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => sup.locator('#sup-procedure-record').textContent(), { timeout: 30_000 }).toContain('成员1：主持人记录：同意 3，不同意 0，弃权 1');
    await expect(sup.locator('#sup-procedure-record').textContent()).resolves.toContain('实到 4 / 4');
    await w.shot(sup, 'supervisor-procedure-confirm');
    await sup.locator('#procedure-confirm').click();
    await sup.locator('#sup-procedure-status[data-status=adopted]').waitFor({ timeout: 20_000 });
    await staffPage.locator('#procedure-status[data-status=adopted]').waitFor({ timeout: 20_000 });
    for (const page of tablets) await page.locator('#procedure-status[data-status=adopted]').waitFor({ timeout: 20_000 });
    const p = await w.call<{ decidedLogIndex: number }>(`/api/v1/meetings/${meetingId}/procedure`);
    const entry = await w.call<{ document: { mode: string; for: number; confirmedBy: { name: string }; chair: { name: string; signature: string } } }>(`/api/v1/log/entries/${p.decidedLogIndex}`);
    expect(entry.document).toMatchObject({ mode: 'chair-record', for: 3, confirmedBy: { name: '监督小组 李工' }, chair: { name: '成员1' } });
  }, 180_000);

  it('成员4 declares 回避 from 丁 on the tablet: no buttons for it, and 丁 passes with 2 of the 3 present for it', async () => {
    const m4 = tablets[3]!;
    await m4.locator(`#recuse-candidate-${ballotId}`).selectOption('c01', { timeout: 20_000 });
    await m4.locator(`#recuse-reason-${ballotId}`).fill('本人曾在该组织任职');
    await m4.locator(`#recuse-submit-${ballotId}`).click();
    await m4.locator(`#recusals-${ballotId} li[data-member="${ids[3]}"][data-candidate="c01"]`).waitFor({ timeout: 20_000 });
    await staffPage.locator(`#staff-ballot-${ballotId} button[data-next=voting]`).click();
    for (const page of tablets) await page.locator(`#vote-form-${ballotId}`).waitFor({ timeout: 20_000 });
    const recused = m4.locator('fieldset[data-candidate="c01"]');
    await expect(recused.getAttribute('data-recused')).resolves.toBe('true');
    await expect(recused.locator('input').count()).resolves.toBe(0);
    await expect(tablets[0]!.locator('fieldset[data-candidate="c01"] input').count()).resolves.toBe(3);
    await w.shot(m4, 'tablet-hands-recused');
    // 丁: 同意 from 成员1 and 成员2, 不同意 from 成员3; 戊: 同意 from all four; 己: 不同意 from all four.
    const votes: Record<string, 'for' | 'against'>[] = [
      { c01: 'for', c02: 'for', c03: 'against' },
      { c01: 'for', c02: 'for', c03: 'against' },
      { c01: 'against', c02: 'for', c03: 'against' },
      { c02: 'for', c03: 'against' },
    ];
    for (const [i, page] of tablets.entries()) {
      for (const [c, choice] of Object.entries(votes[i]!)) await page.locator(`fieldset[data-candidate="${c}"] label.option-${choice}`).click();
      await page.locator(`#review-${ballotId}`).click();
      await expect(page.locator(`#confirm-step-${ballotId} .sum-recused`).count()).resolves.toBe(i === 3 ? 1 : 0);
      await page.locator(`#confirm-${ballotId}`).click();
      await page.getByText('您的表决已记录').waitFor({ timeout: 20_000 });
    }
    await expect.poll(() => staffPage.locator(`#live-${ballotId}`).textContent(), { timeout: 20_000 }).toContain('已投票 4');
    await staffPage.locator(`#staff-ballot-${ballotId} button[data-next=tallied]`).click();
    await staffPage.locator(`#staff-ballot-${ballotId}[data-phase=tallied]`).waitFor({ timeout: 20_000 });
    const b = await w.call<{ result: { winners: string[]; candidates: { candidateId: string; for: number; present?: number; passed: boolean }[] } }>(`/api/v1/ballots/${ballotId}`);
    // 2 同意 × 2 > 3 present for 丁 (4 less the recused): passes; against 4 it would not (2 × 2 = 4).
    expect(b.result.candidates.find((c) => c.candidateId === 'c01')).toMatchObject({ for: 2, present: 3, passed: true });
    expect(b.result.candidates.find((c) => c.candidateId === 'c02')).toMatchObject({ for: 4, passed: true });
    expect(b.result.winners.sort()).toEqual(['c01', 'c02']);
    // The console's result shows the reduced count base for 丁.
    const row = staffPage.locator(`#staff-ballot-${ballotId} tbody tr`).first();
    await expect(row.textContent()).resolves.toBe('杭州丁科技有限公司2103✓');
    // The hand record names 成员4 without a choice on 丁.
    const record = await w.call<{ votes: { memberId: string; choices: Record<string, string> }[] }>(`/api/v1/ballots/${ballotId}/record`);
    expect(record.votes.find((v) => v.memberId === ids[3])!.choices.c01).toBeUndefined();
  }, 180_000);

  it('the 计票人 and 监票人 confirm the show of hands on their tablets', async () => {
    for (const page of [tablets[1]!, tablets[2]!]) {
      await expect(page.locator(`#teller-counts-${ballotId}`).textContent({ timeout: 20_000 })).resolves.toBe('实到 4　发出 4　收回 4　有效 4　无效 0');
      await page.locator(`#teller-confirm-${ballotId}`).click();
      await page.locator(`#teller-done-${ballotId}`).waitFor({ timeout: 20_000 });
    }
    await tablets[3]!.locator(`#ballot-${ballotId}[data-phase=tallied] .result`).waitFor({ timeout: 20_000 });
    await expect(tablets[3]!.locator(`#teller-${ballotId}`).count()).resolves.toBe(0);
    const sheet = await w.call<{ confirmations: { name: string; role: string }[] }>(`/api/v1/ballots/${ballotId}/tally-sheet`);
    expect(sheet.confirmations.map((c) => [c.role, c.name])).toEqual([
      ['counter', '成员2'],
      ['scrutineer', '成员3'],
    ]);
  }, 120_000);
});
