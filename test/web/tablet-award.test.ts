// 审定 on the members' tablets in a real browser: the demo cycle brought to its 初选 list, the clock moved past
// every 公示, a second meeting where three members (the chair among them) check in on tablet pages and three
// on their tablets' protocol; staff put the 审定; each tablet page shows the 拟授奖组织名单 with what it rests
// on, the members click 同意/不同意/弃权, staff close the hands and the list is fixed. The log then holds
// each click as a signature by the key that tablet page made. A member enrolled but not checked in sees the
// list and no button. Before that, a first 审定 is decided by the chair's record: signed on the chair's tablet
// page, shown on the supervisors' page with the chair's signature checked against the log, and confirmed there
// with the supervisor's device key; the log holds that signature.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';
import { movableClock } from '../../src/deps.js';
import { runDemoCycle, type DemoCycle } from '../../src/demo/cycle.js';
import { fromHex, toHex } from '../../crypto/bytes.js';
import { awardFixingConfirmMessage, awardFixingMessage, verifyDeviceSignature } from '../../src/votes/messages.js';
import { parseBundle, verifyBundle, type ExportBundle } from '../../src/verify/index.js';
import { verifierKeyOf } from '../../src/log/index.js';
import type { Tablet } from '../../src/protocol/tablet.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

interface HandsDecision {
  fixingId: string;
  mode: string;
  adopted: boolean;
  for: number;
  against: number;
  abstain: number;
  votes: { memberId: string; choice: string; signature: string; deviceKey: string }[];
}

describe.skipIf(!HAVE_CHROMIUM)('审定 on the members’ tablets', () => {
  let w: WebHarness;
  let demo: DemoCycle;
  let meetingId: string;
  const clock = movableClock(new Date('2026-03-02T10:00:00+08:00'));
  const pages: Page[] = [];
  let absent: Page;
  let onProtocol: Tablet[];
  const CLICKS = ['for', 'against', 'abstain'] as const;

  const enrollOnPage = async (memberId: string, checkIn: boolean) => {
    const { enrollmentCode } = await w.call<{ enrollmentCode: string }>(`/api/v1/members/${memberId}/enrollment`, { method: 'POST', json: {} });
    const { page } = await w.newPage();
    await page.goto('/tablet');
    await page.getByLabel('注册码').fill(enrollmentCode);
    await page.getByRole('button', { name: '绑定' }).click();
    if (checkIn) {
      await page.getByRole('button', { name: '签到' }).click({ timeout: 20_000 });
      await page.locator('#checkin-status.ok').waitFor({ timeout: 20_000 });
    } else await page.locator('#checkin').waitFor({ timeout: 20_000 });
    return page;
  };

  beforeAll(async () => {
    w = await startWeb({ clock });
    // The cycle to its 初选 list (not this test's subject), then past every 公示; the first meeting closed.
    demo = await runDemoCycle(w.api, { staffToken: w.staff, supervisorToken: w.supervisor, cycleId: 'demo-2026' });
    clock.set('2026-03-16T02:00:00Z');
    await w.call(`/api/v1/meetings/${demo.meetingId}/close`, { method: 'POST', json: {} });
    meetingId = (await w.call<{ id: string }>('/api/v1/cycles/demo-2026/meetings', { method: 'POST', json: { title: '2026年度评审组审定会议' } })).id;
    // Three members bring new tablets (new 注册码), the chair among them; three check in on their old ones.
    for (const t of demo.tablets.slice(0, 3)) pages.push(await enrollOnPage(t.device.memberId, true));
    onProtocol = demo.tablets.slice(3);
    for (const t of onProtocol) {
      await t.signIn(); // sessions are short-lived, and the clock moved two weeks
      await t.checkIn(meetingId);
    }
    // The member who stayed away from the first meeting enrolls and does not check in.
    const { members } = await w.call<{ members: { id: string }[] }>('/api/v1/cycles/demo-2026/members');
    const enrolled = new Set(demo.tablets.map((t) => t.device.memberId));
    absent = await enrollOnPage(members.find((m) => !enrolled.has(m.id))!.id, false);
    // The meeting adopts its 表决办法 (every tablet 同意).
    const procedure = await w.call<{ procedureId: string; documentHash: string }>(`/api/v1/meetings/${meetingId}/procedure`, { method: 'POST', json: { counters: [], scrutineers: [] } });
    for (const page of pages) await page.locator('#procedure-vote-for').click({ timeout: 20_000 });
    for (const page of pages) await page.locator('#procedure-my-vote[data-choice=for]').waitFor({ timeout: 20_000 });
    for (const t of onProtocol) await t.voteProcedure({ id: procedure.procedureId, meetingId, documentHash: procedure.documentHash }, 'for');
    await w.call(`/api/v1/procedures/${procedure.procedureId}/close`, { method: 'POST', json: {} });
  }, 300_000);

  afterAll(async () => {
    await w?.close();
  });

  it('the chair records the hands on the tablet; a supervisor checks the chair’s signature against the log and confirms it signed on /supervisor', async () => {
    const proposed = await w.call<{ fixingId: string; documentHash: string }>(`/api/v1/meetings/${meetingId}/award-fixing`, { method: 'POST', json: {} });
    const chair = pages[0]!;
    await chair.locator('#fixing-record').waitFor({ timeout: 20_000 });
    await chair.locator('#fixing-record-for').fill('2');
    await chair.locator('#fixing-record-against').fill('3');
    await chair.locator('#fixing-record-abstain').fill('1');
    await chair.getByRole('button', { name: '签名提交记录' }).click();
    await chair.locator('#fixing-chair-recorded').waitFor({ timeout: 20_000 });

    const { page: sup } = await w.newPage();
    await sup.goto('/supervisor');
    await sup.getByLabel('访问令牌').fill(w.supervisor);
    await sup.getByRole('button', { name: '登录' }).click();
    await sup.locator('#app[data-ready="true"]').waitFor({ timeout: 60_000 });
    await sup.locator('#sup-fixing-chair-signature[data-ok="true"]').waitFor({ timeout: 20_000 });
    expect(await sup.locator('#sup-fixing-record').textContent()).toBe('主持人 陈主任 记录：同意 2，不同意 3，弃权 1；出席成员 6 人，全体成员 7 人。');
    expect((await sup.locator('#sup-fixing-organisations tbody tr').count())).toBeGreaterThan(3);
    await w.shot(sup, 'supervisor-award-fixing');
    await sup.locator('#fixing-confirm').click();
    await sup.locator('#sup-fixing-status[data-status="rejected"]').waitFor({ timeout: 20_000 }); // 2 同意 of 6 present

    // The log: the decision by the chair's record, confirmed with the key this supervisor's page made and registered.
    const state = await w.call<{ fixing: { id: string; status: string; decidedLogIndex: number } }>('/api/v1/cycles/demo-2026/award');
    expect(state.fixing).toMatchObject({ id: proposed.fixingId, status: 'rejected' });
    type Decided = { mode: string; for: number; chair: { signature: string; for: number; against: number; abstain: number }; confirmedBy: { name: string; deviceKey: string; deviceLogIndex: number; signature: string } };
    const entry = await w.call<{ type: string; document: Decided }>(`/api/v1/log/entries/${state.fixing.decidedLogIndex}`);
    expect(entry.document).toMatchObject({ mode: 'chair-record', for: 2, confirmedBy: { name: '监督小组 李工' } });
    const secret = (await sup.evaluate(() => localStorage.getItem('hzqa.supervisor.device.demo-2026')))!;
    const { confirmedBy, chair: record } = entry.document;
    expect(confirmedBy.deviceKey).toBe(toHex(ed25519.getPublicKey(fromHex(secret))));
    expect(verifyDeviceSignature(confirmedBy.deviceKey, awardFixingConfirmMessage(meetingId, proposed.documentHash, record, record.signature), confirmedBy.signature)).toBe(true);
    expect((await w.call<{ type: string }>(`/api/v1/log/entries/${confirmedBy.deviceLogIndex}`)).type).toBe('supervisor-device');
    for (const page of pages) await expect.poll(() => page.locator('#fixing-organisations').count(), { timeout: 20_000 }).toBe(0);
  }, 240_000);

  it('the tablets show the list and its basis; members click; the list is fixed and the log holds their signed hands', async () => {
    const proposed = await w.call<{ fixingId: string; document: { organisations: { name: string }[] } }>(`/api/v1/meetings/${meetingId}/award-fixing`, { method: 'POST', json: {} });
    const names = proposed.document.organisations.map((o) => o.name);
    expect(names.length).toBeGreaterThan(3);

    for (const page of [...pages, absent]) {
      await page.locator('#fixing-organisations').waitFor({ timeout: 20_000 });
      const rows = await page.locator('#fixing-organisations tbody tr td:nth-child(3)').allTextContents();
      expect(rows).toEqual(names);
    }
    const basis = (await pages[0]!.locator('#fixing-basis').textContent())!;
    expect(basis).toContain('初选授奖组织名单');
    expect(basis).toMatch(/公示期均已届满（最后一份于2026年\d+月\d+日24时届满）/);
    expect(basis).toContain(demo.objection.trackingNo);
    expect(basis).toContain('按本次会议通过的表决办法');
    expect(basis).not.toMatch(/n_[A-Za-z0-9]|undefined/);
    await w.shot(pages[0]!, 'tablet-award-fixing');

    // Not checked in: the list, and no button.
    await absent.locator('#fixing-not-checked-in').waitFor();
    expect(await absent.locator('#fixing h2').textContent()).toBe('审定拟授奖组织名单');
    expect(await absent.locator('#fixing button').count()).toBe(0);
    await w.shot(absent, 'tablet-award-fixing-absent');
    // Only the chair's page offers the record of the hands in the room.
    expect(await pages[0]!.locator('#fixing-record').count()).toBe(1);
    expect(await pages[1]!.locator('#fixing-record').count()).toBe(0);

    for (const [i, page] of pages.entries()) {
      await page.locator(`#fixing-vote-${CLICKS[i]}`).click();
      await page.locator(`#fixing-my-vote[data-choice=${CLICKS[i]}]`).waitFor({ timeout: 20_000 });
      expect(await page.locator('#fixing-vote-for').count()).toBe(0);
    }
    for (const t of onProtocol) await t.voteAwardFixing({ id: proposed.fixingId, meetingId, documentHash: (await w.call<{ documentHash: string }>(`/api/v1/meetings/${meetingId}/award-fixing`)).documentHash }, 'for');
    const closed = await w.call<{ adopted: boolean; logIndex: number }>(`/api/v1/award-fixings/${proposed.fixingId}/close`, { method: 'POST', json: {} });
    expect(closed.adopted).toBe(true); // 4 同意 of 6 present: more than half
    for (const page of pages) await expect.poll(() => page.locator('#fixing-organisations').count(), { timeout: 20_000 }).toBe(0);

    // The log: each page's click, signed by the key that page made and checked in with.
    const bundle = await w.call<ExportBundle>('/api/v1/cycles/demo-2026/export', { token: w.supervisor });
    const decided = Object.values(bundle.documents)
      .map((d) => JSON.parse(d) as HandsDecision)
      .find((d) => d.fixingId === proposed.fixingId && d.mode === 'hands')!;
    expect(decided).toMatchObject({ adopted: true, for: 4, against: 1, abstain: 1 });
    const fixingHash = (await w.call<{ award: unknown; fixing: { documentHash: string } }>('/api/v1/cycles/demo-2026/award')).fixing.documentHash;
    for (const [i, page] of pages.entries()) {
      const device = JSON.parse((await page.evaluate(() => localStorage.getItem('hzqa.tablet.device')))!) as { memberId: string; deviceSecret: string };
      const vote = decided.votes.find((v) => v.memberId === device.memberId)!;
      expect(vote.choice).toBe(CLICKS[i]);
      expect(vote.deviceKey).toBe(toHex(ed25519.getPublicKey(fromHex(device.deviceSecret))));
      expect(verifyDeviceSignature(vote.deviceKey, awardFixingMessage(meetingId, fixingHash, device.memberId, CLICKS[i]!), vote.signature)).toBe(true);
    }
    const report = verifyBundle(parseBundle(bundle), { logKey: verifierKeyOf(w.server.deps.keys.logSignerKey), now: clock.now() });
    expect(report.checks.find((c) => c.id === 'award-fixed')?.status).toBe('pass');
  }, 240_000);
});
