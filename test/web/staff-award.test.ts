// The staff console's 审定与表彰 tab in a real browser: a cycle brought by the API to its published 初选 list
// (the demo cycle, its lists at one instant), the clock moved past the 公示; the tab says what the 审定 waits
// for, then staff put the 审定 to the open meeting (confirmed), the members sign on their tablets, staff close
// the hands (confirmed), record the submission and the government's decision with their files (confirmed),
// and publish the 表彰通报 (confirmed). Each step is checked in the public log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, PDF, startWeb, type WebHarness } from './support.js';
import { movableClock } from '../../src/deps.js';
import { runDemoCycle, type DemoCycle } from '../../src/demo/cycle.js';
import { sha256Hex } from '../../src/objections/digest.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!HAVE_CHROMIUM)('the staff console fixes the list and records the approval', () => {
  let w: WebHarness;
  let page: Page;
  let demo: DemoCycle;
  const clock = movableClock(new Date('2026-03-02T10:00:00+08:00'));
  const dialogs: string[] = [];
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-award-'));
  const logTypes = async () => {
    const types: string[] = [];
    for (;;) {
      const res = await w.api(`/api/v1/log/entries/${types.length}`);
      if (res.status === 404) return types;
      types.push(((await res.json()) as { type: string }).type);
    }
  };

  beforeAll(async () => {
    w = await startWeb({ clock });
    demo = await runDemoCycle(w.api, { staffToken: w.staff, supervisorToken: w.supervisor, cycleId: 'demo-2026' });
    ({ page } = await w.newPage());
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await page.goto('/staff');
    await page.getByLabel('访问令牌').fill(w.staff);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#tab-award').click({ timeout: 20_000 });
    await page.locator('#staff-panel:not([aria-busy])').waitFor({ timeout: 20_000 });
  }, 240_000);

  afterAll(async () => {
    await w?.close();
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('审定 waits for the 公示; then 审定, submission, decision and 表彰通报 from the tab, each logged', async () => {
    // The 初选 list's 公示 is open: the tab says so and offers no 审定.
    await page.locator('#award-blocked').waitFor({ timeout: 20_000 });
    expect(await page.locator('#fixing-propose').count()).toBe(0);

    // Past every window: the 审定 is put to the open meeting, after a confirmation.
    clock.set('2026-03-16T02:00:00Z');
    await page.locator('#tab-award').click();
    await page.locator('#staff-panel:not([aria-busy])').waitFor({ timeout: 20_000 });
    await page.locator('#award-ready').waitFor({ timeout: 20_000 });
    const names = await page.locator('#award-organisations li').allTextContents();
    expect(names.length).toBeGreaterThan(3);
    await page.getByRole('button', { name: '提请会议审定' }).click();
    await page.locator('#fixing-counts').waitFor({ timeout: 20_000 });
    expect(dialogs.at(-1)).toMatch(/提请审定后将记入公开日志/);

    // The members sign on their tablets (the tablets' protocol; the tablet page has no 审定 screen yet).
    const fixing = await w.call<{ id: string; meetingId: string; documentHash: string }>(`/api/v1/meetings/${demo.meetingId}/award-fixing`);
    for (const t of demo.tablets) {
      await t.signIn(); // sessions are short-lived, and the clock moved two weeks
      await t.voteAwardFixing(fixing, 'for');
    }
    await page.locator('#tab-award').click();
    await page.locator('#staff-panel:not([aria-busy])').waitFor({ timeout: 20_000 });
    await page.getByText(`同意 ${demo.tablets.length}，不同意 0，弃权 0`).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: '结束举手表决' }).click();
    await page.locator('#fixing-adopted').waitFor({ timeout: 20_000 });
    expect(dialogs.at(-1)).toMatch(/不可更改/);

    // The submission, then the government's decision, each with its file.
    const pdfFile = (name: string, text: string) => {
      const p = path.join(files, name);
      fs.writeFileSync(p, Buffer.concat([PDF, Buffer.from(`% ${text}\n`)]));
      return p;
    };
    await page.locator('#submission-date').fill('2026-03-16');
    await page.locator('#submission-number').fill('杭市监〔2026〕18号');
    await page.locator('#submission-file').setInputFiles(pdfFile('请示.pdf', 'submission'));
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.locator('#submission-recorded').waitFor({ timeout: 20_000 });
    clock.set('2026-04-08T02:00:00Z');
    await page.locator('#tab-award').click();
    await page.locator('#staff-panel:not([aria-busy])').waitFor({ timeout: 20_000 });
    await page.locator('#decision-date').fill('2026-04-08');
    await page.locator('#decision-number').fill('杭政办函〔2026〕10号');
    const decisionPath = pdfFile('杭政办函〔2026〕10号.pdf', 'decision');
    await page.locator('#decision-file').setInputFiles(decisionPath);
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.locator('#decision-recorded').waitFor({ timeout: 20_000 });
    const state = await w.call<{ decision: { document: { file: { sha256: string }; organisations: unknown[] } } }>('/api/v1/cycles/demo-2026/award');
    expect(state.decision.document.file.sha256).toBe(sha256Hex(fs.readFileSync(decisionPath)));

    // The 表彰通报, published after a confirmation, lists the decision's organisations.
    await page.getByRole('button', { name: '发布表彰通报' }).click();
    await page.locator('#commendation-published').waitFor({ timeout: 20_000 });
    expect(dialogs.filter((d) => /确定/.test(d))).toHaveLength(dialogs.length);
    const { notices } = await w.call<{ notices: { organisations: unknown[] }[] }>('/api/v1/notices?cycleId=demo-2026&type=commendation');
    expect(notices[0]!.organisations).toEqual(state.decision.document.organisations);
    await w.shot(page, 'staff-award');

    const types = await logTypes();
    const after = types.slice(types.lastIndexOf('notice', types.indexOf('award-fixing-proposed')));
    expect(types.filter((x) => x.startsWith('award-') || x === 'government-decision')).toEqual(['award-fixing-proposed', 'award-fixing-decided', 'award-submission', 'government-decision']);
    expect(after.at(-1)).toBe('notice');
  });
});
