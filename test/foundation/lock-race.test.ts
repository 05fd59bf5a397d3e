// PGlite's folder lock: two processes that find the same stale lock at the same instant never both
// take it over. Raced over many rounds with two real processes.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROUNDS = 400;
const SLOT_MS = 25;
// A takeover that unlinks the stale lock and then creates its own let both contenders in about 4 of 10
// rounds where their attempts overlapped (20–35 of 400 rounds with 51–69 overlapping, load ≈ 12 on 2
// cores). With at least 20 overlapping rounds such code passes by luck with odds below 1 in 10,000.
const MIN_MET = 20;

type Result = { won: number[]; spans: [number, number][] };

function contender(base: string, t0: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lock-race-child.ts'), base, String(ROUNDS), String(t0), String(SLOT_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`contender exited ${code}`))));
  });
}

describe('PGlite folder lock', () => {
  it(`a stale lock raced by two processes at the same instant: exactly one takes it, ${ROUNDS} rounds`, { timeout: 300_000 }, async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-lockrace-'));
    try {
      // A pid that is certainly gone: a process that ran and exited.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
      for (let r = 0; r < ROUNDS; r++) fs.writeFileSync(`${base}/round-${r}.lock`, dead);
      // Both start after their startup (tsx) is surely done, then meet at the start of every slot.
      const t0 = Date.now() + 15_000;
      const [ra, rb] = await Promise.all([contender(base, t0), contender(base, t0)]);
      // The race is only shown if the two attempts really overlapped in time (on a loaded machine one
      // contender can be descheduled for whole rounds): require enough rounds where they did.
      const met = ra.spans.filter(([s, e], r) => s <= rb.spans[r]![1] && rb.spans[r]![0] <= e).length;
      expect(met, 'rounds where both attempts overlapped in time').toBeGreaterThanOrEqual(MIN_MET);
      const [a, b] = [ra.won, rb.won];
      const both = a.filter((r) => b.includes(r));
      console.log(`lock race: ${met} of ${ROUNDS} rounds overlapped, both in: ${both.length}`);
      const neither = Array.from({ length: ROUNDS }, (_, r) => r).filter((r) => !a.includes(r) && !b.includes(r));
      expect(both, 'rounds where both processes got in').toEqual([]);
      expect(neither, 'rounds where nobody got in').toEqual([]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
