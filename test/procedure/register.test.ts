// The register of applicants (统一社会信用代码 with its GB 32100 check character), the lists
// drawn from it each from the previous one and in order (or with a logged reason), the 候选组织建议名单 per
// award reviewed by member units of the roster, ballots naming only its organisations, one award per
// organisation. The verifier binds each (register-codes, list-sequence, ballot-candidates) and fails on a
// break re-signed with the bureau's log key.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { call, Tablet } from '../../src/protocol/tablet.js';
import { expectProblem } from '../support/problems.js';
import { parseBundle, verifyBundle, type ExportBundle } from '../../src/verify/index.js';
import { verifierKeyOf } from '../../src/log/index.js';
import { creditCodeCheckCharacter } from '../../src/identity/codes.js';
import { relog } from '../verify/support.js';

const code = (body: string) => body + creditCodeCheckCharacter(body);
const ORGS = [
  { name: '杭州甲精密制造有限公司', creditCode: code('91330100MA2H00001'), award: 'quality' },
  { name: '杭州乙智能装备有限公司', creditCode: code('91330100MA2H00002'), award: 'quality' },
  { name: '杭州丙数字医疗有限公司', creditCode: code('91330100MA2H00003'), award: 'quality' },
  { name: '杭州丁绿色建材有限公司', creditCode: code('91330100MA2H00004'), award: 'innovation' },
];

describeEachDb('the register and the lists drawn from it', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: { staff: string; supervisor: string };
  let tablets: Tablet[];
  const post = (path: string, json: unknown, token = tokens.staff) => h.request(path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(json) });
  const draft = async (type: string, extra: Record<string, unknown> = {}) => {
    const res = await post('/api/v1/notices', { cycleId: '2026', type, title: `${type} 公示`, body: '现予以公示。', ...extra });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const publish = (id: string) => post(`/api/v1/notices/${id}/publish`, {});

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T01:00:00Z', config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
    tokens = await staffAndSupervisor(h);
    tablets = await enrolledTablets(h, await cycleWithMembers(h, tokens.staff, '2026', 3));
  });
  afterAll(async () => t.close());

  it('register → lists in order → 建议名单 → ballots; each refusal; the verifier binds the chain', async () => {
    // The register: a code failing its check character is refused; each organisation once.
    const bad = ORGS[0]!.creditCode.slice(0, 17) + (ORGS[0]!.creditCode[17] === '0' ? '1' : '0');
    const refused = await expectProblem(await post('/api/v1/cycles/2026/applicants', { ...ORGS[0], creditCode: bad }), 400, 'invalid-request');
    expect(refused.detail_zh).toMatch(/校验码不符/);
    for (const o of ORGS) expect((await post('/api/v1/cycles/2026/applicants', o)).status).toBe(201);
    await expectProblem(await post('/api/v1/cycles/2026/applicants', ORGS[1]), 409, 'conflict');

    // 拟进入材料评审: only registered organisations; codes and awards come from the register.
    const stranger = await draft('material-review', { organisations: [{ name: '从未申报的某公司' }] });
    await expectProblem(await publish(stranger), 422, 'unprocessable');
    await h.request(`/api/v1/notices/${stranger}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.staff}` } });
    const material = (await (await publish(await draft('material-review', { organisations: ORGS.map((o) => ({ name: o.name })) }))).json()) as { document: { organisations: unknown[] }; window: { closesAt: string } };
    expect(material.document.organisations[0]).toEqual({ name: ORGS[0]!.name, code: ORGS[0]!.creditCode, award: 'quality' });

    // 拟进入现场评审 while the material list's window is open: refused without a reason.
    const early = await draft('onsite-review', { organisations: ORGS.slice(0, 4).map((o) => ({ name: o.name })) });
    const order = await expectProblem(await publish(early), 409, 'conflict');
    expect(order.windowOpen).toBe(true);
    // After the window (03-02 … 03-10): an organisation not on the material list is refused; then published in order.
    h.clock.set('2026-03-11T01:00:00Z');
    const widened = await draft('onsite-review', { organisations: [{ name: ORGS[0]!.name }, { name: '从未申报的某公司' }] });
    await expectProblem(await publish(widened), 422, 'unprocessable');
    const onsite = (await (await publish(early)).json()) as { id: string; logIndex: number; document: { drawnFrom: { logIndex: number }; sequenceOverride?: unknown } };
    expect(onsite.document.drawnFrom.logIndex).toBeGreaterThan(0);
    expect(onsite.document.sequenceOverride).toBeUndefined();

    // 候选组织建议名单: from the on-site list, reviewed by member units of the roster, of the award applied for.
    const list = (body: unknown) => post('/api/v1/cycles/2026/candidate-lists', body);
    await expectProblem(await list({ award: 'quality', creditCodes: [ORGS[0]!.creditCode], reviewedBy: ['并非评审组成员单位的某公司'] }), 422, 'unprocessable');
    await expectProblem(await list({ award: 'quality', creditCodes: [ORGS[3]!.creditCode], reviewedBy: ['成员单位1'] }), 422, 'unprocessable');
    expect((await list({ award: 'quality', creditCodes: ORGS.slice(0, 3).map((o) => o.creditCode), reviewedBy: ['成员单位1', '成员单位2'] })).status).toBe(201);
    await expectProblem(await list({ award: 'quality', creditCodes: [ORGS[0]!.creditCode], reviewedBy: ['成员单位1'] }), 409, 'conflict');

    // Ballots name only the award's 建议名单; an award without one takes no ballot.
    const meetingId = ((await (await post('/api/v1/cycles/2026/meetings', { title: '全体会议' })).json()) as { id: string }).id;
    for (const tab of tablets) {
      await tab.signIn();
      await tab.checkIn(meetingId);
    }
    await adoptProcedure(fetchOf(h), tokens, meetingId, tablets[0]!, 3);
    const ballot = (award: string, names: string[], seats = 1) => post('/api/v1/cycles/2026/ballots', { meetingId, award, seats, candidates: names.map((name) => ({ name })) });
    const outside = await expectProblem(await ballot('quality', [ORGS[0]!.name, '从未公示的某公司']), 422, 'unprocessable');
    expect(outside.outside).toEqual(['从未公示的某公司']);
    await expectProblem(await ballot('innovation', [ORGS[3]!.name]), 409, 'conflict');
    const q = (await (await ballot('quality', [ORGS[0]!.name, ORGS[1]!.name])).json()) as { id: string };
    const f = fetchOf(h);
    const opened = await call<{ ballot: { publicKey: string } }>(f, `/api/v1/ballots/${q.id}/phase`, { method: 'POST', token: tokens.staff, json: { to: 'issuing' } });
    const held = [];
    for (const tab of tablets) held.push(await tab.obtainToken(q.id, opened.ballot.publicKey));
    await call(f, `/api/v1/ballots/${q.id}/phase`, { method: 'POST', token: tokens.staff, json: { to: 'casting' } });
    for (const token of held) await Tablet.cast(f, q.id, token, { c01: 'for', c02: 'against' });
    for (const to of ['closed', 'tallied']) await call(f, `/api/v1/ballots/${q.id}/phase`, { method: 'POST', token: tokens.staff, json: { to } });
    // One award per organisation: a winner is refused on a later ballot.
    const twice = await expectProblem(await ballot('quality', [ORGS[0]!.name, ORGS[2]!.name]), 422, 'unprocessable');
    expect(twice.winners).toEqual([ORGS[0]!.name]);

    // 初选授奖组织名单 while the on-site window is open: refused; with a recorded reason, published and logged.
    h.clock.set('2026-03-12T01:00:00Z');
    const winners = await draft('initial-winners');
    await expectProblem(await publish(winners), 409, 'conflict');
    await h.request(`/api/v1/notices/${winners}`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.staff}` }, body: JSON.stringify({ sequenceOverride: '市政府表彰大会日期提前，经监督小组同意提前公示' }) });
    const published = (await (await publish(winners)).json()) as { document: { sequenceOverride: { reason: string } } };
    expect(published.document.sequenceOverride.reason).toMatch(/表彰大会/);

    // Revocation (六(三), 六(五)) needs the city government's decision: in this undecided cycle, even of a winner,
    // it is refused (the whole of it: test/procedure/award.test.ts).
    const revoke = async (organisation: string, revocation: Record<string, unknown>) =>
      publish(await draft('revocation', { title: '撤销公告', organisations: [{ name: organisation }], revocation: { award: 'quality', approvalNumber: '杭政函〔2026〕9号', approvalDate: '2026-03-12', ...revocation } }));
    await expectProblem(await revoke(ORGS[0]!.name, { basis: '六(三)', approvalNumber: undefined }), 422, 'unprocessable');
    const undecided = await expectProblem(await revoke(ORGS[0]!.name, { basis: '六(五)', eventDate: '2026-03-12' }), 409, 'conflict');
    expect(undecided.detail_zh).toMatch(/尚未登记市政府的授奖决定/);

    // The verifier: the chain holds (the early list is a note with its reason) …
    const res = await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${tokens.supervisor}` } });
    const bundle = (await res.json()) as ExportBundle;
    const verify = (b: ExportBundle) => verifyBundle(parseBundle(JSON.parse(JSON.stringify(b))), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), now: h.clock.now() });
    const status = (b: ExportBundle, id: string) => verify(b).checks.find((c) => c.id === id)?.status;
    expect(status(bundle, 'register-codes')).toBe('pass');
    expect(status(bundle, 'list-sequence')).toBe('warn');
    expect(status(bundle, 'ballot-candidates')).toBe('pass');
    expect(status(bundle, 'revocation-basis')).toBe('skip');
    // … and fails on each break, re-signed with the bureau's log key.
    const signer = h.deps.keys.logSignerKey;
    const forged = async (edit: Parameters<typeof relog>[2]) => relog(bundle, signer, edit);
    expect(status(await forged((items) => void (items.find((x) => x.type === 'ballot-prepared')!.doc.candidates[1].name = '从未公示的某公司')), 'ballot-candidates')).toBe('fail');
    expect(status(await forged((items) => void delete items.find((x) => x.type === 'notice' && x.doc.type === 'initial-winners')!.doc.sequenceOverride), 'list-sequence')).toBe('fail');
    expect(status(await forged((items) => void (items.find((x) => x.type === 'notice' && x.doc.type === 'onsite-review')!.doc.organisations.push({ name: '从未申报的某公司' }))), 'list-sequence')).toBe('fail');
    expect(status(await forged((items) => void (items.find((x) => x.type === 'applicant-registered')!.doc.creditCode = bad)), 'register-codes')).toBe('fail');
    expect(status(await forged((items) => void items.push({ ...structuredClone(items.find((x) => x.type === 'ballot-prepared')!), doc: { ...structuredClone(items.find((x) => x.type === 'ballot-prepared')!.doc), ballotId: 'b_secondxxxxxx' } })), 'ballot-candidates')).toBe('fail');
    expect(status(await forged((items) => void (items.find((x) => x.type === 'candidate-list')!.doc.reviewedBy = ['并非评审组成员单位的某公司'])), 'ballot-candidates')).toBe('fail');
  });
});
