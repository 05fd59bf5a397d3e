/**
 * Benchmark (not a test): the embedded mode's memory, as `npm start` runs it. The built server
 * (dist/node/node.js, with the node flags of package.json's start script) in a child process on a fresh
 * DATA_DIR (PGlite), against a bare Hono hello on @hono/node-server in another child process of the same
 * run. Resident set size (Linux /proc/<pid>/status VmRSS) after start, during and after a read load,
 * during and after a write load (staff publishing notices: a log entry and a checkpoint each), after a
 * pause, and after a restart on the same folder; throughput of the read paths as ratios to the bare hello, rounds interleaved.
 *
 *   npm run bench:memory     BENCH_QUICK=1: shorter rounds. BENCH_SERVER_JS=<file>: another build
 *                            (e.g. an older commit's, for before/after). BENCH_NODE_FLAGS="…": these
 *                            node flags instead of the start script's.
 * Loopback only (ports 42400–42499 unless BENCH_PORT is set), bounded load (bench/load.ts).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildNode } from '../scripts/build-node.js';
import { buildAssets } from '../scripts/build-assets.js';
import { EXAMPLE_INTAKE } from '../src/notices/intake-routes.js';
import { LOCAL_ADMIN_HEADER } from '../src/auth/first-run.js';
import { load } from './load.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 2 : 3;
const SECONDS = QUICK ? 2 : 4;
const WRITE_SECONDS = QUICK ? 5 : 10;
const WRITERS = 4;
const CONNECTIONS = 50;
const root = path.resolve(import.meta.dirname, '..');
let nextPort = Number(process.env.BENCH_PORT ?? 42400);

const MB = (kb: number) => Math.round(kb / 1024);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VmRSS and VmHWM (peak) of a process, in kB, from /proc (Linux). */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** The highest RSS seen while `work` runs (sampled every 50 ms) and the RSS when it is done. */
async function during<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; max: number; after: number }> {
  let max = rssOf(pid).rss;
  const timer = setInterval(() => (max = Math.max(max, rssOf(pid).rss)), 50);
  try {
    const result = await work();
    const after = rssOf(pid).rss;
    return { result, max: Math.max(max, after), after };
  } finally {
    clearInterval(timer);
  }
}

interface Child {
  proc: ChildProcess;
  pid: number;
  port: number;
  startMs: number;
  stdout: () => string;
}

/** Starts a child and waits until `ready` matches its stdout; tries the next port if this one is taken. */
async function startChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Child> {
  for (let tries = 0; tries < 20; tries++) {
    const port = nextPort++;
    const t0 = performance.now();
    const proc = spawn(process.execPath, args, { cwd: root, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    const ok = await new Promise<boolean>((resolve, reject) => {
      const timer = setInterval(() => {
        if (ready.test(out)) {
          clearInterval(timer);
          resolve(true);
        }
      }, 20);
      proc.once('exit', (code) => {
        clearInterval(timer);
        if (/EADDRINUSE/.test(err + out)) resolve(false);
        else reject(new Error(`${args.join(' ')} exited with ${code}: ${err || out}`));
      });
    });
    if (ok) return { proc, pid: proc.pid!, port, startMs: performance.now() - t0, stdout: () => out };
  }
  throw new Error('no free port in the range');
}

async function stop(c: Child) {
  const exited = new Promise((r) => c.proc.once('exit', r));
  c.proc.kill('SIGTERM');
  await exited;
}

/** The node flags of package.json's start script (`node <flags> dist/node/node.js`). */
function startFlags(): string[] {
  if (process.env.BENCH_NODE_FLAGS !== undefined) return process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean);
  const start = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const words = start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((w) => w.startsWith('--'));
}

/** A staff account through the local admin key the server wrote into DATA_DIR, a cycle and one published notice. */
async function seed(base: string, dataDir: string) {
  const { key } = JSON.parse(fs.readFileSync(path.join(dataDir, 'admin.json'), 'utf8')) as { key: string };
  const post = async <T>(p: string, headers: Record<string, string>, json?: unknown, method = 'POST'): Promise<T> => {
    const res = await fetch(base + p, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(json ?? {}) });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { token } = await post<{ token: string }>('/api/v1/accounts', { [LOCAL_ADMIN_HEADER]: key }, { role: 'staff', name: '基准测试' });
  const staff = { authorization: `Bearer ${token}` };
  await post('/api/v1/cycles', staff, { id: 'bench', name: 'bench 年度杭州市政府质量奖' });
  await post('/api/v1/cycles/bench/objection-intake', staff, EXAMPLE_INTAKE, 'PUT');
  const publish = async (n: number) => {
    const draft = await post<{ id: string }>('/api/v1/notices', staff, {
      cycleId: 'bench',
      type: 'material-review',
      title: `2026年度杭州市政府质量奖拟进入材料评审组织名单公示（第${n}号）`,
      body: '根据《杭州市政府质量奖管理办法》三(三)7，现将拟进入材料评审的组织名单予以公示。\n'.repeat(8),
      organisations: Array.from({ length: 20 }, (_, i) => ({ name: `杭州第${i + 1}制造有限公司` })),
    });
    await post(`/api/v1/notices/${draft.id}/publish`, staff);
    return draft.id;
  };
  return { publish, noticeId: await publish(0) };
}

const fmtRange = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? `${xs[0]}` : `${Math.min(...xs)}–${Math.max(...xs)}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, ${new Date().toISOString()}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const serverJs = process.env.BENCH_SERVER_JS ? path.resolve(process.env.BENCH_SERVER_JS) : path.join(root, 'dist/node/node.js');
if (!process.env.BENCH_SERVER_JS) {
  // What `npm start` runs first (prestart): the assets, then the server bundle.
  await buildAssets({ quiet: true });
  await buildNode();
}
const flags = startFlags();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-memory-'));
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
delete env.NODE_OPTIONS;

const bareCode = "import { serve } from '@hono/node-server'; import { Hono } from 'hono'; const app = new Hono().get('/', (c) => c.text('Hello Hono!')); serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => console.log('listening'));";
const bare = await startChild(['--input-type=module', '-e', bareCode], env, /listening/);
let server = await startChild([...flags, serverJs], env, /"msg":"listening"|尚无工作人员账号/);
const rows: [string, string, string][] = [];
try {
  const base = `http://127.0.0.1:${server.port}`;
  const atStart = rssOf(server.pid);
  await sleep(3000);
  const settled = rssOf(server.pid);
  const bareStart = rssOf(bare.pid).rss;
  rows.push(['listening (first start on a fresh DATA_DIR)', `${MB(atStart.rss)} MB (peak ${MB(atStart.peak)} MB)`, `${(server.startMs / 1000).toFixed(1)} s to listen`]);
  rows.push(['3 s after', `${MB(settled.rss)} MB`, `${(settled.rss / bareStart).toFixed(1)}× a bare hello (${MB(bareStart)} MB)`]);

  const { publish, noticeId } = await seed(base, dataDir);
  const paths = ['/log/checkpoint', `/api/v1/notices/${noticeId}`, `/notices/${noticeId}`, '/log/tile/entries/000.p/2', '/api/v1/cycles', '/'];
  for (const p of paths) await load(server.port, p, { connections: 10, seconds: 0.3 });
  const ratios = new Map<string, number[]>(paths.map((p) => [p, []]));
  const bareRates: number[] = [];
  const reads = await during(server.pid, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const b = await load(bare.port, '/', { connections: CONNECTIONS, seconds: SECONDS });
      bareRates.push(b.perSecond);
      for (const p of paths) {
        const r = await load(server.port, p, { connections: CONNECTIONS, seconds: SECONDS });
        if ((r.statuses[200] ?? 0) !== r.requests) console.log(`  (${p}: statuses ${JSON.stringify(r.statuses)})`);
        ratios.get(p)!.push(r.perSecond / b.perSecond);
      }
    }
  });
  const bareAfterLoad = rssOf(bare.pid).rss;
  rows.push([`read load (${paths.length} paths × ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections)`, `${MB(reads.after)} MB (max ${MB(reads.max)} MB)`, `${(reads.after / bareAfterLoad).toFixed(1)}× the bare hello after its load (${MB(bareAfterLoad)} MB)`]);

  const writes = await during(server.pid, async () => {
    let n = 1;
    const deadline = performance.now() + WRITE_SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (performance.now() < deadline) await publish(n++);
      }),
    );
    return (n - 1) / ((performance.now() - t0) / 1000);
  });
  rows.push([`write load (${WRITERS} staff publishing notices, ${WRITE_SECONDS} s)`, `${MB(writes.after)} MB (max ${MB(writes.max)} MB)`, `${writes.result.toFixed(1)} notices published/s`]);
  await sleep(5000);
  const idle = rssOf(server.pid);
  rows.push(['5 s after the load', `${MB(idle.rss)} MB`, `peak of the whole run ${MB(idle.peak)} MB`]);
  // A restart on the same folder: no initdb, migrations already there (what a running deployment does).
  await stop(server);
  const again = await startChild([...flags, serverJs], env, /"msg":"listening"/);
  server = again;
  await load(again.port, '/log/checkpoint', { connections: 10, seconds: 1 });
  await sleep(3000);
  const restart = rssOf(again.pid);
  rows.push(['restart on that folder, 3 s after a short read', `${MB(restart.rss)} MB (peak ${MB(restart.peak)} MB)`, `${(again.startMs / 1000).toFixed(1)} s to listen`]);

  console.log(`\nembedded mode (PGlite), \`node ${[...flags, path.relative(root, serverJs)].join(' ')}\`, fresh DATA_DIR`);
  console.log('| when | RSS | |');
  console.log('|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nread throughput ÷ the bare hello in the same round (bare: ${fmtRange(bareRates.map(Math.round))} req/s)`);
  console.log('| path | ÷ bare Hono, median (rounds) |');
  console.log('|---|---|');
  for (const p of paths) console.log(`| \`GET ${p.replace(noticeId, '{id}')}\` | ${median(ratios.get(p)!).toFixed(2)} (${ratios.get(p)!.map((x) => x.toFixed(2)).join(', ')}) |`);
} finally {
  if (server.proc.exitCode === null) await stop(server);
  await stop(bare);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
