/**
 * Token verification on the cast path: one interface, `TokenVerifier.verify(publicKey, message,
 * signature)` = CoreVerify (draft-irtf-cfrg-bls-signature-05 §2.7) with the ciphersuite of
 * crypto/blind.ts, false for any refused encoding. The backend is chosen once, at start, by the
 * entry point:
 *   noble  crypto/blind.ts verifyToken, pure JS: the reference, and what runs where nothing else
 *          does (Workers, browsers);
 *   blst   @chainsafe/blst (native, Node only, optional dependency; src/tokens/native.ts) when it is
 *          installed: ~20× faster, behind the same strict decoding rules (test/tokens/ checks that
 *          every backend gives the same answer on valid tokens, forgeries and every refused encoding).
 * A ballot's public key is the same for every cast, so each backend keeps its decoded form (a few
 * keys, by their bytes).
 *
 * Casts that arrive together are checked together (`verifyTogether`): the tokens that arrive within
 * a few milliseconds under the same key go through the backend's batch check (a random linear
 * combination, crypto/blind.ts batchVerify; blst's verifyMultipleAggregateSignatures), which costs
 * about half the pairing work of checking them one by one; if the batch fails, each is checked alone,
 * so every cast gets exactly the answer `verify` gives it, and a bad token costs the batch at most
 * what checking its members one by one would have.
 *
 * A backend may also check away from the event loop (`verifyOffThread`: the Node entry's worker
 * threads running blst, src/platform/node/token-pool.ts): then verifyTogether hands each token to it,
 * and it forms its batches from whatever is waiting when a thread is free, while the event loop goes
 * on with HTTP and the database.
 * @module
 */
import { batchVerify, verifyToken as nobleVerify, type BatchResult } from '../../crypto/blind.js';

export interface TokenVerifier {
  /** Which backend answers ("noble", "@chainsafe/blst"). */
  readonly name: string;
  /** CoreVerify of an unblinded token; false on a bad encoding of any input. Server. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Many tokens under one key at once; `bad` names exactly those `verify` refuses (a batch passes wrongly with probability ≤ 2⁻⁶⁴). Server. */
  batchVerify(publicKey: Uint8Array, items: readonly { message: Uint8Array; signature: Uint8Array }[]): BatchResult;
  /**
   * Optional: the same answer as `verify`, computed off the event loop in a batch with the other
   * tokens waiting then. Never true for a token `verify` refuses: on any failure of the other thread
   * it answers from `verify` itself, or rejects. Server.
   */
  verifyOffThread?(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export const nobleVerifier: TokenVerifier = { name: 'noble', verify: nobleVerify, batchVerify: (publicKey, items) => batchVerify(publicKey, items) };

/** Tokens checked together at most: a batch blocks the event loop for its whole check (≈ 12 ms a token in pure JS). */
export const MAX_BATCH = 32;

/** A token waiting for its check, settled with its verdict (or the backend's error). */
export interface Waiting {
  message: Uint8Array;
  signature: Uint8Array;
  resolve: (valid: boolean) => void;
  reject: (e: unknown) => void;
}

/** The tokens waiting for this turn's check, by verifier, then by key (hex). */
const waiting = new WeakMap<TokenVerifier, Map<string, { publicKey: Uint8Array; items: Waiting[] }>>();

/**
 * How long the first token of a batch waits for others (ms): casts sent together reach this point a
 * few at a time, as their database reads come back; a few milliseconds gather them into batches,
 * where the check costs about half as much a token (blst: 0.49 against 0.95 ms of CPU in batches of 16).
 */
export const BATCH_WINDOW_MS = 3;

/** verify(publicKey, message, signature), checked in one batch with the other tokens under the same key that arrive within BATCH_WINDOW_MS. Server. */
export function verifyTogether(verifier: TokenVerifier, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  // A backend with threads of its own batches there, by what is waiting when a thread is free.
  if (verifier.verifyOffThread) return verifier.verifyOffThread(publicKey, message, signature);
  let byKey = waiting.get(verifier);
  if (!byKey) {
    byKey = new Map();
    waiting.set(verifier, byKey);
  }
  const k = hexKey(publicKey);
  let group = byKey.get(k);
  if (!group) {
    group = { publicKey, items: [] };
    byKey.set(k, group);
    const g = group;
    setTimeout(() => {
      if (byKey.get(k) === g) byKey.delete(k);
      checkAndSettle(verifier, g.publicKey, g.items);
    }, BATCH_WINDOW_MS);
  }
  const g = group;
  return new Promise<boolean>((resolve, reject) => {
    g.items.push({ message, signature, resolve, reject });
    if (g.items.length >= MAX_BATCH) {
      // Full: checked as it is, and the next token starts another batch.
      byKey.delete(k);
      const items = g.items.splice(0);
      checkAndSettle(verifier, g.publicKey, items);
    }
  });
}

/** Checks `items` with `verifier` in this thread — one alone, several as a batch — and settles each. */
export function checkAndSettle(verifier: TokenVerifier, publicKey: Uint8Array, items: Waiting[]) {
  if (items.length === 0) return;
  try {
    if (items.length === 1) {
      const it = items[0]!;
      it.resolve(verifier.verify(publicKey, it.message, it.signature));
      return;
    }
    const r = verifier.batchVerify(publicKey, items);
    const bad = new Set(r.ok ? [] : r.bad);
    items.forEach((it, i) => it.resolve(!bad.has(i)));
  } catch (e) {
    for (const it of items) it.reject(e);
  }
}

/** A public key's bytes as lowercase hex: the name its waiting tokens are grouped under. */
export function hexKey(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** The verifier of these dependencies (noble unless the entry point chose another). */
export const tokenVerifier = (deps: { tokens?: TokenVerifier | undefined }): TokenVerifier => deps.tokens ?? nobleVerifier;
