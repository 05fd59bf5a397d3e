// Where the deployment requires the supervisors' witness (LOG_WITNESS_REQUIRED), the tablet refuses
// to proceed on a checkpoint that does not carry that witness's valid cosignature — none yet, one
// stripped by the server, or a forged one — and proceeds, showing its build fingerprint, once the
// witness has cosigned a checkpoint that contains the build's manifest.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parseConfig } from '../../src/config.js';
import { startNodeServer, type NodeServer } from '../../src/platform/node/server.js';
import { verifierKeyOf } from '../../src/log/checkpoint.js';
import { manifestFingerprint } from '../../src/assets/manifest.js';
import { generateSignerKey, SIG_COSIGNATURE_V1 } from '../../crypto/note.js';
import { pullOnce } from '../../scripts/witness.js';
import { CHROMIUM, HAVE_CHROMIUM, NO_CHROMIUM_REASON } from '../web/support.js';

const WITNESS = 'supervisors.example/witness';

describe.skipIf(!HAVE_CHROMIUM)('tablet and the required witness', () => {
  if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-tablet-witness-'));
  const witness = generateSignerKey(WITNESS, { type: SIG_COSIGNATURE_V1 });
  const impostor = generateSignerKey(WITNESS, { type: SIG_COSIGNATURE_V1 }); // same name, another key
  let server: NodeServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const config = parseConfig({
      DATA_DIR: path.join(tmp, 'data'),
      LOG_CHECKPOINT_INTERVAL_MS: '0',
      WITNESS_KEYS: witness.verifierKey,
      LOG_WITNESS_REQUIRED: WITNESS,
    });
    server = await startNodeServer(config, { port: 0, quiet: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, 600_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function tablet(setup?: (page: Page) => Promise<unknown>): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.url, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    await setup?.(page);
    await page.goto('/tablet');
    return page;
  }

  /** The latest checkpoint as the log signed it, with `lines` as its only cosignatures. */
  async function latestNote(lines: (note: string) => string[]): Promise<string> {
    const { checkpoints } = (await (await fetch(`${server.url}/api/v1/log/checkpoints?limit=1`)).json()) as { checkpoints: { note: string }[] };
    const logOnly = checkpoints[0]!.note.split('\n').filter((l) => !l.startsWith(`— ${WITNESS} `)).join('\n');
    return logOnly + lines(logOnly).map((l) => l + '\n').join('');
  }

  it('the page pins the required witness key', async () => {
    const html = await (await fetch(`${server.url}/tablet`)).text();
    expect(html).toContain(`data-witness-required="${WITNESS}"`);
    expect(html).toContain(`data-witness-key="${witness.verifierKey}"`);
  });

  it('refuses while no checkpoint is cosigned by the witness', async () => {
    const page = await tablet();
    await page.locator('#build-refused').waitFor({ timeout: 60_000 });
    expect(await page.locator('#build-refused').textContent()).toContain('本平板无法确认所运行的程序已记入公开日志');
    expect(await page.locator('#enroll-form').count()).toBe(0);
  });

  it('refuses a checkpoint served without the cosignature, and one with a forged cosignature', async () => {
    // The server (or anyone between it and the tablet) hands out the log-signed checkpoint only.
    const stripped = await latestNote(() => []);
    const page = await tablet((p) => p.route('**/log/checkpoint*', (r) => r.fulfill({ status: 200, contentType: 'text/plain; charset=utf-8', body: stripped })));
    await page.locator('#build-refused').waitFor({ timeout: 60_000 });
    expect(await page.locator('#build-refused').textContent()).toContain('没有监督小组见证方的联署签名');
    expect(await page.locator('#enroll-form').count()).toBe(0);

    // A cosignature line under the witness's name by another key.
    const { addCosignature, newCosigner, newVerifier } = await import('../../crypto/note.js');
    const logVerifier = newVerifier(verifierKeyOf(server.deps.keys.logSignerKey));
    const forged = addCosignature(await latestNote(() => []), newCosigner(impostor.signerKey), logVerifier);
    const page2 = await tablet((p) => p.route('**/log/checkpoint*', (r) => r.fulfill({ status: 200, contentType: 'text/plain; charset=utf-8', body: forged })));
    await page2.locator('#build-refused').waitFor({ timeout: 60_000 });
    expect(await page2.locator('#enroll-form').count()).toBe(0);
  });

  it('proceeds once the witness has cosigned, and shows the build fingerprint', async () => {
    const r = await pullOnce({ witnessKey: witness.signerKey, logKey: verifierKeyOf(server.deps.keys.logSignerKey), stateFile: path.join(tmp, 'witness.json'), baseUrl: server.url });
    expect(r.status).toBe(200);
    const page = await tablet();
    await page.locator('#enroll-form').waitFor({ timeout: 60_000 });
    expect(await page.locator('#build-refused').count()).toBe(0);
    const assets = server.deps.assets!;
    expect(await page.locator('#build-line code').textContent()).toBe(manifestFingerprint(assets.docHash));
    expect(await page.locator('#build-line').textContent()).toContain(`第 ${assets.index} 条`);
  });
});
