// The anonymous cast route: every cheap refusal before the pairing check, a bounded pairing budget
// per address and in total (429 + Retry-After), an instant close that loses no acknowledged cast, and
// the Node server's way of checking tokens (together, in a worker thread) accepting each ballot once.
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp } from '../support/app.js';
import { castingBallot } from './support.js';
import { newToken } from '../../crypto/blind.js';
import { toHex } from '../../crypto/bytes.js';
import { loadNativeBlst } from '../../src/tokens/native.js';
import { createTokenPool } from '../../src/platform/node/token-pool.js';

const native = await loadNativeBlst();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Generous timeouts: each member's token costs pairings, and test machines are shared.
describeEachDb('cast route', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('refuses cheaply before any pairing, then bounds pairings per address and in total with 429 + Retry-After', async () => {
    t = await openTestDb(kind);
    // Three pairings in a burst, then one a minute (slow enough for a loaded test machine); two per address.
    const h = testApp(t, { config: { CAST_VERIFY_PER_SECOND: 1 / 60, CAST_VERIFY_BURST: 3, CAST_VERIFY_PER_ADDRESS_PER_MINUTE: 2 } });
    const cb = await castingBallot(h, 4);
    const wrong = (i: number) => ({ token: toHex(newToken()), signature: cb.tokens[i % 4]!.signature, choices: { c01: 'for', c02: 'against', c03: 'abstain' } });
    // One address: two pairings a minute, then 429 with the wait.
    expect((await cb.castRaw(wrong(0), '203.0.113.1')).status).toBe(403);
    expect((await cb.castRaw(wrong(1), '203.0.113.1')).status).toBe(403);
    const perAddress = await cb.castRaw(wrong(2), '203.0.113.1');
    expect(perAddress.status).toBe(429);
    expect(Number(perAddress.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another address has its own share, until the total budget is spent.
    expect((await cb.castRaw(wrong(3), '203.0.113.2')).status).toBe(403);
    const total = await cb.castRaw(wrong(0), '203.0.113.3');
    expect(total.status).toBe(429);
    expect(Number(total.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // With the budget spent, every cheap refusal still answers as itself, not 429: none of them pairs.
    expect((await cb.castRaw({ token: 'zz', signature: cb.tokens[0]!.signature, choices: {} }, '203.0.113.3')).status).toBe(400);
    expect((await cb.cast(0, { c01: 'for', c02: 'for', c03: 'for' }, '203.0.113.3')).status).toBe(422);
    expect((await cb.cast(0, { zz: 'for' }, '203.0.113.3')).status).toBe(422);
    // An honest cast waits for the budget (the tablet sends it again after Retry-After) …
    const limited = await cb.cast(0, undefined, '203.0.113.4');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(1);
    // (here: a process with a fresh budget, rather than waiting a minute)
    const h2 = testApp(t, { config: { CAST_VERIFY_PER_SECOND: 1 / 60, CAST_VERIFY_BURST: 1, CAST_VERIFY_PER_ADDRESS_PER_MINUTE: 2 } });
    const cast2 = (body: unknown) =>
      h2.request(`/api/v1/ballots/${cb.ballotId}/cast`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), address: '203.0.113.5' });
    const choices = { c01: 'for', c02: 'against', c03: 'abstain' };
    expect((await cast2({ ...cb.tokens[0]!, choices })).status).toBe(201);
    // … and once stored, the token is known: the same cast, a forged signature on it, and another
    // choice for it are answered without pairing, even with the budget spent again.
    expect((await cast2(wrong(1))).status).toBe(429);
    expect((await cast2({ ...cb.tokens[0]!, choices })).status).toBe(200);
    expect((await cast2({ token: cb.tokens[0]!.token, signature: cb.tokens[1]!.signature, choices })).status).toBe(403);
    expect((await cast2({ ...cb.tokens[0]!, choices: { ...choices, c01: 'against' } })).status).toBe(409);
    // A ballot not casting is refused before the budget too.
    await cb.phase('closed');
    expect((await cast2({ ...cb.tokens[1]!, choices })).status).toBe(409);
  });

  it('closing is instant: casts sent once the close has begun are refused; every acknowledged cast is in the bulletin', async () => {
    t = await openTestDb(kind);
    const h = testApp(t, { config: { CAST_BATCH_INTERVAL_MS: 400 } });
    const n = 8;
    const cb = await castingBallot(h, n);
    const early = Array.from({ length: 5 }, (_, i) => cb.cast(i));
    await sleep(20);
    const close = cb.phase('closed');
    const closeSent = Date.now();
    await sleep(60);
    const late: Promise<Response>[] = [];
    for (let i = 5; i < n; i++) {
      late.push(cb.cast(i));
      await sleep(10);
    }
    await close;
    const lateStatus = await Promise.all(late.map(async (r) => (await r).status));
    const earlyStatus = await Promise.all(early.map(async (r) => (await r).status));
    expect(Date.now() - closeSent).toBeGreaterThan(60);
    expect(lateStatus).toEqual(Array(n - 5).fill(409));
    const acknowledged = cb.tokens.filter((_, i) => i < 5 && earlyStatus[i] === 201).map((x) => x.token);
    expect(acknowledged.length).toBe(earlyStatus.filter((s) => s === 201).length);
    const bulletin = (await (await h.request(`/api/v1/ballots/${cb.ballotId}/bulletin`)).json()) as { ballots: { token: string }[] };
    expect(bulletin.ballots.map((b) => b.token).sort()).toEqual([...acknowledged].sort());
    // And after the close, nothing more is taken.
    expect((await cb.cast(n - 1)).status).toBe(409);
  });

  it.runIf(native)('as the Node server checks tokens (blst in a worker thread, casts arriving together in one batch): each ballot accepted exactly once, forgeries refused; a cast for no such ballot among them is 404', async () => {
    t = await openTestDb(kind);
    const h = testApp(t, { config: { CAST_BATCH_INTERVAL_MS: 200 } });
    const pool = createTokenPool({ threads: 1, inThread: native! });
    h.deps.tokens = pool;
    h.deps.batchTokens = true;
    try {
      const n = 6;
      const cb = await castingBallot(h, n);
      const choices = { c01: 'for', c02: 'against', c03: 'abstain' } as const;
      // Every ballot twice at once, among forgeries (another token's signature; a new token with a
      // member's signature), all sent together.
      const forged = [
        { token: cb.tokens[0]!.token, signature: cb.tokens[1]!.signature, choices },
        { token: toHex(newToken()), signature: cb.tokens[2]!.signature, choices },
        { token: toHex(newToken()), signature: cb.tokens[3]!.signature, choices },
      ];
      const honest = [...cb.tokens, ...cb.tokens].map((x) => ({ ...x, choices }));
      const statuses = await Promise.all([...honest, ...forged].map(async (body) => (await cb.castRaw(body)).status));
      const honestStatus = statuses.slice(0, 2 * n);
      for (let i = 0; i < n; i++) expect([honestStatus[i], honestStatus[n + i]].sort(), `ballot ${i}`).toEqual([200, 201]);
      // The first forgery may be refused cheaply (its token is known by then) or by the pairing: 403 either way.
      expect(statuses.slice(2 * n)).toEqual([403, 403, 403]);
      // Read together too: a cast for no such ballot among casts for this one is 404, the others as before.
      const [missing, again] = await Promise.all([
        h.request('/api/v1/ballots/b_nosuchballot/cast', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(honest[0]) }),
        cb.castRaw(honest[0]),
      ]);
      expect([missing.status, again.status]).toEqual([404, 200]);
      await cb.phase('closed');
      expect((await cb.castRaw(honest[1])).status).toBe(409);
      const bulletin = (await (await h.request(`/api/v1/ballots/${cb.ballotId}/bulletin`)).json()) as { ballots: { token: string; signature: string }[] };
      expect(bulletin.ballots.map((b) => `${b.token}:${b.signature}`).sort()).toEqual(cb.tokens.map((x) => `${x.token}:${x.signature}`).sort());
    } finally {
      await pool.close();
    }
  });
}, { timeout: 300_000 });
