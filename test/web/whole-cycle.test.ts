// A whole cycle from the pages alone, in Debian Chromium against the real Node server on a fresh embedded
// database with no account: the one-time setup link makes the first staff account, the console makes a
// supervisor account, the cycle and its members (each 注册码 shown as it is made), the tablets enrol with
// those codes and check in, the 表决办法 is adopted, a secret ballot runs (tokens, casts, tally) and a show
// of hands where one member's tablet fails: staff record that member's hands in the console, a supervisor
// confirms them on the supervisors' page, and the member's tablet no longer offers that vote. After the
// meeting the 拟进入现场评审 and 初选 lists are published from the notices tab (each before the previous 公示
// ended, with its recorded reason); with the server's clock moved past every 公示, the 审定 is put to the
// meeting in the 审定与表彰 tab, signed on every tablet and closed, and the submission, the city government's
// decision and the 表彰通报 follow. The supervisors' page then runs its checks and none fails. Every step that changes state is a click in a
// page; the test reads the server only for the last assertion (the verifier over the cycle's export).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parseConfig } from '../../src/config.js';
import { startNodeServer, type NodeServer } from '../../src/platform/node/server.js';
import { parseBundle, verifyBundle } from '../../src/verify/index.js';
import { failedNames } from '../../src/verify/report.js';
import { CHROMIUM, HAVE_CHROMIUM, NO_CHROMIUM_REASON, PDF, SCREENSHOTS } from './support.js';
import { movableClock } from '../../src/deps.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

// Generous: the CI machine has two cores and runs other files beside this one.
const WAIT = { timeout: 60_000 };
const STEP = 300_000;
const MEMBERS = ['成员1', '成员2', '成员3', '成员4'];
const QUALITY = ['杭州甲精密制造有限公司', '杭州乙智能装备有限公司'];
const INNOVATION = ['杭州丙数字科技有限公司', '杭州丁绿色建材有限公司'];
const LIST_TITLE = '2026年度杭州市政府质量奖拟进入材料评审组织名单公示';
const CORRECTION_TITLE = '关于更正2026年度杭州市政府质量奖拟进入材料评审组织名单的公示';
// The list as first published misspells one name; the correction puts it right.
const LIST_ORGS = [...QUALITY, INNOVATION[0]!, '杭州丁绿色建材有眼公司'];

describe.skipIf(!HAVE_CHROMIUM)('a whole cycle from the pages alone, from an empty install', () => {
  let server: NodeServer;
  let browser: Browser;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  let staff: Page;
  let supervisorToken: string;
  const codes: string[] = [];
  const tablets: Page[] = [];
  let secretId: string;
  let handsId: string;
  let noticeId: string;
  let trackingNo: string;
  // The server's clock, moved past the 公示 before the 审定 and on to the city government's decision.
  const clock = movableClock(new Date('2026-03-02T10:00:00+08:00'));
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-whole-cycle-files-'));

  const newPage = async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: 'zh-CN', viewport: { width: 1180, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page error] ${page.url()}: ${e.message}`));
    return page;
  };
  // A tab click redraws the whole panel: what is typed before the new panel is drawn is lost with the old one.
  const drawn = () => staff.locator('#staff-panel:not([aria-busy])').waitFor(WAIT);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `whole-cycle-${name}.png`), fullPage: true });
  /** The id of the ballot card in the console whose title is given (read from the page). */
  const ballotCardId = async (title: string) => {
    const card = staff.locator('[id^=staff-ballot-]', { hasText: title });
    await card.waitFor(WAIT);
    return (await card.getAttribute('id'))!.replace('staff-ballot-', '');
  };
  /** Moves a ballot to its next phase from its card, once the card offers it. */
  const next = async (id: string, to: string) => {
    await staff.locator(`#staff-ballot-${id} button[data-next=${to}]`).click(WAIT);
    await staff.locator(`#staff-ballot-${id}[data-phase=${to}]`).waitFor(WAIT);
  };

  /** Drafts a list in the notices tab, checks its preview names every organisation, publishes it; its id. */
  const draftAndPublish = async (title: string, orgs: string[]) => {
    await staff.locator('#draft-type').selectOption('material-review', WAIT);
    await staff.fill('#draft-title', title);
    await staff.fill('#draft-body', '根据《杭州市政府质量奖管理办法》三（三）7，现将拟进入材料评审的组织名单予以公示。');
    await staff.fill('#draft-orgs-lines', orgs.join('\n'));
    await staff.click('#draft-notice button[type=submit]');
    const card = staff.locator('.panel[id^=draft-]', { hasText: title });
    await card.waitFor(WAIT);
    const id = (await card.getAttribute('id'))!.replace('draft-', '');
    await staff.click(`#show-preview-${id}`);
    for (const name of orgs) await staff.locator(`#preview-${id}`).getByText(name).first().waitFor(WAIT);
    await shot(staff, `preview-${title.startsWith('关于更正') ? 'correction' : 'list'}`);
    await staff.click(`#publish-${id}`);
    await staff.locator('#published-notices').getByRole('link', { name: title }).waitFor(WAIT);
    return id;
  };

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-whole-cycle-'));
    // A Monday inside the bundled working-day calendar, so every 公示 window is computable.
    server = await startNodeServer(parseConfig({ DATA_DIR: dataDir, CLOCK_START: '2026-03-02T10:00:00+08:00', LOG_CHECKPOINT_INTERVAL_MS: '0' }), { port: 0, quiet: true, clock });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('first run: the setup link makes the first staff account, and the console a supervisor account', async () => {
    expect(server.setupUrl).toMatch(/\/staff#setup=/);
    staff = await newPage();
    // Every confirmation the console asks before an irreversible step is accepted, as the clerk would.
    staff.on('dialog', (d) => void d.accept());
    await staff.goto(server.setupUrl!);
    await staff.locator('#setup-form').waitFor(WAIT);
    await staff.fill('#setup-name', '市场监管局 王工');
    await staff.click('#setup-form button[type=submit]');
    await expect(staff.locator('#new-token').textContent(WAIT)).resolves.toMatch(/^hzqa_a_/);
    await staff.click('#enter-console');
    await staff.locator('#staff-panel').getByText('尚无评比周期').waitFor(WAIT);
    await staff.click('#tab-accounts');
    await staff.selectOption('#account-role', 'supervisor', WAIT);
    await staff.fill('#account-name', '监督小组 李工');
    await staff.click('#add-account button[type=submit]');
    supervisorToken = (await staff.locator('#issued-token').textContent(WAIT))!.trim();
    expect(supervisorToken).toMatch(/^hzqa_a_/);
    await shot(staff, 'accounts');
  }, STEP);

  it('the cycle and its members from the console, each 注册码 shown as the member is made', async () => {
    await staff.fill('input[name=id]', '2026');
    await staff.fill('input[name=name]', '2026年度杭州市政府质量奖');
    await staff.getByRole('button', { name: '新建周期' }).click();
    await staff.locator('#cycle-select').waitFor(WAIT);
    await staff.click('#tab-members');
    for (const [i, name] of MEMBERS.entries()) {
      const inputs = staff.locator('#add-member input');
      await inputs.nth(0).fill(name, WAIT);
      await inputs.nth(1).fill(`成员单位${i + 1}`);
      if (i === 0) await inputs.nth(2).check();
      await staff.click('#add-member button[type=submit]');
      await expect.poll(() => staff.locator('#code-box').textContent(), WAIT).toContain(`${name} 的注册码`);
      const code = (await staff.locator('#enrollment-code').textContent())!.trim();
      expect(code).toMatch(/^[2-9A-Z]{10}$/);
      codes.push(code);
      await staff.locator('#roster', { hasText: `成员单位${i + 1}` }).waitFor(WAIT);
    }
    expect(new Set(codes).size).toBe(MEMBERS.length);
    await shot(staff, 'members');
  }, STEP);

  it('the objection-intake details and a 拟进入材料评审 list: drafted, previewed with its organisations, published', async () => {
    await staff.click('#tab-notices');
    await staff.locator('#intake-form').waitFor(WAIT);
    await staff.fill('#intake-unit', '杭州市市场监督管理局质量发展处');
    await staff.fill('#intake-contactPerson', '王工');
    await staff.fill('#intake-phone', '0571-85000000');
    await staff.fill('#intake-address', '杭州市上城区市民街200号');
    await staff.fill('#intake-postcode', '310020');
    await staff.click('#intake-form button[type=submit]');
    await expect.poll(() => staff.locator('#flash').textContent(), WAIT).toContain('异议受理信息已保存');
    noticeId = await draftAndPublish(LIST_TITLE, LIST_ORGS);
    await shot(staff, 'list-published');
  }, STEP);

  it('the public files an objection with a PDF evidence file and gets a receipt', async () => {
    const page = await newPage();
    await page.goto('/notices');
    await page.getByRole('link', { name: LIST_TITLE }).first().click(WAIT);
    await page.waitForURL(`**/notices/${noticeId}`);
    await expect.poll(() => page.locator('#verify').getAttribute('data-verified'), WAIT).toBe('true');
    await page.getByRole('link', { name: '对本名单提出异议' }).click();
    await page.getByLabel('异议人名称/姓名').fill('张三', WAIT);
    await page.getByLabel('居民身份证号码').fill('330106199003071236');
    await page.getByLabel(/签名/).first().fill('张三');
    await page.getByLabel('联系方式').fill('13800000000');
    await page.getByLabel('异议对象（组织）').selectOption(QUALITY[1]!);
    await page.getByLabel('事实').fill('该公司2025年发生一起质量事故。');
    await page.getByLabel('理由').fill('不符合申报条件。');
    await page.getByLabel(/^佐证材料/).setInputFiles({ name: '事故通报.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByLabel(/材料真实/).check();
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForURL('**/objections/receipt', WAIT);
    const text = (await page.locator('#receipt').textContent(WAIT))!;
    expect(text).toContain('事故通报.pdf');
    trackingNo = /YY-\d{8}-[A-Z0-9]+/.exec(text)![0];
    await shot(page, 'objection-receipt');
  }, STEP);

  it('staff download the evidence, handle the objection, and publish its result after a preview', async () => {
    await staff.click('#tab-objections');
    await staff.locator(`#open-${trackingNo}`).click(WAIT);
    const box = staff.locator(`#objection-${trackingNo}`);
    const [download] = await Promise.all([staff.waitForEvent('download', WAIT), box.getByRole('button', { name: '事故通报.pdf' }).click(WAIT)]);
    expect(download.suggestedFilename()).toBe('事故通报.pdf');
    expect(Buffer.compare(fs.readFileSync(await download.path()), PDF)).toBe(0);
    // The units are chosen from the judging group's roster, and each records its own finding.
    await box.getByLabel('成员单位1', { exact: true }).check();
    await box.getByLabel('成员单位2', { exact: true }).check();
    await box.getByRole('button', { name: '指派' }).click();
    await expect.poll(() => staff.locator(`#objection-${trackingNo}`).textContent(), WAIT).toContain('核查中');
    for (const [unit, finding] of [
      ['成员单位1', '经核查，所述事故已结案，不影响申报条件。'],
      ['成员单位2', '经核查，该组织近三年无重大质量事故。'],
    ] as const) {
      const form = staff.locator('form.finding-form', { has: staff.getByLabel(`${unit}的核查情况`) });
      await form.getByLabel(`${unit}的核查情况`).fill(finding, WAIT);
      await form.getByRole('button', { name: '记录核查情况' }).click();
      await expect.poll(() => staff.locator('#unit-findings').textContent(), WAIT).toContain(finding);
    }
    await expect.poll(() => staff.locator('#objection-history').textContent(), WAIT).toContain('交由 成员单位1、成员单位2 会同核查');
    await staff.locator(`#objection-${trackingNo}`).getByLabel('核查结论').selectOption('rejected');
    await staff.locator(`#objection-${trackingNo}`).getByLabel(/结论摘要/).fill('经核查，异议所述情况不影响该组织的申报条件，异议不成立。');
    await staff.locator(`#objection-${trackingNo}`).getByRole('button', { name: '作出结论' }).click();
    await expect.poll(() => staff.locator('#objection-history').textContent(), WAIT).toContain('作出核查结论（不成立）');
    await staff.locator('#draft-result').click(WAIT);
    const preview = staff.locator('#result-notice .preview');
    await expect.poll(() => preview.textContent(), WAIT).toContain(trackingNo);
    expect(await preview.textContent()).toContain(`关于${QUALITY[1]}异议核查结果的公告`);
    await shot(staff, 'result-preview');
    await staff.locator('#publish-result').click();
    await staff.locator('#result-notice-link').click(WAIT);
    await expect.poll(() => staff.locator('#verify').getAttribute('data-verified'), WAIT).toBe('true');
    expect(await staff.locator('#notice').textContent()).toContain('不成立');
    await shot(staff, 'result-published');
    await staff.goto('/staff');
    await staff.locator('#tab-meeting').waitFor(WAIT);
  }, STEP);

  it('a correction of the list: drafted as correcting it, previewed, published', async () => {
    await staff.click('#tab-notices');
    await staff.locator('#draft-notice').waitFor(WAIT);
    await staff.getByLabel('本公告更正').selectOption({ label: LIST_TITLE });
    const corrected = LIST_ORGS.map((n) => n.replace('有眼公司', '有限公司'));
    await draftAndPublish(CORRECTION_TITLE, corrected);
    const page = await newPage();
    await page.goto('/notices');
    await page.getByRole('link', { name: CORRECTION_TITLE }).first().click(WAIT);
    await expect.poll(() => page.locator('#verify').getAttribute('data-verified'), WAIT).toBe('true');
    expect(await page.locator('#notice').textContent()).toContain(INNOVATION[1]!);
    await shot(page, 'correction');
  }, STEP);

  it('the meeting opens in the console, two votes are prepared, and every tablet enrols with its code and checks in', async () => {
    await staff.click('#tab-meeting');
    await staff.locator('#open-meeting button[type=submit]').click(WAIT);
    await staff.locator('#quorum').waitFor(WAIT);
    const prepare = async (award: string, title: string, seats: number, candidates: string[]) => {
      const form = staff.locator('#prepare-ballot');
      await form.locator('select').first().selectOption(award, WAIT);
      await form.locator('input:not([type])').first().fill(title);
      await form.locator('input[type=number]').fill(String(seats));
      await staff.locator('#prepare-pass').selectOption({ label: '同意票超过出席成员的 1/2' });
      await form.locator('textarea').fill(candidates.join('\n'));
      await form.getByRole('button', { name: '准备表决' }).click();
      return ballotCardId(title);
    };
    secretId = await prepare('quality', '2026年度质量奖无记名投票', 1, QUALITY);
    handsId = await prepare('innovation', '2026年度创新奖举手表决', 1, INNOVATION);
    for (const [i, code] of codes.entries()) {
      const page = await newPage();
      await page.goto('/tablet');
      await page.getByLabel('注册码').fill(code, WAIT);
      await page.getByRole('button', { name: '绑定' }).click();
      await expect.poll(() => page.locator('#member-name').textContent(), WAIT).toContain(MEMBERS[i]!);
      await page.getByRole('button', { name: '签到' }).click(WAIT);
      await page.locator('#checkin-status.ok').waitFor(WAIT);
      tablets.push(page);
    }
    await expect.poll(() => staff.locator('#quorum').textContent(), WAIT).toContain(`${MEMBERS.length} / ${MEMBERS.length}`);
    await shot(tablets[0]!, 'tablet-checked-in');
  }, STEP);

  it('the 表决办法: proposed in the console, voted on every tablet, closed in the console', async () => {
    await staff.locator('#propose-procedure button[type=submit]').click(WAIT);
    await staff.locator('#procedure-status[data-status=proposed]').waitFor(WAIT);
    for (const page of tablets) {
      await page.locator('#procedure-vote-for').click(WAIT);
      await page.locator('#procedure-my-vote[data-choice=for]').waitFor(WAIT);
    }
    await staff.locator('#procedure-close').click(WAIT);
    await staff.locator('#procedure-status[data-status=adopted]').waitFor(WAIT);
    for (const page of tablets) await page.locator('#procedure-status[data-status=adopted]').waitFor(WAIT);
  }, STEP);

  it('the secret ballot: tokens on every tablet, casts, the tally, each ballot found counted', async () => {
    await next(secretId, 'issuing');
    for (const page of tablets) {
      await page.locator(`#get-token-${secretId}`).click(WAIT);
      await page.getByText('已领取选票凭证').waitFor(WAIT);
    }
    await next(secretId, 'casting');
    // 甲: 同意 from all four; 乙: 不同意 from three, 弃权 from the first, whose tablet offers no second
    // 同意 for one seat. One seat: 甲 is elected.
    for (const [i, page] of tablets.entries()) {
      await page.locator(`#vote-form-${secretId}`).waitFor(WAIT);
      await page.locator(`#vote-form-${secretId} fieldset[data-candidate="c01"] label.option-for`).click();
      if (i === 0) {
        await expect.poll(() => page.locator(`#for-count-${secretId}`).textContent(), WAIT).toBe('同意 1 / 名额 1');
        expect(await page.locator(`#vote-form-${secretId} fieldset[data-candidate="c02"] input[value=for]`).isDisabled()).toBe(true);
      }
      await page.locator(`#vote-form-${secretId} fieldset[data-candidate="c02"] label.option-${i === 0 ? 'abstain' : 'against'}`).click();
      await page.locator(`#review-${secretId}`).click();
      await page.locator(`#confirm-${secretId}`).click(WAIT);
      await page.locator('#receipt-token').waitFor(WAIT);
    }
    await expect.poll(() => staff.locator(`#live-${secretId}`).textContent(), WAIT).toContain(`已投票 ${MEMBERS.length}`);
    await next(secretId, 'closed');
    await next(secretId, 'tallied');
    const row = staff.locator(`#staff-ballot-${secretId} tbody tr`, { hasText: QUALITY[0]! });
    await expect(row.textContent(WAIT)).resolves.toContain('✓');
    for (const page of tablets) await expect.poll(() => page.locator(`#counted-${secretId}`).getAttribute('data-counted'), WAIT).toBe('true');
    await shot(staff, 'secret-tallied');
  }, STEP);

  it('the show of hands: 成员4’s tablet fails, staff record 成员4’s hands in the console, a supervisor confirms them, and the tablet no longer offers the vote', async () => {
    await next(handsId, 'voting');
    // 丙: 同意 from all; 丁: 不同意 from all.
    for (const page of tablets.slice(0, 3)) {
      await page.locator(`#vote-form-${handsId}`).waitFor(WAIT);
      await page.locator(`#vote-form-${handsId} fieldset[data-candidate="c01"] label.option-for`).click();
      await page.locator(`#vote-form-${handsId} fieldset[data-candidate="c02"] label.option-against`).click();
      await page.locator(`#review-${handsId}`).click();
      await page.locator(`#confirm-${handsId}`).click(WAIT);
      await page.locator(`#ballot-${handsId}`).getByText('您的表决已记录').waitFor(WAIT);
    }
    // 成员4's tablet fails: its page is gone (the device key stays in its browser's storage).
    const failed = tablets[3]!;
    const failedContext = failed.context();
    await failed.close();
    await expect.poll(() => staff.locator(`#live-${handsId}`).textContent(), WAIT).toContain('已投票 3');
    // The console offers the hands of the members not yet recorded; staff record 成员4's as raised in the room.
    const box = staff.locator(`#staff-hands-${handsId}`);
    await box.locator('summary').click(WAIT);
    await box.locator(`#staff-hands-member-${handsId}`).selectOption({ label: '成员4' });
    const form = box.locator(`#staff-hands-form-${handsId}`);
    await form.locator('fieldset[data-candidate="c01"] label.option-for input').check();
    await form.locator('fieldset[data-candidate="c02"] label.option-against input').check();
    await shot(staff, 'staff-hands');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => staff.locator(`#staff-hands-${handsId}`).textContent(), WAIT).toContain('成员4');
    await staff.locator(`#staff-hands-${handsId} [data-confirmed=false]`).waitFor(WAIT);
    // A supervisor present confirms the staff record on their own device.
    const sup = await newPage();
    await sup.goto('/supervisor');
    await sup.getByLabel('访问令牌').fill(supervisorToken, WAIT);
    await sup.getByRole('button', { name: '登录' }).click();
    const confirm = sup.locator(`#sup-ballot-${handsId} button[id^=confirm-hands-]`);
    await confirm.click(WAIT);
    await sup.locator(`#sup-ballot-${handsId} [data-confirmed=true]`).waitFor(WAIT);
    await shot(sup, 'supervisor-hands-confirmed');
    // The member's tablet, back up in the same browser, does not offer the vote staff recorded.
    const again = await failedContext.newPage();
    await again.goto('/tablet');
    await again.locator(`#ballot-${handsId}`).waitFor(WAIT);
    await expect.poll(() => again.locator(`#ballot-${handsId}`).textContent(), WAIT).toContain('会务工作人员已在会场记录您的举手表决');
    await expect(again.locator(`#vote-form-${handsId}`).count()).resolves.toBe(0);
    await shot(again, 'tablet-hands-recorded-by-staff');
    tablets[3] = again;
    // The tally: 丙 elected with 4 同意 of 4.
    await staff.locator('#tab-members').click();
    await staff.locator('#tab-meeting').click();
    await next(handsId, 'tallied');
    const row = staff.locator(`#staff-ballot-${handsId} tbody tr`, { hasText: INNOVATION[0]! });
    await expect(row.textContent(WAIT)).resolves.toContain('✓');
    await shot(staff, 'hands-tallied');
  }, STEP);

  it('the 拟进入现场评审 and 初选 lists from the notices tab, each published before the previous 公示 ended with its recorded reason', async () => {
    const early = async (type: string, title: string, orgs: string[] | null, reason: string) => {
      await staff.click('#tab-notices');
      await drawn();
      await staff.locator('#draft-type').selectOption(type, WAIT);
      await staff.fill('#draft-title', title);
      await staff.fill('#draft-body', '根据《杭州市政府质量奖管理办法》三（三）7，现将名单予以公示。');
      if (orgs) await staff.fill('#draft-orgs-lines', orgs.join('\n'));
      await staff.click('#draft-notice button[type=submit]');
      const card = staff.locator('.panel[id^=draft-]', { hasText: title });
      await card.waitFor(WAIT);
      const id = (await card.getAttribute('id'))!.replace('draft-', '');
      await staff.click(`#show-preview-${id}`);
      for (const name of orgs ?? [QUALITY[0]!, INNOVATION[0]!]) await staff.locator(`#preview-${id}`).getByText(name).first().waitFor(WAIT);
      await staff.locator(`#early-${id} summary`).click();
      await staff.fill(`#early-reason-${id}`, reason);
      await staff.click(`#early-publish-${id}`);
      await staff.locator('#published-notices').getByRole('link', { name: title }).waitFor(WAIT);
    };
    await early('onsite-review', '2026年度杭州市政府质量奖拟进入现场评审组织名单公示', [...QUALITY, ...INNOVATION], '材料评审已于本日完成，经局务会研究即行公示');
    await early('initial-winners', '2026年度杭州市政府质量奖初选授奖组织名单公示', null, '评审组全体会议已于本日完成表决，经局务会研究即行公示');
    await shot(staff, 'lists-after-meeting');
  }, STEP);

  it('the 审定 in the console tab 审定与表彰: proposed, signed on every tablet, closed; the submission, the decision and the 表彰通报', async () => {
    // Past every 公示 (the last ends on 10 March).
    clock.set('2026-03-16T02:00:00Z');
    await staff.click('#tab-award');
    await drawn();
    await staff.locator('#award-ready').waitFor(WAIT);
    await expect(staff.locator('#award-organisations li').allTextContents()).resolves.toEqual([expect.stringContaining(QUALITY[0]!), expect.stringContaining(INNOVATION[0]!)]);
    await staff.getByRole('button', { name: '提请会议审定' }).click();
    await staff.locator('#fixing-counts').waitFor(WAIT);
    for (const page of tablets) {
      // Two weeks later the tablet signs in again with its device key.
      await page.goto('/tablet');
      await page.locator('#fixing-vote-for').click(WAIT);
      await page.locator('#fixing-my-vote[data-choice=for]').waitFor(WAIT);
    }
    await shot(tablets[0]!, 'tablet-award-fixing');
    await staff.click('#tab-award');
    await drawn();
    await staff.getByText(`同意 ${MEMBERS.length}，不同意 0，弃权 0`).waitFor(WAIT);
    await staff.getByRole('button', { name: '结束举手表决' }).click();
    await staff.locator('#fixing-adopted').waitFor(WAIT);
    const pdfFile = (name: string, text: string) => {
      const p = path.join(files, name);
      fs.writeFileSync(p, Buffer.concat([PDF, Buffer.from(`% ${text}\n`)]));
      return p;
    };
    await staff.locator('#submission-date').fill('2026-03-16');
    await staff.locator('#submission-number').fill('杭市监〔2026〕18号');
    await staff.locator('#submission-file').setInputFiles(pdfFile('请示.pdf', 'submission'));
    await staff.getByRole('button', { name: '登记', exact: true }).click();
    await staff.locator('#submission-recorded').waitFor(WAIT);
    clock.set('2026-04-08T02:00:00Z');
    await staff.click('#tab-award');
    await drawn();
    await staff.locator('#decision-date').fill('2026-04-08', WAIT);
    await staff.locator('#decision-number').fill('杭政办函〔2026〕10号');
    await staff.locator('#decision-file').setInputFiles(pdfFile('杭政办函〔2026〕10号.pdf', 'decision'));
    await staff.getByRole('button', { name: '登记', exact: true }).click();
    await staff.locator('#decision-recorded').waitFor(WAIT);
    await staff.getByRole('button', { name: '发布表彰通报' }).click();
    await staff.locator('#commendation-published').waitFor(WAIT);
    await shot(staff, 'award');
    const page = await newPage();
    await page.goto('/notices');
    await page.getByRole('link', { name: /表彰/ }).first().click(WAIT);
    await expect.poll(() => page.locator('#verify').getAttribute('data-verified'), WAIT).toBe('true');
    const text = (await page.locator('#notice').textContent())!;
    expect(text).toContain(QUALITY[0]!);
    expect(text).toContain(INNOVATION[0]!);
  }, STEP);

  it('the supervisors’ page runs its checks and none fails; the verifier over the cycle’s export passes', async () => {
    const sup = await newPage();
    await sup.goto('/supervisor');
    await sup.getByLabel('访问令牌').fill(supervisorToken, WAIT);
    await sup.getByRole('button', { name: '登录' }).click();
    await sup.locator('#app[data-ready="true"]').waitFor({ timeout: 120_000 });
    const statuses = await sup.locator('#verify-report tbody tr').evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset.check}:${(r as HTMLElement).dataset.status}`));
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s.endsWith(':fail'))).toEqual([]);
    await shot(sup, 'supervisor-checks');
    // The final assertion, outside the pages: the independent verifier over the export the supervisors read.
    const logKey = (await sup.locator('#app').getAttribute('data-log-key'))!;
    const res = await fetch(`${server.url}/api/v1/cycles/2026/export`, { headers: { authorization: `Bearer ${supervisorToken}` } });
    expect(res.status).toBe(200);
    const report = verifyBundle(parseBundle(await res.json()), { logKey, witnessKeys: [], now: server.deps.clock.now() });
    expect(failedNames(report)).toEqual([]);
    expect(report.ok).toBe(true);
  }, STEP);
});
