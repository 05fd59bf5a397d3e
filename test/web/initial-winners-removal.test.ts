// The staff console takes a winner off the 初选授奖组织名单 in a real browser: with an objection to a winner
// upheld and its result published (through the API), the notices tab drafts a correction of the list, offers
// that winner — named with its objection — to take off, previews the list without it and publishes it; the
// published document names the objection's logged decision and the entry is no longer on hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';
import { movableClock } from '../../src/deps.js';
import { runDemoCycle, type DemoCycle } from '../../src/demo/cycle.js';
import { objectionForm } from '../notices/support.js';
import { entriesOnHold } from '../../src/objections/holds.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const WAIT = { timeout: 30_000 };

describe.skipIf(!HAVE_CHROMIUM)('the staff console takes a winner off the list of initial winners for an upheld objection', () => {
  let w: WebHarness;
  let page: Page;
  let demo: DemoCycle;
  let winner: string;
  let others: string[];
  let trackingNo: string;
  let decisionLogIndex: number;
  const clock = movableClock(new Date('2026-03-02T10:00:00+08:00'));
  const CYCLE = 'demo-2026';

  beforeAll(async () => {
    w = await startWeb({ clock });
    demo = await runDemoCycle(w.api, { staffToken: w.staff, supervisorToken: w.supervisor, cycleId: CYCLE });
    const list = await w.call<{ organisations: { name: string }[] }>(`/api/v1/notices/${demo.notices.initialWinners}`);
    [winner, ...others] = list.organisations.map((o) => o.name) as [string, ...string[]];
    // An objection to the winner during the list's 公示, upheld after verification, its result published.
    clock.set('2026-03-03T02:00:00Z');
    const res = await w.api(`/api/v1/notices/${demo.notices.initialWinners}/objections`, { method: 'POST', body: objectionForm({ organisation: winner }) });
    expect(res.status, await res.clone().text()).toBe(201);
    const receipt = (await res.json()) as { objectionId: string; trackingNo: string };
    trackingNo = receipt.trackingNo;
    clock.set('2026-03-16T02:00:00Z');
    const o = `/api/v1/objections/${receipt.objectionId}`;
    await w.call(`${o}/assignment`, { method: 'POST', json: { units: ['市经济和信息化局'] } });
    await w.call(`${o}/findings`, { method: 'POST', json: { unit: '市经济和信息化局', findings: '经核查，该组织申报材料所附证书已过有效期。' } });
    await w.call(`${o}/decision`, { method: 'POST', json: { decision: 'upheld', summary: '经核查，异议成立。' } });
    const result = await w.call<{ id: string }>('/api/v1/notices', { method: 'POST', json: { cycleId: CYCLE, type: 'objection-result', title: '异议核查结果公示', body: '经核查，现将异议核查结果公示如下。', objectionIds: [receipt.objectionId] } });
    await w.call(`/api/v1/notices/${result.id}/publish`, { method: 'POST', json: {} });
    const [held] = await entriesOnHold(w.server.deps.db, CYCLE);
    expect(held).toMatchObject({ organisation: winner, trackingNo });
    decisionLogIndex = held!.decisionLogIndex!;

    ({ page } = await w.newPage());
    page.on('dialog', (d) => void d.accept());
    await page.goto('/staff');
    await page.getByLabel('访问令牌').fill(w.staff);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#tab-notices').click(WAIT);
  }, 300_000);

  afterAll(async () => {
    await w?.close();
  });

  it('a correction drafted in the notices tab takes the winner off, naming its objection; published, the hold is released', async () => {
    await page.locator('#draft-type').selectOption('initial-winners', WAIT);
    // Not a correction of the 初选 list: nothing to take off is offered.
    expect(await page.locator('#draft-removals').isHidden()).toBe(true);
    await page.fill('#draft-title', '关于更正2026年度杭州市政府质量奖初选授奖组织名单的公示');
    await page.fill('#draft-body', '经核查，异议成立，现将初选授奖组织名单更正如下。');
    await page.locator('#draft-corrects').selectOption(demo.notices.initialWinners);
    const box = page.getByLabel(`移出 ${winner}（异议 ${trackingNo} 成立）`);
    await box.waitFor(WAIT);
    // Only the held winner is offered, not the others on the list.
    expect(await page.locator('#draft-removals input[type=checkbox]').count()).toBe(1);
    await box.check();
    await w.shot(page, 'staff-initial-winners-removal');
    await page.click('#draft-notice button[type=submit]');
    const card = page.locator('.panel[id^=draft-]', { hasText: '关于更正2026年度' });
    await card.waitFor(WAIT);
    const id = (await card.getAttribute('id'))!.replace('draft-', '');
    await page.click(`#show-preview-${id}`);
    for (const name of others) await page.locator(`#preview-${id}`).getByText(name).first().waitFor(WAIT);
    expect(await page.locator(`#preview-${id}`).textContent()).not.toContain(winner);
    await page.click(`#publish-${id}`);
    await page.locator('#published-notices').getByRole('link', { name: '关于更正2026年度杭州市政府质量奖初选授奖组织名单的公示' }).waitFor(WAIT);

    const published = await w.call<{ organisations: { name: string }[]; document: { removed?: unknown[]; corrects: { id: string } | null } }>(`/api/v1/notices/${id}`);
    expect(published.organisations.map((o) => o.name)).toEqual(others);
    expect(published.document.corrects?.id).toBe(demo.notices.initialWinners);
    expect(published.document.removed).toMatchObject([{ name: winner, decisionLogIndex }]);
    expect(await entriesOnHold(w.server.deps.db, CYCLE)).toEqual([]);
  });
});
