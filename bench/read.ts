/**
 * Benchmark (not a test): the public read path over real HTTP on @hono/node-server against a bare
 * Hono hello app on the same server library, in the same run, rounds interleaved (in each round,
 * for each path, the bare app then the path), each ratio taken against the bare run just before it. Both servers run in this process and the load comes from a
 * second one (bench/load-client.ts), so the app and the bare app compete with their client for the
 * machine in the same way; then 1,000 concurrent casts of valid, distinct ballots, sent
 * by a second process (bench/cast-client.ts) as the tablets would be, so the server's CPU is its own,
 * with tokens checked as the Node server checks them (together; blst in the event loop, blst in worker
 * threads, and noble).
 *
 *   npm run bench:read       PGlite in memory; also PostgreSQL (a fresh schema, dropped afterwards)
 *                            when TEST_DATABASE_URL is set. BENCH_QUICK=1: shorter rounds.
 * Loopback only (ports 42100–42199 unless BENCH_PORT is set), bounded load (bench/load.ts, run by bench/load-client.ts).
 * @module
 */
import { EXAMPLE_INTAKE } from '../src/notices/intake-routes.js';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import * as os from 'node:os';
import { performance as nodePerformance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { openScratchDb } from '../tools/harness/scratch-db.js';
import { memoryApp, type MemoryApp } from '../tools/harness/memory-app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../tools/harness/actors.js';
import { call } from '../src/protocol/tablet.js';
import { ReadCache } from '../src/cache/read-cache.js';
import { appendRawEntries } from '../src/log/append.js';
import { refreshCheckpoint } from '../src/log/checkpoint.js';
import { nobleVerifier, type TokenVerifier } from '../src/tokens/verifier.js';
import { loadNativeBlst } from '../src/tokens/native.js';
import { createTokenPool, type TokenPool } from '../src/platform/node/token-pool.js';
import { defaultTokenThreads } from '../src/platform/node/server.js';
import { blindSign, deriveBallotKey, encodeSignature, hashToPoint, newToken, tokenMessage } from '../crypto/blind.js';
import { toHex } from '../crypto/bytes.js';
import type { DbKind } from '../src/deps.js';
import type { LoadResult } from './load.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 2 : 3;
const SECONDS = QUICK ? 2 : 5;
const CONNECTIONS = 50;
const CASTS = Number(process.env.BENCH_CASTS ?? 1000);
let nextPort = Number(process.env.BENCH_PORT ?? 42100);

type Server = ReturnType<typeof serve>;
/** Serves on the next free port of the range (another program may hold one). */
async function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: Server; port: number }> {
  for (let tries = 0; tries < 50; tries++) {
    const port = nextPort++;
    const r = await new Promise<{ server: Server; port: number } | null>((resolve) => {
      const server = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve({ server, port }));
      server.once('error', () => resolve(null));
    });
    if (r) return r;
  }
  throw new Error('no free port in the range');
}
const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

/** The app of a test database, served for real as `npm start` serves it; no request log (it would flood this output). */
async function appServer(h: MemoryApp) {
  h.deps.cache = new ReadCache({ maxAgeMs: h.deps.config.READ_CACHE_MAX_AGE_MS });
  h.deps.logger = { log() {} };
  const deps = h.deps;
  return listen((req) => h.app.fetch(req, { deps }));
}

async function seed(h: MemoryApp) {
  const { staff } = await staffAndSupervisor(h);
  const f = fetchOf(h);
  await call(f, '/api/v1/cycles', { method: 'POST', token: staff, json: { id: 'bench', name: 'bench 年度杭州市政府质量奖' } });
  await call(f, '/api/v1/cycles/bench/objection-intake', { method: 'PUT', token: staff, json: EXAMPLE_INTAKE });
  const draft = await call<{ id: string }>(f, '/api/v1/notices', {
    method: 'POST',
    token: staff,
    json: {
      cycleId: 'bench',
      type: 'material-review',
      title: '2026年度杭州市政府质量奖拟进入材料评审组织名单公示',
      body: '根据《杭州市政府质量奖管理办法》三(三)7，现将拟进入材料评审的组织名单予以公示。\n'.repeat(8),
      organisations: Array.from({ length: 20 }, (_, i) => ({ name: `杭州第${i + 1}制造有限公司` })),
    },
  });
  await call(f, `/api/v1/notices/${draft.id}/publish`, { method: 'POST', token: staff });
  await appendRawEntries(h.deps.db, Array.from({ length: 300 }, (_, i) => ({ type: 'bench', cycleId: 'bench', document: { i }, refs: {} })));
  h.deps.config = { ...h.deps.config, LOG_CHECKPOINT_INTERVAL_MS: 0 };
  await refreshCheckpoint(h.deps);
  return { noticeId: draft.id, staff };
}

/** The load client (bench/load-client.ts) in a child process: one job at a time, answered in order. */
function startLoadClient() {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./load-client.ts', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  const waiting: ((line: string) => void)[] = [];
  let buf = '';
  child.stdout.on('data', (chunk: string) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w(JSON.stringify({ error: `load client exited with ${code}` }));
  });
  return {
    load(port: number, path: string, opts: { connections: number; seconds: number }): Promise<LoadResult> {
      return new Promise((resolve, reject) => {
        waiting.push((line) => {
          const r = JSON.parse(line) as LoadResult | { error: string };
          if ('error' in r) reject(new Error(r.error));
          else resolve(r);
        });
        child.stdin.write(JSON.stringify({ port, path, ...opts }) + '\n');
      });
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
type LoadClient = ReturnType<typeof startLoadClient>;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function readTable(kind: DbKind, client: LoadClient) {
  const load = client.load;
  const t = await openScratchDb(kind);
  const h = memoryApp(t);
  try {
    const { noticeId } = await seed(h);
    const app = await appServer(h);
    const bareApp = new Hono().get('/', (c) => c.text('Hello Hono!'));
    const bare = await listen((req) => bareApp.fetch(req));
    const paths = [
      `/api/v1/notices/${noticeId}`,
      `/notices/${noticeId}`,
      '/log/checkpoint',
      '/log/tile/0/000',
      '/log/tile/entries/000',
      '/api/v1/log/entries/5',
    ];
    const ratios = new Map<string, number[]>(paths.map((p) => [p, []]));
    const rates = new Map<string, number[]>([['bare', []], ...paths.map((p) => [p, []] as [string, number[]])]);
    const p99s = new Map<string, number[]>(paths.map((p) => [p, []]));
    // Warm-up: fills the caches (what a running server has) and JIT.
    for (const p of paths) await load(app.port, p, { connections: 10, seconds: 0.5 });
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of paths) {
        // The bare app right before each path: a ratio compares two runs seconds apart, so a
        // change in what else the machine runs moves both.
        const b = await load(bare.port, '/', { connections: CONNECTIONS, seconds: SECONDS });
        rates.get('bare')!.push(b.perSecond);
        const r = await load(app.port, p, { connections: CONNECTIONS, seconds: SECONDS });
        const ok = r.statuses[200] ?? 0;
        if (ok !== r.requests) console.log(`  (${p}: statuses ${JSON.stringify(r.statuses)})`);
        rates.get(p)!.push(r.perSecond);
        p99s.get(p)!.push(r.p99);
        ratios.get(p)!.push(r.perSecond / b.perSecond);
      }
    }
    console.log(`\n[${kind}] read path, ${CONNECTIONS} connections × ${SECONDS} s, ${ROUNDS} rounds, each path right after a bare Hono hello; load from a second process`);
    const fmt = (xs: number[]) => `${Math.round(Math.min(...xs)).toLocaleString('en')}–${Math.round(Math.max(...xs)).toLocaleString('en')}`;
    console.log(`| path (${kind}) | req/s | p99 ms | ÷ bare Hono (median of rounds) |`);
    console.log('|---|---|---|---|');
    console.log(`| bare Hono hello | ${fmt(rates.get('bare')!)} | | 1 |`);
    for (const p of paths) {
      console.log(`| \`GET ${p}\` | ${fmt(rates.get(p)!)} | ${median(p99s.get(p)!).toFixed(0)} | ${median(ratios.get(p)!).toFixed(2)} (${ratios.get(p)!.map((x) => x.toFixed(2)).join(', ')}) |`);
    }
    await close(app.server);
    await close(bare.server);
  } finally {
    await t.close();
  }
}

/** The tablets: bench/cast-client.ts in a child process sends every ballot at once. */
async function castFromAnotherProcess(url: string, bodies: string[]): Promise<{ results: { status: number; ms: number }[]; cpuMs: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./cast-client.ts', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.stdin.end(JSON.stringify({ url, bodies }));
  const code = await exited;
  if (code !== 0) throw new Error(`cast client exited with ${code}`);
  return JSON.parse(out) as { results: { status: number; ms: number }[]; cpuMs: number };
}

/** 1,000 valid, distinct ballots cast at once over HTTP; each must be accepted exactly once. */
async function castRun(kind: DbKind, verifier: TokenVerifier, casts: number) {
  const t = await openScratchDb(kind, { max: 10 });
  const h = memoryApp(t);
  h.deps.tokens = verifier;
  // As the Node server: casts arriving together are checked together.
  h.deps.batchTokens = true;
  try {
    const accounts = await staffAndSupervisor(h);
    const { staff } = accounts;
    const tablets = await enrolledTablets(h, await cycleWithMembers(h, staff, 'bench', 3));
    const f = fetchOf(h);
    const meetingId = (await call<{ id: string }>(f, '/api/v1/cycles/bench/meetings', { method: 'POST', token: staff, json: { title: 'bench' } })).id;
    for (const tab of tablets) await tab.checkIn(meetingId);
    await adoptProcedure(f, accounts, meetingId, tablets[0]!, tablets.length);
    const b = await call<{ id: string }>(f, '/api/v1/cycles/bench/ballots', {
      method: 'POST',
      token: staff,
      json: { meetingId, award: 'quality', seats: 3, candidates: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }] },
    });
    await call(f, `/api/v1/ballots/${b.id}/phase`, { method: 'POST', token: staff, json: { to: 'issuing' } });
    await call(f, `/api/v1/ballots/${b.id}/phase`, { method: 'POST', token: staff, json: { to: 'casting' } });
    // The tokens, signed here with the ballot's key (the bench holds the master secret): what
    // `casts` tablets would hold after issuance. Native signing when available, for speed.
    const { secretKey } = deriveBallotKey(h.deps.keys.ballotMasterSecret, b.id);
    const blst = await import('@chainsafe/blst').then((m) => (m as unknown as { default?: typeof m }).default ?? m).catch(() => null);
    const sk = blst?.SecretKey.fromBytes(secretKey);
    const ballots = Array.from({ length: casts }, () => {
      const token = newToken();
      const m = tokenMessage(b.id, token);
      const sig = sk ? sk.sign(m).toBytes(true) : blindSign(secretKey, encodeSignature(hashToPoint(m)));
      return JSON.stringify({ token: toHex(token), signature: toHex(sig), choices: { c01: 'for', c02: 'for', c03: 'against', c04: 'abstain' } });
    });
    const app = await appServer(h);
    const url = `http://127.0.0.1:${app.port}/api/v1/ballots/${b.id}/cast`;
    // Threads start at a server's first token; here they have started, as after a meeting's first casts.
    if (verifier.verifyOffThread) {
      const m = tokenMessage(b.id, newToken());
      await verifier.verifyOffThread(deriveBallotKey(h.deps.keys.ballotMasterSecret, b.id).publicKey, m, sk ? sk.sign(m).toBytes(true) : blindSign(secretKey, encodeSignature(hashToPoint(m))));
    }
    const elu0 = nodePerformance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const sent = await castFromAnotherProcess(url, ballots);
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const loop = nodePerformance.eventLoopUtilization(elu0);
    const results = sent.results;
    const stored = await h.deps.db.selectFrom('secret_ballot').select((eb) => eb.fn.countAll<number>().as('n')).where('ballot_id', '=', b.id).executeTakeFirstOrThrow();
    const created = results.filter((r) => r.status === 201).length;
    const lat = results.map((r) => r.ms).sort((x, y) => x - y);
    const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
    console.log(
      `| ${kind} | ${verifier.name} | ${casts} | ${created} created, ${Number(stored.n)} stored${created === casts && Number(stored.n) === casts ? ' (each once)' : ' — NOT each once'} | ${(casts / wall).toFixed(0)} | ${(pct(0.5) / 1000).toFixed(2)} s | ${(pct(0.99) / 1000).toFixed(2)} s | ${(((cpu.user + cpu.system) / 1000) / casts).toFixed(2)} ms | ${(loop.active / casts).toFixed(2)} ms | ${(sent.cpuMs / casts).toFixed(2)} ms |`,
    );
    await close(app.server);
  } finally {
    await t.close();
  }
}

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const kinds: DbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
// BENCH_ONLY=casts: the cast run alone.
if (process.env.BENCH_ONLY !== 'casts') {
  const client = startLoadClient();
  try {
    for (const kind of kinds) await readTable(kind, client);
  } finally {
    await client.close();
  }
}

// BENCH_ONLY=read: the read table alone.
const native = process.env.BENCH_ONLY === 'read' ? null : await loadNativeBlst();
if (process.env.BENCH_ONLY !== 'read') console.log(`\n${CASTS} concurrent casts of valid, distinct ballots over HTTP (the tablets in a process of their own)`);
if (process.env.BENCH_ONLY !== 'read') console.log('| database | verifier | casts | accepted | casts/s | p50 | p99 | server CPU per cast (all threads) | event loop busy per cast | tablets’ CPU per cast |');
if (process.env.BENCH_ONLY !== 'read') console.log('|---|---|---|---|---|---|---|---|---|---|');
if (process.env.BENCH_ONLY !== 'read') for (const kind of kinds.includes('postgres') ? (['postgres'] as DbKind[]) : kinds) {
  if (native) {
    await castRun(kind, native, CASTS);
    // The server's default: blst in cores − 1 worker threads (at least one here).
    const pool: TokenPool = createTokenPool({ threads: Math.max(1, defaultTokenThreads()), inThread: native });
    try {
      await castRun(kind, pool, CASTS);
    } finally {
      await pool.close();
    }
  }
  await castRun(kind, nobleVerifier, QUICK ? Math.min(CASTS, 200) : CASTS);
}
