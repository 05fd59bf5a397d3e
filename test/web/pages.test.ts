// The pages in a real browser (Debian's Chromium through playwright-core) against the Node server:
// members vote on tablets, the public verifies a notice and objects, staff publish a verification
// result from the console, supervisors run the verifier in the browser (the same checks and verdicts
// as npm run verify); axe-core on the main pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { VerifyReport } from '../../src/verify/index.js';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, PDF, adoptThroughThePages, startWeb, type WebHarness } from './support.js';
import { manifestFingerprint } from '../../src/assets/manifest.js';
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const CANDIDATES = ['杭州甲科技有限公司', '杭州乙制造股份有限公司', '杭州丙服务集团'];

describe.skipIf(!HAVE_CHROMIUM)('pages in a real browser', () => {
  let w: WebHarness;
  let codes: string[];
  let meetingId: string;
  let ballotId: string;
  let tablets: Page[];
  let noticeId: string;
  let trackingNo: string;
  let handsId: string;

  const phase = (to: string, id = ballotId) => w.call(`/api/v1/ballots/${id}/phase`, { method: 'POST', json: { to } });

  beforeAll(async () => {
    w = await startWeb();
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026 年度杭州市政府质量奖' } });
    await w.call('/api/v1/cycles/2026/objection-intake', { method: 'PUT', json: EXAMPLE_INTAKE });
    codes = [];
    for (let i = 0; i < 3; i++) {
      const r = await w.call<{ enrollmentCode: string }>('/api/v1/cycles/2026/members', {
        method: 'POST',
        json: { name: `成员${i + 1}`, unit: `成员单位${i + 1}`, isChair: i === 0 },
      });
      codes.push(r.enrollmentCode);
    }
    meetingId = (await w.call<{ id: string }>('/api/v1/cycles/2026/meetings', { method: 'POST', json: { title: '2026年度评审组全体会议' } })).id;
    ballotId = (
      await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', {
        method: 'POST',
        json: { meetingId, award: 'quality', title: '2026年度质量奖无记名投票', seats: 2, candidates: CANDIDATES.map((name) => ({ name })) },
      })
    ).id;
  }, 60_000);

  afterAll(async () => {
    await w?.close();
  });

  it('three members enroll their tablets with staff-issued codes, check in, and get blind-signed tokens', async () => {
    tablets = [];
    for (const [i, code] of codes.entries()) {
      const { page } = await w.newPage();
      await page.goto('/tablet');
      await page.getByLabel('注册码').fill(code);
      await page.getByRole('button', { name: '绑定' }).click();
      await expect.poll(() => page.locator('#member-name').textContent()).toContain(`成员${i + 1}`);
      // The device key stays on the device.
      const device = await page.evaluate(() => JSON.parse(localStorage.getItem('hzqa.tablet.device') ?? 'null'));
      expect(device.deviceSecret).toMatch(/^[0-9a-f]{64}$/);
      await page.getByRole('button', { name: '签到' }).click();
      await page.locator('#checkin-status.ok').waitFor();
      tablets.push(page);
    }
    await w.shot(tablets[0]!, 'tablet-checked-in');
    // The meeting adopts its 表决办法 before the first vote, through the console and the tablets.
    await adoptThroughThePages(w, tablets);
    await phase('issuing');
    // The third tablet's Wi-Fi drops after its request reached the server: the answer is lost.
    let dropped = 0;
    await tablets[2]!.route('**/api/v1/ballots/*/tokens', async (route) => {
      if (dropped++ === 0) {
        await route.fetch();
        await route.abort('internetdisconnected');
      } else await route.continue();
    });
    await Promise.all(
      tablets.map(async (page, i) => {
        if (i === 2) {
          await page.locator(`#get-token-${ballotId}`).click({ timeout: 15_000 });
          await page.getByText('凭证请求未完成').waitFor({ timeout: 20_000 });
          const pending = await page.evaluate((id) => JSON.parse(Object.entries(localStorage).find(([k]) => k.endsWith(id))![1]).pending, ballotId);
          expect(pending.blinded).toMatch(/^[0-9a-f]+$/);
          // The retry sends the same blinded value: the server answers it again (a new one would be refused
          // with 409, since this member was already served). Once unblinded, the blinding factor is dropped.
          await page.locator(`#get-token-${ballotId}`).click();
          await page.getByText('已领取选票凭证').waitFor({ timeout: 20_000 });
          const after = await page.evaluate((id) => JSON.parse(Object.entries(localStorage).find(([k]) => k.endsWith(id))![1]) as Record<string, unknown>, ballotId);
          expect(after.pending).toBeUndefined();
          expect(after.token).toMatchObject({ token: pending.token });
          return;
        }
        const get = page.locator(`#get-token-${ballotId}`);
        await get.waitFor({ timeout: 15_000 });
        await get.click();
        await page.getByText('已领取选票凭证').waitFor({ timeout: 20_000 });
      }),
    );
    const state = await tablets[0]!.evaluate((id) => Object.entries(localStorage).find(([k]) => k.endsWith(id))?.[1], ballotId);
    expect(JSON.parse(state!)).toMatchObject({ token: { token: expect.any(String), signature: expect.any(String) } });
    expect(JSON.parse(state!)).not.toHaveProperty('pending');
    // Every tablet shows the fingerprint of the key it took from the log: the same on all, as in the room.
    const { keyFingerprint } = await w.call<{ keyFingerprint: string }>(`/api/v1/ballots/${ballotId}`);
    expect(keyFingerprint).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    for (const page of tablets) expect(await page.locator(`#key-fingerprint-${ballotId}`).textContent()).toBe(keyFingerprint);
    // Next to it, the fingerprint of the logged build the tablet runs: the same on all, and on the meeting screen.
    const build = manifestFingerprint(w.server.deps.assets!.docHash);
    for (const page of tablets) expect(await page.locator(`#build-line-${ballotId} code`).textContent()).toBe(build);
    await w.shot(tablets[0]!, 'tablet-token');
  }, 180_000);

  it('a member cannot over-vote: the tablet blocks a third 同意 for two seats, and the server refuses one', async () => {
    await phase('casting');
    const page = tablets[0]!;
    const form = page.locator(`#vote-form-${ballotId}`);
    await form.waitFor({ timeout: 15_000 });
    const option = (cand: number, choice: string) => page.locator(`fieldset[data-candidate="c0${cand}"] input[value="${choice}"]`);
    await option(1, 'for').check();
    await option(2, 'for').check();
    await expect.poll(() => page.locator(`#for-count-${ballotId}`).textContent()).toBe('同意 2 / 名额 2');
    expect(await option(3, 'for').isDisabled()).toBe(true);
    await expect.poll(() => page.locator(`#seats-full-${ballotId}`).textContent()).toContain('名额上限');
    await w.shot(page, 'tablet-ballot-seats-full');
    // The server refuses an over-vote sent around the UI with this tablet's token (not spent).
    const refused = await page.evaluate(async (id) => {
      const s = JSON.parse(Object.entries(localStorage).find(([k]) => k.endsWith(id))![1]);
      const r = await fetch(`/api/v1/ballots/${id}/cast`, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: s.token.token, signature: s.token.signature, choices: { c01: 'for', c02: 'for', c03: 'for' } }),
      });
      return { status: r.status, body: await r.json() };
    }, ballotId);
    expect(refused.status).toBe(422);
    expect(refused.body.detail_zh).toMatch(/超额/);
  });

  it('each member casts anonymously, confirms, keeps the receipt, and after the tally sees their ballot counted as cast', async () => {
    const votes = [
      ['for', 'for', 'against'],
      ['for', 'against', 'abstain'],
      ['for', 'for', 'abstain'],
    ];
    for (const [i, page] of tablets.entries()) {
      await page.locator(`#vote-form-${ballotId}`).waitFor({ timeout: 15_000 });
      for (const [j, choice] of votes[i]!.entries()) await page.locator(`fieldset[data-candidate="c0${j + 1}"] label.option-${choice}`).click();
      await page.locator(`#review-${ballotId}`).click();
      await page.locator(`#confirm-step-${ballotId}`).waitFor();
      if (i === 0) await w.shot(page, 'tablet-confirm');
      if (i === 1) {
        // The cast reaches the server but the answer is lost: the tablet offers the same ballot again.
        let n = 0;
        await page.route('**/api/v1/ballots/*/cast', async (route) => {
          if (n++ === 0) {
            await route.fetch();
            await route.abort('internetdisconnected');
          } else await route.continue();
        });
        await page.locator(`#confirm-${ballotId}`).click();
        await page.locator(`#confirm-step-${ballotId}`).getByText('网络连接中断').waitFor({ timeout: 15_000 });
      }
      await page.locator(`#confirm-${ballotId}`).click();
      await page.locator('#receipt-token').waitFor({ timeout: 20_000 });
    }
    await phase('closed');
    await phase('tallied');
    for (const page of tablets) {
      const mark = page.locator(`#counted-${ballotId}`);
      await expect.poll(() => mark.getAttribute('data-counted'), { timeout: 15_000 }).toBe('true');
      expect(await mark.textContent()).toContain('您的选票已按投出内容计入');
      // Once counted, the tablet keeps the token (the receipt) but neither the blinding factor nor the choices.
      const kept = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('hzqa.tablet.ballot.')).map(([, v]) => JSON.parse(v) as Record<string, unknown>));
      const state = kept.find((x) => x.cast);
      expect(state).toMatchObject({ counted: true, token: expect.objectContaining({ token: expect.any(String) }) });
      expect(state).not.toHaveProperty('choices');
      expect(state).not.toHaveProperty('pending');
    }
    await w.shot(tablets[0]!, 'tablet-counted');
    // 3 present, passing needs more than half: c01 (3 同意) and c02 (2 同意) take the two seats.
    const result = await w.call<{ result: { winners: string[] } }>(`/api/v1/ballots/${ballotId}`);
    expect(result.result.winners).toEqual(['c01', 'c02']);
  });

  it('a show of hands on the same tablets: the same candidates, recorded by name', async () => {
    handsId = (
      await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', {
        method: 'POST',
        json: { meetingId, award: 'innovation', title: '2026年度创新奖举手表决', seats: 1, candidates: [{ name: '杭州丁科技有限公司' }, { name: '杭州戊制造有限公司' }] },
      })
    ).id;
    await phase('voting', handsId);
    for (const [i, page] of tablets.entries()) {
      await page.locator(`#vote-form-${handsId}`).waitFor({ timeout: 15_000 });
      await page.locator(`fieldset[data-candidate="c01"] label.option-${i === 2 ? 'against' : 'for'}`).click();
      await page.locator(`fieldset[data-candidate="c02"] label.option-abstain`).click();
      await page.locator(`#review-${handsId}`).click();
      await page.locator(`#confirm-${handsId}`).click();
      await page.locator(`#ballot-${handsId}`).getByText('您的表决已记录').waitFor({ timeout: 15_000 });
    }
    await w.shot(tablets[2]!, 'tablet-hands-recorded');
    await phase('tallied', handsId);
    const record = await w.call<{ votes: { name: string; recordedBy: string }[] }>(`/api/v1/ballots/${handsId}/record`);
    expect(record.votes.map((v) => v.name).sort()).toEqual(['成员1', '成员2', '成员3']);
    expect(record.votes.every((v) => v.recordedBy === 'member')).toBe(true);
  });

  it('the public opens a notice and the browser verifies it in the public log; a tampered entry is not verified', async () => {
    const draft = await w.call<{ id: string }>('/api/v1/notices', {
      method: 'POST',
      json: {
        cycleId: '2026',
        type: 'material-review',
        title: '2026年度杭州市政府质量奖拟进入材料评审组织名单公示',
        body: '根据《杭州市政府质量奖管理办法》三（三）7，现将拟进入材料评审的组织名单予以公示。\n公示期内，任何单位或个人均可提出异议。',
        organisations: [{ name: CANDIDATES[0] }, { name: CANDIDATES[1], code: '91330100MA2AAAAA1X' }, { name: CANDIDATES[2] }],
      },
    });
    noticeId = draft.id;
    await w.call(`/api/v1/notices/${noticeId}/publish`, { method: 'POST' });

    const { page } = await w.newPage();
    await page.goto('/notices');
    await page.getByRole('link', { name: /拟进入材料评审组织名单公示/ }).click();
    await page.waitForURL(`**/notices/${noticeId}`);
    await expect.poll(() => page.locator('#verify').getAttribute('data-verified'), { timeout: 15_000 }).toBe('true');
    expect(await page.locator('#verify').textContent()).toContain('已在公开日志中验证');
    await w.shot(page, 'notice-verified');

    // Tampered: one byte of the entry changed on the way.
    const { page: p2 } = await w.newPage();
    await p2.route('**/api/v1/log/entries/*', async (route) => {
      const res = await route.fetch();
      const json = await res.json();
      const bytes = Buffer.from(json.entry, 'base64');
      const at = bytes.indexOf('"doc":"') + 8;
      bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30;
      json.entry = bytes.toString('base64');
      await route.fulfill({ response: res, json });
    });
    await p2.goto(`/notices/${noticeId}`);
    await expect.poll(() => p2.locator('#verify').getAttribute('data-verified'), { timeout: 15_000 }).toBe('false');
    expect(await p2.locator('#verify').textContent()).toContain('未通过验证');
    await w.shot(p2, 'notice-tampered');

    // Tampered: the document served with the entry differs by one character.
    const { page: p3 } = await w.newPage();
    await p3.route('**/api/v1/log/entries/*', async (route) => {
      const res = await route.fetch();
      const json = await res.json();
      json.document.title = json.document.title.replace('2026', '2025');
      await route.fulfill({ response: res, json });
    });
    await p3.goto(`/notices/${noticeId}`);
    await expect.poll(() => p3.locator('#verify').getAttribute('data-verified'), { timeout: 15_000 }).toBe('false');
  });

  it('an objection with a PDF gets a printable receipt, and its status can be looked up', async () => {
    const { page } = await w.newPage();
    await page.goto(`/notices/${noticeId}`);
    await page.getByRole('link', { name: '对本名单提出异议' }).click();
    await page.getByLabel('异议人名称/姓名').fill('张三');
    await page.getByLabel('居民身份证号码').fill('330106199003071236');
    await page.getByLabel(/签名/).first().fill('张三');
    await page.getByLabel('联系方式').fill('13800000000');
    await page.getByLabel('异议对象（组织）').selectOption(CANDIDATES[1]!);
    await page.getByLabel('事实').fill('该公司2025年发生一起质量事故。');
    await page.getByLabel('理由').fill('不符合申报条件。');
    await page.getByLabel(/^佐证材料/).setInputFiles({ name: '事故通报.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByLabel(/材料真实/).check();
    await w.shot(page, 'objection-form');
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForURL('**/objections/receipt');
    const receipt = page.locator('#receipt');
    await receipt.getByText('受理编号').waitFor();
    const text = (await receipt.textContent())!;
    expect(text).toContain('事故通报.pdf');
    trackingNo = /YY-\d{8}-[A-Z0-9]+/.exec(text)![0];
    await w.shot(page, 'objection-receipt');
    const accessCode = (await page.locator('dd').nth(1).textContent())!.trim();

    await page.goto('/objections/status');
    await page.getByLabel('受理编号').fill(trackingNo);
    await page.getByLabel('查询码').fill(accessCode);
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('#status-result dl').waitFor();
    expect(await page.locator('#status-result').textContent()).toContain('已受理');
  });

  it('staff publish the verification result of the objection through the console', async () => {
    const { page } = await w.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto('/staff');
    await page.getByLabel('访问令牌').fill(w.staff);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#tab-meeting').waitFor();
    await page.locator(`#staff-ballot-${ballotId}`).waitFor();
    // The console projected in the room shows the same build fingerprint as every tablet.
    const build = manifestFingerprint(w.server.deps.assets!.docHash);
    expect(await page.locator(`#staff-build-${ballotId} code`).textContent()).toBe(build);
    await w.shot(page, 'staff-meeting');
    await page.locator('#tab-members').click();
    await page.locator('#roster').waitFor();
    await w.shot(page, 'staff-members');
    await page.locator('#tab-objections').click();
    await page.locator(`#open-${trackingNo}`).click();
    const box = page.locator(`#objection-${trackingNo}`);
    // The units are chosen from the judging group's roster; each unit's finding is recorded.
    await box.getByLabel('成员单位1', { exact: true }).check();
    await box.getByLabel('成员单位2', { exact: true }).check();
    await box.getByRole('button', { name: '指派' }).click();
    await expect.poll(() => page.locator(`#objection-${trackingNo}`).textContent()).toContain('核查中');
    await page.locator(`#objection-${trackingNo}`).getByLabel('成员单位1的核查情况').fill('经会同成员单位核查，所述事故已结案，不影响申报条件。');
    await page.locator(`#objection-${trackingNo}`).getByRole('button', { name: '记录核查情况' }).first().click();
    await expect.poll(() => page.locator('#unit-findings').textContent()).toContain('已结案');
    await page.locator(`#objection-${trackingNo}`).getByLabel('成员单位2的核查情况').fill('经核查，未发现该组织存在其他影响申报条件的情况。');
    await page.locator(`#objection-${trackingNo}`).getByRole('button', { name: '记录核查情况' }).click();
    await expect.poll(() => page.locator('#unit-findings').textContent()).toContain('未发现该组织');
    await page.locator(`#objection-${trackingNo}`).getByLabel('核查结论').selectOption('rejected');
    await page.locator(`#objection-${trackingNo}`).getByLabel(/结论摘要/).fill('经核查，异议所述情况不影响该组织的申报条件，异议不成立。');
    await page.locator(`#objection-${trackingNo}`).getByRole('button', { name: '作出结论' }).click();
    // The list follows the action without reopening the tab.
    await expect.poll(() => page.locator('#objections tbody tr', { hasText: trackingNo }).textContent(), { timeout: 15_000 }).toContain('已作出结论');
    await expect.poll(() => page.locator('#objection-history').textContent(), { timeout: 15_000 }).toContain('作出核查结论（不成立）');
    // The objector's evidence downloads from the console, under its own name, byte for byte.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`#objection-${trackingNo}`).getByRole('button', { name: '事故通报.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('事故通报.pdf');
    const saved = await download.path();
    expect(Buffer.compare(fs.readFileSync(saved), PDF)).toBe(0);
    // The history in words, with what was done.
    const history = (await page.locator('#objection-history').textContent())!;
    expect(history).toContain('异议人：网上提交异议');
    expect(history).toContain('交由 成员单位1、成员单位2 会同核查');
    expect(history).toContain('记录核查情况：经会同成员单位核查');
    expect(history).toContain('作出核查结论（不成立）');
    expect(history).not.toMatch(/public|received|staff:|findings/);
    // The result notice is a draft first, previewed as it will be published; nothing is out yet.
    await page.locator('#draft-result').click();
    const preview = page.locator('#result-notice .preview');
    await preview.waitFor({ timeout: 15_000 });
    const previewText = (await preview.textContent())!;
    expect(previewText).toContain(trackingNo);
    expect(previewText).toContain('不成立');
    expect(previewText).toContain('不影响该组织的申报条件');
    expect(previewText).toContain(`关于${CANDIDATES[1]}异议核查结果的公告`);
    const published = async () => (await w.call<{ notices: { type: string; status: string }[] }>('/api/v1/notices?cycleId=2026')).notices.filter((n) => n.type === 'objection-result' && n.status === 'published').length;
    expect(await published()).toBe(0);
    await w.shot(page, 'staff-objection');
    await page.locator('#publish-result').click();
    const link = page.locator('#result-notice-link');
    await link.waitFor({ timeout: 15_000 });
    expect(await published()).toBe(1);
    // After the result is out, the findings, the units and the decision stay in the detail.
    const facts = (await page.locator(`#objection-${trackingNo} dl`).textContent())!;
    expect(facts).toContain('所述事故已结案');
    expect(facts).toContain('成员单位1、成员单位2');
    expect(facts).toContain('不成立：经核查');
    expect(await page.locator('#objection-history').textContent()).toContain('核查结果公告已发布');
    await w.shot(page, 'staff-objection-published');
    await link.click();
    await expect.poll(() => page.locator('#verify').getAttribute('data-verified'), { timeout: 15_000 }).toBe('true');
    const text = await page.locator('#notice').textContent();
    expect(text).toContain(trackingNo);
    expect(text).toContain('不成立');
    await w.shot(page, 'notice-objection-result');
    // The objector's status now shows the published result.
    const s = await w.call<{ objections: { trackingNo: string; status: string }[] }>('/api/v1/objections?cycleId=2026');
    expect(s.objections.find((o) => o.trackingNo === trackingNo)?.status).toBe('published');
  });

  it('the supervisors recount each bulletin in the browser and see the show-of-hands record and the log checkpoints', async () => {
    const { page } = await w.newPage();
    await page.goto('/supervisor');
    await page.getByLabel('访问令牌').fill(w.supervisor);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#app[data-ready="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator(`#sup-ballot-${ballotId} [data-recount]`).getAttribute('data-recount')).toBe('ok');
    expect(await page.locator(`#sup-ballot-${ballotId}`).textContent()).toContain('3 张选票签名全部有效');
    const hands = (await page.locator(`#sup-ballot-${handsId}`).textContent())!;
    for (const n of ['成员1', '成员2', '成员3']) expect(hands).toContain(n);
    expect(hands).toContain('签名有效');
    expect(hands).not.toContain('签名无效');
    expect(await page.locator('#checkpoint-table').textContent()).toContain('日志签名有效');
    await w.shot(page, 'supervisor');
  });

  it('the supervisors’ page runs the same checks as npm run verify: the same names, subjects and verdicts', async () => {
    const { page } = await w.newPage();
    await page.goto('/supervisor');
    await page.getByLabel('访问令牌').fill(w.supervisor);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#app[data-ready="true"]').waitFor({ timeout: 60_000 });
    const shown = await page
      .locator('#verify-report tbody tr')
      .evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset.check} | ${(r as HTMLElement).dataset.subject} | ${(r as HTMLElement).dataset.status}`));
    const logKey = (await page.locator('#app').getAttribute('data-log-key'))!;
    // The CLI over the same cycle, exported as the supervisors see it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-sup-'));
    try {
      const bundle = path.join(dir, 'bundle.json');
      const res = await fetch(`${w.base}/api/v1/cycles/2026/export`, { headers: { authorization: `Bearer ${w.supervisor}` } });
      fs.writeFileSync(bundle, await res.text());
      const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', '--bundle', bundle, '--log-key', logKey, '--json'], { encoding: 'utf8', timeout: 120_000 });
      const report = JSON.parse(cli.stdout) as VerifyReport;
      const fromCli = report.checks.map((c) => `${c.id} | ${c.subject?.en ?? ''} | ${c.status}`);
      expect(shown.length).toBeGreaterThan(20);
      expect(shown).toEqual(fromCli);
      expect(cli.status).toBe(report.ok ? 3 : 1); // no saved state, no witness: not anchored
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('the API docs (/api/docs) render in the browser from the app’s own Scalar bundle, with no outside request', async () => {
    const { page, context } = await w.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(w.base) && !r.url().startsWith("data:")) outside.push(r.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/api/docs');
    // Scalar renders the operations of /api/openapi.json: one of ours (GET /healthz's summary) must appear.
    await page.getByText('Liveness and readiness: 200 once migrations have run').first().waitFor({ timeout: 30_000 });
    await w.shot(page, 'api-docs');
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the main pages have no serious or critical accessibility violations (axe-core), in Chinese and English', async () => {
    const { page } = await w.newPage();
    const staffPage = await w.newPage();
    const failures: string[] = [];
    const check = async (p: Page, name: string) => {
      const r = await new AxeBuilder({ page: p }).analyze();
      for (const v of r.violations) if (v.impact === 'serious' || v.impact === 'critical') failures.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    for (const [path, name] of [
      ['/', 'home'],
      ['/notices', 'notices'],
      [`/notices/${noticeId}`, 'notice'],
      [`/notices/${noticeId}/objection`, 'objection-form-axe'],
      ['/objections/status', 'objection-status'],
      ['/tablet', 'tablet-enroll'],
      ['/staff', 'staff-sign-in'],
    ] as const) {
      await page.goto(path);
      if (path.startsWith('/notices/') && !path.endsWith('objection')) await page.locator('#verify[data-verified]').waitFor();
      if (path === '/tablet') await page.locator('#enroll-form').waitFor();
      if (path === '/staff') await page.locator('#token-form').waitFor();
      await check(page, name);
      await w.shot(page, name);
    }
    // Signed-in consoles and a voting tablet.
    await staffPage.page.goto('/staff');
    await staffPage.page.getByLabel('访问令牌').fill(w.staff);
    await staffPage.page.getByRole('button', { name: '登录' }).click();
    await staffPage.page.locator('#tab-notices').click();
    await staffPage.page.locator('#draft-notice').waitFor();
    await check(staffPage.page, 'staff-notices');
    await w.shot(staffPage.page, 'staff-notices');
    await check(tablets[0]!, 'tablet-after-votes');
    // English.
    await page.goto('/notices?lang=en');
    expect(await page.locator('h1').textContent()).toBe('Public notices');
    await page.goto(`/notices/${noticeId}`);
    await expect.poll(() => page.locator('#verify').textContent(), { timeout: 15_000 }).toContain('Verified in the public log');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await check(page, 'notice-en');
    await w.shot(page, 'notice-en');
    expect(failures).toEqual([]);
  });
});
