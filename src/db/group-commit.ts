// Group commit of log appends on PostgreSQL.
//
// Every fact is one transaction that writes its state and appends its log entry, and appends are
// serialized by the log head's row lock (src/log/append.ts), held until that transaction commits. With
// a synchronous commit the lock is therefore held across the commit's WAL flush (an fsync), and the
// log cannot take more than one append per fsync, however many writers wait.
//
// So a transaction that appends commits without waiting for the flush (synchronous_commit off for that
// transaction only, set by the head-lock query itself), which releases the lock as soon as its commit
// record is in the WAL; and then, before the fact is acknowledged, the same connection makes its commit
// durable: one tiny synchronous transaction that writes a WAL record (a transactional logical message)
// and so flushes the WAL up to and including every earlier commit record. Writers waiting for that
// flush at the same time share one fsync (PostgreSQL's own group commit).
//
//   - Acknowledged ⇒ durable: commitTransaction returns only after the flush.
//   - Dense indexes survive a crash: the WAL is replayed in order, so if entry n+1's commit survived,
//     entry n's (earlier in the WAL) did too; a lost tail is a tail of entries nobody was told about.
//   - A checkpoint is signed in a synchronous transaction that read the head first, so its own flush
//     covers every entry it commits to.
//   - What changes: another reader may see an appended entry during the few milliseconds before its
//     flush; after a crash in that window the entry is gone and its index is reused. No signed
//     checkpoint and no acknowledgement ever names such an entry.
//
// PGlite is one connection in one process: there is nothing to group, and its appends stay synchronous.
import { CompiledQuery, type DatabaseConnection, type Driver, type KyselyPlugin, type TransactionSettings } from 'kysely';

/** Added to the head-lock query of a transaction that appends: its commit does not wait for the flush. */
export const DEFER_FLUSH_SQL = "set_config('synchronous_commit', 'off', true)";

/** The flush after such a commit: a synchronous transaction that writes one WAL record. */
const FLUSH = CompiledQuery.raw("select pg_logical_emit_message(true, 'hzqa-log-flush', '')");

/**
 * Marks a Kysely instance whose driver makes deferred commits durable before returning (see above);
 * append.ts defers the flush only on such an instance. It changes no query.
 */
export const groupCommit: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => args.result,
};

// The wrappers pass each call's arguments through as they come, whatever the driver interface adds.
type Args<K extends keyof Driver> = Parameters<NonNullable<Driver[K]>>;

/** A connection that remembers whether its open transaction deferred its flush. */
class Watched implements DatabaseConnection {
  deferred = false;
  constructor(readonly inner: DatabaseConnection) {}
  executeQuery<R>(...args: Parameters<DatabaseConnection['executeQuery']>) {
    if (args[0].sql.includes(DEFER_FLUSH_SQL)) this.deferred = true;
    return this.inner.executeQuery<R>(...args);
  }
  streamQuery<R>(...args: Parameters<DatabaseConnection['streamQuery']>) {
    return this.inner.streamQuery<R>(...args);
  }
}

const inner = (c: DatabaseConnection) => (c as Watched).inner;

/** True if the transaction open on this connection has taken the log's append lock (its commit defers the flush). */
export function holdsAppendLock(c: DatabaseConnection): boolean {
  return c instanceof Watched && c.deferred;
}

/** Wraps a PostgreSQL driver: after a commit that deferred its flush, flush before returning. */
export class GroupCommitDriver implements Driver {
  constructor(private readonly wrapped: Driver) {}
  init(...args: Args<'init'>) {
    return this.wrapped.init(...args);
  }
  async acquireConnection(...args: Args<'acquireConnection'>) {
    return new Watched(await this.wrapped.acquireConnection(...args));
  }
  beginTransaction(c: DatabaseConnection, settings: TransactionSettings) {
    (c as Watched).deferred = false;
    return this.wrapped.beginTransaction(inner(c), settings);
  }
  async commitTransaction(c: DatabaseConnection) {
    const w = c as Watched;
    if (!w.deferred) return this.wrapped.commitTransaction(w.inner);
    w.deferred = false;
    // The flush is sent right behind the commit, in the same write: the connection runs them in order,
    // so it starts the moment the commit is done, with no round trip between. If the commit fails, the
    // flush is a harmless transaction of its own and the commit's error is what the caller gets.
    const committed = this.wrapped.commitTransaction(w.inner);
    const flushed = w.inner.executeQuery(FLUSH);
    flushed.catch(() => {});
    await committed;
    await flushed;
  }
  rollbackTransaction(c: DatabaseConnection) {
    (c as Watched).deferred = false;
    return this.wrapped.rollbackTransaction(inner(c));
  }
  savepoint(c: DatabaseConnection, name: string, compile: Args<'savepoint'>[2]) {
    return this.wrapped.savepoint!(inner(c), name, compile);
  }
  rollbackToSavepoint(c: DatabaseConnection, name: string, compile: Args<'rollbackToSavepoint'>[2]) {
    return this.wrapped.rollbackToSavepoint!(inner(c), name, compile);
  }
  releaseSavepoint(c: DatabaseConnection, name: string, compile: Args<'releaseSavepoint'>[2]) {
    return this.wrapped.releaseSavepoint!(inner(c), name, compile);
  }
  releaseConnection(c: DatabaseConnection, ...rest: Args<'releaseConnection'> extends [unknown, ...infer R] ? R : never) {
    return this.wrapped.releaseConnection(inner(c), ...rest);
  }
  destroy(...args: Args<'destroy'>) {
    return this.wrapped.destroy(...args);
  }
}
