// Benchmark (not a test): one secret ballot through the whole app in memory — issuance and casting
// per member — against baselines measured in the same run: a bare GET /healthz through the app, and
// the bare cryptography of one ballot (crypto/blind.ts alone).
//   npm run bench:votes            (PGlite; also PostgreSQL when TEST_DATABASE_URL is set)
import { openScratchDb } from '../tools/harness/scratch-db.js';
import { memoryApp } from '../tools/harness/memory-app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../tools/harness/actors.js';
import { call, Tablet } from '../src/protocol/tablet.js';
import { blind, blindSign, deriveBallotKey, finalizeToken, newToken, tokenMessage, verifyToken } from '../crypto/blind.js';
import type { DbKind } from '../src/deps.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 12);

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

async function run(kind: DbKind) {
  const t = await openScratchDb(kind);
  const h = memoryApp(t);
  try {
    const accounts = await staffAndSupervisor(h);
    const { staff } = accounts;
    const tablets = await enrolledTablets(h, await cycleWithMembers(h, staff, 'bench', MEMBERS));
    const f = fetchOf(h);
    const meetingId = (await call<{ id: string }>(f, '/api/v1/cycles/bench/meetings', { method: 'POST', token: staff, json: { title: 'bench' } })).id;
    for (const tab of tablets) await tab.checkIn(meetingId);
    await adoptProcedure(f, accounts, meetingId, tablets[0]!, tablets.length);
    const b = await call<{ id: string }>(f, '/api/v1/cycles/bench/ballots', {
      method: 'POST',
      token: staff,
      json: { meetingId, award: 'quality', seats: 3, candidates: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }] },
    });
    const opened = await call<{ ballot: { publicKey: string } }>(f, `/api/v1/ballots/${b.id}/phase`, { method: 'POST', token: staff, json: { to: 'issuing' } });

    // Baseline 1: the cheapest request through the same app and database.
    await h.request('/healthz');
    const [, healthMs] = await time(async () => {
      for (let i = 0; i < 50; i++) await h.request('/healthz');
    });
    const health = healthMs / 50;

    // Baseline 2: one ballot's cryptography alone (client + server), no HTTP, no database.
    const key = deriveBallotKey(new Uint8Array(32).fill(3), 'bench');
    const [, cryptoMs] = await time(async () => {
      for (let i = 0; i < 3; i++) {
        const m = tokenMessage('bench', newToken());
        const { blinded, r } = blind(m);
        const s = finalizeToken(key.publicKey, m, blinded, blindSign(key.secretKey, blinded), r);
        verifyToken(key.publicKey, m, s);
      }
    });
    const cryptoPerBallot = cryptoMs / 3;

    const issued: { token: string; signature: string }[] = [];
    const [, issueMs] = await time(async () => {
      for (const tab of tablets) issued.push(await tab.obtainToken(b.id, opened.ballot.publicKey));
    });
    await call(f, `/api/v1/ballots/${b.id}/phase`, { method: 'POST', token: staff, json: { to: 'casting' } });
    const [, castMs] = await time(async () => {
      for (const tok of issued) await Tablet.cast(f, b.id, tok, { c01: 'for', c02: 'for', c03: 'against', c04: 'abstain' });
    });
    const [, closeMs] = await time(() => call(f, `/api/v1/ballots/${b.id}/phase`, { method: 'POST', token: staff, json: { to: 'closed' } }));
    const [, bulletinMs] = await time(() => call(f, `/api/v1/ballots/${b.id}/bulletin`));

    const issue = issueMs / MEMBERS;
    const cast = castMs / MEMBERS;
    console.log(`\n[${kind}] ${MEMBERS} members, one secret ballot through the app (in memory)`);
    console.log(`  baseline GET /healthz           ${health.toFixed(2)} ms`);
    console.log(`  baseline crypto of one ballot   ${cryptoPerBallot.toFixed(1)} ms  (blind+sign+check+unblind+verify)`);
    console.log(`  issuance per member (tablet+server) ${issue.toFixed(1)} ms  = ${(issue / health).toFixed(0)}× healthz`);
    console.log(`  cast per ballot                 ${cast.toFixed(1)} ms  = ${(cast / health).toFixed(0)}× healthz`);
    console.log(`  issuance + cast per member      ${(issue + cast).toFixed(1)} ms  = ${((issue + cast) / cryptoPerBallot).toFixed(2)}× the bare crypto`);
    console.log(`  close (bulletin logged)         ${closeMs.toFixed(1)} ms; GET bulletin ${bulletinMs.toFixed(1)} ms`);
  } finally {
    await t.close();
  }
}

await run('pglite');
if (process.env.TEST_DATABASE_URL) await run('postgres');
