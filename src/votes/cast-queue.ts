// Casts are committed in batches, not one by one as they arrive. A database operator (superuser,
// WAL included) would otherwise read the order of casts from each row's xmin and ctid and the time of
// each cast from its commit record, and could line that up with the identified writes of tablets.
//
//   server, per process (Node) or per isolate (Workers):
//   1. a verified cast joins the pending batch of its ballot; the batch is due at the next multiple of
//      CAST_BATCH_INTERVAL_MS of wall-clock time, so a commit time says only which interval it closed;
//   2. each request waits until the batch is due; the first to wake commits the whole batch in one
//      transaction, inserted in token order (random, unrelated to members), under a share lock on the
//      ballot that re-checks the phase; the others wait for that commit;
//   3. a cast is acknowledged (201/200) only after its batch has committed: acknowledged ⇒ stored.
//      If the commit fails, every request of the batch fails unacknowledged, and the tablet sends the
//      same cast again (a cast is idempotent).
//   Closing a ballot first stops this process taking casts for it, commits what is pending, and only
//   then closes (src/votes/routes.ts): a cast acknowledged before the close is in the bulletin, and
//   once the close has committed no batch can add to it (the phase is re-checked under the lock).
//
// On Workers the batch lives in the isolate and is committed from the request that reaches the due
// time first (with its own database client); the others await that commit across requests, which
// workerd supports. Isolates batch separately, so a busy deployment commits one batch per isolate
// per interval; each batch is still in token order.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { getBallotRow } from './ballots.js';

export interface VerifiedCast {
  ballotId: string;
  token: string;
  signature: string;
  /** Canonical JSON of the choices, as stored. */
  choices: string;
  /** 回避: canonical JSON of the candidates of the token's recusal class, or null for none. */
  recused?: string | null;
}

export type CastOutcome = { created: boolean; signature: string } | { problem: Problem };

interface Batch {
  ballotId: string;
  due: number;
  casts: Map<string, VerifiedCast>;
  commit?: Promise<Map<string, CastOutcome>>;
}

const notCasting = (phase: string) =>
  new Problem('conflict', { en: `Ballots are cast only while the ballot is casting; it is ${phase}.`, zh: `仅在投票阶段接受选票；当前为 ${phase}。` });

export const differentBallot = () => new Problem('conflict', { en: 'This token was already used to cast a different ballot.', zh: '该选票凭证已用于投出另一张选票。' });

export class CastQueue {
  private readonly pending = new Map<string, Batch>();
  private readonly closing = new Set<string>();
  constructor(
    readonly intervalMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** True once a close of this ballot has begun in this process: casts are refused from then on. */
  isClosing(ballotId: string) {
    return this.closing.has(ballotId);
  }

  /** A cast waiting in this process's batch for (ballot, token), if any. */
  pendingCast(ballotId: string, token: string): VerifiedCast | undefined {
    return this.pending.get(ballotId)?.casts.get(token);
  }

  /** Adds a verified cast and resolves once its batch has committed, with what became of it. */
  async submit(db: Kysely<Database>, cast: VerifiedCast): Promise<CastOutcome> {
    if (this.closing.has(cast.ballotId)) return { problem: notCasting('closing') };
    let batch = this.pending.get(cast.ballotId);
    if (!batch) {
      const t = this.now();
      batch = { ballotId: cast.ballotId, due: (Math.floor(t / this.intervalMs) + 1) * this.intervalMs, casts: new Map() };
      this.pending.set(cast.ballotId, batch);
    }
    const same = batch.casts.get(cast.token);
    if (same && (same.signature !== cast.signature || same.choices !== cast.choices || (same.recused ?? null) !== (cast.recused ?? null))) return { problem: differentBallot() };
    if (!same) batch.casts.set(cast.token, cast);
    const wait = batch.due - this.now();
    if (wait > 0 && !batch.commit) await new Promise((r) => setTimeout(r, wait));
    const results = await this.commit(db, batch);
    const outcome = results.get(cast.token) ?? { problem: notCasting('closing') };
    // The same ballot sent twice into one batch is stored once: only the first sending created it.
    return same && 'created' in outcome ? { ...outcome, created: false } : outcome;
  }

  /** The close begins: casts for the ballot are refused in this process from now on. */
  markClosing(ballotId: string) {
    this.closing.add(ballotId);
  }

  /** Commits the ballot's pending batch now rather than at its due time (the close). */
  async commitPending(db: Kysely<Database>, ballotId: string) {
    const batch = this.pending.get(ballotId);
    if (batch) await this.commit(db, batch).catch(() => undefined);
  }

  /** The close is over (done or refused): a refused close lets casting go on. */
  endClose(ballotId: string) {
    this.closing.delete(ballotId);
  }

  private commit(db: Kysely<Database>, batch: Batch) {
    if (!batch.commit) {
      if (this.pending.get(batch.ballotId) === batch) this.pending.delete(batch.ballotId);
      batch.commit = commitBatch(db, batch.ballotId, [...batch.casts.values()]);
    }
    return batch.commit;
  }
}

/** One transaction: the phase re-checked under a share lock, all rows inserted in token order. */
export async function commitBatch(db: Kysely<Database>, ballotId: string, casts: VerifiedCast[]): Promise<Map<string, CastOutcome>> {
  const sorted = [...casts].sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  const results = new Map<string, CastOutcome>();
  if (sorted.length === 0) return results;
  await db.transaction().execute(async (trx) => {
    const b = await getBallotRow(trx, ballotId, 'share');
    if (b.phase !== 'casting') {
      for (const c of sorted) results.set(c.token, { problem: notCasting(b.phase) });
      return;
    }
    const inserted = await trx
      .insertInto('secret_ballot')
      .values(sorted.map((c) => ({ ballot_id: ballotId, token: c.token, signature: c.signature, choices: c.choices, recused: c.recused ?? null })))
      .onConflict((oc) => oc.doNothing())
      .returning('token')
      .execute();
    const created = new Set(inserted.map((r) => r.token));
    // A row this insert created holds this cast; only the others (stored before) are read back.
    const others = sorted.filter((c) => !created.has(c.token));
    const stored = others.length
      ? await trx.selectFrom('secret_ballot').select(['token', 'signature', 'choices', 'recused']).where('ballot_id', '=', ballotId).where('token', 'in', others.map((c) => c.token)).execute()
      : [];
    const byToken = new Map(stored.map((r) => [r.token, r]));
    for (const c of sorted) {
      if (created.has(c.token)) {
        results.set(c.token, { created: true, signature: c.signature });
        continue;
      }
      const row = byToken.get(c.token);
      if (!row || row.signature !== c.signature || row.choices !== c.choices || row.recused !== (c.recused ?? null)) results.set(c.token, { problem: differentBallot() });
      else results.set(c.token, { created: false, signature: row.signature });
    }
  });
  return results;
}

const queues = new WeakMap<object, CastQueue>();

/** The queue of this process or isolate, one per parsed configuration object. */
export function castQueueFor(config: { CAST_BATCH_INTERVAL_MS: number }): CastQueue {
  let q = queues.get(config);
  if (!q) {
    q = new CastQueue(config.CAST_BATCH_INTERVAL_MS);
    queues.set(config, q);
  }
  return q;
}
