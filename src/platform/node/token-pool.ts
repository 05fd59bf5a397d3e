// Token checks off the event loop: a few worker threads (token-worker.ts) run native blst, so the
// event loop answers HTTP and talks to the database while pairings run on the other cores. Server,
// Node only; chosen at start by server.ts when @chainsafe/blst is installed and threads are wanted.
//
//   1. verifyOffThread(pk, m, s) puts the token in the queue of its key (src/tokens/verifier.ts
//      verifyTogether calls it for every cast);
//   2. whenever a thread is free, it is given up to `maxBatch` waiting tokens of the key waiting
//      longest: batches are as large as the load makes them (one token when idle, many under a burst);
//   3. the thread answers { ok } or { ok: false, bad }; each token resolves to its answer.
//   Fails closed: a thread that errs, exits, times out, or answers anything but a well-formed answer
//   to the job it was given is terminated, and that job's tokens are checked again in this thread by
//   the in-thread backend (`verify` itself), so no token is accepted without a full check. After
//   MAX_FAILURES failures in a row the pool stops starting threads and checks everything in-thread.
//   Threads start at the first token, not at server start (a server that takes no casts starts none).
import { Worker } from 'node:worker_threads';
import { checkAndSettle, hexKey, verifyTogether, type TokenVerifier, type Waiting } from '../../tokens/verifier.js';

/** What the pool sends a thread: tokens under one key. */
export interface TokenJob {
  id: number;
  publicKey: Uint8Array;
  messages: Uint8Array[];
  signatures: Uint8Array[];
}

/** What a thread answers: all valid, or the indexes of the tokens `verify` refuses. */
export type TokenReply = { id: number; ok: true } | { id: number; ok: false; bad: number[] };

export interface TokenPoolOptions {
  /** Worker threads (≥ 1). */
  threads: number;
  /** The in-thread backend (native blst): answers `verify` and `batchVerify`, and every token a thread failed to answer. */
  inThread: TokenVerifier;
  /** The thread's module (default: token-worker next to this module). */
  workerUrl?: URL;
  /** Tokens in one job at most (default 64: ≈ 30 ms of one core with blst). */
  maxBatch?: number;
  /** A job not answered within this is a failed thread (default 10 s). */
  jobTimeoutMs?: number;
  /** Told why a thread was given up (its tokens were checked in-thread). */
  onFailure?: (reason: string) => void;
}

export interface TokenPool extends TokenVerifier {
  verifyOffThread(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** Threads running now. */
  running(): number;
  /** Answers what is waiting (in-thread) and ends the threads. */
  close(): Promise<void>;
}

/** Failures in a row after which no thread is started again (every token checked in-thread). */
export const MAX_FAILURES = 3;

interface Job {
  id: number;
  publicKey: Uint8Array;
  items: Waiting[];
  timer: ReturnType<typeof setTimeout>;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  job?: Job;
}

export function createTokenPool(options: TokenPoolOptions): TokenPool {
  const size = Math.max(1, Math.floor(options.threads));
  const maxBatch = options.maxBatch ?? 64;
  const jobTimeoutMs = options.jobTimeoutMs ?? 10_000;
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const inThread = options.inThread;
  const waiting = new Map<string, { publicKey: Uint8Array; items: Waiting[] }>();
  const threads: Thread[] = [];
  let failures = 0;
  let closed = false;
  let nextId = 1;

  /** The in-thread backend's answer for each token (a job a thread did not answer). */
  const checkInThread = (publicKey: Uint8Array, items: Waiting[]) => checkAndSettle(inThread, publicKey, items);

  const spawn = () => {
    const t: Thread = { worker: new Worker(workerUrl), ready: false, dead: false };
    t.worker.unref();
    t.worker.on('message', (msg: unknown) => onMessage(t, msg));
    t.worker.on('error', (e) => fail(t, `error: ${e instanceof Error ? e.message : String(e)}`));
    t.worker.on('exit', (code) => fail(t, `exited (code ${code})`));
    t.worker.on('messageerror', () => fail(t, 'sent a message that could not be read'));
    threads.push(t);
  };

  const onMessage = (t: Thread, msg: unknown) => {
    if (t.dead) return;
    if (!t.ready) {
      if (isRecord(msg) && msg.ready === true) {
        t.ready = true;
        pump();
      } else fail(t, 'could not load @chainsafe/blst');
      return;
    }
    const job = t.job;
    const answers = job && isRecord(msg) && msg.id === job.id ? readReply(msg, job.items.length) : null;
    if (!job || !answers) return fail(t, 'answered other than its job');
    t.job = undefined;
    clearTimeout(job.timer);
    failures = 0;
    job.items.forEach((it, i) => it.resolve(answers[i]!));
    pump();
  };

  const fail = (t: Thread, reason: string) => {
    if (t.dead) return;
    t.dead = true;
    threads.splice(threads.indexOf(t), 1);
    void t.worker.terminate();
    const job = t.job;
    t.job = undefined;
    if (job) {
      clearTimeout(job.timer);
      checkInThread(job.publicKey, job.items);
    }
    if (closed) return;
    failures++;
    options.onFailure?.(reason);
    pump();
  };

  const send = (t: Thread, publicKey: Uint8Array, items: Waiting[]) => {
    const id = nextId++;
    const timer = setTimeout(() => fail(t, 'did not answer in time'), jobTimeoutMs);
    timer.unref?.();
    t.job = { id, publicKey, items, timer };
    const job: TokenJob = { id, publicKey, messages: items.map((it) => it.message), signatures: items.map((it) => it.signature) };
    t.worker.postMessage(job);
  };

  /** Gives every free thread the tokens of the key waiting longest; in-thread when no thread will come. */
  const pump = () => {
    if (waiting.size === 0) return;
    const giveUp = closed || failures >= MAX_FAILURES;
    if (giveUp && threads.length === 0) {
      const groups = [...waiting.values()];
      waiting.clear();
      for (const g of groups) checkInThread(g.publicKey, g.items);
      return;
    }
    while (!giveUp && threads.length < size) spawn();
    for (const t of threads) {
      if (!t.ready || t.job || t.dead) continue;
      const first = waiting.entries().next();
      if (first.done) return;
      const [k, g] = first.value;
      waiting.delete(k);
      const items = g.items.splice(0, maxBatch);
      // What is left waits behind the other keys' tokens.
      if (g.items.length) waiting.set(k, g);
      send(t, g.publicKey, items);
    }
  };

  return {
    name: `${inThread.name}, ${size} worker thread${size === 1 ? '' : 's'}`,
    verify: inThread.verify,
    batchVerify: inThread.batchVerify,
    verifyOffThread(publicKey, message, signature) {
      // After close: the in-thread check, in batches as on a server without threads.
      if (closed) return verifyTogether(inThread, publicKey, message, signature);
      return new Promise<boolean>((resolve, reject) => {
        const k = hexKey(publicKey);
        let g = waiting.get(k);
        if (!g) waiting.set(k, (g = { publicKey, items: [] }));
        g.items.push({ message, signature, resolve, reject });
        pump();
      });
    },
    running: () => threads.filter((t) => t.ready && !t.dead).length,
    async close() {
      closed = true;
      const ending = threads.map((t) => t.worker);
      for (const t of [...threads]) fail(t, 'closed');
      pump();
      await Promise.all(ending.map((w) => w.terminate()));
    },
  };
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** A thread's answer for `n` tokens, or null for anything but a well-formed one. */
export function readReply(msg: Record<string, unknown>, n: number): boolean[] | null {
  if (msg.ok === true && !('bad' in msg)) return Array.from({ length: n }, () => true);
  if (msg.ok !== false || !Array.isArray(msg.bad) || msg.bad.length === 0) return null;
  const answers = Array.from({ length: n }, () => true);
  for (const i of msg.bad as unknown[]) {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) return null;
    answers[i] = false;
  }
  return answers;
}

/** The thread's module: token-worker.js beside the built server; from TypeScript source, a loader that registers tsx in the thread first. */
const defaultWorkerUrl = () => new URL(import.meta.url.endsWith('.ts') ? './token-worker-source.mjs' : './token-worker.js', import.meta.url);
