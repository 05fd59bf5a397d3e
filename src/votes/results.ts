import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { getBallot } from './ballots.js';

/** The published result of a tallied ballot, for the 初选授奖组织名单 notice. */
export async function getPublishedResult(db: Kysely<Database> | Transaction<Database>, ballotId: string) {
  const b = await getBallot(db, ballotId);
  if (b.phase !== 'tallied' || !b.result || b.resultLogIndex === null) {
    throw new Problem('conflict', { en: `Ballot ${ballotId} is not tallied yet.`, zh: `投票 ${ballotId} 尚未计票。` });
  }
  const names = new Map(b.candidates.map((c) => [c.id, c.name]));
  return {
    ballotId: b.id,
    cycleId: b.cycleId,
    award: b.award,
    kind: b.kind,
    winners: b.result.winners.map((id) => ({ candidateId: id, name: names.get(id)! })),
    runoff: b.result.runoff,
    bulletinLogIndex: b.bulletinLogIndex,
    resultLogIndex: b.resultLogIndex,
  };
}
