// Browser tests: the real Node server (src/node.ts) on port 0 with a temporary DATA_DIR, and Debian's
// Chromium driven by playwright-core. Skipped (with the reason) only when no Chromium binary exists.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parseConfig } from '../../src/config.js';
import { startNodeServer, type NodeServer } from '../../src/platform/node/server.js';
import { createAccount, issueAccountToken } from '../../src/auth/accounts.js';
import { call, type Fetch } from '../../src/protocol/tablet.js';
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';
import type { Clock } from '../../src/deps.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
export const NO_CHROMIUM_REASON = `browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;

export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'screenshots');

export interface WebHarness {
  server: NodeServer;
  browser: Browser;
  base: string;
  staff: string;
  supervisor: string;
  api: Fetch;
  /** A JSON API call as staff (or another token). */
  call<T>(path: string, init?: RequestInit & { json?: unknown; token?: string }): Promise<T>;
  newPage(opts?: { lang?: 'zh' | 'en' }): Promise<{ context: BrowserContext; page: Page }>;
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** `clock`: a clock the test moves (default: CLOCK_START's, running at real speed). */
export async function startWeb(opts: { clock?: Clock } = {}): Promise<WebHarness> {
  const { chromium } = await import('playwright-core');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-web-'));
  const config = parseConfig({
    DATA_DIR: dataDir,
    // A Monday inside the bundled working-day calendar, so every 公示 window is computable.
    CLOCK_START: '2026-03-02T10:00:00+08:00',
    LOG_CHECKPOINT_INTERVAL_MS: '0',
  });
  const server = await startNodeServer(config, { port: 0, quiet: true, ...(opts.clock ? { clock: opts.clock } : {}) });
  const db = server.deps.db;
  const staff = await issueAccountToken(db, (await createAccount(db, { role: 'staff', name: '市场监管局 王工' })).id);
  const supervisor = await issueAccountToken(db, (await createAccount(db, { role: 'supervisor', name: '监督小组 李工' })).id);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // A kept-alive socket the server closed just as it was reused (ECONNRESET before any answer) is tried
  // once more on a fresh one; the request never reached the handler.
  const api: Fetch = async (p, init) => {
    try {
      return await fetch(server.url + p, init);
    } catch (e) {
      if ((e as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw e;
      return fetch(server.url + p, init);
    }
  };
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    base: server.url,
    staff,
    supervisor,
    api,
    call: (p, init = {}) => call(api, p, { token: staff, ...init }),
    async newPage(opts = {}) {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1180, height: 860 }, locale: 'zh-CN' });
      if (opts.lang) await context.addCookies([{ name: 'lang', value: opts.lang, url: server.url }]);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[page error] ${page.url()}: ${e.message}`));
      return { context, page };
    },
    async shot(page, name) {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A minimal PDF (the server judges the type by content). */
export const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

/**
 * The meeting adopts its 表决办法 through the pages, for tests about something else (meeting.test.ts and
 * meeting-hands.test.ts show each step): the staff console, in a page of its own, proposes the default
 * rules with no tellers named; each tablet page given signs 同意; the console closes the vote and shows
 * it adopted.
 */
export async function adoptThroughThePages(w: WebHarness, tablets: Page[]) {
  const { page: staff } = await w.newPage();
  await staff.goto('/staff');
  await staff.getByLabel('访问令牌').fill(w.staff);
  await staff.getByRole('button', { name: '登录' }).click();
  await staff.locator('#tab-meeting').click();
  // The console takes up the meeting already open (its id is in the refusal to open another); the tab may
  // redraw meanwhile, so the button is pressed again until the meeting view is there.
  // (A loop, not expect.poll: this also runs in beforeAll.)
  for (const until = Date.now() + 60_000; !(await staff.locator('#quorum').count()); ) {
    if (Date.now() > until) throw new Error('the staff console did not show the open meeting within 60 s');
    const open = staff.locator('#open-meeting button[type=submit]');
    if (await open.count()) await open.click({ timeout: 2000 }).catch(() => {});
    await staff.waitForTimeout(500);
  }
  await staff.locator('#propose-procedure button[type=submit]').click({ timeout: 20_000 });
  await staff.locator('#procedure-status[data-status=proposed]').waitFor({ timeout: 20_000 });
  for (const page of tablets) {
    await page.locator('#procedure-vote-for').click({ timeout: 20_000 });
    await page.locator('#procedure-my-vote[data-choice=for]').waitFor({ timeout: 20_000 });
  }
  await staff.locator('#procedure-close').click();
  await staff.locator('#procedure-status[data-status=adopted]').waitFor({ timeout: 20_000 });
  await staff.context().close();
}


/**
 * Cycle 2026 with its objection-intake details and a published 拟进入材料评审 list of these organisations,
 * as staff set them up through the API: the list's notice id.
 */
export async function publishedMaterialList(w: WebHarness, organisations: string[]): Promise<string> {
  await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026 年度杭州市政府质量奖' } });
  await w.call('/api/v1/cycles/2026/objection-intake', { method: 'PUT', json: EXAMPLE_INTAKE });
  const { id } = await w.call<{ id: string }>('/api/v1/notices', {
    method: 'POST',
    json: {
      cycleId: '2026',
      type: 'material-review',
      title: '2026年度杭州市政府质量奖拟进入材料评审组织名单公示',
      body: '根据《杭州市政府质量奖管理办法》三（三）7，现将拟进入材料评审的组织名单予以公示。',
      organisations: organisations.map((name) => ({ name })),
    },
  });
  await w.call(`/api/v1/notices/${id}/publish`, { method: 'POST' });
  return id;
}
