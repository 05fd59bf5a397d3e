// Inside workerd: casts are batched as on Node. Several casts sent together are each acknowledged only
// once their batch has committed (the ballot is in the database when the answer arrives), they commit
// together (one transaction, inserted in token order), and every one is in the bulletin after the close.
import { SELF, env } from 'cloudflare:test';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { WorkerEnv } from '../../src/worker.js';
import { openPostgres } from '../../src/db/postgres.js';
import { fromHex } from '../../crypto/bytes.js';
import { castingBallot } from '../votes/support.js';
import { testApp } from '../support/app.js';

const N = 6;

describe('batched casts on Workers (workerd, PostgreSQL through Hyperdrive)', () => {
  it(`${N} casts sent together: each acknowledged after its batch committed, one commit in token order, all in the bulletin`, { timeout: 180_000 }, async () => {
    // Not ended: in workerd the sockets close with the test, and end() makes postgres.js's socket
    // polyfill reject an unobserved read (as in src/worker.ts).
    const pg = openPostgres((env as unknown as WorkerEnv).HYPERDRIVE.connectionString, { max: 2 });
    // The worker migrates on its first request.
    expect((await SELF.fetch('http://example.com/healthz')).status).toBe(200);
    // The meeting is prepared by the same app in this isolate, on one long-lived client with the
    // Worker's keys (each Worker request opens its own database client, and the local Hyperdrive
    // proxy does not survive many of them being dropped); the casts and the close go to the Worker.
    const workerEnv = env as unknown as WorkerEnv & Record<'LOG_SIGNER_KEY' | 'BALLOT_MASTER_SECRET' | 'CONTACT_KEY', string>;
    const h = testApp({ db: pg.db, kind: 'postgres', close: async () => {} }, { now: new Date().toISOString() });
    // The database outlives a run: an address of its own keeps this run clear of earlier runs' enrollment limits.
    const address = `2001:db8::${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const request = h.request;
    h.request = (path, init) => request(path, { ...init, address });
    h.deps.keys = { logSignerKey: workerEnv.LOG_SIGNER_KEY, ballotMasterSecret: fromHex(workerEnv.BALLOT_MASTER_SECRET), contactKey: fromHex(workerEnv.CONTACT_KEY).slice(0, 32) };
    const cb = await castingBallot(h, N, `w${Date.now().toString(36)}`);
    const worker = (path: string, init?: RequestInit) => SELF.fetch(`http://example.com${path}`, init);
    const choices = { c01: 'for', c02: 'against', c03: 'abstain' };
    const inDb = async (token: string) =>
      Number((await sql<{ n: string }>`select count(*)::text as n from secret_ballot where ballot_id = ${cb.ballotId} and token = ${token}`.execute(pg.db)).rows[0]!.n);
    const sent = Date.now();
    const answers = await Promise.all(
      cb.tokens.map(async (t, i) => {
        const res = await worker(`/api/v1/ballots/${cb.ballotId}/cast`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...t, choices }) });
        // Acknowledged ⇒ committed: the ballot is there the moment the answer is.
        return { status: res.status, stored: await inDb(t.token), after: Date.now() - sent };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(N).fill(201));
    expect(answers.map((a) => a.stored)).toEqual(Array(N).fill(1));
    // Committed in batches, not one by one: fewer commits than casts, each batch in token order (ctid).
    const rows = (await sql<{ x: string; ctid: string; token: string }>`select xmin::text as x, ctid::text as ctid, token from secret_ballot where ballot_id = ${cb.ballotId}`.execute(pg.db)).rows;
    const commits = [...new Set(rows.map((r) => r.x))];
    expect(commits.length).toBeLessThan(N);
    const page = (c: string) => c.slice(1, -1).split(',').map(Number) as [number, number];
    for (const x of commits) {
      const batch = rows.filter((r) => r.x === x).sort((a, b) => page(a.ctid)[0] - page(b.ctid)[0] || page(a.ctid)[1] - page(b.ctid)[1]);
      expect(batch.map((r) => r.token)).toEqual(batch.map((r) => r.token).sort());
    }
    const closed = await worker(`/api/v1/ballots/${cb.ballotId}/phase`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${cb.staff}` }, body: JSON.stringify({ to: 'closed' }) });
    expect(closed.status).toBe(200);
    const bulletin = (await (await worker(`/api/v1/ballots/${cb.ballotId}/bulletin`)).json()) as { ballots: { token: string }[] };
    expect(bulletin.ballots.map((b) => b.token).sort()).toEqual(cb.tokens.map((t) => t.token).sort());
    console.log(`workerd: ${N} casts acknowledged in ${Math.min(...answers.map((a) => a.after))}–${Math.max(...answers.map((a) => a.after))} ms, ${commits.length} commit(s)`);
  });
});
