// A server on a simulated clock (CLOCK_START: a demonstration on a fixed date) says so in the public log
// when it starts, before it writes anything else: every tool that reads the log (the verifier, the
// supervisors' page) then judges time — overdue objections — as the server did, and says that the log is a
// demonstration's. A later start on the same data logs its own offset again, and so does the demo after
// moving its clock; the last offset is the one in force.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { appendEntry } from '../log/documents/index.js';
import { beijingIso } from './dates.js';

/** A clock that says how far it is from real time (deps.ts clockStartingAt, movableClock). */
export type SimulatedClock = { now(): Date; readonly offsetMs: number };

export const isSimulated = (clock: { now(): Date }): clock is SimulatedClock => typeof (clock as Partial<SimulatedClock>).offsetMs === 'number';

/** Logs the clock's offset now; a clock moved since (the demo's) is logged again after it moved. */
export async function logSimulatedClock(db: Kysely<Database>, clock: SimulatedClock, realNow = new Date()) {
  return db.transaction().execute(async (trx) =>
    appendEntry(trx, 'simulated-clock', { v: 'hzqa-simulated-clock/v1', startsAt: beijingIso(new Date(realNow.getTime() + clock.offsetMs)), startedAt: beijingIso(realNow), offsetMs: clock.offsetMs }, { cycleId: null }),
  );
}
