// The Node entry's token check threads fail closed: a thread that exits, throws, hangs, cannot load
// blst, or answers anything but a well-formed answer to its own job never gets a token accepted —
// its job is checked again in the event loop, so a forgery is refused and a valid token still
// passes; after MAX_FAILURES such failures in a row no thread is started again. The misbehaving
// threads are small modules speaking the pool's protocol; the last test stops the real worker in
// the middle of its job.
import { describe, expect, it } from 'vitest';
import { blind, blindSign, deriveBallotKey, finalizeToken, newToken, tokenMessage } from '../../crypto/blind.js';
import { loadNativeBlst } from '../../src/tokens/native.js';
import { createTokenPool, MAX_FAILURES, readReply } from '../../src/platform/node/token-pool.js';

const native = await loadNativeBlst();
const key = deriveBallotKey(new Uint8Array(32).fill(8), 'ballot-pool');

function token() {
  const message = tokenMessage('ballot-pool', newToken());
  const { blinded, r } = blind(message);
  return { message, signature: finalizeToken(key.publicKey, message, blinded, blindSign(key.secretKey, blinded), r) };
}

const valid = Array.from({ length: 4 }, () => token());
// A forgery: a valid token's signature on another token's message, and a refused encoding (identity).
const forged = [
  { message: valid[1]!.message, signature: valid[0]!.signature },
  { message: valid[2]!.message, signature: Uint8Array.of(0xc0, ...new Uint8Array(95)) },
];
const sent = [valid[0]!, forged[0]!, valid[1]!, forged[1]!, valid[2]!, valid[3]!];
const expected = [true, false, true, false, true, true];

/** A thread that says it is ready, then does `onJob` with each job. */
const thread = (onJob: string, ready = 'true') =>
  new URL(
    'data:text/javascript,' +
      encodeURIComponent(`import { parentPort } from 'node:worker_threads';
parentPort.on('message', (job) => { ${onJob} });
parentPort.postMessage({ ready: ${ready} });`),
  );

const misbehaving: [string, URL][] = [
  ['exits in the middle of a job', thread('process.exit(3);')],
  ['throws on a job', thread("throw new Error('lost');")],
  ['answers “all valid” with a list of bad ones', thread('parentPort.postMessage({ id: job.id, ok: true, bad: [] });')],
  ['answers another job', thread('parentPort.postMessage({ id: job.id + 1, ok: true });')],
  ['names a token the job does not have', thread('parentPort.postMessage({ id: job.id, ok: false, bad: [job.messages.length] });')],
  ['answers with something else', thread('parentPort.postMessage("ok");')],
  ['never answers', thread('')],
  ['cannot load blst', thread('', 'false')],
];

describe.runIf(native)('token check threads fail closed', () => {
  for (const [name, url] of misbehaving) {
    it(`a thread that ${name}: every token gets the in-thread answer; no thread after ${MAX_FAILURES} failures`, async () => {
      const reasons: string[] = [];
      const pool = createTokenPool({ threads: 1, inThread: native!, workerUrl: url, jobTimeoutMs: 300, onFailure: (r) => reasons.push(r) });
      try {
        // Together (one job), then one at a time (a job each), until the pool gives up its threads.
        expect(await Promise.all(sent.map((x) => pool.verifyOffThread(key.publicKey, x.message, x.signature)))).toEqual(expected);
        for (let round = 0; round < MAX_FAILURES; round++) {
          for (const [i, x] of sent.entries()) expect(await pool.verifyOffThread(key.publicKey, x.message, x.signature), `token ${i}`).toBe(expected[i]);
        }
        expect(reasons.length).toBe(MAX_FAILURES);
        expect(pool.running()).toBe(0);
      } finally {
        await pool.close();
      }
    });
  }

  it('the real thread stopped in the middle of its job (it took too long): the job is checked in the event loop', async () => {
    const reasons: string[] = [];
    const many = Array.from({ length: 40 }, (_, i) => (i % 10 === 3 ? forged[i % 2]! : valid[i % 4]!));
    const pool = createTokenPool({ threads: 1, inThread: native!, jobTimeoutMs: 1, onFailure: (r) => reasons.push(r) });
    try {
      const answers = await Promise.all(many.map((x) => pool.verifyOffThread(key.publicKey, x.message, x.signature)));
      expect(answers).toEqual(many.map((_, i) => i % 10 !== 3));
      expect(reasons).toContain('did not answer in time');
    } finally {
      await pool.close();
    }
  });

  it('a healthy thread answers each token as the event loop would, and close answers what still waits', async () => {
    const reasons: string[] = [];
    const pool = createTokenPool({ threads: 1, inThread: native!, onFailure: (r) => reasons.push(r) });
    const answers = Promise.all(sent.map((x) => pool.verifyOffThread(key.publicKey, x.message, x.signature)));
    expect(await answers).toEqual(expected);
    expect(pool.running()).toBe(1);
    const pending = Promise.all(sent.map((x) => pool.verifyOffThread(key.publicKey, x.message, x.signature)));
    await pool.close();
    expect(await pending).toEqual(expected);
    expect(pool.running()).toBe(0);
    // After close, still answered (in the event loop).
    expect(await pool.verifyOffThread(key.publicKey, forged[0]!.message, forged[0]!.signature)).toBe(false);
    expect(reasons).toEqual([]);
  });
});

describe('a thread’s answer is read strictly', () => {
  it('only { ok: true } or { ok: false, bad: [indexes in range] }', () => {
    expect(readReply({ id: 1, ok: true }, 3)).toEqual([true, true, true]);
    expect(readReply({ id: 1, ok: false, bad: [2, 0] }, 3)).toEqual([false, true, false]);
    for (const bad of [{ ok: true, bad: [] }, { ok: false }, { ok: false, bad: [] }, { ok: false, bad: [3] }, { ok: false, bad: [-1] }, { ok: false, bad: [0.5] }, { ok: false, bad: ['0'] }, { ok: 'true' }, {}]) {
      expect(readReply(bad as Record<string, unknown>, 3), JSON.stringify(bad)).toBeNull();
    }
  });
});
