// `npm run demo` runs on a simulated clock (it walks a cycle's weeks from 2026-03-02). Whatever is due by that
// clock — an objection filed through its pages — the verifier, run afterwards on real time, used to call
// overdue (已逾期). The demo's server logs its clock when it starts and again after moving it (simulated-clock),
// and every tool reading the log judges time on it, saying it is a demonstration's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, HAVE_CHROMIUM, NO_CHROMIUM_REASON, SCREENSHOTS } from '../web/support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const ROOT = path.resolve(import.meta.dirname, '../..');

describe.skipIf(!HAVE_CHROMIUM)('npm run verify on the demo, judged on the demo’s clock', () => {
  let demo: ChildProcess;
  let out = '';
  let dir: string;
  let browser: Browser;
  let base: string;
  let logKey: string;
  let cycleId: string;
  let cosignerKey: string;
  let supervisorToken: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-demo-verify-'));
    demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: path.join(dir, 'data'), COSIGNER_DIR: path.join(dir, 'cosigner'), PORT: '0', COSIGNER_PORT: '0', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      demo.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('demo ready')) resolve();
      });
      demo.once('exit', (code) => reject(new Error(`the demo exited (${code}):\n${out}`)));
    });
    base = /home\s+(\S+)\//.exec(out)![1]!;
    logKey = /log key\s+(\S+)/.exec(out)![1]!;
    cosignerKey = /co-signer key\s+(\S+)/.exec(out)![1]!;
    supervisorToken = /supervisor\s+\S+\s+token: (\S+)/.exec(out)![1]!;
    cycleId = /export\s+\S+\/api\/v1\/cycles\/([^/]+)\/export/.exec(out)![1]!;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (demo && demo.exitCode === null) {
      demo.kill('SIGTERM');
      await new Promise((r) => demo.once('exit', r));
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the verifier judges the demo on its own clock, says so, and passes', async () => {
    // The demo leaves its clock after the government's decision, every 公示 over: the objection of the demo is
    // the one on record (an objection still pending would be judged on this clock: test/verify/simulated-clock.test.ts).
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    await page.goto(`${base}/notices`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-notice-board.png') });
    await page.close();
    const demoNow = /clock\s+started at \S+, now (\S+)/.exec(out)![1]!;

    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', '--url', base, '--cycle', cycleId, '--log-key', logKey, '--cosigner-key', cosignerKey, '--first-run', '--state', path.join(dir, 'state.json'), '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 180_000,
    });
    const report = JSON.parse(run.stdout) as { ok: boolean; asOf: string; checks: { id: string; status: string; details: { zh: string }[] }[] };
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed.map((c) => `${c.id}: ${c.details.map((d) => d.zh).join('; ')}`)).toEqual([]);
    expect(run.status, run.stderr).toBe(0);
    // Judged on the demo's clock (its date, not today's), and said so.
    const clock = report.checks.find((c) => c.id === 'simulated-clock')!;
    expect(report.asOf.slice(0, 10), JSON.stringify(clock.details)).toBe(demoNow.slice(0, 10));
    expect(clock.status).toBe('warn');
    expect(clock.details[0]!.zh).toContain('模拟时钟');
    expect(report.checks.find((c) => c.id === 'objection-results')!.status).toBe('pass');
  }, 300_000);

  it('on the demo cycle, the supervisors’ page runs the same checks as npm run verify: the same names, subjects and verdicts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${base}/supervisor`);
      await page.getByLabel('访问令牌').fill(supervisorToken);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('#app[data-ready="true"]').waitFor({ timeout: 120_000 });
      const shown = await page
        .locator('#verify-report tbody tr')
        .evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset.check} | ${(r as HTMLElement).dataset.subject} | ${(r as HTMLElement).dataset.status}`));
      await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-supervisor-checks.png'), fullPage: true });
      // The CLI over the export the supervisors' page reads (a supervisor's), pinned to the same keys.
      const bundle = path.join(dir, 'supervisor-bundle.json');
      const res = await fetch(`${base}/api/v1/cycles/${cycleId}/export`, { headers: { authorization: `Bearer ${supervisorToken}` } });
      fs.writeFileSync(bundle, await res.text());
      // The page checks the co-issuance with the co-signer key it shows: the demo's.
      expect(await page.locator('#sup-cosigner-key').textContent()).toContain(cosignerKey);
      const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', '--bundle', bundle, '--log-key', logKey, '--cosigner-key', cosignerKey, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
      const report = JSON.parse(cli.stdout) as { checks: { id: string; subject: { en: string } | null; status: string }[] };
      const fromCli = report.checks.map((c) => `${c.id} | ${c.subject?.en ?? ''} | ${c.status}`);
      expect(shown.length).toBeGreaterThan(40);
      expect(shown).toEqual(fromCli);
      expect(fromCli.filter((c) => c.endsWith('| fail'))).toEqual([]);
    } finally {
      await page.close();
    }
  }, 300_000);
});
