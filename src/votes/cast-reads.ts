// What a cast reads before its pairing check: the ballot (kind, key, phase, candidates, seats, key
// classes) and the token's stored cast, if any (src/votes/secret.ts castBallot).
//
//   alone    one query per cast (Workers: a request may not settle another request's promise);
//   together casts that reach this point in the same turn of the event loop (Node) share the read of
//            their ballot: two queries — the ballot, and the stored casts of all their tokens — for any
//            number of casts, instead of a query (a round trip, and on loopback a wake-up of the
//            database inside the sending system call) each.
// Either way each cast sees the ballot as it was at some instant after it arrived; the phase is
// checked again under a lock when its batch commits (cast-queue.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';

/** One cast's read: the ballot and this token's stored cast, in one query; undefined for no such ballot. */
export async function readForCast(db: Kysely<Database>, ballotId: string, token: string) {
  return db
    .selectFrom('ballot')
    .leftJoin('secret_ballot', (j) => j.onRef('secret_ballot.ballot_id', '=', 'ballot.id').on('secret_ballot.token', '=', token))
    .select(['ballot.kind', 'ballot.public_key', 'ballot.phase', 'ballot.candidates', 'ballot.seats', 'ballot.key_classes'])
    .select(['secret_ballot.signature as stored_signature', 'secret_ballot.choices as stored_choices', 'secret_ballot.recused as stored_recused'])
    .where('ballot.id', '=', ballotId)
    .executeTakeFirst();
}

export type CastRead = NonNullable<Awaited<ReturnType<typeof readForCast>>>;

/** Tokens read in one query at most. */
export const MAX_TOGETHER = 256;

interface Pending {
  tokens: Map<string, { resolve: (r: CastRead | undefined) => void; reject: (e: unknown) => void }[]>;
}

const pending = new WeakMap<Kysely<Database>, Map<string, Pending>>();

/** readForCast, shared with the other casts for the ballot that arrive in this turn of the event loop. Node. */
export function readForCastTogether(db: Kysely<Database>, ballotId: string, token: string): Promise<CastRead | undefined> {
  let byBallot = pending.get(db);
  if (!byBallot) pending.set(db, (byBallot = new Map()));
  let group = byBallot.get(ballotId);
  if (!group || group.tokens.size >= MAX_TOGETHER) {
    const g: Pending = { tokens: new Map() };
    byBallot.set(ballotId, g);
    group = g;
    const map = byBallot;
    setTimeout(() => {
      if (map.get(ballotId) === g) map.delete(ballotId);
      void readGroup(db, ballotId, g);
    }, 0);
  }
  const g = group;
  return new Promise((resolve, reject) => {
    let waiting = g.tokens.get(token);
    if (!waiting) g.tokens.set(token, (waiting = []));
    waiting.push({ resolve, reject });
  });
}

async function readGroup(db: Kysely<Database>, ballotId: string, g: Pending) {
  const tokens = [...g.tokens.keys()];
  try {
    const [ballot, stored] = await Promise.all([
      db.selectFrom('ballot').select(['kind', 'public_key', 'phase', 'candidates', 'seats', 'key_classes']).where('id', '=', ballotId).executeTakeFirst(),
      db.selectFrom('secret_ballot').select(['token', 'signature', 'choices', 'recused']).where('ballot_id', '=', ballotId).where('token', 'in', tokens).execute(),
    ]);
    const byToken = new Map(stored.map((r) => [r.token, r]));
    for (const [token, waiting] of g.tokens) {
      const s = byToken.get(token);
      const read = ballot && { ...ballot, stored_signature: s?.signature ?? null, stored_choices: s?.choices ?? null, stored_recused: s ? s.recused : null };
      for (const w of waiting) w.resolve(read);
    }
  } catch (e) {
    for (const waiting of g.tokens.values()) for (const w of waiting) w.reject(e);
  }
}
