import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { cycleWithMembers, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { ApiError, call, Tablet } from '../../src/protocol/tablet.js';
import { toHex } from '../../crypto/bytes.js';

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof ApiError ? e.status : 0));

describeEachDb('member enrollment and sign-in', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let supervisor: string;
  let codes: string[];
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    ({ staff, supervisor } = await staffAndSupervisor(h));
    codes = await cycleWithMembers(h, staff, '2026', 4);
  });
  afterAll(async () => t.close());

  it('a code works once; the code is stored only as a hash', async () => {
    const f = fetchOf(h);
    const tablet = await Tablet.enroll(f, codes[0]!);
    expect(tablet.device.isChair).toBe(true);
    expect(await status(Tablet.enroll(f, codes[0]!))).toBe(403);
    const rows = await h.deps.db.selectFrom('member').select(['enroll_code_hash']).execute();
    expect(JSON.stringify(rows)).not.toContain(codes[1]!);
  });

  it('parallel redemptions of one code: exactly one tablet wins', async () => {
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => Tablet.enroll(fetchOf(h), codes[1]!)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('a code expires (7 days)', async () => {
    h.clock.set(new Date(h.clock.now().getTime() + 8 * 86400_000).toISOString());
    expect(await status(Tablet.enroll(fetchOf(h), codes[2]!))).toBe(403);
    // Staff issue a new code; it works.
    const members = await call<{ members: { id: string; name: string }[] }>(fetchOf(h), '/api/v1/cycles/2026/members', { token: supervisor });
    const third = members.members.find((m) => m.name === '成员3')!;
    const fresh = await call<{ enrollmentCode: string }>(fetchOf(h), `/api/v1/members/${third.id}/enrollment`, { method: 'POST', token: staff });
    const tablet = await Tablet.enroll(fetchOf(h), fresh.enrollmentCode);
    await tablet.signIn();
    expect((await call<{ name: string }>(fetchOf(h), '/api/v1/members/me', { token: tablet.session! })).name).toBe('成员3');
  });

  it('sign-in needs the device key: a wrong signature, a reused or foreign challenge are refused', async () => {
    const f = fetchOf(h);
    const fresh = await call<{ enrollmentCode: string }>(f, `/api/v1/members/${(await call<{ members: { id: string; name: string }[] }>(f, '/api/v1/cycles/2026/members', { token: staff })).members.find((m) => m.name === '成员4')!.id}/enrollment`, { method: 'POST', token: staff });
    const tablet = await Tablet.enroll(f, fresh.enrollmentCode);
    const { challenge, message } = await call<{ challenge: string; message: string }>(f, '/api/v1/members/challenge', { method: 'POST', json: { memberId: tablet.device.memberId } });
    const intruder = toHex(ed25519.sign(new TextEncoder().encode(message), ed25519.utils.randomSecretKey()));
    expect(await status(call(f, '/api/v1/members/session', { method: 'POST', json: { memberId: tablet.device.memberId, challenge, signature: intruder } }))).toBe(401);
    await tablet.signIn();
    const good = await call<{ challenge: string; message: string }>(f, '/api/v1/members/challenge', { method: 'POST', json: { memberId: tablet.device.memberId } });
    const sig = tablet.sign(Uint8Array.from(Buffer.from(good.message, 'hex')));
    expect(await status(call(f, '/api/v1/members/session', { method: 'POST', json: { memberId: tablet.device.memberId, challenge: good.challenge, signature: sig } }))).toBe(200);
    expect(await status(call(f, '/api/v1/members/session', { method: 'POST', json: { memberId: tablet.device.memberId, challenge: good.challenge, signature: sig } }))).toBe(401);
    // Re-enrolling (a lost tablet) ends the old device's sessions.
    await call(f, `/api/v1/members/${tablet.device.memberId}/enrollment`, { method: 'POST', token: staff });
    expect(await status(call(f, '/api/v1/members/me', { token: tablet.session! }))).toBe(401);
  });
});
