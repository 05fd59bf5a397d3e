// One contender of test/foundation/lock-race.test.ts: in each round, at the same instant as the other
// contender, try to take over the stale lock of that round's folder; keep what it gets (never release).
import { lockDataDir } from '../../src/node.js';

const [base, roundsText, t0Text, slotText] = process.argv.slice(2);
const rounds = Number(roundsText);
const t0 = Number(t0Text);
const slot = Number(slotText);
const won: number[] = [];
for (let r = 0; r < rounds; r++) {
  const at = t0 + r * slot;
  while (Date.now() < at) {
    /* spin: both contenders start within a fraction of a millisecond */
  }
  try {
    lockDataDir(`${base}/round-${r}`);
    won.push(r);
  } catch {
    /* the other one holds it */
  }
}
// Exit (which releases the locks won) only once the other contender has surely tried the last round too.
const after = t0 + (rounds + 50) * slot;
while (Date.now() < after) {
  /* wait */
}
process.stdout.write(JSON.stringify(won));
process.exit(0);
