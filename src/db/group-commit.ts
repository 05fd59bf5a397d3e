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

/** A connection that remembers whether its open transaction deferred its flush. */
class Watched implements DatabaseConnection {
  deferred = false;
  constructor(readonly inner: DatabaseConnection) {}
  executeQuery<R>(query: CompiledQuery, options?: Parameters<DatabaseConnection['executeQuery']>[1]) {
    if (query.sql.includes(DEFER_FLUSH_SQL)) this.deferred = true;
    return this.inner.executeQuery<R>(query, options);
  }
  streamQuery<R>(query: CompiledQuery, chunkSize: number, options?: Parameters<DatabaseConnection['streamQuery']>[2]) {
    return this.inner.streamQuery<R>(query, chunkSize, options);
  }
  // Cancelling a query and ending a session act on the wrapped connection.
  cancelQuery(provider: Parameters<NonNullable<DatabaseConnection['cancelQuery']>>[0]) {
    return this.inner.cancelQuery?.(provider) ?? Promise.resolve();
  }
  killSession(provider: Parameters<NonNullable<DatabaseConnection['killSession']>>[0]) {
    return this.inner.killSession?.(provider) ?? Promise.resolve();
  }
  collectSessionInfo() {
    return this.inner.collectSessionInfo?.() ?? Promise.resolve();
  }
}

/** Wraps a PostgreSQL driver: after a commit that deferred its flush, flush before returning. */
export class GroupCommitDriver implements Driver {
  constructor(private readonly inner: Driver) {}
  init(options?: Parameters<Driver['init']>[0]) {
    return this.inner.init(options);
  }
  async acquireConnection(options?: Parameters<Driver['acquireConnection']>[0]) {
    return new Watched(await this.inner.acquireConnection(options));
  }
  beginTransaction(c: DatabaseConnection, settings: TransactionSettings) {
    (c as Watched).deferred = false;
    return this.inner.beginTransaction((c as Watched).inner, settings);
  }
  async commitTransaction(c: DatabaseConnection) {
    const w = c as Watched;
    await this.inner.commitTransaction(w.inner);
    if (!w.deferred) return;
    w.deferred = false;
    await w.inner.executeQuery(FLUSH);
  }
  rollbackTransaction(c: DatabaseConnection) {
    (c as Watched).deferred = false;
    return this.inner.rollbackTransaction((c as Watched).inner);
  }
  savepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]) {
    return this.inner.savepoint!((c as Watched).inner, name, compile);
  }
  rollbackToSavepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2]) {
    return this.inner.rollbackToSavepoint!((c as Watched).inner, name, compile);
  }
  releaseSavepoint(c: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['releaseSavepoint']>>[2]) {
    return this.inner.releaseSavepoint!((c as Watched).inner, name, compile);
  }
  releaseConnection(c: DatabaseConnection, options?: Parameters<Driver['releaseConnection']>[1]) {
    return this.inner.releaseConnection((c as Watched).inner, options);
  }
  destroy(options?: Parameters<Driver['destroy']>[0]) {
    return this.inner.destroy(options);
  }
}
