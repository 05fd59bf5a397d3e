// The staff console drives each stage of the cycle that used to be API-only, clicked through as the office
// would: the register of applicants (统一社会信用代码 checked), a list published before the previous 公示 is
// over with a logged reason, an award's 候选组织建议名单 reviewed by a member unit, a prepared ballot
// withdrawn with its reason, the 初选授奖组织名单 with no organisation lines (derived from the tallied
// ballot), and a revocation with the city government's approval. Each step's log entry is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';
import { adoptProcedure } from '../support/actors.js';
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';
import { creditCodeCheckCharacter } from '../../src/identity/codes.js';
import { Tablet } from '../../src/protocol/tablet.js';
import { clockStartingAt } from '../../src/deps.js';
import { documentFile } from '../procedure/award-support.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);

const code = (body: string) => body + creditCodeCheckCharacter(body);
const ORGS = [
  { name: '杭州甲精密制造有限公司', creditCode: code('91330100MA2H00001'), award: 'quality' },
  { name: '杭州乙智能装备有限公司', creditCode: code('91330100MA2H00002'), award: 'quality' },
  { name: '杭州丁绿色建材有限公司', creditCode: code('91330100MA2H00004'), award: 'innovation' },
] as const;

describe.skipIf(!HAVE_CHROMIUM)('the staff console drives the register, the lists’ order, the 建议名单, withdrawal, the initial winners and revocation', () => {
  let w: WebHarness;
  let page: Page;
  let tablets: Tablet[];
  let meetingId: string;
  const dialogs: string[] = [];
  /** Serious or critical accessibility findings on the page as shown (axe-core). */
  const axe = async () => (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

  const entry = <T>(index: number) => w.call<{ document: T }>(`/api/v1/log/entries/${index}`).then((r) => r.document);
  const notices = (state?: string) => w.call<{ notices: { id: string; type: string; title: string; status: string; logIndex: number | null }[] }>(`/api/v1/notices?cycleId=2026${state ? `&state=${state}` : ''}`).then((r) => r.notices);
  const tab = async (id: string) => {
    await page.locator(`#tab-${id}`).click();
    // The tab is drawn when the panel is no longer busy: what is typed into a panel being replaced is lost.
    await page.locator('#staff-panel:not([aria-busy]) h2').first().waitFor({ timeout: 20_000 });
  };
  /** Fills and saves a new draft in the notices tab (already shown, its type's own fields filled); returns its id. */
  const draft = async (type: string, title: string, orgs?: string) => {
    await page.locator('#draft-type').selectOption(type);
    await page.locator('#draft-title').fill(title);
    await page.locator('#draft-body').fill(`根据《杭州市政府质量奖管理办法》，现将${title.replace(/公示|公告/, '')}予以公布。`);
    if (orgs !== undefined) await page.locator('#draft-orgs-lines').fill(orgs);
    await page.locator('#draft-notice button[type=submit]').click();
    await expect.poll(async () => (await notices('draft')).find((n) => n.title === title)?.id, { timeout: 20_000 }).toBeTruthy();
    return (await notices('draft')).find((n) => n.title === title)!.id;
  };
  const publishEarly = async (id: string, reason: string) => {
    await page.locator(`#draft-${id}`).waitFor({ timeout: 20_000 });
    await page.locator(`#early-${id} summary`).click();
    await page.locator(`#early-reason-${id}`).fill(reason);
    await page.locator(`#early-publish-${id}`).click();
    await expect.poll(async () => (await notices()).find((n) => n.id === id)?.status, { timeout: 20_000 }).toBe('published');
    return (await notices()).find((n) => n.id === id)!.logIndex!;
  };

  beforeAll(async () => {
    w = await startWeb();
    await w.call('/api/v1/cycles', { method: 'POST', json: { id: '2026', name: '2026 年度杭州市政府质量奖' } });
    await w.call('/api/v1/cycles/2026/objection-intake', { method: 'PUT', json: EXAMPLE_INTAKE });
    tablets = [];
    for (let i = 0; i < 4; i++) {
      const r = await w.call<{ enrollmentCode: string }>('/api/v1/cycles/2026/members', { method: 'POST', json: { name: `成员${i + 1}`, unit: `成员单位${i + 1}`, isChair: i === 0 } });
      const t = await Tablet.enroll(w.api, r.enrollmentCode);
      await t.signIn();
      tablets.push(t);
    }
    page = (await w.newPage()).page;
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await page.goto('/staff');
    await page.getByLabel('访问令牌').fill(w.staff);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#tab-register').waitFor({ timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await w?.close();
  });

  it('registers applicants in the console — a wrong check character refused, nothing logged — each registration logged', async () => {
    await tab('register');
    await expect(page.locator('#applicants-none').textContent()).resolves.toContain('尚无申报组织登记');
    const bad = ORGS[0].creditCode.slice(0, 17) + (ORGS[0].creditCode[17] === '0' ? '1' : '0');
    await page.locator('#applicant-code').fill(bad);
    await page.locator('#applicant-name').fill(ORGS[0].name);
    await page.locator('#register-applicant button[type=submit]').click();
    await expect.poll(() => page.locator('#flash').textContent(), { timeout: 20_000 }).toContain('统一社会信用代码');
    expect((await w.call<{ applicants: unknown[] }>('/api/v1/cycles/2026/applicants')).applicants).toEqual([]);
    for (const o of ORGS) {
      await page.locator('#applicant-code').fill(o.creditCode);
      await page.locator('#applicant-name').fill(o.name);
      await page.locator('#applicant-award').selectOption(o.award);
      await page.locator('#register-applicant button[type=submit]').click();
      await page.locator('#applicants', { hasText: o.name }).waitFor({ timeout: 20_000 });
    }
    expect(dialogs.filter((d) => d.includes('登记后记入公开日志'))).toHaveLength(4); // asked each time, the refused one too
    const { applicants } = await w.call<{ applicants: { creditCode: string; name: string; award: string; logIndex: number }[] }>('/api/v1/cycles/2026/applicants');
    expect(applicants.map((a) => [a.name, a.creditCode, a.award])).toEqual(ORGS.map((o) => [o.name, o.creditCode, o.award]));
    for (const a of applicants) expect(await entry(a.logIndex)).toMatchObject({ cycleId: '2026', creditCode: a.creditCode, name: a.name, award: a.award });
    await w.shot(page, 'staff-register');
    expect(await axe()).toEqual([]);
  }, 180_000);

  it('the on-site list drafted in the console is refused while the material list’s 公示 runs, then published early with the reason logged', async () => {
    const { id: material } = await w.call<{ id: string }>('/api/v1/notices', {
      method: 'POST',
      json: { cycleId: '2026', type: 'material-review', title: '2026年度杭州市政府质量奖拟进入材料评审组织名单公示', body: '现将拟进入材料评审的组织名单予以公示。', organisations: ORGS.map((o) => ({ name: o.name })) },
    });
    await w.call(`/api/v1/notices/${material}/publish`, { method: 'POST' });
    await tab('notices');
    const id = await draft('onsite-review', '2026年度杭州市政府质量奖拟进入现场评审组织名单公示', ORGS.map((o) => o.name).join('\n'));
    await expect(page.locator('#revocation-fields').isHidden()).resolves.toBe(true);
    await page.locator(`#publish-${id}`).click();
    await expect.poll(() => page.locator('#flash').textContent(), { timeout: 20_000 }).toContain('公示尚未结束');
    expect((await notices()).find((n) => n.id === id)!.status).toBe('draft');
    const reason = '市政府质量奖评审工作时间安排调整，经局务会研究提前发布';
    const logIndex = await publishEarly(id, reason);
    expect(dialogs.at(-1)).toContain('提前发布的理由将记入公开日志');
    expect(await entry(logIndex)).toMatchObject({ type: 'onsite-review', sequenceOverride: { reason }, drawnFrom: { id: material } });
  }, 180_000);

  it('fixes 质量奖’s 候选组织建议名单 from the on-site list, reviewed by a member unit; logged', async () => {
    await tab('register');
    const box = page.locator('#candidate-list-quality');
    // Only the quality applicants of the on-site list are offered; nothing is sent without a reviewing unit.
    await expect(box.locator('form').textContent()).resolves.not.toContain(ORGS[2].name);
    await box.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#flash').textContent(), { timeout: 20_000 }).toContain('审核成员单位');
    await box.getByLabel('成员单位2').check();
    await box.locator('button[type=submit]').click();
    await page.locator('#candidate-list-quality', { hasText: '已确定' }).waitFor({ timeout: 20_000 });
    const { candidateLists } = await w.call<{ candidateLists: { award: string; organisations: { name: string }[]; logIndex: number }[] }>('/api/v1/cycles/2026/applicants');
    const list = candidateLists.find((l) => l.award === 'quality')!;
    expect(list.organisations.map((o) => o.name)).toEqual([ORGS[0].name, ORGS[1].name]);
    expect(await entry(list.logIndex)).toMatchObject({ award: 'quality', reviewedBy: ['成员单位2'], organisations: [{ name: ORGS[0].name }, { name: ORGS[1].name }] });
    expect(dialogs.at(-1)).toContain('候选组织建议名单（2 个组织）确定后记入公开日志');
  }, 180_000);

  it('withdraws a prepared ballot from the meeting tab with its reason; the withdrawal is logged', async () => {
    meetingId = (await w.call<{ id: string }>('/api/v1/cycles/2026/meetings', { method: 'POST', json: { title: '2026年度评审组全体会议' } })).id;
    const ballotId = (await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', { method: 'POST', json: { meetingId, award: 'quality', title: '2026年度质量奖无记名投票（名额有误）', seats: 2, candidates: [{ name: ORGS[0].name }, { name: ORGS[1].name }] } })).id;
    await tab('meeting');
    for (const until = Date.now() + 60_000; !(await page.locator('#quorum').count()); ) {
      if (Date.now() > until) throw new Error('the staff console did not show the open meeting within 60 s');
      const open = page.locator('#open-meeting button[type=submit]');
      if (await open.count()) await open.click({ timeout: 2000 }).catch(() => {});
      await page.waitForTimeout(500);
    }
    const card = page.locator(`#staff-ballot-${ballotId}`);
    await card.locator(`#withdraw-${ballotId} summary`).click();
    expect(await axe()).toEqual([]);
    const reason = '名额设置有误，撤回后重新准备';
    await card.locator(`#withdraw-reason-${ballotId}`).fill(reason);
    await card.locator(`#withdraw-submit-${ballotId}`).click();
    await page.locator(`#staff-ballot-${ballotId}[data-phase=withdrawn]`).waitFor({ timeout: 20_000 });
    expect(dialogs.at(-1)).toContain('撤回“2026年度质量奖无记名投票（名额有误）”后不能恢复');
    const { entries, documents } = await w.call<{ entries: { index: number; entry: string }[]; documents: Record<string, string> }>('/api/v1/cycles/2026/export', { token: w.supervisor });
    expect(entries.length).toBeGreaterThan(0);
    const withdrawn = Object.values(documents).map((d) => JSON.parse(d) as Record<string, unknown>).filter((d) => d.ballotId === ballotId && 'reason' in d);
    expect(withdrawn).toEqual([expect.objectContaining({ ballotId, reason })]);
    // A withdrawn ballot offers no withdrawal; a prepared one does.
    await expect(page.locator(`#withdraw-${ballotId}`).count()).resolves.toBe(0);
  }, 180_000);

  it('drafts the 初选授奖组织名单 with no organisation lines: derived from the tallied ballot, published early with a reason', async () => {
    // The vote, through the API: 创新奖's 建议名单, the 表决办法, a show of hands, tallied.
    await w.call('/api/v1/cycles/2026/candidate-lists', { method: 'POST', json: { award: 'innovation', creditCodes: [ORGS[2].creditCode], reviewedBy: ['成员单位3'] } });
    for (const t of tablets.slice(0, 3)) await t.checkIn(meetingId);
    await adoptProcedure(w.api, { staff: w.staff, supervisor: w.supervisor }, meetingId, tablets[0]!, 3);
    const ballotId = (await w.call<{ id: string }>('/api/v1/cycles/2026/ballots', { method: 'POST', json: { meetingId, award: 'innovation', title: '2026年度创新奖举手表决', seats: 1, candidates: [{ name: ORGS[2].name }] } })).id;
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'voting' } });
    for (const t of tablets.slice(0, 3)) await t.raiseHands(ballotId, { c01: 'for' });
    await w.call(`/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'tallied' } });

    await tab('notices');
    await page.locator('#draft-type').selectOption('initial-winners');
    await expect(page.locator('#draft-orgs').isHidden()).resolves.toBe(true);
    await expect(page.locator('#draft-derived').textContent()).resolves.toContain('2026年度创新奖举手表决');
    const id = await draft('initial-winners', '2026年度杭州市政府质量奖初选授奖组织名单公示');
    const logIndex = await publishEarly(id, '评审组全体会议已于本日召开，经局务会研究即行公示');
    const doc = await entry<{ organisations: { name: string; award: string }[]; ballots: { ballotId: string }[]; sequenceOverride: { reason: string } }>(logIndex);
    expect(doc.organisations).toEqual([expect.objectContaining({ name: ORGS[2].name, award: 'innovation' })]);
    expect(doc.ballots.map((b) => b.ballotId)).toEqual([ballotId]);
    expect(doc.sequenceOverride.reason).toContain('局务会');
  }, 240_000);

  it('drafts and publishes a revocation with the clause, the award and the city government’s approval; logged with them', async () => {
    // Only a decided award is revoked: the 审定 at the meeting, the submission and the government's decision,
    // through the API, once every 公示 is over — the server's clock moved on to 2026-03-20.
    w.server.deps.clock = clockStartingAt(new Date('2026-03-20T10:00:00+08:00'));
    for (const t of tablets.slice(0, 3)) await t.signIn();
    const fixing = await w.call<{ fixingId: string; documentHash: string }>(`/api/v1/meetings/${meetingId}/award-fixing`, { method: 'POST', json: {} });
    for (const t of tablets.slice(0, 3)) await t.voteAwardFixing({ id: fixing.fixingId, meetingId, documentHash: fixing.documentHash }, 'for');
    await w.call(`/api/v1/award-fixings/${fixing.fixingId}/close`, { method: 'POST', json: {} });
    await w.call('/api/v1/cycles/2026/award/submission', { method: 'POST', json: { date: '2026-03-20', documentNumber: '杭市监〔2026〕12号', title: '关于2026年度杭州市政府质量奖评审结果的请示', file: documentFile('请示.pdf', '杭市监〔2026〕12号') } });
    const decision = await w.call<{ logIndex: number }>('/api/v1/cycles/2026/award/decision', { method: 'POST', json: { date: '2026-03-20', documentNumber: '杭政办函〔2026〕10号', title: '关于2026年度杭州市政府质量奖评审结果的通报', file: documentFile('通报.pdf', '杭政办函〔2026〕10号') } });
    await tab('notices');
    await page.locator('#draft-type').selectOption('revocation');
    await expect(page.locator('#revocation-fields').isVisible()).resolves.toBe(true);
    await expect(page.locator('#revocation-event').isHidden()).resolves.toBe(true); // only for 六（五）
    await page.locator('#revocation-basis').selectOption('六(三)');
    await page.locator('#revocation-award').selectOption('innovation');
    await page.locator('#revocation-approval-number').fill('杭政函〔2026〕5号');
    await page.locator('#revocation-approval-date').fill('2026-03-20');
    expect(await axe()).toEqual([]);
    const id = await draft('revocation', '关于撤销杭州丁绿色建材有限公司2026年度杭州市政府创新奖的公告', ORGS[2].name);
    await page.locator(`#publish-${id}`).click();
    await expect.poll(async () => (await notices()).find((n) => n.id === id)?.status, { timeout: 20_000 }).toBe('published');
    const n = (await notices()).find((x) => x.id === id)!;
    expect(await entry(n.logIndex!)).toMatchObject({
      type: 'revocation',
      organisations: [expect.objectContaining({ name: ORGS[2].name })],
      revocation: { basis: '六(三)', award: 'innovation', approvalNumber: '杭政函〔2026〕5号', approvalDate: '2026-03-20', awardedBy: { logIndex: decision.logIndex, date: '2026-03-20' } },
    });
    await w.shot(page, 'staff-revocation-published');
  }, 180_000);
});
