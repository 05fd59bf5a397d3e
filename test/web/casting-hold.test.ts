// The tablet during casting, in a real browser: a tablet that holds an uncast token reloads (once with its
// session kept, once with it gone, as after it expired) and sends no identified request — no sign-in, no
// challenge, no session refresh, no signed-in write; every request it sends is watched with
// page.on('request'). The member then casts: the cast goes out bare (no session, no cookie) after the
// tablet's random wait, is acknowledged, and is in the bulletin once casting closes; the tablet, now without a
// session, signs in again only once it has seen casting closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, adoptThroughThePages, startWeb, type WebHarness } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

interface Seen {
  at: number;
  method: string;
  path: string;
  authorization: boolean;
  cookie: boolean;
}

describe.skipIf(!HAVE_CHROMIUM)('a tablet holding an uncast token, in a real browser', () => {
  let w: WebHarness;
  let ballotId: string;
  let page: Page;
  const seen: Seen[] = [];

  beforeAll(async () => {
    w = await startWeb();
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026 年度杭州市政府质量奖' } });
    const { enrollmentCode } = await w.call<{ enrollmentCode: string }>('/api/v1/cycles/2026/members', { method: 'POST', json: { name: '成员1', unit: '成员单位1', isChair: true } });
    const meetingId = (await w.call<{ id: string }>('/api/v1/cycles/2026/meetings', { method: 'POST', json: { title: '2026年度评审组全体会议' } })).id;
    ballotId = (
      await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', {
        method: 'POST',
        json: { meetingId, award: 'quality', title: '2026年度质量奖无记名投票', seats: 1, candidates: [{ name: '杭州甲科技有限公司' }, { name: '杭州乙制造股份有限公司' }] },
      })
    ).id;
    ({ page } = await w.newPage());
    page.on('request', async (r: Request) => {
      const u = new URL(r.url());
      if (!u.pathname.startsWith('/api/')) return;
      // Rejected only once the page is closed at teardown, after every assertion.
      const headers = await r.allHeaders().catch(() => null);
      if (!headers) return;
      seen.push({ at: Date.now(), method: r.method(), path: u.pathname, authorization: 'authorization' in headers, cookie: 'cookie' in headers });
    });
    await page.goto('/tablet');
    await page.getByLabel('注册码').fill(enrollmentCode);
    await page.getByRole('button', { name: '绑定' }).click();
    await page.getByRole('button', { name: '签到' }).click();
    await page.locator('#checkin-status.ok').waitFor();
    await adoptThroughThePages(w, [page]);
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'issuing' } });
    await page.locator(`#get-token-${ballotId}`).click({ timeout: 15_000 });
    await page.getByText('已领取选票凭证').waitFor({ timeout: 20_000 });
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'casting' } });
    await page.locator(`#vote-form-${ballotId}`).waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await w?.close();
  });

  /** Requests sent since `from` that identify the member: a sign-in step, or anything but a read with a session. */
  const identified = (from: number) =>
    seen.filter((s) => s.at >= from && (/\/members\/(challenge|session)/.test(s.path) || ((s.authorization || s.cookie) && s.method !== 'GET')));

  it('reloads during casting, with its session and without it, and sends no identified request', async () => {
    const from = Date.now();
    // With the session it opened before casting: the same page again, polling as before.
    await page.reload();
    await page.locator(`#vote-form-${ballotId}`).waitFor({ timeout: 15_000 });
    // Without it (expired, or cleared): the tablet must not sign in; it shows the ballot from its public page.
    await page.evaluate(() => localStorage.removeItem('hzqa.tablet.session'));
    const bare = Date.now();
    await page.reload();
    await page.locator(`#vote-form-${ballotId}`).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(6_000); // two more rounds of its poll
    expect(identified(from)).toEqual([]);
    // Without a session, nothing it sends carries one.
    expect(seen.filter((s) => s.at >= bare && (s.authorization || s.cookie)).map((s) => `${s.method} ${s.path}`)).toEqual([]);
    // The ballot it shows came from the ballot's public page (the watch saw the page's requests).
    expect(seen.filter((s) => s.at >= bare && s.path === `/api/v1/ballots/${ballotId}`).length).toBeGreaterThanOrEqual(1);
  });

  it('the member casts: the bare cast goes out after the tablet’s random wait and is in the bulletin', async () => {
    const from = Date.now();
    await page.locator(`fieldset[data-candidate="c01"] label.option-for`).click();
    await page.locator(`fieldset[data-candidate="c02"] label.option-against`).click();
    await page.locator(`#review-${ballotId}`).click();
    await page.locator(`#confirm-step-${ballotId}`).waitFor();
    const clicked = Date.now();
    await page.locator(`#confirm-${ballotId}`).click();
    await page.locator('#receipt-token').waitFor({ timeout: 30_000 });
    const casts = seen.filter((s) => s.at >= from && s.path === `/api/v1/ballots/${ballotId}/cast`);
    expect(casts).toHaveLength(1);
    expect(casts[0]).toMatchObject({ method: 'POST', authorization: false, cookie: false });
    // The wait is the tablet's (uniform in [0, 4 s)); it is recorded, not asserted (it may be near 0).
    console.log(`cast sent ${casts[0]!.at - clicked} ms after the member confirmed`);
    // Cast, and casting still open: two more rounds of its poll and still no sign-in (one now would date the cast).
    await page.waitForTimeout(6_000);
    expect(identified(from)).toEqual([]);
    const token = await page.evaluate((id) => JSON.parse(Object.entries(localStorage).find(([k]) => k.endsWith(id))![1]).token.token as string, ballotId);
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'closed' } });
    const bulletin = await w.call<{ ballots: { token: string }[] }>(`/api/v1/ballots/${ballotId}/bulletin`);
    expect(bulletin.ballots.map((b) => b.token)).toEqual([token]);
    // Casting closed: the tablet may sign in again.
    await page.reload();
    await expect.poll(() => seen.some((s) => s.at >= from && s.path === '/api/v1/members/session'), { timeout: 20_000 }).toBe(true);
  });
});
