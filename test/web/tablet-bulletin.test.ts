// The tablet checks its member's ballot in the bulletin whose hash is in the public log (inclusion proof
// against a signed checkpoint), never in a list the server rebuilds on request; it keeps the signed cast
// receipt until the member saves or dismisses it. Played against a bureau with database superuser rights:
// a dropped ballot, a changed choice and a minted ballot each show on the tablets as "not counted as cast",
// and a saved receipt is the evidence the supervisors' verifier fails the cycle with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sql } from 'kysely';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, adoptThroughThePages, startWeb, type WebHarness } from './support.js';
import type { VerifyReport } from '../../src/verify/index.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const CANDIDATES = ['杭州甲科技有限公司', '杭州乙制造股份有限公司'];

describe.skipIf(!HAVE_CHROMIUM)('the tablet checks the logged bulletin and keeps a signed receipt', () => {
  let w: WebHarness;
  let tablets: Page[];
  let meetingId: string;
  let dir: string;

  const phase = (id: string, to: string) => w.call(`/api/v1/ballots/${id}/phase`, { method: 'POST', json: { to } });
  const stateOf = (page: Page, ballotId: string) =>
    page.evaluate((id) => JSON.parse(Object.entries(localStorage).find(([k]) => k.endsWith(`.${id}`))?.[1] ?? '{}') as Record<string, unknown>, ballotId);

  async function prepare(title: string) {
    return (
      await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', {
        method: 'POST',
        json: { meetingId, award: 'quality', title, seats: 1, candidates: CANDIDATES.map((name) => ({ name })) },
      })
    ).id;
  }

  /** Tokens for every tablet; then the voters each cast 同意 for the first candidate and 不同意 for the second. */
  async function vote(ballotId: string, voters: Page[]) {
    await phase(ballotId, 'issuing');
    for (const page of tablets) {
      await page.locator(`#get-token-${ballotId}`).click({ timeout: 20_000 });
      await page.locator(`#key-fingerprint-${ballotId}`).waitFor({ timeout: 20_000 });
    }
    await phase(ballotId, 'casting');
    for (const page of voters) {
      await page.locator(`#vote-form-${ballotId}`).waitFor({ timeout: 20_000 });
      await page.locator('fieldset[data-candidate="c01"] label.option-for').click();
      await page.locator('fieldset[data-candidate="c02"] label.option-against').click();
      await page.locator(`#review-${ballotId}`).click();
      await page.locator(`#confirm-${ballotId}`).click();
      await page.locator(`#save-receipt-${ballotId}`).waitFor({ timeout: 20_000 });
    }
  }

  const mark = (page: Page, ballotId: string) => page.locator(`#counted-${ballotId}`);
  async function verdict(page: Page, ballotId: string) {
    await page.reload();
    await expect.poll(() => mark(page, ballotId).getAttribute('data-counted'), { timeout: 20_000 }).toMatch(/true|false/);
    return { counted: await mark(page, ballotId).getAttribute('data-counted'), reason: await mark(page, ballotId).getAttribute('data-reason'), text: await mark(page, ballotId).textContent() };
  }

  beforeAll(async () => {
    w = await startWeb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-receipts-'));
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026 年度杭州市政府质量奖' } });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await w.call<{ enrollmentCode: string }>('/api/v1/cycles/2026/members', { method: 'POST', json: { name: `成员${i + 1}`, unit: `成员单位${i + 1}`, isChair: i === 0 } });
      codes.push(r.enrollmentCode);
    }
    meetingId = (await w.call<{ id: string }>('/api/v1/cycles/2026/meetings', { method: 'POST', json: { title: '2026年度评审组全体会议' } })).id;
    tablets = [];
    for (const code of codes) {
      const { page } = await w.newPage();
      await page.goto('/tablet');
      await page.getByLabel('注册码').fill(code);
      await page.getByRole('button', { name: '绑定' }).click();
      await page.getByRole('button', { name: '签到' }).click();
      await page.locator('#checkin-status.ok').waitFor();
      tablets.push(page);
    }
    await adoptThroughThePages(w, tablets);
  }, 120_000);

  afterAll(async () => {
    await w?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a dropped ballot and a changed choice show as not counted on those tablets; the saved receipt is the evidence', async () => {
    const ballotId = await prepare('2026年度质量奖无记名投票（一）');
    const [honest, dropped, changed, dismisser] = tablets as [Page, Page, Page, Page];
    await vote(ballotId, [honest, dropped, changed, dismisser]);

    // The member saves the signed receipt as a file: it holds a hash of the choices, not the choices.
    const saved: string[] = [];
    for (const page of [honest, dropped]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`#save-receipt-${ballotId}`).click()]);
      const file = path.join(dir, `${saved.length}.json`);
      await download.saveAs(file);
      const receipt = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(receipt).toMatchObject({ ballotId, token: ((await stateOf(page, ballotId)).token as { token: string }).token, choicesHash: expect.stringMatching(/^[0-9a-f]{64}$/), accepted: true });
      expect(receipt).not.toHaveProperty('choices');
      saved.push(file);
    }
    // Another member dismisses it: gone from the tablet, kept nowhere else.
    await dismisser.locator(`#dismiss-receipt-${ballotId}`).click();
    await dismisser.getByText('签名回执已从本平板删除').waitFor();
    expect(await stateOf(dismisser, ballotId)).not.toHaveProperty('castReceipt');

    // The bureau, as database superuser, drops one ballot and changes another's choices before the close.
    const db = w.server.deps.db;
    const tokenOf = async (page: Page) => ((await stateOf(page, ballotId)).token as { token: string }).token;
    await db.deleteFrom('secret_ballot').where('ballot_id', '=', ballotId).where('token', '=', await tokenOf(dropped)).execute();
    await db.updateTable('secret_ballot').set({ choices: JSON.stringify({ c01: 'against', c02: 'for' }) }).where('ballot_id', '=', ballotId).where('token', '=', await tokenOf(changed)).execute();
    await phase(ballotId, 'closed');
    await phase(ballotId, 'tallied');

    expect(await verdict(honest, ballotId)).toMatchObject({ counted: 'true' });
    expect(await verdict(dismisser, ballotId)).toMatchObject({ counted: 'true' });
    expect(await dismisser.locator(`#save-receipt-${ballotId}`).count()).toBe(0);
    expect(await honest.locator(`#save-receipt-${ballotId}`).count()).toBe(1);
    for (const page of [dropped, changed]) {
      const v = await verdict(page, ballotId);
      expect(v).toMatchObject({ counted: 'false', reason: 'missing-or-altered' });
      expect(v.text).toContain('选票公告中未找到与您投出内容一致的选票');
    }
    await w.shot(dropped, 'tablet-not-counted');

    // A server that logged the doctored bulletin but serves an honest-looking one: on the live route, or as
    // the document beside the log entry. Neither convinces the tablet.
    const honestLooking = await w.call<{ ballots: { token: string; signature: string; choices: Record<string, string> }[] }>(`/api/v1/ballots/${ballotId}/bulletin`);
    const mine = await stateOf(dropped, ballotId);
    const restored = { ...honestLooking, ballots: [...honestLooking.ballots, { ...(mine.token as { token: string; signature: string }), message: '', choices: { c01: 'for', c02: 'against' } }] };
    await dropped.route('**/api/v1/ballots/*/bulletin', (route) => route.fulfill({ json: restored }));
    expect(await verdict(dropped, ballotId)).toMatchObject({ counted: 'false', reason: 'missing-or-altered' });
    await dropped.route('**/api/v1/log/entries/*', async (route) => {
      const answer = (await (await route.fetch()).json()) as { document: { ballotId?: string; ballots?: unknown[] } };
      if (answer.document?.ballotId === ballotId) answer.document = { ...answer.document, ballots: restored.ballots };
      await route.fulfill({ json: answer });
    });
    expect(await verdict(dropped, ballotId)).toMatchObject({ counted: 'false', reason: 'wrong-entry' });
    await dropped.unrouteAll();

    // The live bulletin route serves the logged document: a change made after the close is not served.
    await db.updateTable('secret_ballot').set({ choices: JSON.stringify({ c01: 'abstain', c02: 'abstain' }) }).where('ballot_id', '=', ballotId).execute();
    const live = await w.call<{ ballots: { choices: Record<string, string> }[] }>(`/api/v1/ballots/${ballotId}/bulletin`);
    expect(live.ballots.map((b) => b.choices.c01)).not.toContain('abstain');

    // The supervisors' verifier with the saved receipts: the honest one holds, the dropped one fails the cycle.
    const bundle = path.join(dir, 'bundle.json');
    const res = await fetch(`${w.base}/api/v1/cycles/2026/export`, { headers: { authorization: `Bearer ${w.supervisor}` } });
    fs.writeFileSync(bundle, await res.text());
    const logKey = (await (await fetch(`${w.base}/log/key`)).text()).trim();
    const run = (files: string[]) => {
      const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', '--bundle', bundle, '--log-key', logKey, '--first-run', '--json', '--receipts', ...files], { encoding: 'utf8', timeout: 120_000 });
      return JSON.parse(cli.stdout) as VerifyReport;
    };
    const honestOnly = run([saved[0]!]).checks.filter((c) => c.id.includes('receipt'));
    expect(honestOnly.length).toBeGreaterThan(0);
    expect(honestOnly.every((c) => c.status !== 'fail')).toBe(true);
    const withDropped = run(saved).checks.filter((c) => c.id.includes('receipt'));
    expect(withDropped.some((c) => c.status === 'fail')).toBe(true);
  }, 240_000);

  it('a ballot minted by the bureau into an abstainer’s slot shows as not counted on every tablet', async () => {
    const ballotId = await prepare('2026年度质量奖无记名投票（二）');
    const voters = tablets.slice(0, 3);
    // The fourth member takes a token but does not cast: the bureau fills the slot with its own ballot.
    await vote(ballotId, voters);
    const db = w.server.deps.db;
    const copy = await db.selectFrom('secret_ballot').select(['signature']).where('ballot_id', '=', ballotId).executeTakeFirstOrThrow();
    await sql`insert into secret_ballot (ballot_id, token, signature, choices) values (${ballotId}, ${'f'.repeat(64)}, ${copy.signature}, ${JSON.stringify({ c01: 'against', c02: 'for' })})`.execute(db);
    await phase(ballotId, 'closed');
    await phase(ballotId, 'tallied');
    for (const page of voters) expect(await verdict(page, ballotId)).toMatchObject({ counted: 'false', reason: 'unsound' });
  }, 240_000);
});
