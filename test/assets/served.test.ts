// The served code against the logged build, as a supervisor checks it and as a browser enforces it:
// a real Node server serving a copy of the build; then one tablet script altered on disk. The
// verifier's --assets check and the witness both fail naming the file (and the witness does not
// cosign), and Chromium refuses to run the altered script (Subresource Integrity).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { parseConfig } from '../../src/config.js';
import { startNodeServer, type NodeServer } from '../../src/platform/node/server.js';
import { verifierKeyOf } from '../../src/log/checkpoint.js';
import { publishManifest } from '../../src/assets/publish.js';
import { ASSET_MANIFEST_TYPE, integrityOf, manifestFile } from '../../src/assets/manifest.js';
import { listEntries } from '../../src/log/append.js';
import { generateSignerKey, SIG_COSIGNATURE_V1 } from '../../crypto/note.js';
import { checkAssets } from '../../tools/assets-check.js';
import { main as verifyMain } from '../../scripts/verify.js';
import { pullOnce } from '../../scripts/witness.js';
import { CHROMIUM, HAVE_CHROMIUM } from '../web/support.js';

const TABLET = '/assets/web/tablet.js';

async function runVerify(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await verifyMain(args), out };
  } finally {
    spy.mockRestore();
  }
}

describe('served code against the logged asset manifest', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-served-'));
  const publicDir = path.join(tmp, 'public');
  const witness = generateSignerKey('supervisors.example/witness', { type: SIG_COSIGNATURE_V1 });
  let server: NodeServer;
  let logKey: string;
  let browser: Browser | undefined;
  const witnessCfg = () => ({ witnessKey: witness.signerKey, logKey, stateFile: path.join(tmp, 'witness.json'), baseUrl: server.url });

  beforeAll(async () => {
    // A copy of the build (test/global-setup.ts built it), so that altering it touches no other test.
    fs.cpSync(path.join(import.meta.dirname, '..', '..', 'public', 'assets'), path.join(publicDir, 'assets'), { recursive: true });
    const config = parseConfig({ DATA_DIR: path.join(tmp, 'data'), LOG_CHECKPOINT_INTERVAL_MS: '0', WITNESS_KEYS: witness.verifierKey });
    server = await startNodeServer(config, { port: 0, quiet: true, publicDir });
    logKey = verifierKeyOf(server.deps.keys.logSignerKey);
    if (HAVE_CHROMIUM) {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    }
  }, 600_000);
  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Loads /tablet in a fresh context (no cache); returns what the page shows and the console said. */
  async function loadTablet() {
    const context = await browser!.newContext({ baseURL: server.url, locale: 'zh-CN' });
    const page = await context.newPage();
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    await page.goto('/tablet');
    return { context, page, messages };
  }

  it('logs the manifest before serving; pages declare it and load their script and stylesheet with its integrity', async () => {
    const published = server.deps.assets!;
    const entries = await listEntries(server.deps.db, { type: ASSET_MANIFEST_TYPE });
    expect(entries.map((e) => [e.index, e.docHash])).toEqual([[published.index, published.docHash]]);
    const html = await (await fetch(`${server.url}/tablet`)).text();
    expect(html).toContain(`<meta name="asset-manifest" content="${published.index}" data-hash="${published.docHash}"/>`);
    expect(html).toContain(`src="${TABLET}" integrity="${integrityOf(manifestFile(published.manifest, TABLET)!.sha256)}"`);
    const docs = await (await fetch(`${server.url}/api/docs`)).text();
    expect(docs).toContain(`integrity="${integrityOf(manifestFile(published.manifest, '/assets/scalar/standalone.js')!.sha256)}"`);
    // A restart (or a second instance) with the same build appends nothing.
    expect((await publishManifest(server.deps, published.manifest)).index).toBe(published.index);
    expect(await listEntries(server.deps.db, { type: ASSET_MANIFEST_TYPE })).toHaveLength(1);
  });

  it('the unaltered build passes the verifier, the witness (which cosigns) and the browser', async () => {
    const r = await checkAssets({ baseUrl: server.url, logKey });
    expect(r.findings).toEqual([]);
    expect(r.checked).toContain(TABLET);
    const v = await runVerify(['--url', server.url, '--assets', '--log-key', logKey, '--lang', 'en']);
    expect(v.out).toMatch(/Verdict: the served code is the logged build/);
    expect(v.code).toBe(0);
    const w = await pullOnce({ ...witnessCfg(), assets: {} });
    expect(w.message).toMatch(/^cosigned size \d+ \(served code: logged build #\d+/);
    expect(w.status).toBe(200);
    if (browser) {
      const { context, page } = await loadTablet();
      await page.locator('#enroll-form').waitFor({ timeout: 60_000 });
      await context.close();
    }
  });

  it('an altered tablet script: the verifier and the witness fail naming it, and Chromium refuses to run it', async () => {
    const file = path.join(publicDir, 'assets', 'web', 'tablet.js');
    fs.appendFileSync(file, '\n;globalThis.leakedToken = localStorage.getItem("hzqa.tablet.device");\n');
    const r = await checkAssets({ baseUrl: server.url, logKey });
    expect(r.ok).toBe(false);
    expect(r.findings.map((x) => x.file)).toEqual([TABLET]);
    const v = await runVerify(['--url', server.url, '--assets', '--log-key', logKey, '--lang', 'en']);
    expect(v.code).toBe(1);
    expect(v.out).toContain(`✗ ${TABLET}: the served file differs from the logged manifest`);
    expect(v.out).toMatch(/Verdict: FAILED — \/assets\/web\/tablet\.js\./);

    const cosignatures = () => server.deps.db.selectFrom('log_cosignature').select('checkpoint_size').execute();
    const before = (await cosignatures()).length;
    const w = await pullOnce({ ...witnessCfg(), assets: {} });
    expect(w.status).toBe(409);
    expect(w.message).toContain(`not cosigned: the served code differs from the logged build: ${TABLET}`);
    expect((await cosignatures()).length).toBe(before);

    if (browser) {
      const { context, page, messages } = await loadTablet();
      await expect.poll(() => messages.join('\n'), { timeout: 60_000 }).toMatch(/integrity/);
      expect(messages.join('\n')).toContain(TABLET);
      // The script never ran: the page is still the server's shell, and nothing was read.
      expect(await page.locator('#enroll-form').count()).toBe(0);
      expect(await page.locator('#build-refused').count()).toBe(0);
      expect(await page.evaluate(() => 'leakedToken' in globalThis)).toBe(false);
      await context.close();
    }
  });
});
