// Every token verification backend gives the reference's answer: on valid tokens, on forgeries, and
// on every encoding the strict decoder refuses (the native one must refuse them too, not accept a
// form blst alone would take), in the event loop and in the worker threads of the Node entry's pool.
// The Node entry chooses native blst when installed, in worker threads when it has cores to spare.
import { afterAll, describe, expect, it } from 'vitest';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { blind, blindSign, deriveBallotKey, finalizeToken, newToken, tokenMessage, verifyToken, decodeSignature, decodePublicKey } from '../../crypto/blind.js';
import { bigIntToBytes, concatBytes } from '../../crypto/bytes.js';
import { MAX_BATCH, nobleVerifier, verifyTogether, type TokenVerifier } from '../../src/tokens/verifier.js';
import { loadNativeBlst } from '../../src/tokens/native.js';
import { chooseTokenVerifier } from '../../src/platform/node/server.js';
import { createTokenPool, type TokenPool } from '../../src/platform/node/token-pool.js';

const { G1, G2, fields } = bls12_381;
const { Fp, Fp2 } = fields;
const P = Fp.ORDER;

const native = await loadNativeBlst();
// blst in a worker thread: its own `verify` is the in-thread one; its answers off the event loop are checked below.
const pool: TokenPool | null = native ? createTokenPool({ threads: 1, inThread: native }) : null;
afterAll(() => pool?.close());
const backends: TokenVerifier[] = [nobleVerifier, ...(native ? [native] : []), ...(pool ? [pool] : [])];

const key = deriveBallotKey(new Uint8Array(32).fill(5), 'ballot-agree');
const other = deriveBallotKey(new Uint8Array(32).fill(6), 'ballot-agree');

function token(ballotId = 'ballot-agree', k = key) {
  const message = tokenMessage(ballotId, newToken());
  const { blinded, r } = blind(message);
  return { message, signature: finalizeToken(k.publicKey, message, blinded, blindSign(k.secretKey, blinded), r) };
}

/** Compressed encodings by the flag byte and coordinates, valid or not. */
const withFlags = (bytes: Uint8Array, set: number, clear = 0) => {
  const out = bytes.slice();
  out[0] = (out[0]! | set) & ~clear & 0xff;
  return out;
};

function offCurveAndSubgroup() {
  let g1Off: Uint8Array | undefined, g1Sub: Uint8Array | undefined, g2Off: Uint8Array | undefined, g2Sub: Uint8Array | undefined;
  for (let x = 1n; !g1Off || !g1Sub; x++) {
    const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
    const enc = withFlags(bigIntToBytes(x, 48), 0x80);
    let y: bigint | undefined;
    try {
      y = Fp.sqrt(rhs);
      if (!Fp.eql(Fp.sqr(y), rhs)) y = undefined;
    } catch {
      y = undefined;
    }
    if (y === undefined) g1Off ??= enc;
    else if (!G1.Point.fromAffine({ x, y }).isTorsionFree()) g1Sub ??= enc;
  }
  const b = Fp2.create({ c0: 4n, c1: 4n });
  for (let k = 1n; !g2Off || !g2Sub; k++) {
    const x = Fp2.create({ c0: k, c1: 1n });
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
    const enc = withFlags(concatBytes(bigIntToBytes(1n, 48), bigIntToBytes(k, 48)), 0x80);
    let y;
    try {
      y = Fp2.sqrt(rhs);
      if (!Fp2.eql(Fp2.sqr(y), rhs)) y = undefined;
    } catch {
      y = undefined;
    }
    if (y === undefined) g2Off ??= enc;
    else if (!G2.Point.fromAffine({ x, y }).isTorsionFree()) g2Sub ??= enc;
  }
  return { g1Off: g1Off!, g1Sub: g1Sub!, g2Off: g2Off!, g2Sub: g2Sub! };
}

describe('token verification backends agree', () => {
  it(`backends under test: ${backends.map((b) => b.name).join(', ')}`, () => {
    expect(backends[0]!.name).toBe('noble');
  });

  const valid = Array.from({ length: 6 }, () => token());
  const bad = offCurveAndSubgroup();
  const t = valid[0]!;
  const sigUncompressed = decodeSignature(t.signature).toBytes(false);
  const pkUncompressed = decodePublicKey(key.publicKey).toBytes(false);
  const G2_ID = concatBytes(Uint8Array.of(0xc0), new Uint8Array(95));
  const G1_ID = concatBytes(Uint8Array.of(0xc0), new Uint8Array(47));

  const cases: { name: string; pk: Uint8Array; m: Uint8Array; s: Uint8Array; expected: boolean }[] = [
    ...valid.map((v, i) => ({ name: `valid token ${i}`, pk: key.publicKey, m: v.message, s: v.signature, expected: true })),
    { name: 'another token’s signature', pk: key.publicKey, m: valid[1]!.message, s: t.signature, expected: false },
    { name: 'another ballot’s message', pk: key.publicKey, m: tokenMessage('ballot-other', t.message.subarray(-32)), s: t.signature, expected: false },
    { name: 'another key', pk: other.publicKey, m: t.message, s: t.signature, expected: false },
    { name: 'signature negated (sort flag flipped)', pk: key.publicKey, m: t.message, s: withFlags(t.signature, t.signature[0]! & 0x20 ? 0 : 0x20, t.signature[0]! & 0x20), expected: false },
    { name: 'signature: identity', pk: key.publicKey, m: t.message, s: G2_ID, expected: false },
    { name: 'signature: identity with sort flag', pk: key.publicKey, m: t.message, s: withFlags(G2_ID, 0x20), expected: false },
    { name: 'signature: identity with junk', pk: key.publicKey, m: t.message, s: concatBytes(G2_ID.subarray(0, 95), Uint8Array.of(1)), expected: false },
    { name: 'signature: uncompressed (192 bytes)', pk: key.publicKey, m: t.message, s: sigUncompressed, expected: false },
    { name: 'signature: compression flag cleared', pk: key.publicKey, m: t.message, s: withFlags(t.signature, 0, 0x80), expected: false },
    { name: 'signature: x1 ≥ p', pk: key.publicKey, m: t.message, s: withFlags(concatBytes(bigIntToBytes(P, 48), new Uint8Array(48)), 0x80), expected: false },
    { name: 'signature: x0 ≥ p', pk: key.publicKey, m: t.message, s: concatBytes(Uint8Array.of(0x80), new Uint8Array(47), bigIntToBytes(P + 1n, 48)), expected: false },
    { name: 'signature: not on the curve', pk: key.publicKey, m: t.message, s: bad.g2Off, expected: false },
    { name: 'signature: outside the subgroup', pk: key.publicKey, m: t.message, s: bad.g2Sub, expected: false },
    ...[0, 48, 95, 97].map((n) => ({ name: `signature: ${n} bytes`, pk: key.publicKey, m: t.message, s: new Uint8Array(n), expected: false })),
    { name: 'signature truncated', pk: key.publicKey, m: t.message, s: t.signature.subarray(0, 95), expected: false },
    { name: 'key: identity', pk: G1_ID, m: t.message, s: t.signature, expected: false },
    { name: 'key: uncompressed (96 bytes)', pk: pkUncompressed, m: t.message, s: t.signature, expected: false },
    { name: 'key: compression flag cleared', pk: withFlags(key.publicKey, 0, 0x80), m: t.message, s: t.signature, expected: false },
    { name: 'key: x ≥ p', pk: withFlags(bigIntToBytes(P, 48), 0x80), m: t.message, s: t.signature, expected: false },
    { name: 'key: not on the curve', pk: bad.g1Off, m: t.message, s: t.signature, expected: false },
    { name: 'key: outside the subgroup', pk: bad.g1Sub, m: t.message, s: t.signature, expected: false },
    { name: 'key: 47 bytes', pk: key.publicKey.subarray(1), m: t.message, s: t.signature, expected: false },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      // The reference, then each backend (twice: the second answer comes from its key cache).
      expect(verifyToken(c.pk, c.m, c.s)).toBe(c.expected);
      for (const b of backends) {
        expect(b.verify(c.pk, c.m, c.s), b.name).toBe(c.expected);
        expect(b.verify(c.pk, c.m, c.s), `${b.name} again`).toBe(c.expected);
      }
      // Alone in the worker thread (its one-token check), twice.
      if (pool) {
        expect(await pool.verifyOffThread(c.pk, c.m, c.s), pool.name).toBe(c.expected);
        expect(await pool.verifyOffThread(c.pk, c.m, c.s), `${pool.name} again`).toBe(c.expected);
      }
    });
  }

  it('checked together (casts arriving at once), every backend gives each token the answer it gives alone', async () => {
    for (const b of backends) {
      // Every case at once: those under the ballot's key form one batch with forgeries and refused
      // encodings among valid tokens (the batch fails, then each is checked alone); the others go alone.
      const answers = await Promise.all(cases.map((c) => verifyTogether(b, c.pk, c.m, c.s)));
      expect(answers, b.name).toEqual(cases.map((c) => c.expected));
      // Only valid tokens: the batch passes as a whole.
      expect(await Promise.all(valid.map((v) => verifyTogether(b, key.publicKey, v.message, v.signature))), b.name).toEqual(valid.map(() => true));
    }
  });

  it(`tokens waiting together under one key are one batch check (at most ${MAX_BATCH}); alone, one plain check`, async () => {
    const calls: string[] = [];
    const spy: TokenVerifier = {
      name: 'spy',
      verify: (pk, m, s) => (calls.push('verify'), nobleVerifier.verify(pk, m, s)),
      batchVerify: (pk, items) => (calls.push(`batch ${items.length}`), nobleVerifier.batchVerify(pk, items)),
    };
    const forged = { message: valid[1]!.message, signature: t.signature };
    const many = [...Array.from({ length: MAX_BATCH + 4 }, (_, i) => valid[i % valid.length]!), forged];
    const answers = await Promise.all(many.map((v) => verifyTogether(spy, key.publicKey, v.message, v.signature)));
    expect(answers).toEqual(many.map((v) => v !== forged));
    expect(calls).toEqual([`batch ${MAX_BATCH}`, 'batch 5']);
    calls.length = 0;
    expect(await verifyTogether(spy, key.publicKey, t.message, t.signature)).toBe(true);
    expect(calls).toEqual(['verify']);
  });

  it('a flipped bit anywhere in a valid signature fails in every backend', async () => {
    const flipped: Uint8Array[] = [];
    for (let bit = 0; bit < 96 * 8; bit += 7) {
      const s = t.signature.slice();
      s[bit >> 3]! ^= 1 << (bit & 7);
      flipped.push(s);
      for (const b of backends) expect(b.verify(key.publicKey, t.message, s), `${b.name} bit ${bit}`).toBe(false);
    }
    // In the worker thread, all at once among valid tokens (batches fail, then each is checked alone).
    if (pool) {
      const sent = [...flipped.map((s) => ({ message: t.message, signature: s })), ...valid];
      const answers = await Promise.all(sent.map((x) => pool.verifyOffThread(key.publicKey, x.message, x.signature)));
      expect(answers).toEqual(sent.map((_, i) => i >= flipped.length));
    }
  });
});

describe('the Node entry chooses the backend at start', () => {
  it('auto: native blst when installed, else noble; noble on request; blst in worker threads when threads are given', async () => {
    expect((await chooseTokenVerifier('auto')).name).toBe(native ? '@chainsafe/blst' : 'noble');
    expect((await chooseTokenVerifier('noble')).name).toBe('noble');
    expect((await chooseTokenVerifier('noble', 2)).name).toBe('noble');
    if (native) expect((await chooseTokenVerifier('blst')).name).toBe('@chainsafe/blst');
    else await expect(chooseTokenVerifier('blst')).rejects.toThrow(/not installed/);
    const threaded = (await chooseTokenVerifier('auto', 2)) as Partial<TokenPool> & TokenVerifier;
    try {
      // Without blst, no threads: noble in the event loop.
      expect(threaded.name).toBe(native ? '@chainsafe/blst, 2 worker threads' : 'noble');
      expect(typeof threaded.verifyOffThread).toBe(native ? 'function' : 'undefined');
    } finally {
      await threaded.close?.();
    }
  });
});
