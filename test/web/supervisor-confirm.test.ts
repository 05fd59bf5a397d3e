// A show of hands recorded by staff for a member whose tablet failed is confirmed by a supervisor present,
// on the supervisors' page in their own browser (the device key made and kept there, registered in the
// log on first use); the tally waits for it, and the supervisors' verifier then passes the hands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';
import { adoptProcedure } from '../support/actors.js';
import { ApiError, Tablet } from '../../src/protocol/tablet.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!HAVE_CHROMIUM)('the supervisors confirm a staff-recorded show of hands on their own device', () => {
  let w: WebHarness;
  let ballotId: string;
  let failedMember: string;

  beforeAll(async () => {
    w = await startWeb();
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026 年度杭州市政府质量奖' } });
    const tablets: Tablet[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await w.call<{ enrollmentCode: string }>('/api/v1/cycles/2026/members', { method: 'POST', json: { name: `成员${i + 1}`, unit: `成员单位${i + 1}`, isChair: i === 0 } });
      const t = await Tablet.enroll(w.api, r.enrollmentCode);
      await t.signIn();
      tablets.push(t);
    }
    const meetingId = (await w.call<{ id: string }>('/api/v1/cycles/2026/meetings', { method: 'POST', json: { title: '2026年度评审组全体会议' } })).id;
    for (const t of tablets) await t.checkIn(meetingId);
    // An API shortcut (this test is about the supervisors' confirmation of staff-recorded hands, with no tablet
    // pages): the chair's record over the API; the pages' own adoption is tested in meeting*.test.ts.
    await adoptProcedure(w.api, { staff: w.staff, supervisor: w.supervisor }, meetingId, tablets[0]!, 3);
    ballotId = (await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', { method: 'POST', json: { meetingId, award: 'innovation', title: '2026年度创新奖举手表决', seats: 1, candidates: [{ name: '杭州丁科技有限公司' }, { name: '杭州戊制造有限公司' }] } })).id;
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'voting' } });
    await tablets[0]!.raiseHands(ballotId, { c01: 'for', c02: 'against' });
    await tablets[1]!.raiseHands(ballotId, { c01: 'for', c02: 'abstain' });
    failedMember = tablets[2]!.device.memberId;
  }, 120_000);

  afterAll(async () => {
    await w?.close();
  });

  it('the tally waits; the supervisor confirms on the page; the hand then counts and the verifier passes it', async () => {
    // The third tablet fails: staff record the member's raised hands in the console's meeting tab.
    const console_ = (await w.newPage()).page;
    await console_.goto('/staff');
    await console_.getByLabel('访问令牌').fill(w.staff);
    await console_.getByRole('button', { name: '登录' }).click();
    await console_.locator('#tab-meeting').click();
    const box = console_.locator(`#staff-hands-${ballotId}`);
    await box.getByText('成员平板故障：代为记录举手表决').click();
    await box.locator(`#staff-hands-member-${ballotId}`).selectOption(failedMember);
    await box.locator('fieldset[data-candidate="c01"] label.option-against').click();
    await box.locator('fieldset[data-candidate="c02"] label.option-for').click();
    await box.getByRole('button', { name: '代为记录' }).click();
    await console_.locator(`#staff-hands-${ballotId} [data-confirmed="false"]`).waitFor({ timeout: 20_000 });
    expect(await console_.locator(`#staff-hands-${ballotId}`).textContent()).toContain('请在场监督人员在监督台上用其设备确认');
    await w.shot(console_, 'staff-hands-recorded');
    const early = await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'tallied' } }).then(() => 200, (e: unknown) => (e instanceof ApiError ? e.status : 0));
    expect(early).toBe(409);

    const { page } = await w.newPage();
    await page.goto('/supervisor');
    await page.getByLabel('访问令牌').fill(w.supervisor);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#app[data-ready="true"]').waitFor({ timeout: 60_000 });
    const card = page.locator(`#sup-ballot-${ballotId}`);
    await card.getByText('待监督人员确认').waitFor();
    await w.shot(page, 'supervisor-confirm-hands');
    await card.locator(`#confirm-hands-${failedMember}`).click();
    await card.locator('[data-confirmed="true"]').waitFor({ timeout: 20_000 });
    expect(await card.locator('[data-confirmed="true"]').textContent()).toContain('已由监督人员确认');
    // The device key stays in this browser; its registration is a public log entry.
    const secret = await page.evaluate(() => localStorage.getItem('hzqa.supervisor.device.2026'));
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const record = await w.call<{ votes: { memberId: string; countersignature: { deviceKey: string } | null }[] }>(`/api/v1/ballots/${ballotId}/record`, { token: w.supervisor });
    const confirmed = record.votes.find((v) => v.memberId === failedMember)!.countersignature!;
    const { documents } = await w.call<{ documents: Record<string, string> }>('/api/v1/cycles/2026/export', { token: w.supervisor });
    const registered = Object.values(documents).map((d) => JSON.parse(d) as Record<string, unknown>).filter((d) => d.deviceKey === confirmed.deviceKey && 'registeredAt' in d);
    expect(registered).toEqual([expect.objectContaining({ cycleId: '2026', name: '监督小组 李工' })]);

    await console_.reload();
    await console_.locator('#tab-meeting').click();
    await console_.locator(`#staff-hands-${ballotId} [data-confirmed="true"]`).waitFor({ timeout: 20_000 });
    const tallied = await w.call<{ ballot: { result: { winners: string[] } } }>(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'tallied' } });
    expect(tallied.ballot.result.winners).toEqual(['c01']);
    await page.reload();
    await page.locator('#app[data-ready="true"]').waitFor({ timeout: 60_000 });
    const hands = await page.locator('#verify-report tbody tr[data-check="hands-signatures"]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.status));
    expect(hands).toEqual(['pass']);
  }, 240_000);
});
