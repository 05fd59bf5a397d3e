// Withdrawing a prepared ballot: staff take back a ballot before its vote opened — before
// any token was issued (质量奖) or any hand raised (创新奖/优胜奖) — so that its seats count again for
// its award (三(一): 25 − won − held). The withdrawal is a public log entry naming the preparation,
// written in the same transaction as the phase; nothing of the ballot may follow it.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { appendEntry } from '../log/index.js';
import { beijingIso } from '../calendar/dates.js';
import { getBallotRow } from './ballots.js';

export async function withdrawBallot(db: Kysely<Database>, ballotId: string, reason: string, now: Date): Promise<{ logIndex: number }> {
  return db.transaction().execute(async (trx) => {
    // The update lock orders this after any phase change or hand already under way on the ballot.
    const row = await getBallotRow(trx, ballotId, 'update');
    if (row.phase !== 'prepared') {
      throw new Problem(
        'conflict',
        {
          en: `Ballot ${ballotId} is ${row.phase}: only a prepared ballot, before token issuance or the first hand, can be withdrawn.`,
          zh: `投票 ${ballotId} 当前为 ${row.phase}：仅可撤回尚未发放凭证、尚未举手表决的已准备投票。`,
        },
        { extensions: { phase: row.phase } },
      );
    }
    const prepared = await trx.selectFrom('ballot_phase').select('log_index').where('ballot_id', '=', ballotId).where('phase', '=', 'prepared').executeTakeFirstOrThrow();
    const { index } = await appendEntry(
      trx,
      'ballot-withdrawn',
      { ballotId, cycleId: row.cycle_id, meetingId: row.meeting_id, award: row.award, seats: row.seats, preparedLogIndex: Number(prepared.log_index), reason, withdrawnAt: beijingIso(now) },
      { cycleId: row.cycle_id, refs: { prepared: Number(prepared.log_index) } },
    );
    await trx.updateTable('ballot').set({ phase: 'withdrawn' }).where('id', '=', ballotId).execute();
    await trx.insertInto('ballot_phase').values({ ballot_id: ballotId, phase: 'withdrawn', log_index: index }).execute();
    return { logIndex: index };
  });
}
