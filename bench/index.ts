// `npm run bench`: every benchmark in one run, each reporting ratios against baselines it measures
// itself. Not tests: nothing here asserts a time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const here = import.meta.dirname;
const quick = { ...process.env, BENCH_QUICK: process.env.BENCH_QUICK ?? '1' };
for (const name of ['crypto.ts', 'log.ts', 'votes.ts', 'read.ts', 'cast-flood.ts', 'cosign.ts', 'worker-startup.ts', 'memory.ts']) {
  const file = path.join(here, name);
  if (!fs.existsSync(file)) continue;
  console.log(`\n===== bench/${name} =====`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', env: quick });
  if (r.status !== 0) process.exitCode = 1;
}
