// Findings of the security review, each pinned by a test, on PGlite and PostgreSQL (PGlite runs one
// transaction at a time; PostgreSQL runs them side by side, so only there can a race find a missing lock).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { ApiError, call, Tablet } from '../../src/protocol/tablet.js';
import { checkChoices, tally } from '../../src/votes/rules.js';

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof ApiError ? e.status : 0));

describeEachDb('vote hardening', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let tablets: Tablet[];
  let meetingId: string;
  let accounts: { staff: string; supervisor: string };
  const staffCall = <T>(path: string, json?: unknown) => call<T>(fetchOf(h), path, { method: json === undefined ? 'GET' : 'POST', token: staff, ...(json !== undefined ? { json } : {}) });

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    accounts = await staffAndSupervisor(h);
    ({ staff } = accounts);
    tablets = await enrolledTablets(h, await cycleWithMembers(h, staff, '2026', 3));
    meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '全体会议' })).id;
    for (const tab of tablets) await tab.checkIn(meetingId);
    await adoptProcedure(fetchOf(h), accounts, meetingId, tablets[0]!, 3);
  });
  afterAll(async () => t.close());

  it('a device enrolled after check-in (a re-issued code) cannot take the member’s token or raise their hand; re-issues are logged and refused while a vote is open', async () => {
    const victim = tablets[2]!;
    // Re-issued after check-in, before the vote opens: allowed, and a public log entry.
    const code = await staffCall<{ enrollmentCode: string }>(`/api/v1/members/${victim.device.memberId}/enrollment`, {});
    const logged = await h.deps.db.selectFrom('log_entry').select(['type']).where('type', '=', 'member-enrollment-reissued').execute();
    expect(logged).toHaveLength(1);
    const impostor = await Tablet.enroll(fetchOf(h), code.enrollmentCode);
    await impostor.signIn();

    const b = await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'quality', seats: 1, candidates: [{ name: 'A' }, { name: 'B' }] });
    const opened = await staffCall<{ ballot: { publicKey: string } }>(`/api/v1/ballots/${b.id}/phase`, { to: 'issuing' });
    expect(await status(impostor.obtainToken(b.id, opened.ballot.publicKey))).toBe(403);
    expect(await h.deps.db.selectFrom('token_served').selectAll().where('member_id', '=', victim.device.memberId).execute()).toHaveLength(0);
    // While the vote is open, no re-enrollment at all.
    expect(await status(staffCall(`/api/v1/members/${tablets[1]!.device.memberId}/enrollment`, {}))).toBe(409);
    for (const to of ['casting', 'closed', 'tallied']) await staffCall(`/api/v1/ballots/${b.id}/phase`, { to });

    const hands = await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'innovation', seats: 1, candidates: [{ name: 'A' }, { name: 'B' }] });
    await staffCall(`/api/v1/ballots/${hands.id}/phase`, { to: 'voting' });
    expect(await status(impostor.raiseHands(hands.id, { c01: 'for', c02: 'against' }))).toBe(403);
    expect(await status(tablets[0]!.raiseHands(hands.id, { c01: 'for', c02: 'against' }))).toBe(200);
    await staffCall(`/api/v1/ballots/${hands.id}/phase`, { to: 'tallied' });
  });

  it('candidate ids cannot be names that plain objects carry, and ballots must name each candidate as their own', async () => {
    expect(await status(staffCall('/api/v1/cycles/2026/ballots', { meetingId, award: 'excellence', seats: 1, candidates: [{ id: 'constructor', name: 'A' }, { id: 'c2', name: 'B' }] }))).toBe(400);
    expect(checkChoices({ c01: 'for' }, ['c01', 'constructor'], 1).ok).toBe(false);
    expect(tally(['c01', 'toString'], [{ c01: 'for' }])).toEqual({ c01: { for: 1, against: 0, abstain: 0 }, toString: { for: 0, against: 0, abstain: 1 } });
  });

  it('a double-tapped run-off creates one run-off ballot', async () => {
    const rules = { quorum: { num: 2, den: 3 }, pass: { num: 1, den: 4, strict: true } };
    const b = await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'excellence', seats: 1, rules, candidates: [{ name: 'X' }, { name: 'Y' }] });
    // Its rules differ from those adopted: the meeting adopts them (an amended 表决办法 listing this ballot) first.
    await adoptProcedure(fetchOf(h), accounts, meetingId, tablets[0]!, 3);
    await staffCall(`/api/v1/ballots/${b.id}/phase`, { to: 'voting' });
    await tablets[0]!.raiseHands(b.id, { c01: 'for', c02: 'against' });
    await tablets[1]!.raiseHands(b.id, { c01: 'against', c02: 'for' });
    const r = await staffCall<{ ballot: { result: { runoff: unknown } } }>(`/api/v1/ballots/${b.id}/phase`, { to: 'tallied' });
    expect(r.ballot.result.runoff).toMatchObject({ candidates: ['c01', 'c02'], seats: 1 });
    const results = await Promise.all([1, 2, 3].map(() => status(staffCall(`/api/v1/ballots/${b.id}/runoff`, {}))));
    expect(results.sort()).toEqual([200, 409, 409]);
    expect(await h.deps.db.selectFrom('ballot').select('id').where('runoff_of', '=', b.id).execute()).toHaveLength(1);
  });

  it('a cast under a percent-encoded path is not logged either', async () => {
    h.logger.lines.length = 0;
    await h.request('/api/v1/ballots/b_AAAAAAAAAAAA/c%61st', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(JSON.stringify(h.logger.lines)).not.toMatch(/c%61st|\/cast/);
  });
});
