// Benchmark (not a test): GET /healthz latency while strangers flood the anonymous cast route with
// well-formed wrong signatures, against the idle figure of the same run — with the pairing budget
// (production defaults) and, for comparison, without it — and whether the honest casts of a 30-member
// meeting, sent meanwhile (each retrying after a 429's Retry-After), all succeed.
// The flood is sent at a fixed rate (BENCH_FLOOD_RATE casts/s, default 50: three times the rate that
// saturated the route before it had a budget), the same with and without the budget; then, with the
// budget, as fast as 8 connections can send. The flood's client runs in this process too, so that
// last figure includes the client's own work.
//   npm run bench:flood            (PGlite; also PostgreSQL when TEST_DATABASE_URL is set)
import { openScratchDb } from '../tools/harness/scratch-db.js';
import { memoryApp, type MemoryApp } from '../tools/harness/memory-app.js';
import { castingBallot } from '../tools/harness/casting.js';
import { Tablet, type Fetch } from '../src/protocol/tablet.js';
import { newToken } from '../crypto/blind.js';
import { toHex } from '../crypto/bytes.js';
import { defaultConfig } from '../src/config.js';
import type { DbKind } from '../src/deps.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 30);
const FLOOD_MS = Number(process.env.BENCH_FLOOD_MS ?? (process.env.BENCH_QUICK === '1' ? 8000 : 20000));
const RATE = Number(process.env.BENCH_FLOOD_RATE ?? 50);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;

async function probe(h: MemoryApp, until: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (!until()) {
    const t0 = performance.now();
    await h.request('/healthz');
    out.push(performance.now() - t0);
    await sleep(5);
  }
  return out;
}

async function flood(h: MemoryApp, ballotId: string, signature: string, until: () => boolean, concurrency = 8) {
  let sent = 0;
  const statuses = new Map<number, number>();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (!until()) {
        const r = await h.request(`/api/v1/ballots/${ballotId}/cast`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: toHex(newToken()), signature, choices: { c01: 'for', c02: 'against', c03: 'abstain' } }),
          address: `10.66.0.${w % 4}`,
        });
        sent++;
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        await r.arrayBuffer();
      }
    }),
  );
  return { sent, statuses: Object.fromEntries(statuses) };
}

/** The same bad casts sent at a fixed rate (open loop, at most 256 in flight), whatever the answers take. */
async function floodAtRate(h: MemoryApp, ballotId: string, signature: string, until: () => boolean, rate = RATE) {
  let sent = 0;
  let inFlight = 0;
  const statuses = new Map<number, number>();
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  while (!until()) {
    const due = t0 + (sent * 1000) / rate;
    if (performance.now() < due) {
      await sleep(Math.max(0, due - performance.now()));
      continue;
    }
    if (inFlight >= 256) {
      await sleep(1);
      continue;
    }
    inFlight++;
    const w = sent++;
    pending.push(
      (async () => {
        const r = await h.request(`/api/v1/ballots/${ballotId}/cast`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: toHex(newToken()), signature, choices: { c01: 'for', c02: 'against', c03: 'abstain' } }),
          address: `10.66.0.${w % 4}`,
        });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        await r.arrayBuffer();
        inFlight--;
      })(),
    );
  }
  await Promise.all(pending);
  return { sent, statuses: Object.fromEntries(statuses) };
}

async function run(kind: DbKind) {
  const t = await openScratchDb(kind);
  try {
    const production = { CAST_VERIFY_PER_SECOND: defaultConfig().CAST_VERIFY_PER_SECOND, CAST_VERIFY_BURST: defaultConfig().CAST_VERIFY_BURST, CAST_VERIFY_PER_ADDRESS_PER_MINUTE: defaultConfig().CAST_VERIFY_PER_ADDRESS_PER_MINUTE, CAST_BATCH_INTERVAL_MS: 1000 };
    const h = memoryApp(t, { config: production });
    const cb = await castingBallot(h, MEMBERS, 'bench');
    const stolen = cb.tokens[0]!.signature;
    // Idle.
    let stop = Date.now() + 3000;
    const idle = await probe(h, () => Date.now() > stop);
    // Flood with the budget, and the meeting casting meanwhile.
    stop = Date.now() + FLOOD_MS;
    let honestOk = 0;
    const honest = cb.tokens.map(async (tok, i) => {
      await sleep(Math.random() * Math.min(4000, FLOOD_MS / 2));
      const f: Fetch = (path, init) => h.request(path, { ...init, address: `192.0.2.${i}` });
      await Tablet.cast(f, cb.ballotId, tok, { c01: 'for', c02: 'against', c03: 'abstain' }, { retries: 30 });
      honestOk++;
    });
    const [bounded, floodBounded] = await Promise.all([probe(h, () => Date.now() > stop), floodAtRate(h, cb.ballotId, stolen, () => Date.now() > stop), Promise.allSettled(honest)]);
    await Promise.allSettled(honest);
    // With the budget, as fast as 8 connections can send.
    stop = Date.now() + Math.min(FLOOD_MS, 8000);
    const [maxRate, floodMax] = await Promise.all([probe(h, () => Date.now() > stop), flood(h, cb.ballotId, stolen, () => Date.now() > stop)]);
    // The same flood without a budget (what the route did before it had one).
    const unbounded = memoryApp(t, { config: { CAST_VERIFY_PER_SECOND: 1e9, CAST_VERIFY_BURST: 1e9, CAST_VERIFY_PER_ADDRESS_PER_MINUTE: 1e12 } });
    stop = Date.now() + Math.min(FLOOD_MS, 8000);
    const [open, floodOpen] = await Promise.all([probe(unbounded, () => Date.now() > stop), floodAtRate(unbounded, cb.ballotId, stolen, () => Date.now() > stop)]);
    const base = p90(idle);
    console.log(`[${kind}] /healthz p90: idle ${base.toFixed(1)} ms`);
    console.log(`[${kind}]   ${RATE} bad casts/s, with the pairing budget:      ${p90(bounded).toFixed(1)} ms = ${(p90(bounded) / base).toFixed(2)}× idle  (flood: ${floodBounded.sent} requests, ${JSON.stringify(floodBounded.statuses)})`);
    console.log(`[${kind}]   ${RATE} bad casts/s, without a budget:             ${p90(open).toFixed(1)} ms = ${(p90(open) / base).toFixed(2)}× idle  (flood: ${floodOpen.sent} requests, ${JSON.stringify(floodOpen.statuses)})`);
    console.log(`[${kind}]   as fast as 8 connections send, with the budget: ${p90(maxRate).toFixed(1)} ms = ${(p90(maxRate) / base).toFixed(2)}× idle  (flood: ${floodMax.sent} requests, ${JSON.stringify(floodMax.statuses)})`);
    console.log(`[${kind}]   honest casts of the ${MEMBERS}-member meeting during the flood: ${honestOk}/${MEMBERS} acknowledged`);
  } finally {
    await t.close();
  }
}

for (const kind of (process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']) as DbKind[]) await run(kind);
process.exit(0);
