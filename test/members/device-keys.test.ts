// Device keys: every small-order point and non-canonical encoding is refused at enrollment (400, code
// not spent); a key of that kind already stored cannot sign in, check in or get a session used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vectors from '../crypto/vectors/ed25519-small-order.json' with { type: 'json' };
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { cycleWithMembers, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { call, Tablet } from '../../src/protocol/tablet.js';
import { hashSecret, randomToken } from '../../src/auth/secrets.js';
import { MEMBER_SESSION_PREFIX } from '../../src/auth/guard.js';

const forged = '01' + '00'.repeat(63);
const weak = [...vectors.smallOrder.map((v) => v.hex), ...vectors.nonCanonical.map((v) => v.hex)];

describeEachDb('device keys are strict Ed25519', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let codes: string[];
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    const { staff } = await staffAndSupervisor(h);
    codes = await cycleWithMembers(h, staff, '2026', 2);
  });
  afterAll(async () => t.close());

  it('enrollment refuses all 8 small-order points and their 6 non-canonical encodings; the code still works', async () => {
    for (const deviceKey of weak) {
      const r = await h.request('/api/v1/members/enroll', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: codes[0], deviceKey }) });
      expect(r.status, deviceKey).toBe(400);
      expect(((await r.json()) as { detail: string }).detail).toMatch(/small order|non-canonical/);
    }
    const tablet = await Tablet.enroll(fetchOf(h), codes[0]!);
    await tablet.signIn();
  });

  it('a small-order key already in the database (stored before this check) signs in nothing and its session is refused', async () => {
    const f = fetchOf(h);
    const tablet = await Tablet.enroll(f, codes[1]!);
    const memberId = tablet.device.memberId;
    // The operator (or an old version) put the identity point in as the key.
    await h.deps.db.updateTable('member').set({ device_key: vectors.smallOrder[0]!.hex }).where('id', '=', memberId).execute();
    const { challenge } = await call<{ challenge: string }>(f, '/api/v1/members/challenge', { method: 'POST', json: { memberId } });
    const signIn = await h.request('/api/v1/members/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ memberId, challenge, signature: forged }) });
    expect(signIn.status).toBe(401);
    const token = randomToken(MEMBER_SESSION_PREFIX);
    await h.deps.db.insertInto('member_session').values({ token_hash: hashSecret(token), member_id: memberId, expires_at: new Date(h.clock.now().getTime() + 3600_000) }).execute();
    expect((await h.request('/api/v1/members/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
