// One contender of test/foundation/lock-race.test.ts: in each round, at the same instant as the other
// contender, try to take over the stale lock of that round's folder; keep what it gets (never release).
// Prints the rounds won and, per round, when its attempt started and ended (to show the two really met).
import { writeSync } from 'node:fs';
import { lockDataDir } from '../../src/platform/node/pglite.js';

const [base, roundsText, t0Text, slotText] = process.argv.slice(2);
const rounds = Number(roundsText);
const t0 = Number(t0Text);
const slot = Number(slotText);
// Wall-clock time finer than Date.now()'s millisecond, so both contenders leave the spin within microseconds.
const now = () => performance.timeOrigin + performance.now();
const won: number[] = [];
const spans: [number, number][] = [];
for (let r = 0; r < rounds; r++) {
  const at = t0 + r * slot;
  while (now() < at) {
    /* spin: both contenders start within a fraction of a millisecond */
  }
  const start = now();
  try {
    lockDataDir(`${base}/round-${r}`);
    won.push(r);
  } catch {
    /* the other one holds it */
  }
  spans.push([start, now()]);
}
// Exit (which releases the locks won) only once the other contender has surely tried the last round too.
const after = t0 + (rounds + 50) * slot;
while (now() < after) {
  /* wait */
}
// Written synchronously: an exit right after an asynchronous write to a pipe would cut it short.
writeSync(1, JSON.stringify({ won, spans }));
process.exit(0);
