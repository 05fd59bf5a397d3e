// A supervisor attending the meeting named 监票人: the supervisor registers a device for the cycle (its
// key bound to the supervisor's account in a logged supervisor-device entry), the 表决办法 names the
// supervisor, and after the tally the supervisor signs the logged result with that device. Refused for a
// supervisor not named, a device not registered to the supervisor, a signature over anything else, and
// for anyone but a supervisor; the tally sheet, the minutes and the verifier's teller check show it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor, supervisorDevice } from '../support/actors.js';
import { ApiError, call, type Tablet } from '../../src/protocol/tablet.js';
import { createAccount, issueAccountToken } from '../../src/auth/accounts.js';
import { getDocument, getEntry } from '../../src/log/index.js';
import { verifierKeyOf } from '../../src/log/checkpoint.js';
import { parseBundle, verifyBundle, type ExportBundle } from '../../src/verify/index.js';
import { supervisorTallyMessage } from '../../src/votes/messages.js';
import { toHex } from '../../crypto/bytes.js';

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof ApiError ? e.status : 0));

describeEachDb('a supervisor as 监票人', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: { staff: string; supervisor: string };
  let other: string;
  let tablets: Tablet[];
  let meetingId: string;
  let ballotId: string;
  let sup: Awaited<ReturnType<typeof supervisorDevice>>;
  const f = () => fetchOf(h);
  const staffCall = <T>(path: string, json?: unknown) => call<T>(f(), path, { method: json === undefined ? 'GET' : 'POST', token: tokens.staff, ...(json !== undefined ? { json } : {}) });
  const doc = async (index: number) => JSON.parse((await getDocument(h.deps.db, (await getEntry(h.deps.db, index))!.docHash))!.body);
  const confirm = (token: string, json: unknown) => call<{ logIndex: number; already: boolean; role: string }>(f(), `/api/v1/ballots/${ballotId}/supervisor-confirmations`, { method: 'POST', token, json });

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
    tokens = await staffAndSupervisor(h);
    other = await issueAccountToken(h.deps.db, (await createAccount(h.deps.db, { role: 'supervisor', name: '监督小组 赵工' })).id);
    tablets = await enrolledTablets(h, await cycleWithMembers(h, tokens.staff, '2026', 4));
    meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '2026年度评审组全体会议' })).id;
    for (const tab of tablets.slice(0, 3)) await tab.checkIn(meetingId);
  });
  afterAll(async () => t.close());

  it('is named 监票人 only once attending with a device registered to the account, logged with the account', async () => {
    const supervisorId = (await h.deps.db.selectFrom('account').select('id').where('name', '=', '监督小组 李工').executeTakeFirstOrThrow()).id;
    // Not attending yet: refused, nothing logged.
    expect(await status(staffCall(`/api/v1/meetings/${meetingId}/procedure`, { counters: [], scrutineers: [], supervisorScrutineers: [supervisorId] }))).toBe(400);
    sup = await supervisorDevice(h, tokens.supervisor, '2026');
    expect(sup.accountId).toBe(supervisorId);
    expect(await doc(sup.logIndex)).toMatchObject({ cycleId: '2026', accountId: supervisorId, name: '监督小组 李工', deviceKey: sup.deviceKey });
    const live = await staffCall<{ supervisors: { accountId: number; name: string }[] }>(`/api/v1/meetings/${meetingId}/live`);
    expect(live.supervisors).toEqual([{ accountId: supervisorId, name: '监督小组 李工' }]);
    expect(await status(staffCall(`/api/v1/meetings/${meetingId}/procedure`, { counters: [], scrutineers: [], supervisorScrutineers: [supervisorId, supervisorId] }))).toBe(400);
    const p = await adoptProcedure(f(), tokens, meetingId, tablets[0]!, 3, { counters: [tablets[1]!.device.memberId], scrutineers: [], supervisorScrutineers: [supervisorId] });
    expect((await doc(p.logIndex)).supervisorScrutineers).toEqual([{ accountId: supervisorId, name: '监督小组 李工' }]);
  });

  it('confirms the tallied result with that device; nobody else, no other key, no other message', async () => {
    ballotId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'innovation', seats: 1, candidates: [{ name: '甲科技' }, { name: '乙制造' }] })).id;
    await staffCall(`/api/v1/ballots/${ballotId}/phase`, { to: 'voting' });
    for (const tab of tablets.slice(0, 3)) await tab.raiseHands(ballotId, { c01: 'for', c02: 'against' });
    const ref = await call<{ resultLogIndex: number; resultDocHash: string }>(f(), `/api/v1/ballots/${ballotId}/result-reference`).catch(() => null);
    expect(ref).toBeNull(); // not tallied yet
    const early = { deviceKey: sup.deviceKey, signature: sup.sign(supervisorTallyMessage(ballotId, 0, '0'.repeat(64), sup.accountId)) };
    expect(await status(confirm(tokens.supervisor, early))).toBe(409);
    await staffCall(`/api/v1/ballots/${ballotId}/phase`, { to: 'tallied' });
    const r = await call<{ resultLogIndex: number; resultDocHash: string }>(f(), `/api/v1/ballots/${ballotId}/result-reference`);
    const good = { deviceKey: sup.deviceKey, signature: sup.sign(supervisorTallyMessage(ballotId, r.resultLogIndex, r.resultDocHash, sup.accountId)) };

    // Staff and members cannot use the route; a supervisor not named cannot, even with a registered device.
    expect(await status(confirm(tokens.staff, good))).toBe(403);
    expect(await status(confirm(tablets[1]!.session!, good))).toBe(403);
    const otherDevice = await supervisorDevice(h, other, '2026');
    expect(await status(confirm(other, { deviceKey: otherDevice.deviceKey, signature: otherDevice.sign(supervisorTallyMessage(ballotId, r.resultLogIndex, r.resultDocHash, otherDevice.accountId)) }))).toBe(403);
    // The named supervisor with a key not registered to them (another supervisor's, or a fresh one).
    expect(await status(confirm(tokens.supervisor, { deviceKey: otherDevice.deviceKey, signature: otherDevice.sign(supervisorTallyMessage(ballotId, r.resultLogIndex, r.resultDocHash, sup.accountId)) }))).toBe(403);
    const stray = ed25519.utils.randomSecretKey();
    expect(await status(confirm(tokens.supervisor, { deviceKey: toHex(ed25519.getPublicKey(stray)), signature: toHex(ed25519.sign(supervisorTallyMessage(ballotId, r.resultLogIndex, r.resultDocHash, sup.accountId), stray)) }))).toBe(403);
    // A signature over another hash, index or account.
    expect(await status(confirm(tokens.supervisor, { deviceKey: sup.deviceKey, signature: sup.sign(supervisorTallyMessage(ballotId, r.resultLogIndex, '0'.repeat(64), sup.accountId)) }))).toBe(403);
    expect(await status(confirm(tokens.supervisor, { deviceKey: sup.deviceKey, signature: sup.sign(supervisorTallyMessage(ballotId, r.resultLogIndex + 1, r.resultDocHash, sup.accountId)) }))).toBe(403);
    expect(await status(confirm(tokens.supervisor, { deviceKey: sup.deviceKey, signature: sup.sign(supervisorTallyMessage(ballotId, r.resultLogIndex, r.resultDocHash, otherDevice.accountId)) }))).toBe(403);
    expect(await status(confirm(tokens.supervisor, { deviceKey: sup.deviceKey, signature: 'zz' }))).toBe(400);
    expect(await h.deps.db.selectFrom('supervisor_tally_confirmation').selectAll().execute()).toEqual([]);

    const done = await confirm(tokens.supervisor, good);
    expect(done).toMatchObject({ role: 'scrutineer', already: false });
    expect((await getEntry(h.deps.db, done.logIndex))!.type).toBe('tally-confirmation');
    expect(await doc(done.logIndex)).toEqual({
      ballotId,
      resultLogIndex: r.resultLogIndex,
      resultDocHash: r.resultDocHash,
      supervisor: { accountId: sup.accountId, name: '监督小组 李工' },
      role: 'scrutineer',
      deviceKey: sup.deviceKey,
      deviceLogIndex: sup.logIndex,
      signature: good.signature,
    });
    expect(await confirm(tokens.supervisor, good)).toMatchObject({ logIndex: done.logIndex, already: true });

    const sheet = await call<Record<string, any>>(f(), `/api/v1/ballots/${ballotId}/tally-sheet`);
    expect(sheet.supervisorScrutineers).toEqual([{ accountId: sup.accountId, name: '监督小组 李工' }]);
    expect(sheet.confirmations).toEqual([expect.objectContaining({ memberId: null, accountId: sup.accountId, name: '监督小组 李工', unit: '评审工作监督小组', role: 'scrutineer', logIndex: done.logIndex })]);
    const html = await (await h.request(`/print/ballots/${ballotId}/tally-sheet`)).text();
    expect(html).toContain('监督小组 李工（监督小组）');
    expect(html).toContain('评审工作监督小组');
  });

  it('the minutes name the supervisor with the time; the verifier’s teller check passes the supervisor’s confirmation (forgeries: test/verify/manipulations.test.ts)', async () => {
    const closed = await staffCall<{ minutesLogIndex: number }>(`/api/v1/meetings/${meetingId}/close`, {});
    const minutes = await doc(closed.minutesLogIndex);
    expect(minutes.procedure.scrutineers).toEqual(['监督小组 李工（评审工作监督小组）']);
    expect(minutes.votes[0].confirmations).toEqual([{ name: '监督小组 李工（评审工作监督小组）', role: 'scrutineer', confirmedAt: expect.stringMatching(/^\d{4}-/) }]);

    const run = async () => {
      const bundle = (await (await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${tokens.supervisor}` } })).json()) as ExportBundle;
      const report = verifyBundle(parseBundle(bundle), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), witnessKeys: [], now: new Date('2026-12-01T00:00:00Z') });
      return report.checks.filter((x) => x.id === 'teller-signatures');
    };
    const honest = await run();
    expect(honest.map((x) => x.status)).toEqual(['pass']);
    expect(honest[0]!.message.zh).toContain('确认 1 项');
  });
});
