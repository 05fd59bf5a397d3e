// A worker thread of the token pool (token-pool.ts): checks batches of tokens under one ballot key
// with native blst (src/tokens/native.ts, the same strict decoding as in the main thread) and answers
// each job with the batch result. Server, Node only.
//
//   1. loads @chainsafe/blst; says { ready: true }, or { ready: false } when it cannot (the pool then
//      checks in the main thread);
//   2. for each job { id, publicKey, messages, signatures }: one token → verify, several → batchVerify;
//      answers { id, ok: true } or { id, ok: false, bad } (the indexes verify refuses).
import { parentPort } from 'node:worker_threads';
import { loadNativeBlst } from '../../tokens/native.js';
import type { TokenJob, TokenReply } from './token-pool.js';

const port = parentPort;
if (!port) throw new Error('token-worker.ts runs as a worker thread of the token pool');
const native = await loadNativeBlst();
port.on('message', (job: TokenJob) => {
  let reply: TokenReply;
  if (!native) {
    reply = { id: job.id, ok: false, bad: job.messages.map((_, i) => i) };
  } else if (job.messages.length === 1) {
    reply = native.verify(job.publicKey, job.messages[0]!, job.signatures[0]!) ? { id: job.id, ok: true } : { id: job.id, ok: false, bad: [0] };
  } else {
    const r = native.batchVerify(
      job.publicKey,
      job.messages.map((message, i) => ({ message, signature: job.signatures[i]! })),
    );
    reply = r.ok ? { id: job.id, ok: true } : { id: job.id, ok: false, bad: r.bad };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: native !== null });
