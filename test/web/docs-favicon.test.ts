// The API docs offer none of Scalar's cloud features (Ask AI, MCP, Share, Deploy:
// blocked by the CSP, and not ours to offer), and every page's /favicon.ico exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { parseConfig } from '../../src/config.js';
import { startNodeServer, type NodeServer } from '../../src/platform/node/server.js';
import { CHROMIUM, HAVE_CHROMIUM, NO_CHROMIUM_REASON, SCREENSHOTS } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!HAVE_CHROMIUM)('API docs and favicon in a real browser', () => {
  let server: NodeServer;
  let browser: Browser;
  let dataDir: string;
  // Scalar offers its developer tools on "localhost": the page is opened there.
  let base: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-docs-'));
    server = await startNodeServer(parseConfig({ DATA_DIR: dataDir, LOG_CHECKPOINT_INTERVAL_MS: '0' }), { port: 0, quiet: true });
    base = server.url.replace('127.0.0.1', 'localhost');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the docs page shows no Ask AI, MCP, Share or Deploy', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(base + '/api/docs');
    await page.getByText('Liveness and readiness: 200 once migrations have run').first().waitFor({ timeout: 60_000 });
    // Give Scalar's toolbar and agent time to mount, as they do after the content.
    await page.waitForLoadState('networkidle');
    const text = await page.locator('body').innerText();
    for (const cloud of ['Ask AI', 'MCP', 'Share', 'Deploy', 'Developer Tools']) expect(text, cloud).not.toContain(cloud);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'api-docs-no-cloud.png') });
    await page.close();
  }, 120_000);

  it('/favicon.ico is an icon, and a page load asks for nothing that is missing', async () => {
    const res = await fetch(server.url + '/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/x-icon');
    const ico = new Uint8Array(await res.arrayBuffer());
    // ICONDIR: reserved 0, type 1 (icon), one image.
    expect([...ico.slice(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    const page = await browser.newPage();
    const missing: string[] = [];
    page.on('response', (r) => r.status() === 404 && missing.push(r.url()));
    await page.goto(server.url + '/');
    await page.waitForLoadState('networkidle');
    expect(missing).toEqual([]);
    await page.close();
  }, 60_000);
});
