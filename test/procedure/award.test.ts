// 审定 and approval (三(三)8, 四(二)) and revocation of a decided award (六(三), 六(五)): the judging group fixes
// the 拟授奖组织名单 at a meeting only after every 公示 closed, every objection was answered and no entry is on
// hold; the bureau's submission only after the 审定; the city government's decision only after the submission;
// a 表彰通报 only as the decision's list; a revocation only of a holder of a decided award. Each refusal on both
// databases, then the whole chain verified, and each break re-signed with the bureau's log key caught by its check.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, staffAndSupervisor, fetchOf } from '../support/actors.js';
import { call } from '../../src/protocol/tablet.js';
import { expectProblem } from '../support/problems.js';
import { parseBundle, verifyBundle, type ExportBundle } from '../../src/verify/index.js';
import { verifierKeyOf } from '../../src/log/index.js';
import { sha256Hex } from '../../src/objections/digest.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../../crypto/bytes.js';
import { awardFixingConfirmMessage } from '../../src/votes/messages.js';
import { relog } from '../verify/support.js';
import { api, draftNotice, publish } from '../notices/support.js';
import { answer, cycleToInitialWinners, documentFile, LOSER, object, WINNER } from './award-support.js';

describeEachDb('审定, the city government’s decision, the 表彰通报 and revocation', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: { staff: string; supervisor: string };
  const post = (path: string, json: unknown, token = tokens.staff) => api(h, token)('POST', path, json);
  const ok = async <T>(res: Response, status = 201): Promise<T> => {
    if (res.status === 500) console.log(JSON.stringify((h.logger as unknown as { lines: unknown[] }).lines?.slice(-3) ?? h.logger));
    expect(res.status, await res.clone().text()).toBe(status);
    return (await res.json()) as T;
  };
  const get = async <T>(path: string, token?: string) => (await api(h, token)('GET', path)).json() as Promise<T>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T01:00:00Z', config: { LOG_CHECKPOINT_INTERVAL_MS: 0, OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    tokens = await staffAndSupervisor(h);
  });
  afterAll(async () => t.close());

  it('审定 after the 公示 and objections, submission, decision, 表彰通报, revocation; each out of order refused; the verifier binds the chain', async () => {
    h.clock.set('2026-03-02T01:00:00Z');
    const c = await cycleToInitialWinners(h, tokens, '2026');
    const f = fetchOf(h);
    h.clock.set('2026-03-09T02:00:00Z'); // the 6th of the window's 7 working days; the objection is due 03-16
    const receipt = await object(h, c.list.id, WINNER);

    // While the window is open and the objection unanswered: no 审定; nothing after it either.
    const early = await expectProblem(await post(`/api/v1/meetings/${c.meetingId}/award-fixing`, {}), 409, 'conflict');
    expect(early.openWindows).toEqual([{ id: c.list.id, closesAt: '2026-03-10T23:59:59.999+08:00' }]);
    expect(early.unanswered).toEqual([receipt.trackingNo]);
    const approval = (n: string, date: string) => ({ date, documentNumber: n, title: '关于2026年度杭州市政府质量奖评审结果的请示', file: documentFile('请示.pdf', n) });
    await expectProblem(await post('/api/v1/cycles/2026/award/submission', approval('杭市监〔2026〕12号', '2026-03-03')), 409, 'conflict');
    await expectProblem(await post('/api/v1/cycles/2026/award/decision', approval('杭政办函〔2026〕10号', '2026-03-03')), 409, 'conflict');
    const commendationEarly = await draftNotice(h, tokens.staff, { type: 'commendation', title: '表彰通报', organisations: [] });
    await expectProblem(await post(`/api/v1/notices/${commendationEarly.id}/publish`, {}), 409, 'conflict');
    const revocation = (organisation: string, extra: Record<string, unknown> = {}) =>
      draftNotice(h, tokens.staff, { type: 'revocation', title: '撤销公告', organisations: [{ name: organisation }], revocation: { basis: '六(三)', award: 'quality', approvalNumber: '杭政函〔2026〕20号', approvalDate: '2026-03-03', ...extra } });
    const undecided = await expectProblem(await post(`/api/v1/notices/${(await revocation(WINNER)).id}/publish`, {}), 409, 'conflict');
    expect(undecided.detail_zh).toMatch(/尚未登记市政府的授奖决定/);

    // The window closed; the objection is still unanswered: refused. Answered (不成立): the 审定 goes to a new meeting.
    h.clock.set('2026-03-11T01:00:00Z');
    const unanswered = await expectProblem(await post(`/api/v1/meetings/${c.meetingId}/award-fixing`, {}), 409, 'conflict');
    expect(unanswered.openWindows).toEqual([]);
    expect(unanswered.unanswered).toEqual([receipt.trackingNo]);
    await answer(h, tokens.staff, '2026', receipt, 'rejected');
    await call(f, `/api/v1/meetings/${c.meetingId}/close`, { method: 'POST', token: tokens.staff, json: {} });
    h.clock.set('2026-03-12T01:00:00Z');
    const meetingId = (await call<{ id: string }>(f, '/api/v1/cycles/2026/meetings', { method: 'POST', token: tokens.staff, json: { title: '评审组审定会议' } })).id;
    // No 表决办法 at this meeting yet: the 审定 is decided under one.
    await expectProblem(await post(`/api/v1/meetings/${meetingId}/award-fixing`, {}), 409, 'conflict');
    for (const tab of c.tablets) {
      await tab.signIn();
      await tab.checkIn(meetingId);
    }
    await adoptProcedure(f, tokens, meetingId, c.tablets[0]!, 3);

    // First proposal, by the chair's record confirmed by a supervisor: 1 同意 of 3 — not adopted.
    type Proposed = { fixingId: string; logIndex: number; documentHash: string; document: { organisations: { name: string; award: string }[] } };
    const first = await ok<Proposed>(await post(`/api/v1/meetings/${meetingId}/award-fixing`, {}));
    expect(first.document.organisations).toEqual([{ name: WINNER, award: 'quality' }]);
    const fx = (p: Proposed) => ({ id: p.fixingId, meetingId, documentHash: p.documentHash });
    // Only the chair records the hands.
    await expectProblem(await post(`/api/v1/award-fixings/${first.fixingId}/chair-record`, { for: 1, against: 2, abstain: 0, signature: '00'.repeat(64) }, c.tablets[1]!.session!), 403, 'forbidden');
    await c.tablets[0]!.recordAwardFixing(fx(first), { for: 1, against: 2, abstain: 0 });
    const shown = await get<{ chairRecord: { for: number; against: number; abstain: number; signature: string } }>(`/api/v1/meetings/${meetingId}/award-fixing`, tokens.supervisor);
    expect(shown.chairRecord.for).toBe(1);
    // The supervisor confirms with the device key registered for the cycle, over the counts and the chair's signature.
    const device = ed25519.utils.randomSecretKey();
    const deviceKey = toHex(ed25519.getPublicKey(device));
    const confirmation = awardFixingConfirmMessage(meetingId, first.documentHash, shown.chairRecord, shown.chairRecord.signature);
    await expectProblem(await post(`/api/v1/award-fixings/${first.fixingId}/confirm`, {}, tokens.supervisor), 400, 'invalid-request');
    await expectProblem(await post(`/api/v1/award-fixings/${first.fixingId}/confirm`, { deviceKey, signature: toHex(ed25519.sign(confirmation, device)) }, tokens.supervisor), 403, 'forbidden');
    await ok(await post('/api/v1/cycles/2026/supervisor-devices', { deviceKey }, tokens.supervisor), 200);
    const otherCounts = awardFixingConfirmMessage(meetingId, first.documentHash, { for: 2, against: 1, abstain: 0 }, shown.chairRecord.signature);
    await expectProblem(await post(`/api/v1/award-fixings/${first.fixingId}/confirm`, { deviceKey, signature: toHex(ed25519.sign(otherCounts, device)) }, tokens.supervisor), 403, 'forbidden');
    const rejected = await ok<{ adopted: boolean }>(await post(`/api/v1/award-fixings/${first.fixingId}/confirm`, { deviceKey, signature: toHex(ed25519.sign(confirmation, device)) }, tokens.supervisor), 200);
    expect(rejected.adopted).toBe(false);
    await expectProblem(await post('/api/v1/cycles/2026/award/submission', approval('杭市监〔2026〕12号', '2026-03-12')), 409, 'conflict');

    // Second proposal, by the members' signed hands: adopted.
    const second = await ok<Proposed>(await post(`/api/v1/meetings/${meetingId}/award-fixing`, {}));
    await c.tablets[0]!.voteAwardFixing(fx(second), 'for');
    await c.tablets[1]!.voteAwardFixing(fx(second), 'for');
    await c.tablets[2]!.voteAwardFixing(fx(second), 'abstain');
    const adopted = await ok<{ adopted: boolean; logIndex: number }>(await post(`/api/v1/award-fixings/${second.fixingId}/close`, {}), 200);
    expect(adopted.adopted).toBe(true);
    await expectProblem(await post(`/api/v1/meetings/${meetingId}/award-fixing`, {}), 409, 'conflict');

    // The submission: 文号 in form, a real document file; once.
    await expectProblem(await post('/api/v1/cycles/2026/award/submission', approval('12号', '2026-03-12')), 400, 'invalid-request');
    await expectProblem(await post('/api/v1/cycles/2026/award/submission', { ...approval('杭市监〔2026〕12号', '2026-03-12'), file: { name: 'a.txt', contentBase64: Buffer.from('not a document').toString('base64') } }), 422, 'unprocessable');
    await expectProblem(await post('/api/v1/cycles/2026/award/decision', approval('杭政办函〔2026〕10号', '2026-03-12')), 409, 'conflict');
    const submitted = await post('/api/v1/cycles/2026/award/submission', approval('杭市监〔2026〕12号', '2026-03-12'));
    expect(submitted.status, await submitted.clone().text()).toBe(201);
    await expectProblem(await post('/api/v1/cycles/2026/award/submission', approval('杭市监〔2026〕13号', '2026-03-12')), 409, 'conflict');

    // The city government's decision: not dated before the submission; its file public by its logged hash.
    h.clock.set('2026-03-20T02:00:00Z');
    await expectProblem(await post('/api/v1/cycles/2026/award/decision', { ...approval('杭政办函〔2026〕10号', '2026-03-11') }), 422, 'unprocessable');
    const decisionFile = documentFile('杭政办函〔2026〕10号.pdf', '关于2026年度杭州市政府质量奖评审结果的通报');
    const decided = await ok<{ logIndex: number; document: { file: { sha256: string }; organisations: unknown[] } }>(await post('/api/v1/cycles/2026/award/decision', { date: '2026-03-20', documentNumber: '杭政办函〔2026〕10号', title: '关于2026年度杭州市政府质量奖评审结果的通报', file: decisionFile }));
    expect(decided.document.organisations).toEqual([{ name: WINNER, award: 'quality' }]);
    const served = await h.request(`/api/v1/cycles/2026/award/files/${decided.document.file.sha256}`);
    expect(served.status).toBe(200);
    expect(sha256Hex(new Uint8Array(await served.arrayBuffer()))).toBe(decided.document.file.sha256);
    const subHash = ((await get<{ submission: { document: { file: { sha256: string } } } }>('/api/v1/cycles/2026/award')).submission.document.file.sha256);
    expect((await h.request(`/api/v1/cycles/2026/award/files/${subHash}`)).status).toBe(404);
    expect((await h.request(`/api/v1/cycles/2026/award/files/${subHash}`, { headers: { authorization: `Bearer ${tokens.supervisor}` } })).status).toBe(200);

    // The 表彰通报: a typed list that differs is refused; left empty it is the decision's list.
    const wrong = await draftNotice(h, tokens.staff, { type: 'commendation', title: '表彰通报', organisations: [{ name: WINNER, award: 'quality' }, { name: LOSER, award: 'quality' }] });
    const differs = await expectProblem(await post(`/api/v1/notices/${wrong.id}/publish`, {}), 422, 'unprocessable');
    expect(differs.extra).toEqual([LOSER]);
    const commendation = await publish(h, tokens.staff, commendationEarly.id);
    expect(commendation.organisations).toEqual([{ name: WINNER, award: 'quality' }]);
    expect(commendation.window).toBeNull();

    // The awarded list on any date; a revocation only of a holder, approved by the government, dated from the decision.
    const awarded = async (date: string) => (await get<{ organisations: { name: string }[] }>(`/api/v1/cycles/2026/awarded?date=${date}`)).organisations.map((o) => o.name);
    expect(await awarded('2026-03-19')).toEqual([]);
    expect(await awarded('2026-03-20')).toEqual([WINNER]);
    h.clock.set('2026-04-02T02:00:00Z');
    const notWinner = await expectProblem(await post(`/api/v1/notices/${(await revocation(LOSER, { approvalDate: '2026-04-01' })).id}/publish`, {}), 422, 'unprocessable');
    expect(notWinner.notWinners).toEqual([LOSER]);
    await expectProblem(await post(`/api/v1/notices/${(await revocation(WINNER, { basis: '六(五)', approvalDate: '2026-04-01', eventDate: '2028-03-21' })).id}/publish`, {}), 422, 'unprocessable');
    const revoked = await publish(h, tokens.staff, (await revocation(WINNER, { basis: '六(五)', approvalDate: '2026-04-01', eventDate: '2026-03-30' })).id);
    expect((revoked.document as unknown as { revocation: { awardedBy: unknown } }).revocation.awardedBy).toEqual({ id: '杭政办函〔2026〕10号', logIndex: decided.logIndex, date: '2026-03-20' });
    expect(await awarded('2026-03-31')).toEqual([WINNER]);
    expect(await awarded('2026-04-01')).toEqual([]);
    await expectProblem(await post(`/api/v1/notices/${(await revocation(WINNER, { approvalDate: '2026-04-02' })).id}/publish`, {}), 422, 'unprocessable');

    // The verifier: the chain holds …
    const res = await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${tokens.supervisor}` } });
    const bundle = (await res.json()) as ExportBundle;
    const verify = (b: ExportBundle) => verifyBundle(parseBundle(JSON.parse(JSON.stringify(b))), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), now: h.clock.now() });
    const report = verify(bundle);
    const status = (b: ExportBundle, id: string) => verify(b).checks.find((x) => x.id === id)?.status;
    for (const id of ['award-fixed', 'government-decision', 'award-notice', 'revocation-basis']) expect(report.checks.find((x) => x.id === id)?.status, id).toBe('pass');
    expect(report.checks.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual([]);
    expect(report.checks.find((x) => x.id === 'revocation-basis')!.details.map((d) => d.zh).join()).toMatch(/获奖组织 0 个/);

    // The approval's files travel in the bundle, hashed again by award-files: the supervisors' export carries both,
    // the public one the decision's only (the submission's is for staff and supervisors).
    const decisionSha = decided.document.file.sha256;
    expect(Object.keys(bundle.files ?? {}).sort()).toEqual([subHash, decisionSha].sort());
    expect(status(bundle, 'award-files')).toBe('pass');
    const publicBundle = (await (await h.request('/api/v1/cycles/2026/export')).json()) as ExportBundle;
    expect(publicBundle.audience).toBe('public');
    expect(Object.keys(publicBundle.files ?? {})).toEqual([decisionSha]);
    expect(publicBundle.files![decisionSha]).toBe(decisionFile.contentBase64);
    expect(status(publicBundle, 'award-files')).toBe('pass');
    // Another file's bytes under a logged hash, in either export; the decision's file left out; a file the log does not name.
    const forgedPdf = documentFile('杭政办函〔2026〕10号.pdf', '关于2026年度杭州市政府质量奖评审结果的通报（篡改）').contentBase64;
    const withFiles = (b: ExportBundle, files: Record<string, string>) => ({ ...b, files });
    expect(status(withFiles(publicBundle, { [decisionSha]: forgedPdf }), 'award-files')).toBe('fail');
    expect(status(withFiles(bundle, { ...bundle.files, [subHash]: forgedPdf }), 'award-files')).toBe('fail');
    expect(status(withFiles(bundle, { [subHash]: bundle.files![subHash]! }), 'award-files')).toBe('fail');
    expect(status(withFiles(publicBundle, { ...publicBundle.files, ['ab'.repeat(32)]: forgedPdf }), 'award-files')).toBe('fail');
    const truncated = Buffer.from(decisionFile.contentBase64, 'base64').subarray(0, 20).toString('base64');
    expect(verify(withFiles(publicBundle, { [decisionSha]: truncated })).checks.find((x) => x.id === 'award-files')!.details.map((d) => d.zh).join()).toMatch(/与日志记录的 .* 不符/);

    // … and each break, re-signed with the bureau's log key, fails its check.
    const signer = h.deps.keys.logSignerKey;
    const forged = (edit: Parameters<typeof relog>[2]) => relog(bundle, signer, edit);
    type Items = Parameters<Parameters<typeof relog>[2]>[0];
    const one = (items: Items, type: string, n = 0) => items.filter((x) => x.type === type)[n]!.doc;
    const notice = (items: Items, type: string) => items.find((x) => x.type === 'notice' && x.doc.type === type)!.doc;
    expect(status(await forged((items) => void one(items, 'award-fixing-proposed', 1).organisations.push({ name: LOSER, award: 'quality' })), 'award-fixed')).toBe('fail');
    expect(status(await forged((items) => void (one(items, 'award-fixing-proposed', 1).proposedAt = '2026-03-05T10:00:00.000+08:00')), 'award-fixed')).toBe('fail');
    expect(status(await forged((items) => void (one(items, 'award-fixing-decided', 0).adopted = true)), 'award-fixed')).toBe('fail');
    expect(status(await forged((items) => void (one(items, 'award-fixing-decided', 0).confirmedBy.signature = '00'.repeat(64))), 'award-fixed')).toBe('fail');
    expect(status(await forged((items) => void (one(items, 'award-fixing-decided', 0).chair.against = 1)), 'award-fixed')).toBe('fail');
    expect(status(await forged((items) => void (one(items, 'award-fixing-decided', 1).votes.find((v: { choice: string }) => v.choice === 'abstain').choice = 'for')), 'award-fixed')).toBe('fail');
    expect(status(await forged((items) => void one(items, 'award-submission').organisations.push({ name: LOSER, award: 'quality' })), 'government-decision')).toBe('fail');
    expect(status(await forged((items) => void (one(items, 'government-decision').date = '2026-03-11')), 'government-decision')).toBe('fail');
    expect(status(await forged((items) => void notice(items, 'commendation').organisations.push({ name: LOSER, award: 'quality' })), 'award-notice')).toBe('fail');
    expect(status(await forged((items) => void (notice(items, 'revocation').organisations = [{ name: LOSER, award: 'quality' }])), 'revocation-basis')).toBe('fail');
    expect(status(await forged((items) => void (notice(items, 'revocation').revocation.awardedBy.date = '2026-03-02')), 'revocation-basis')).toBe('fail');
  });

  it('an upheld objection holds its entry: the 审定 is refused while the winner is still on the list', async () => {
    // Another cycle (after the first's chain is verified: that one's log holds one cycle only).
    h.clock.set('2026-03-02T01:00:00Z');
    const c = await cycleToInitialWinners(h, tokens, '2025');
    h.clock.set('2026-03-03T02:00:00Z');
    const receipt = await object(h, c.list.id, WINNER);
    h.clock.set('2026-03-11T02:00:00Z');
    await answer(h, tokens.staff, '2025', receipt, 'upheld');
    const refused = await expectProblem(await post(`/api/v1/meetings/${c.meetingId}/award-fixing`, {}), 409, 'conflict');
    expect(refused.held).toMatchObject([{ organisation: WINNER, trackingNo: receipt.trackingNo, decision: 'upheld' }]);
    expect(refused.openWindows).toEqual([]);
    expect(refused.unanswered).toEqual([]);
    expect(refused.detail_zh).toMatch(/异议成立，以下名单条目尚待处理/);
    expect((await get<{ fixing: unknown }>('/api/v1/cycles/2025/award')).fixing).toBeNull();
  });
});
