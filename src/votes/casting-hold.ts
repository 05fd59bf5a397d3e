// No identified write by a tablet while it may hold an uncast secret-ballot token. During a ballot's
// casting phase, a member who was served a token for it cannot sign in, take a challenge, check in,
// raise hands or ask for another token: each of those is a row (and a WAL record) that names the
// member, and one committed just before an anonymous cast would link the two. The tablet keeps the
// session it opened before (sessions outlive the meeting, src/members/queries.ts) and casts without
// any identity; it signs in again once casting has closed.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';

/** The ballot in casting for which this member was served a token, if any. */
export async function castingHold(db: Kysely<Database>, memberId: string): Promise<string | null> {
  const row = await db
    .selectFrom('token_served')
    .innerJoin('ballot', 'ballot.id', 'token_served.ballot_id')
    .select('ballot.id')
    .where('token_served.member_id', '=', memberId)
    .where('ballot.phase', '=', 'casting')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function refuseWhileCasting(db: Kysely<Database>, memberId: string) {
  const ballotId = await castingHold(db, memberId);
  if (ballotId) {
    throw new Problem(
      'conflict',
      {
        en: `Ballot ${ballotId} is being cast: this tablet makes no signed-in request until casting closes. Cast with the token you hold; it needs no sign-in.`,
        zh: `投票 ${ballotId} 正在投票阶段：投票结束前本平板不进行任何需登录的操作。请直接用已领取的选票凭证投票，无需登录。`,
      },
      { extensions: { castingBallotId: ballotId } },
    );
  }
}
