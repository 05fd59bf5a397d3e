import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { ApiError, call, type Tablet } from '../../src/protocol/tablet.js';
import { getDocument, getEntry } from '../../src/log/index.js';
import { verifyDeviceSignature, handsMessage, countersignMessage } from '../../src/votes/messages.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../../crypto/bytes.js';

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof ApiError ? e.status : 0));

type Result = { winners: string[]; vacancies: number; runoff: null | { candidates: string[]; seats: number }; candidates: { candidateId: string; for: number; passed: boolean }[] };

describeEachDb('recorded show of hands, ties and seats', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: { staff: string; supervisor: string };
  let tablets: Tablet[];
  let meetingId: string;

  const staffCall = <T>(path: string, json?: unknown) => call<T>(fetchOf(h), path, { method: json === undefined ? 'GET' : 'POST', token: tokens.staff, ...(json !== undefined ? { json } : {}) });

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    tokens = await staffAndSupervisor(h);
    tablets = await enrolledTablets(h, await cycleWithMembers(h, tokens.staff, '2026', 5));
    meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '全体会议' })).id;
    for (const tab of tablets.slice(0, 4)) await tab.checkIn(meetingId);
    await adoptProcedure(fetchOf(h), tokens, meetingId, tablets[0]!, 4);
  });
  afterAll(async () => t.close());

  it('records each member’s signed hands by name, staff-recorded hands marked, and a tie at the last seat asks for a run-off', async () => {
    const b = await staffCall<{ id: string; kind: string }>('/api/v1/cycles/2026/ballots', {
      meetingId,
      award: 'innovation',
      seats: 1,
      candidates: [{ name: '丁科技' }, { name: '戊制造' }, { name: '己服务' }],
    });
    expect(b.kind).toBe('show-of-hands');
    expect(await status(tablets[0]!.raiseHands(b.id, { c01: 'for', c02: 'against', c03: 'against' }))).toBe(409); // not open yet
    await staffCall(`/api/v1/ballots/${b.id}/phase`, { to: 'voting' });
    // 4 present; passing needs > 2. c01 and c02 both get 3 同意 for one seat: a tie.
    await tablets[0]!.raiseHands(b.id, { c01: 'for', c02: 'against', c03: 'against' });
    await tablets[1]!.raiseHands(b.id, { c01: 'against', c02: 'for', c03: 'abstain' });
    await tablets[2]!.raiseHands(b.id, { c01: 'for', c02: 'against', c03: 'abstain' });
    // Member 4's tablet fails: staff record the raised hand.
    await staffCall(`/api/v1/ballots/${b.id}/hands/${tablets[3]!.device.memberId}`, { choices: { c01: 'for', c02: 'against', c03: 'abstain' } });
    // Member 5 was not checked in: refused, whoever records it.
    expect(await status(tablets[4]!.raiseHands(b.id, { c01: 'for', c02: 'against', c03: 'against' }))).toBe(403);
    expect(await status(staffCall(`/api/v1/ballots/${b.id}/hands/${tablets[4]!.device.memberId}`, { choices: { c01: 'for', c02: 'against', c03: 'against' } }))).toBe(403);
    // Over-voting (2 同意 for 1 seat) is refused; a changed vote is refused; the same vote again is fine.
    expect(await status(tablets[1]!.raiseHands(b.id, { c01: 'for', c02: 'for', c03: 'abstain' }))).toBe(422);
    expect(await status(tablets[1]!.raiseHands(b.id, { c01: 'for', c02: 'against', c03: 'abstain' }))).toBe(409);
    expect(await status(tablets[1]!.raiseHands(b.id, { c01: 'against', c02: 'for', c03: 'abstain' }))).toBe(200);

    // The staff-recorded hand counts only once a supervisor present confirmed it on their own device.
    expect(await status(staffCall(`/api/v1/ballots/${b.id}/phase`, { to: 'tallied' }))).toBe(409);
    const supervisorCall = <T>(path: string, json: unknown) => call<T>(fetchOf(h), path, { method: 'POST', token: tokens.supervisor, json });
    const memberId = tablets[3]!.device.memberId;
    // Staff cannot confirm; a device not registered, or a signature over other choices, is refused.
    const secret = ed25519.utils.randomSecretKey();
    const deviceKey = toHex(ed25519.getPublicKey(secret));
    const sign = (choices: Record<string, 'for' | 'against' | 'abstain'>) => toHex(ed25519.sign(countersignMessage(b.id, memberId, choices, '测试工作人员'), secret));
    const confirmation = `/api/v1/ballots/${b.id}/hands/${memberId}/confirmation`;
    expect(await status(staffCall(confirmation, { deviceKey, signature: sign({ c01: 'for', c02: 'against', c03: 'abstain' }) }))).toBe(403);
    expect(await status(supervisorCall(confirmation, { deviceKey, signature: sign({ c01: 'for', c02: 'against', c03: 'abstain' }) }))).toBe(403);
    const registered = await supervisorCall<{ logIndex: number }>('/api/v1/cycles/2026/supervisor-devices', { deviceKey });
    expect((await getEntry(h.deps.db, registered.logIndex))!.type).toBe('supervisor-device');
    expect(await status(supervisorCall(confirmation, { deviceKey, signature: sign({ c01: 'against', c02: 'for', c03: 'abstain' }) }))).toBe(403);
    expect(await status(supervisorCall(`/api/v1/ballots/${b.id}/hands/${tablets[0]!.device.memberId}/confirmation`, { deviceKey, signature: sign({ c01: 'for', c02: 'against', c03: 'abstain' }) }))).toBe(404);
    const staffName = (await call<{ votes: { memberId: string; staffName: string | null }[] }>(fetchOf(h), `/api/v1/ballots/${b.id}/record`, { token: tokens.supervisor })).votes.find((v) => v.memberId === memberId)!.staffName!;
    const signature = toHex(ed25519.sign(countersignMessage(b.id, memberId, { c01: 'for', c02: 'against', c03: 'abstain' }, staffName), secret));
    expect(await status(supervisorCall(confirmation, { deviceKey, signature }))).toBe(200);

    const tallied = await staffCall<{ ballot: { result: Result; resultLogIndex: number } }>(`/api/v1/ballots/${b.id}/phase`, { to: 'tallied' });
    expect(tallied.ballot.result.winners).toEqual(['c01']);
    expect(tallied.ballot.result.runoff).toBeNull();
    expect(tallied.ballot.result.vacancies).toBe(0);

    // The record: names, signatures that verify with the device keys logged at check-in.
    const record = await call<{ votes: { name: string; memberId: string; deviceKey: string | null; signature: string | null; recordedBy: string; choices: Record<string, 'for' | 'against' | 'abstain'> }[]; recordHash: string }>(
      fetchOf(h),
      `/api/v1/ballots/${b.id}/record`,
      { token: tokens.supervisor },
    );
    expect(record.votes.map((v) => v.name).sort()).toEqual(['成员1', '成员2', '成员3', '成员4'].sort());
    for (const v of record.votes) {
      if (v.recordedBy === 'member') expect(verifyDeviceSignature(v.deviceKey!, handsMessage(b.id, v.memberId, v.choices), v.signature!)).toBe(true);
      else expect(v.signature).toBeNull();
    }
    expect(record.votes.filter((v) => v.recordedBy === 'staff')).toHaveLength(1);
    // The public sees counts and the result, not names: the logged result holds the record's hash.
    expect(await status(call(fetchOf(h), `/api/v1/ballots/${b.id}/record`))).toBe(401);
    const entry = await getEntry(h.deps.db, tallied.ballot.resultLogIndex);
    const doc = JSON.parse((await getDocument(h.deps.db, entry!.docHash))!.body);
    expect(doc.recordHash).toBe(record.recordHash);
    expect(JSON.stringify(doc)).not.toContain('成员1');
    expect(doc.staffRecorded).toBe(1);
  });

  it('reports a tie at the last seat and prepares the run-off among the tied in one action', async () => {
    // A lower pass threshold (a setting of the ballot, shown on it): more than 1/4 of those present.
    const rules = { quorum: { num: 2, den: 3 }, pass: { num: 1, den: 4, strict: true } };
    const b = await staffCall<{ id: string; rules: unknown }>('/api/v1/cycles/2026/ballots', {
      meetingId,
      award: 'excellence',
      seats: 2,
      rules,
      candidates: [{ name: '庚' }, { name: '辛' }, { name: '壬' }, { name: '癸' }],
    });
    expect(b.rules).toEqual(rules);
    // The meeting adopts these rules for this ballot (an amended 表决办法 listing it) before it opens.
    await adoptProcedure(fetchOf(h), tokens, meetingId, tablets[0]!, 4);
    await staffCall(`/api/v1/ballots/${b.id}/phase`, { to: 'voting' });
    // c01: 4, c02: 2, c03: 2, c04: 0 → c01 wins; c02 and c03 both pass and tie for the last seat.
    const votes = [
      { c01: 'for', c02: 'for', c03: 'against', c04: 'against' },
      { c01: 'for', c02: 'against', c03: 'for', c04: 'against' },
      { c01: 'for', c02: 'for', c03: 'against', c04: 'abstain' },
      { c01: 'for', c02: 'against', c03: 'for', c04: 'against' },
    ] as const;
    for (let i = 0; i < 4; i++) await tablets[i]!.raiseHands(b.id, votes[i]!);
    const tallied = await staffCall<{ ballot: { result: Result } }>(`/api/v1/ballots/${b.id}/phase`, { to: 'tallied' });
    expect(tallied.ballot.result.winners).toEqual(['c01']);
    expect(tallied.ballot.result.runoff).toMatchObject({ required: true, candidates: ['c02', 'c03'], seats: 1 });
    expect(tallied.ballot.result.vacancies).toBe(0);
    const runoff = await staffCall<{ id: string; title: string; seats: number; candidates: { id: string; name: string }[]; runoffOf: string; rules: unknown }>(`/api/v1/ballots/${b.id}/runoff`, {});
    expect(runoff).toMatchObject({ seats: 1, runoffOf: b.id, rules });
    // Chinese only: no "决选 / run-off" in a title members see.
    expect(runoff.title).toBe('决选');
    expect(runoff.candidates.map((c) => c.name)).toEqual(['辛', '壬']);
    expect(await status(staffCall(`/api/v1/ballots/${b.id}/runoff`, {}))).toBe(409);
  });

  it('三(一): at most 25 seats per award per cycle, counting seats already filled or pending', async () => {
    const prepare = (seats: number) =>
      staffCall('/api/v1/cycles/2026/ballots', { meetingId, award: 'innovation', seats, candidates: [{ name: 'A' }, { name: 'B' }] });
    // innovation: 1 winner so far, so 24 seats are left.
    expect(await status(prepare(26))).toBe(400);
    expect(await status(prepare(25))).toBe(422);
    expect(await status(prepare(24))).toBe(200);
    const e = await prepare(1).catch((x: ApiError) => x);
    expect((e as ApiError).status).toBe(422);
    expect((e as ApiError).problem.seatsAvailable).toBe(0);
  });
});
