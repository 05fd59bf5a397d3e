// Worker script size and startup, in workerd (Miniflare), against a bare Hono Worker in the same run.
//
// Cloudflare counts a Worker's startup as the CPU of parsing and evaluating its script's top level
// (here: building the app's routes and every zod schema). workerd does both when the service starts, so
// the workerd process's CPU time from its start to `ready` (Linux /proc schedstat, in ns: CPU, not wall
// time, so a loaded machine moves it little) is the runtime's own start plus that work. An empty Worker
// measures the runtime's part, and the figure reported is
//     startup ratio = (ours − empty) / (bare Hono − empty)
// with medians over interleaved rounds.
// Also printed: each script's size and gzip size, as wrangler uploads them.
//
// The script loads the app on its first event (src/worker.ts), so the CPU until the first response
// (one request after ready) is printed too: what the first request of a cold isolate pays.
//
//   npx tsx bench/worker-startup.ts            (BENCH_QUICK=1: 5 rounds; otherwise 15)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { Miniflare } from 'miniflare';

const root = path.resolve(import.meta.dirname, '..');
const rounds = process.env.BENCH_QUICK === '1' ? 5 : 15;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-startup-'));

function build() {
  const ours = path.join(tmp, 'ours');
  execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', ours], { cwd: root, stdio: 'ignore', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  const bare = path.join(tmp, 'bare.js');
  buildSync({
    stdin: { contents: "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/', (c) => c.text('ok'));\nexport default app;\n", resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    outfile: bare,
  });
  const empty = path.join(tmp, 'empty.js');
  fs.writeFileSync(empty, "export default { fetch() { return new Response('ok'); } };\n");
  return { empty, bare, ours: path.join(ours, 'worker.js') };
}

/** CPU time (ms) of this process's workerd children so far, from /proc/<pid>/schedstat (nanoseconds). */
function workerdCpuMs(): number {
  let ns = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [, comm, rest] = /^\d+ \((.*)\) (.*)$/s.exec(stat)!;
      if (comm !== 'workerd' || Number(rest!.split(' ')[1]) !== process.pid) continue;
      ns += Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // gone meanwhile
    }
  }
  return ns / 1e6;
}

/**
 * The workerd process's CPU from its start until it is ready to serve this script, and until it has
 * answered a first request (ours: without bindings or secrets it answers 500, after loading the app).
 */
async function startupCpuMs(scriptPath: string): Promise<{ ready: number; first: number }> {
  const mf = new Miniflare({ modules: true, modulesRoot: path.dirname(scriptPath), scriptPath, compatibilityDate: '2026-04-20', compatibilityFlags: ['nodejs_compat'] });
  await mf.ready;
  const ready = workerdCpuMs();
  await (await mf.dispatchFetch('http://localhost/healthz')).arrayBuffer();
  const first = workerdCpuMs();
  await mf.dispose();
  return { ready, first };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const scripts = build();
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
for (const [name, file] of Object.entries(scripts)) {
  const bytes = fs.readFileSync(file);
  console.log(`${name.padEnd(6)} script ${kib(bytes.length).padStart(11)}  gzip ${kib(gzipSync(bytes).length).padStart(10)}`);
}
const times: Record<keyof typeof scripts, { ready: number; first: number }[]> = { empty: [], bare: [], ours: [] };
await startupCpuMs(scripts.empty); // the first start also warms the runtime's files
for (let i = 0; i < rounds; i++) for (const name of ['empty', 'bare', 'ours'] as const) times[name].push(await startupCpuMs(scripts[name]));
for (const until of ['ready', 'first'] as const) {
  const m = { empty: median(times.empty.map((t) => t[until])), bare: median(times.bare.map((t) => t[until])), ours: median(times.ours.map((t) => t[until])) };
  const what = until === 'ready' ? 'ready (startup)' : 'the first response';
  console.log(`workerd CPU from start to ${what}, median of ${rounds}: empty ${m.empty.toFixed(1)} ms, bare Hono ${m.bare.toFixed(1)} ms, ours ${m.ours.toFixed(1)} ms`);
  const ratio = (m.ours - m.empty) / Math.max(0.1, m.bare - m.empty);
  console.log(`  beyond the runtime's own: bare Hono ${(m.bare - m.empty).toFixed(1)} ms, ours ${(m.ours - m.empty).toFixed(1)} ms = ${ratio.toFixed(1)}× bare Hono`);
}
fs.rmSync(tmp, { recursive: true, force: true });
