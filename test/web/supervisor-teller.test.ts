// A supervisor attending the meeting serves as 监票人 from the pages: on the supervisors' page the
// supervisor registers this browser's device (logged, bound to the account); the staff console names the
// supervisor 监票人 in the 表决办法; after the tally the supervisors' page shows the figures of the logged
// result (checked against the pinned log key) and the supervisor signs them with the device key. The
// tally sheet and the minutes then carry the supervisor's name and time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';
import { Tablet } from '../../src/protocol/tablet.js';
import type { Page } from 'playwright-core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../../crypto/bytes.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!HAVE_CHROMIUM)('a supervisor as 监票人 on the supervisors’ page', () => {
  let w: WebHarness;
  let tablets: Tablet[];
  let meetingId: string;
  let sup: Page;

  beforeAll(async () => {
    w = await startWeb();
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026 年度杭州市政府质量奖' } });
    tablets = [];
    for (let i = 0; i < 4; i++) {
      const r = await w.call<{ enrollmentCode: string }>('/api/v1/cycles/2026/members', { method: 'POST', json: { name: `成员${i + 1}`, unit: `成员单位${i + 1}`, isChair: i === 0 } });
      const t = await Tablet.enroll(w.api, r.enrollmentCode);
      await t.signIn();
      tablets.push(t);
    }
    meetingId = (await w.call<{ id: string }>('/api/v1/cycles/2026/meetings', { method: 'POST', json: { title: '2026年度评审组全体会议' } })).id;
    for (const t of tablets.slice(0, 3)) await t.checkIn(meetingId);
  }, 120_000);

  afterAll(async () => {
    await w?.close();
  });

  it('the supervisor registers as attending, is named 监票人 in the console, and confirms the count with the device', async () => {
    // The supervisor attends: this browser's device key is registered (a supervisor-device entry with the account).
    sup = (await w.newPage()).page;
    await sup.goto('/supervisor');
    await sup.getByLabel('访问令牌').fill(w.supervisor);
    await sup.getByRole('button', { name: '登录' }).click();
    await sup.locator('#app[data-ready="true"]').waitFor({ timeout: 60_000 });
    await sup.locator('#sup-attend').click({ timeout: 20_000 });
    await sup.locator('#sup-attended').waitFor({ timeout: 20_000 });
    const registration = await sup.evaluate(() => JSON.parse(localStorage.getItem('hzqa.supervisor.registered.2026')!) as { accountId: number; deviceKey: string; logIndex: number });
    const device = await w.call<{ document: Record<string, unknown> }>(`/api/v1/log/entries/${registration.logIndex}`);
    expect(device.document).toMatchObject({ registeredAt: expect.any(String), cycleId: '2026', accountId: registration.accountId, name: '监督小组 李工', deviceKey: registration.deviceKey });

    // Staff name the supervisor 监票人 (and 成员2 计票人) in the console's 表决办法.
    const { page: staff } = await w.newPage();
    await staff.goto('/staff');
    await staff.getByLabel('访问令牌').fill(w.staff);
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.locator('#tab-meeting').click();
    for (const until = Date.now() + 60_000; !(await staff.locator('#quorum').count()); ) {
      if (Date.now() > until) throw new Error('the staff console did not show the open meeting within 60 s');
      const open = staff.locator('#open-meeting button[type=submit]');
      if (await open.count()) await open.click({ timeout: 2000 }).catch(() => {});
      await staff.waitForTimeout(500);
    }
    await expect(staff.locator('#procedure-supervisor-scrutineers').textContent()).resolves.toContain('监督小组 李工');
    await staff.locator(`#procedure-counter-${tablets[1]!.device.memberId}`).check();
    await staff.locator(`#procedure-supervisor-${registration.accountId}`).check();
    await staff.locator('#propose-procedure button[type=submit]').click();
    await staff.locator('#procedure-status[data-status=proposed]').waitFor({ timeout: 20_000 });
    await expect.poll(() => staff.locator('#procedure-tellers').textContent(), { timeout: 20_000 }).toBe('计票人：成员2；监票人：监督小组 李工（监督小组）');
    await w.shot(staff, 'staff-procedure-supervisor-scrutineer');
    // The members adopt it on their tablets (signed hands); the office closes it in the console.
    const p = await w.call<{ id: string; documentHash: string; document: { supervisorScrutineers: { accountId: number }[] } }>(`/api/v1/meetings/${meetingId}/procedure`);
    expect(p.document.supervisorScrutineers).toEqual([{ accountId: registration.accountId, name: '监督小组 李工' }]);
    for (const t of tablets.slice(0, 3)) await t.voteProcedure({ id: p.id, meetingId, documentHash: p.documentHash }, 'for');
    await staff.locator('#procedure-close').click({ timeout: 20_000 });
    await staff.locator('#procedure-status[data-status=adopted]').waitFor({ timeout: 20_000 });

    // A show of hands, tallied.
    const ballotId = (await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', { method: 'POST', json: { meetingId, award: 'innovation', title: '2026年度创新奖举手表决', seats: 1, candidates: [{ name: '杭州丁科技有限公司' }, { name: '杭州戊制造有限公司' }] } })).id;
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'voting' } });
    await tablets[0]!.raiseHands(ballotId, { c01: 'for', c02: 'against' });
    await tablets[1]!.raiseHands(ballotId, { c01: 'for', c02: 'abstain' });
    await tablets[2]!.raiseHands(ballotId, { c01: 'against', c02: 'for' });
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'tallied' } });

    // The supervisors' page follows the meeting: the figures of the logged result, and the button.
    const card = sup.locator(`#sup-teller-${ballotId}`);
    await card.locator(`#sup-teller-confirm-${ballotId}`).waitFor({ timeout: 30_000 });
    await expect(card.locator(`#sup-teller-counts-${ballotId}`).textContent()).resolves.toBe('实到 3　发出 3　收回 3　有效 3　无效 0');
    const rows = await card.locator(`#sup-teller-table-${ballotId} tbody tr`).allTextContents();
    expect(rows).toEqual(['杭州丁科技有限公司210', '杭州戊制造有限公司111']);
    await w.shot(sup, 'supervisor-scrutineer-confirm');
    await card.locator(`#sup-teller-confirm-${ballotId}`).click();
    await card.locator(`#sup-teller-done-${ballotId}`).waitFor({ timeout: 20_000 });

    // Logged: the supervisor's signature by the registered device over the result entry.
    const sheet = await w.call<{ resultLogIndex: number; resultDocHash: string; confirmations: { accountId: number | null; name: string; logIndex: number }[] }>(`/api/v1/ballots/${ballotId}/tally-sheet`);
    expect(sheet.confirmations).toEqual([expect.objectContaining({ accountId: registration.accountId, name: '监督小组 李工', unit: '评审工作监督小组', role: 'scrutineer' })]);
    const entry = await w.call<{ document: Record<string, unknown> }>(`/api/v1/log/entries/${sheet.confirmations[0]!.logIndex}`);
    expect(entry.document).toMatchObject({ ballotId, resultLogIndex: sheet.resultLogIndex, resultDocHash: sheet.resultDocHash, supervisor: { accountId: registration.accountId, name: '监督小组 李工' }, deviceKey: registration.deviceKey, deviceLogIndex: registration.logIndex });

    // The tally sheet prints the supervisor's confirmation with name and time; the minutes name the supervisor.
    const { page: print } = await w.newPage();
    await print.goto(`/print/ballots/${ballotId}/tally-sheet`);
    const printed = await print.locator('#confirmations tbody tr').allTextContents();
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^监票人监督小组 李工评审工作监督小组\d{4}-\d\d-\d\d \d\d:\d\d第 \d+ 条$/);
    await expect(print.locator('.signatures').textContent()).resolves.toContain('监督小组 李工（监督小组）');
    await w.shot(print, 'tally-sheet-supervisor-scrutineer');
    await w.call(`/api/v1/meetings/${meetingId}/close`, { method: 'POST', json: {} });
    await print.goto(`/print/meetings/${meetingId}/minutes`);
    const minutes = (await print.locator('#minutes').textContent())!;
    expect(minutes).toContain('监票人：监督小组 李工（评审工作监督小组）');
    expect(minutes).toMatch(/计票确认：监票人监督小组 李工（评审工作监督小组）（确认时间依次为 \d{4}-\d\d-\d\d \d\d:\d\d）/);

    // The supervisors' verifier, run in the page, passes the teller check with the confirmation.
    await sup.reload();
    await sup.locator('#app[data-ready="true"]').waitFor({ timeout: 60_000 });
    await expect(sup.locator('#verify-report tr[data-check="teller-signatures"]').getAttribute('data-status')).resolves.toBe('pass');
    expect(await sup.locator('#sup-other-devices').count()).toBe(0);
  }, 300_000);

  // The verifier cannot tell a key the supervisor registered from one registered in the supervisor's name by
  // whoever holds the server; the supervisor can: the page lists every other key the log binds to the account.
  it('a key registered to the supervisor’s account from elsewhere is shown to the supervisor as not this device', async () => {
    const stranger = ed25519.utils.randomSecretKey();
    const r = await w.call<{ fingerprint: string; logIndex: number }>('/api/v1/cycles/2026/supervisor-devices', { method: 'POST', token: w.supervisor, json: { deviceKey: toHex(ed25519.getPublicKey(stranger)) } });
    await sup.reload();
    await sup.locator('#app[data-ready="true"]').waitFor({ timeout: 60_000 });
    const warning = (await sup.locator('#sup-other-devices').textContent({ timeout: 20_000 }))!;
    expect(warning).toContain(r.fingerprint);
    expect(warning).toContain(`第 ${r.logIndex} 条`);
    const own = await sup.evaluate(() => JSON.parse(localStorage.getItem('hzqa.supervisor.registered.2026')!) as { fingerprint: string });
    expect(warning).not.toContain(own.fingerprint);
    await w.shot(sup, 'supervisor-other-device-warning');
  }, 120_000);
});
