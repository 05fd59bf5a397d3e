// The meeting as it is held, in Debian Chromium: the staff console prepares a vote with its quorum and
// pass rule; the meeting screen (a display link, no account) and the console's meeting view follow
// check-ins, tokens and casts within 2 s without a reload; a member recused (回避) from a candidate
// has no buttons for it and the candidate's pass rule counts one fewer present; the tablet's 同意 /
// 名额 bar never lies over a candidate at 1024×768 and 768×1024; the tally sheet prints on A4 with the
// counts, the tellers' signature lines and the log reference. Screenshots under test-artifacts/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, SCREENSHOTS, startWeb, type WebHarness } from './support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const CANDIDATES = Array.from({ length: 12 }, (_, i) => `杭州${'甲乙丙丁戊己庚辛壬癸子丑'[i]}科技有限公司`);

/**
 * Whether the bar lies over a candidate: at every scroll position of the page and of the candidates'
 * box, every option label whose centre is on screen is what the browser hits there (not the bar).
 */
async function barCoversACandidate(page: Page, ballotId: string): Promise<string | null> {
  return page.evaluate(async (id) => {
    const bar = document.getElementById(`vote-footer-${id}`)!;
    const box = document.getElementById(`candidates-${id}`)!;
    const labels = [...document.querySelectorAll<HTMLElement>(`#vote-form-${id} label.option`)];
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
    const check = () => {
      const b = bar.getBoundingClientRect();
      for (const l of labels) {
        const r = l.getBoundingClientRect();
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        const clip = box.getBoundingClientRect();
        if (y <= 2 || y >= innerHeight - 2 || y <= clip.top + 2 || y >= clip.bottom - 2) continue; // its centre is not on screen
        const hit = document.elementFromPoint(x, y);
        if (!hit || !l.contains(hit)) return `label ${l.getAttribute('for')} at y=${Math.round(y)} is under ${hit?.className || hit?.tagName} (bar ${Math.round(b.top)}–${Math.round(b.bottom)})`;
      }
      return null;
    };
    const pageMax = document.documentElement.scrollHeight - innerHeight;
    for (let py = 0; py <= pageMax + 40; py += 40) {
      window.scrollTo(0, py);
      for (let by = 0; by <= box.scrollHeight; by += 60) {
        box.scrollTop = by;
        await frame();
        const bad = check();
        if (bad) return bad;
      }
    }
    return null;
  }, ballotId);
}

/** Every page of the PDF is A4: 595.28 × 841.89 points (within a point of rounding). */
function expectA4(pdf: Buffer) {
  const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)];
  expect(boxes.length).toBeGreaterThan(0);
  for (const [, wPt, hPt] of boxes) {
    expect(Math.abs(Number(wPt) - 595.28)).toBeLessThan(1);
    expect(Math.abs(Number(hPt) - 841.89)).toBeLessThan(1);
  }
}

describe.skipIf(!HAVE_CHROMIUM)('the meeting as it is held, in a real browser', () => {
  let w: WebHarness;
  let staffPage: Page;
  let screen: Page;
  const tablets: Page[] = [];
  const codes: string[] = [];
  let meetingId: string;
  let ballotId: string;

  beforeAll(async () => {
    w = await startWeb();
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026 年度杭州市政府质量奖' } });
    for (let i = 0; i < 5; i++) {
      const r = await w.call<{ enrollmentCode: string }>('/api/v1/cycles/2026/members', { method: 'POST', json: { name: `成员${i + 1}`, unit: `成员单位${i + 1}`, isChair: i === 0 } });
      codes.push(r.enrollmentCode);
    }
    meetingId = (await w.call<{ id: string }>('/api/v1/cycles/2026/meetings', { method: 'POST', json: { title: '2026年度评审组全体会议' } })).id;
    ({ page: staffPage } = await w.newPage());
    // The console asks before each irreversible step (a vote's phase, closing the meeting): the clerk agrees.
    staffPage.on('dialog', (d) => void d.accept());
    await staffPage.goto('/staff');
    await staffPage.getByLabel('访问令牌').fill(w.staff);
    await staffPage.getByRole('button', { name: '登录' }).click();
    await staffPage.locator('#tab-meeting').click();
    // The console takes up the meeting already open (its id is in the refusal to open another).
    await staffPage.locator('#open-meeting button[type=submit]').click();
    await staffPage.locator('#quorum').waitFor();
  }, 120_000);

  afterAll(async () => w?.close());

  it('the console prepares a vote with its quorum and pass rule', async () => {
    const form = staffPage.locator('#prepare-ballot');
    await form.locator('select').first().selectOption('quality');
    await form.locator('input:not([type])').first().fill('2026年度质量奖无记名投票');
    await form.locator('input[type=number]').fill('1');
    await staffPage.locator('#prepare-pass').selectOption({ label: '同意票达到出席成员的 2/3' });
    await form.locator('textarea').fill(CANDIDATES.join('\n'));
    await form.getByRole('button', { name: '准备表决' }).click();
    const list = await w.call<{ ballots: { id: string }[] }>('/api/v1/cycles/2026/ballots');
    await expect.poll(async () => (await w.call<{ ballots: { id: string }[] }>('/api/v1/cycles/2026/ballots')).ballots.length, { timeout: 5000 }).toBe(list.ballots.length || 1);
    ballotId = (await w.call<{ ballots: { id: string }[] }>('/api/v1/cycles/2026/ballots')).ballots.at(-1)!.id;
    const b = await w.call<{ rules: unknown; candidates: unknown[] }>(`/api/v1/ballots/${ballotId}`);
    expect(b.rules).toEqual({ quorum: { num: 2, den: 3 }, pass: { num: 2, den: 3, strict: false } });
    expect(b.candidates).toHaveLength(12);
    await expect.poll(() => staffPage.locator(`#staff-ballot-${ballotId} .rules`).textContent(), { timeout: 5000 }).toContain('达到出席成员的 2/3');
  });

  it('the meeting screen and the console follow each check-in within 2 s, without a reload', async () => {
    await staffPage.locator('#make-display-link').click();
    const href = (await staffPage.locator('#display-link-url').getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^/meeting/${meetingId}/screen#k=hzqa_d_`));
    ({ page: screen } = await w.newPage());
    await screen.setViewportSize({ width: 1280, height: 800 });
    await screen.goto(href);
    await expect.poll(() => screen.locator('#screen-checked-in').textContent(), { timeout: 5000 }).toBe('0');
    const staffReloads: string[] = [];
    staffPage.on('framenavigated', (f) => staffReloads.push(f.url()));
    for (let i = 0; i < 4; i++) {
      const { page } = await w.newPage();
      await page.goto('/tablet');
      await page.getByLabel('注册码').fill(codes[i]!);
      await page.getByRole('button', { name: '绑定' }).click();
      await page.getByRole('button', { name: '签到' }).click();
      await page.locator('#checkin-status.ok').waitFor();
      tablets.push(page);
      // Within 2 s of the check-in answer: the screen's count, and the console's quorum line.
      await expect.poll(() => screen.locator('#screen-checked-in').textContent(), { timeout: 2000, interval: 100 }).toBe(String(i + 1));
      // The screen's roster marks exactly the members checked in so far.
      await expect.poll(() => screen.locator('.roster li.in').count(), { timeout: 2000, interval: 100 }).toBe(i + 1);
      await expect.poll(() => staffPage.locator('#quorum').textContent(), { timeout: 2000, interval: 100 }).toContain(`${i + 1} / 5`);
    }
    expect(staffReloads).toEqual([]);
    await expect(screen.locator('#screen-quorum').textContent()).resolves.toContain('已达法定人数');
  });

  // The 表决办法 adopted from the pages alone: the console proposes it (rules, 计票人 成员3, 监票人 成员4),
  // each tablet signs its 同意/不同意/弃权, the console's counts follow live, the office closes the vote,
  // and the console, the tablets and the screen show it adopted.
  it('the meeting adopts its 表决办法 from the pages: proposed in the console, voted on each tablet, closed in the console', async () => {
    await staffPage.locator('#propose-procedure').waitFor({ timeout: 20_000 });
    await expect(staffPage.locator('#propose-procedure').textContent()).resolves.toContain('成员4');
    const roster = await w.call<{ roster: { memberId: string; name: string }[] }>(`/api/v1/meetings/${meetingId}`);
    const id = (name: string) => roster.roster.find((r) => r.name === name)!.memberId;
    await staffPage.locator(`#procedure-counter-${id('成员3')}`).check();
    await staffPage.locator(`#procedure-scrutineer-${id('成员4')}`).check();
    await staffPage.locator('#propose-procedure button[type=submit]').click();
    await staffPage.locator('#procedure-status[data-status=proposed]').waitFor({ timeout: 20_000 });
    // No vote opens before the meeting adopts it.
    await expect(w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'issuing' } })).rejects.toThrow(/表决办法|procedure/);
    const choices = ['for', 'for', 'for', 'abstain'] as const;
    for (const [i, page] of tablets.entries()) {
      await expect.poll(() => page.locator('#procedure-tellers').textContent(), { timeout: 20_000 }).toBe('计票人：成员3；监票人：成员4');
      await page.locator(`#procedure-vote-${choices[i]}`).click({ timeout: 20_000 });
      await page.locator(`#procedure-my-vote[data-choice=${choices[i]}]`).waitFor({ timeout: 20_000 });
    }
    await expect.poll(() => staffPage.locator('#procedure-counts').textContent(), { timeout: 20_000 }).toBe('平板表决：同意 3，不同意 0，弃权 1（已签到 4 人）');
    await staffPage.locator('#procedure-close').click();
    await staffPage.locator('#procedure-status[data-status=adopted]').waitFor({ timeout: 20_000 });
    for (const page of tablets) await page.locator('#procedure-status[data-status=adopted]').waitFor({ timeout: 20_000 });
    await expect.poll(() => screen.locator('.procedure h2').textContent(), { timeout: 20_000 }).toBe('表决办法（已通过）');
    // The decision is logged with every tablet's signature.
    const p = await w.call<{ status: string; decidedLogIndex: number }>(`/api/v1/meetings/${meetingId}/procedure`);
    expect(p.status).toBe('adopted');
    const entry = await w.call<{ document: { mode: string; for: number; abstain: number; votes: { signature: string }[] } }>(`/api/v1/log/entries/${p.decidedLogIndex}`);
    expect(entry.document).toMatchObject({ mode: 'hands', for: 3, abstain: 1 });
    expect(entry.document.votes).toHaveLength(4);
    await w.shot(tablets[0]!, 'tablet-procedure-adopted');
  }, 180_000);

  it('a member recused from a candidate has no buttons for it; the bar covers no candidate at 1024×768 or 768×1024; counts go live', async () => {
    const device = (p: Page) => p.evaluate(() => JSON.parse(localStorage.getItem('hzqa.tablet.device')!));
    const member2 = (await device(tablets[1]!)).memberId as string;
    const member3 = (await device(tablets[2]!)).memberId as string;
    // 回避 on the tablets, before the vote opens: the chair decides that 成员2 withdraws from 甲; 成员3
    // declares a conflict with 乙 on its own tablet. Each is signed by the declaring tablet and logged.
    await tablets[0]!.locator(`#recuse-member-${ballotId}`).selectOption(member2, { timeout: 20_000 });
    await tablets[0]!.locator(`#recuse-candidate-${ballotId}`).selectOption('c01');
    await tablets[0]!.locator(`#recuse-reason-${ballotId}`).fill('曾为该组织提供咨询服务');
    await tablets[0]!.locator(`#recuse-submit-${ballotId}`).click();
    await tablets[0]!.locator(`#recusals-${ballotId} li[data-member="${member2}"][data-candidate="c01"]`).waitFor({ timeout: 20_000 });
    await expect(tablets[2]!.locator(`#recuse-member-${ballotId}`).count(), 'only the chair names another member').resolves.toBe(0);
    await tablets[2]!.locator(`#recuse-candidate-${ballotId}`).selectOption('c02', { timeout: 20_000 });
    await tablets[2]!.locator(`#recuse-reason-${ballotId}`).fill('本人所在单位与该组织存在业务往来');
    await tablets[2]!.locator(`#recuse-submit-${ballotId}`).click();
    await tablets[2]!.locator(`#recusals-${ballotId} li[data-member="${member3}"][data-candidate="c02"]`).waitFor({ timeout: 20_000 });
    const logged = await w.call<{ recusals: { memberId: string; candidateId: string; declaredBy: string }[] }>(`/api/v1/ballots/${ballotId}/recusals`);
    expect(logged.recusals.map((r) => [r.memberId, r.candidateId, r.declaredBy])).toEqual([
      [member2, 'c01', 'chair'],
      [member3, 'c02', 'member'],
    ]);
    // The office opens issuing from its console.
    await staffPage.locator(`#staff-ballot-${ballotId} button[data-next=issuing]`).click();
    for (const page of tablets) {
      await page.locator(`#get-token-${ballotId}`).click({ timeout: 20_000 });
      await page.locator(`#key-fingerprint-${ballotId}`).waitFor({ timeout: 20_000 });
    }
    await expect.poll(() => screen.locator(`#screen-ballot-${ballotId} .screen-issued`).textContent(), { timeout: 2000 }).toBe('4');
    await expect.poll(() => staffPage.locator(`#live-${ballotId}`).textContent(), { timeout: 2000 }).toContain('已发放凭证 4');
    const fp = await tablets[0]!.locator(`#key-fingerprint-${ballotId}`).textContent();
    await expect(screen.locator(`#screen-ballot-${ballotId} .screen-fingerprint`).textContent()).resolves.toBe(fp);
    await staffPage.locator(`#staff-ballot-${ballotId} button[data-next=casting]`).click();
    for (const page of tablets) await page.locator(`#vote-form-${ballotId}`).waitFor({ timeout: 20_000 });
    // The rules on the ballot; the recused member's candidate has no buttons.
    await expect(tablets[1]!.locator(`#rules-${ballotId}`).textContent()).resolves.toContain('达到出席成员的 2/3');
    const recused = tablets[1]!.locator(`fieldset[data-candidate="c01"]`);
    await expect(recused.getAttribute('data-recused')).resolves.toBe('true');
    await expect(recused.locator('input').count()).resolves.toBe(0);
    await expect(tablets[0]!.locator(`fieldset[data-candidate="c01"] input`).count()).resolves.toBe(3);
    await tablets[1]!.setViewportSize({ width: 1024, height: 768 });
    await w.shot(tablets[1]!, 'tablet-ballot-rules-recused');
    for (const size of [
      { width: 1024, height: 768 },
      { width: 768, height: 1024 },
    ]) {
      await tablets[0]!.setViewportSize(size);
      await tablets[0]!.evaluate((id) => document.getElementById(`vote-form-${id}`)!.scrollIntoView({ block: 'start' }), ballotId);
      const bar = await tablets[0]!.locator(`#vote-footer-${ballotId}`).boundingBox();
      expect(bar!.y + bar!.height, 'the bar is on screen with the form at the top').toBeLessThanOrEqual(size.height + 1);
      await expect(barCoversACandidate(tablets[0]!, ballotId), `${size.width}×${size.height}`).resolves.toBeNull();
    }
    await expect(tablets[2]!.locator(`fieldset[data-candidate="c02"]`).getAttribute('data-recused')).resolves.toBe('true');
    await expect(tablets[2]!.locator(`fieldset[data-candidate="c02"] input`).count()).resolves.toBe(0);
    // Everyone votes: 同意 for 甲 from members 1, 3, 4 (member 2 is recused from it), 不同意 for the rest
    // (member 3 is recused from 乙).
    for (const [i, page] of tablets.entries()) {
      for (let c = 1; c <= 12; c++) {
        const id = `c${String(c).padStart(2, '0')}`;
        if ((i === 1 && id === 'c01') || (i === 2 && id === 'c02')) continue;
        await page.locator(`fieldset[data-candidate="${id}"] label.option-${c === 1 ? 'for' : 'against'}`).click();
      }
      await page.locator(`#review-${ballotId}`).click();
      await expect(page.locator(`#confirm-step-${ballotId} .sum-recused`).count()).resolves.toBe(i === 1 || i === 2 ? 1 : 0);
      await page.locator(`#confirm-${ballotId}`).click();
      await page.locator(`#save-receipt-${ballotId}`).waitFor({ timeout: 20_000 });
      await expect.poll(() => screen.locator(`#screen-ballot-${ballotId} .screen-cast`).textContent(), { timeout: 2000 }).toBe(String(i + 1));
    }
    await staffPage.locator(`#staff-ballot-${ballotId} button[data-next=closed]`).click();
    await expect.poll(() => staffPage.locator(`#staff-ballot-${ballotId} button[data-next=tallied]`).count(), { timeout: 3000 }).toBe(1);
    await staffPage.locator(`#staff-ballot-${ballotId} button[data-next=tallied]`).click();
    const b = await w.call<{ result: { winners: string[]; candidates: { candidateId: string; for: number; present?: number; passed: boolean }[] } }>(`/api/v1/ballots/${ballotId}`);
    // 甲: 3 同意 of 3 present for it (4 less the recused member) ≥ 2/3 → elected; with 4 counted it would be 3/4, still ≥ 2/3, so the count itself is checked.
    expect(b.result.candidates.find((c) => c.candidateId === 'c01')).toMatchObject({ for: 3, present: 3, passed: true });
    expect(b.result.winners).toEqual(['c01']);
    expect(b.result.candidates.find((c) => c.candidateId === 'c02')).toMatchObject({ for: 0, present: 3 });
    // Every tablet, the recused member's too, finds its ballot in the logged bulletin (each under its own class's key).
    for (const page of tablets) {
      await page.reload();
      await expect.poll(() => page.locator(`#counted-${ballotId}`).getAttribute('data-counted'), { timeout: 20_000 }).toBe('true');
    }
    // 计票人 (成员3) and 监票人 (成员4) check the logged figures on their own tablets and sign; the others are not asked.
    await expect(tablets[2]!.locator(`#teller-counts-${ballotId}`).textContent({ timeout: 20_000 })).resolves.toBe('实到 4　发出 4　收回 4　有效 4　无效 0');
    await expect(tablets[3]!.locator(`#teller-table-${ballotId} tbody tr`).first().textContent({ timeout: 20_000 })).resolves.toBe('杭州甲科技有限公司300');
    await w.shot(tablets[2]!, 'tablet-teller-confirm');
    for (const page of [tablets[2]!, tablets[3]!]) {
      await page.locator(`#teller-confirm-${ballotId}`).click();
      await page.locator(`#teller-done-${ballotId}`).waitFor({ timeout: 20_000 });
    }
    for (const page of [tablets[0]!, tablets[1]!]) await expect(page.locator(`#teller-${ballotId}`).count()).resolves.toBe(0);
    await expect.poll(() => screen.locator(`#screen-ballot-${ballotId} .screen-phase`).textContent(), { timeout: 2000 }).toBe('已计票');
    await w.shot(screen, 'meeting-screen');
    await expect.poll(() => staffPage.locator(`#print-${ballotId}`).count(), { timeout: 3000 }).toBe(1);
  }, 240_000);

  it('the tally sheet prints on A4 with the counts, the signature lines and the log reference', async () => {
    const ref = await w.call<{ resultLogIndex: number; resultDocHash: string }>(`/api/v1/ballots/${ballotId}/result-reference`);
    const { page } = await w.newPage();
    await page.goto(`/print/ballots/${ballotId}/tally-sheet`);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#doc-hash').textContent()).resolves.toBe(ref.resultDocHash);
    await expect(page.locator('#log-index').textContent()).resolves.toContain(String(ref.resultLogIndex));
    const text = (await page.locator('#tally-sheet').textContent())!;
    for (const word of ['计票结果报告单', '应到', '实到', '计票人', '监票人', '主持人', '杭州甲科技有限公司', '回避']) expect(text, word).toContain(word);
    await expect(page.locator('.qr svg').count()).resolves.toBe(1);
    // The tellers' confirmations from their tablets, with their names and times and their log entries.
    const rows = await page.locator('#confirmations tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^计票人成员3成员单位3\d{4}-\d\d-\d\d \d\d:\d\d第 \d+ 条$/);
    expect(rows[1]).toMatch(/^监票人成员4成员单位4\d{4}-\d\d-\d\d \d\d:\d\d第 \d+ 条$/);
    await w.shot(page, 'tally-sheet');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expectA4(pdf);
    fs.writeFileSync(path.join(SCREENSHOTS, 'tally-sheet.pdf'), pdf);
    // The tooling renders the same page to PDF with Chromium (npm run print).
    const out = path.join(SCREENSHOTS, 'tally-sheet-tool.pdf');
    fs.rmSync(out, { force: true });
    // Asynchronously: the server answering the tool runs in this process.
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tools/print-pdf.ts', `${w.base}/print/ballots/${ballotId}/tally-sheet`, out], { timeout: 90_000 });
    const tool = fs.readFileSync(out);
    expect(tool.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expectA4(tool);
  });
  it('the console closes the meeting; the 会议纪要 prints on A4 with the attendance, the 表决办法 and its adoption, the vote and the log reference', async () => {
    await staffPage.getByRole('button', { name: '结束会议' }).click();
    await staffPage.locator('#print-minutes').waitFor({ timeout: 20_000 });
    const href = (await staffPage.locator('#print-minutes').getAttribute('href'))!;
    expect(href).toBe(`/print/meetings/${meetingId}/minutes`);
    const { page } = await w.newPage();
    await page.goto(href);
    await page.emulateMedia({ media: 'print' });
    const minutes = await w.call<{ procedure: unknown }>(`/api/v1/meetings/${meetingId}/minutes`);
    expect(minutes.procedure).toBeTruthy();
    const text = (await page.locator('#minutes').textContent())!;
    expect(text).not.toContain('草稿');
    for (const word of ['会议纪要', '应到成员 5 人，实到 4 人', '主持人：成员1', '缺席：成员5（成员单位5）', '计票人：成员3；监票人：成员4', '同意 3 人、不同意 0 人、弃权 1 人，通过', '当选 杭州甲科技有限公司', '回避：成员2（对杭州甲科技有限公司）、成员3（对杭州乙科技有限公司）', '计票确认：计票人成员3、监票人成员4', '记录人']) {
      expect(text, word).toContain(word);
    }
    // The paper names the minutes' own log entry: its index and the hash of the logged document.
    const hash = (await page.locator('#doc-hash').textContent())!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const index = Number(/\d+/.exec((await page.locator('#log-index').textContent())!)![0]);
    const entry = await w.call<{ entry: string }>(`/api/v1/log/entries/${index}`);
    expect(JSON.parse(Buffer.from(entry.entry, 'base64').toString('utf8'))).toMatchObject({ type: 'meeting-minutes', doc: hash });
    await w.shot(page, 'minutes');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expectA4(pdf);
    fs.writeFileSync(path.join(SCREENSHOTS, 'minutes.pdf'), pdf);
  }, 120_000);
});
