// PGlite's folder lock: two processes that find the same stale lock at the same instant never both
// take it over. Raced over many rounds with two real processes.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROUNDS = 150;
const SLOT_MS = 40;

function contender(base: string, t0: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lock-race-child.ts'), base, String(ROUNDS), String(t0), String(SLOT_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`contender exited ${code}`))));
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
      const [a, b] = await Promise.all([contender(base, t0), contender(base, t0)]);
      const both = a.filter((r) => b.includes(r));
      const neither = Array.from({ length: ROUNDS }, (_, r) => r).filter((r) => !a.includes(r) && !b.includes(r));
      expect(both, 'rounds where both processes got in').toEqual([]);
      expect(neither, 'rounds where nobody got in').toEqual([]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
