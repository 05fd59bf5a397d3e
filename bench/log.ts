/**
 * Benchmark of the public log (src/log): appends per second on PostgreSQL (sequential, and 8
 * concurrent writers each appending in its own transaction, with the head lock held across each
 * commit's WAL flush and with group commit, in the same run) and on PGlite; inclusion proof,
 * consistency proof and tile read latency (p50 / p95). Every figure is also given as a ratio to a
 * baseline measured in the same run on the same database: one bare `select 1` round trip.
 *
 *   npm run bench:log                     (PostgreSQL at TEST_DATABASE_URL, or
 *                                          postgres://postgres@127.0.0.1:5432/test, in a fresh schema
 *                                          dropped afterwards; then PGlite in memory)
 *   BENCH_N=2000 npm run bench:log        appends per phase (default 1000)
 * Not a test: it prints a table.
 * @module
 */
import postgres from 'postgres';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import { openPostgres } from '../src/db/postgres.js';
import { openPGlite } from '../src/platform/node/pglite.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { appendRawEntries, appendRawEntry, headSize } from '../src/log/append.js';
import { consistencyProof, inclusionProof, readTile } from '../src/log/proofs.js';

const N = Number(process.env.BENCH_N ?? 1000);
const WRITERS = 8;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function timeEach(n: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f(i);
    out.push(performance.now() - t0);
  }
  return out;
}

const doc = (i: number) => ({ type: 'bench', cycleId: 'bench', document: { i, text: '拟进入现场评审组织名单 · bench' }, refs: { i } });

async function run(label: string, db: Kysely<Database>, synchronous?: Kysely<Database>) {
  await migrateToLatest(db);
  const rows: [string, string, string][] = [];
  const ms = (x: number) => `${x.toFixed(3)} ms`;

  // Baseline: a bare round trip.
  await timeEach(200, () => sql`select 1`.execute(db)); // warm-up
  const base = await timeEach(2000, () => sql`select 1`.execute(db));
  const b50 = pct(base, 50);
  rows.push(['select 1 (baseline) p50 / p95', `${ms(b50)} / ${ms(pct(base, 95))}`, '1×']);

  // Sequential appends, each its own transaction.
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await appendRawEntry(db, doc(i));
  let dt = performance.now() - t0;
  rows.push([`append, sequential (${N})`, `${Math.round(N / (dt / 1000))} /s`, `${(dt / N / b50).toFixed(1)}× per append`]);

  // 8 concurrent writers, each fact its own transaction; on PostgreSQL first with the head lock held
  // across each commit's WAL flush (the baseline), then with group commit (src/db/group-commit.ts).
  const writers = async (on: Kysely<Database>, from: number) => {
    const t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let i = next++; i < N; i = next++) await appendRawEntry(on, doc(from + i));
      }),
    );
    return N / ((performance.now() - t) / 1000);
  };
  if (synchronous) {
    const sync = await writers(synchronous, N);
    const grouped = await writers(db, 11 * N);
    rows.push([`append, ${WRITERS} writers, flush under the lock (${N})`, `${Math.round(sync)} /s`, '1× (baseline)']);
    rows.push([`append, ${WRITERS} writers, group commit (${N})`, `${Math.round(grouped)} /s`, `${(grouped / sync).toFixed(2)}× the baseline`]);
  } else {
    const rate = await writers(db, N);
    rows.push([`append, ${WRITERS} concurrent writers (${N})`, `${Math.round(rate)} /s`, `${(1000 / rate / b50).toFixed(1)}× per append`]);
  }

  // Bulk: one transaction, batched inserts.
  const bulk = 10 * N;
  t0 = performance.now();
  await appendRawEntries(db, Array.from({ length: bulk }, (_, i) => doc(12 * N + i)));
  dt = performance.now() - t0;
  rows.push([`appendRawEntries, one transaction (${bulk})`, `${Math.round(bulk / (dt / 1000))} /s`, '']);

  const size = await headSize(db);
  const rnd = (k: number) => Math.floor(Math.random() * k);
  const incl = await timeEach(1000, () => inclusionProof(db, rnd(size), size));
  rows.push([`inclusion proof (size ${size}) p50 / p95`, `${ms(pct(incl, 50))} / ${ms(pct(incl, 95))}`, `${(pct(incl, 50) / b50).toFixed(1)}× / ${(pct(incl, 95) / b50).toFixed(1)}×`]);
  const cons = await timeEach(1000, () => consistencyProof(db, 1 + rnd(size - 1), size));
  rows.push([`consistency proof p50 / p95`, `${ms(pct(cons, 50))} / ${ms(pct(cons, 95))}`, `${(pct(cons, 50) / b50).toFixed(1)}× / ${(pct(cons, 95) / b50).toFixed(1)}×`]);
  const full = Math.floor(size / 256);
  const tile = await timeEach(500, () => readTile(db, { level: 0, n: rnd(full), width: 256 }, size));
  rows.push([`full hash tile (256 hashes) p50 / p95`, `${ms(pct(tile, 50))} / ${ms(pct(tile, 95))}`, `${(pct(tile, 50) / b50).toFixed(1)}× / ${(pct(tile, 95) / b50).toFixed(1)}×`]);
  const bundle = await timeEach(500, () => readTile(db, { level: -1, n: rnd(full), width: 256 }, size));
  rows.push([`entry bundle (256 entries) p50 / p95`, `${ms(pct(bundle, 50))} / ${ms(pct(bundle, 95))}`, `${(pct(bundle, 50) / b50).toFixed(1)}× / ${(pct(bundle, 95) / b50).toFixed(1)}×`]);

  console.log(`\n## ${label}`);
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w)}  ${b.padStart(22)}  ${c}`);
}

async function main() {
  console.log(`public log benchmark — node ${process.version}, ${N} appends per phase`);
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_log_${Date.now().toString(36)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create schema ${schema}`);
    const pg = openPostgres(url, { schema, max: WRITERS + 2 });
    const sync = openPostgres(url, { schema, max: WRITERS + 2, synchronousAppends: true });
    try {
      await run(`PostgreSQL (${new URL(url).host}, pool ${WRITERS + 2})`, pg.db, sync.db);
    } finally {
      await pg.close();
      await sync.close();
    }
  } catch (e) {
    console.log(`PostgreSQL skipped: ${e instanceof Error ? e.message : e}`);
  } finally {
    await admin.unsafe(`drop schema if exists ${schema} cascade`).catch(() => {});
    await admin.end();
  }
  const lite = await openPGlite();
  try {
    await run('PGlite (in memory)', lite.db);
  } finally {
    await lite.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
