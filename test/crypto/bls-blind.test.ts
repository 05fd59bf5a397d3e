// Blind BLS tokens (Boldyreva 2003) on BLS12-381 min-pk, ciphersuite
// BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ (draft-irtf-cfrg-bls-signature-05). Pairings cost
// ~25 ms each in pure JS: this file keeps their number small.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bigIntToBytes, concatBytes, utf8 } from '../../crypto/bytes.js';
import {
  BlindError,
  BlsEncodingError,
  CIPHERSUITE,
  batchVerify,
  blind,
  blindSign,
  checkBlindSignature,
  decodePublicKey,
  decodeSignature,
  deriveBallotKey,
  finalizeToken,
  hashToPoint,
  keyGen,
  newToken,
  popProve,
  popVerify,
  tokenMessage,
  unblind,
  verifyToken,
} from '../../crypto/blind.js';
import { loadNativeBlst } from '../../tools/blst.js';

const { G1, G2, fields } = bls12_381;
const { Fp, Fp2, Fr } = fields;
const master = new Uint8Array(32).map((_, i) => i + 1);
const ballotA = deriveBallotKey(master, 'cycle-2026/quality-award/ballot-1');
const ballotB = deriveBallotKey(master, 'cycle-2026/quality-award/ballot-2');

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof BlsEncodingError) return e.code;
    throw e;
  }
  return undefined;
}

/** One full issuance; returns everything the tablet holds. */
function issue(ballotId: string, key: { secretKey: Uint8Array; publicKey: Uint8Array }) {
  const token = newToken();
  const message = tokenMessage(ballotId, token);
  const { blinded, r } = blind(message);
  const blindSig = blindSign(key.secretKey, blinded);
  return { token, message, blinded, r, blindSig };
}

// ---- malformed encodings, built once
const P = Fp.ORDER;
const G1_ID = concatBytes(Uint8Array.of(0xc0), new Uint8Array(47));
const G2_ID = concatBytes(Uint8Array.of(0xc0), new Uint8Array(95));
/** Compressed encodings of small x: the first that is not on the curve, the first on the curve but outside the subgroup. */
function findG1(): { offCurve: Uint8Array; offSubgroup: Uint8Array } {
  let offCurve: Uint8Array | undefined;
  let offSubgroup: Uint8Array | undefined;
  for (let x = 1n; !offCurve || !offSubgroup; x++) {
    const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
    const enc = bigIntToBytes(x, 48);
    enc[0]! |= 0x80;
    let y: bigint | undefined;
    try {
      y = Fp.sqrt(rhs);
      if (!Fp.eql(Fp.sqr(y), rhs)) y = undefined;
    } catch {
      y = undefined;
    }
    if (y === undefined) offCurve ??= enc;
    else if (!G1.Point.fromAffine({ x, y }).isTorsionFree()) offSubgroup ??= enc;
  }
  return { offCurve, offSubgroup };
}
function findG2(): { offCurve: Uint8Array; offSubgroup: Uint8Array } {
  let offCurve: Uint8Array | undefined;
  let offSubgroup: Uint8Array | undefined;
  const b = Fp2.create({ c0: 4n, c1: 4n });
  for (let k = 1n; !offCurve || !offSubgroup; k++) {
    const x = Fp2.create({ c0: k, c1: 1n });
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
    const enc = concatBytes(bigIntToBytes(1n, 48), bigIntToBytes(k, 48)); // x1 ‖ x0
    enc[0]! |= 0x80;
    let y;
    try {
      y = Fp2.sqrt(rhs);
      if (!Fp2.eql(Fp2.sqr(y), rhs)) y = undefined;
    } catch {
      y = undefined;
    }
    if (y === undefined) offCurve ??= enc;
    else if (!G2.Point.fromAffine({ x, y }).isTorsionFree()) offSubgroup ??= enc;
  }
  return { offCurve, offSubgroup };
}

describe('keys: KeyGen (draft §2.3), ballot keys, proof of possession', () => {
  it('KeyGen is deterministic, refuses short IKM, and matches blst when installed', async () => {
    expect(keyGen(master)).toEqual(keyGen(master));
    expect(keyGen(master, utf8('a'))).not.toEqual(keyGen(master, utf8('b')));
    expect(() => keyGen(new Uint8Array(31))).toThrow(BlindError);
    expect(() => deriveBallotKey(new Uint8Array(31), 'x')).toThrow('deriveBallotKey: master secret must be at least 32 bytes');
    expect(() => deriveBallotKey(master, '')).toThrow(BlindError);
    const native = await import('@chainsafe/blst').then((m) => (m as unknown as { default?: typeof m }).default ?? m).catch(() => null);
    if (native) {
      for (const info of ['', 'hz-quality-award/ballot-key/v1:cycle-2026/quality-award/ballot-1']) {
        const sk = native.SecretKey.fromKeygen(master, utf8(info));
        expect(new Uint8Array(sk.toBytes())).toEqual(keyGen(master, utf8(info)));
      }
      expect(new Uint8Array(native.SecretKey.fromBytes(ballotA.secretKey).toPublicKey().toBytes(true))).toEqual(ballotA.publicKey);
    }
  });

  it('each ballot has its own key; PoP verifies for its key only', () => {
    expect(ballotA.publicKey).toHaveLength(48);
    expect(ballotA.secretKey).toHaveLength(32);
    expect(ballotA.publicKey).not.toEqual(ballotB.publicKey);
    const pop = popProve(ballotA.secretKey);
    expect(pop).toHaveLength(96);
    expect(popVerify(ballotA.publicKey, pop)).toBe(true);
    expect(popVerify(ballotB.publicKey, pop)).toBe(false);
    expect(popVerify(ballotA.publicKey, G2_ID)).toBe(false);
  });
});

describe('blind issuance and casting', () => {
  const a = issue('cycle-2026/quality-award/ballot-1', ballotA);

  it('the unblinded token is an ordinary BLS signature (noble, blst)', async () => {
    expect(checkBlindSignature(ballotA.publicKey, a.blinded, a.blindSig)).toBe(true);
    const S = unblind(a.blindSig, a.r);
    expect(S).toHaveLength(96);
    expect(verifyToken(ballotA.publicKey, a.message, S)).toBe(true);
    // S = sk·H(m): compare with noble's plain signer (no pairing needed)
    const ls = bls12_381.longSignatures;
    const direct = ls.sign(ls.hash(a.message, CIPHERSUITE), ballotA.secretKey);
    expect(decodeSignature(S).equals(direct)).toBe(true);
    expect(ls.verify(S, ls.hash(a.message, CIPHERSUITE), ballotA.publicKey)).toBe(true);
    const native = await loadNativeBlst();
    if (native) expect(native.verify(ballotA.publicKey, a.message, S)).toBe(true);
  });

  it("another ballot's key, message or token does not verify", () => {
    const S = finalizeToken(ballotA.publicKey, a.message, a.blinded, a.blindSig, a.r);
    expect(verifyToken(ballotB.publicKey, a.message, S)).toBe(false);
    expect(verifyToken(ballotA.publicKey, tokenMessage('cycle-2026/quality-award/ballot-2', a.token), S)).toBe(false);
  });

  it('finalizeToken refuses a blind signature made with another key (signer cheated)', () => {
    const cheat = blindSign(ballotB.secretKey, a.blinded);
    let err: unknown;
    try {
      finalizeToken(ballotA.publicKey, a.message, a.blinded, cheat, a.r);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BlindError);
    expect((err as BlindError).code).toBe('signer-cheated');
  });

  it('blind signing is deterministic (a retry returns the same S′) and blinding is randomized', () => {
    expect(blindSign(ballotA.secretKey, a.blinded)).toEqual(a.blindSig);
    expect(blind(a.message).blinded).not.toEqual(a.blinded);
  });

  it('property: unblind(sk·r·H(m), r) = sk·H(m) (no pairings)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ minLength: 1, maxLength: 12 }), (token, id) => {
        const m = tokenMessage(id, token);
        const { blinded, r } = blind(m);
        const S = unblind(blindSign(ballotA.secretKey, blinded), r);
        const sk = BigInt('0x' + Array.from(ballotA.secretKey, (x) => x.toString(16).padStart(2, '0')).join(''));
        expect(decodeSignature(S).equals(hashToPoint(m).multiply(sk))).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('input guards', () => {
    expect(() => tokenMessage('b', new Uint8Array(31))).toThrow('tokenMessage: token must be 32 bytes');
    expect(() => tokenMessage('', new Uint8Array(32))).toThrow(BlindError);
    expect(code(() => blindSign(new Uint8Array(32), a.blinded))).toBe('zero-scalar');
    expect(code(() => blindSign(bigIntToBytes(Fr.ORDER, 32), a.blinded))).toBe('not-canonical');
    expect(code(() => blindSign(new Uint8Array(31), a.blinded))).toBe('wrong-length');
    expect(code(() => unblind(a.blindSig, new Uint8Array(32)))).toBe('zero-scalar');
  });
});

describe('strict point decoding', () => {
  const g1 = findG1();
  const g2 = findG2();
  const sig = unblind(blindSign(ballotA.secretKey, blind(utf8('x')).blinded), blind(utf8('y')).r); // any valid G2 point
  const pkUncompressed = decodePublicKey(ballotA.publicKey).toBytes(false);
  const sigUncompressed = decodeSignature(sig).toBytes(false);

  it('public keys (G1, 48 bytes)', () => {
    expect(code(() => decodePublicKey(ballotA.publicKey))).toBeUndefined();
    expect(code(() => decodePublicKey(G1_ID))).toBe('identity');
    expect(code(() => decodePublicKey(pkUncompressed))).toBe('wrong-length'); // 96-byte uncompressed
    const noFlag = ballotA.publicKey.slice();
    noFlag[0]! &= 0x7f;
    expect(code(() => decodePublicKey(noFlag))).toBe('not-compressed');
    expect(code(() => decodePublicKey(pkUncompressed.subarray(0, 48)))).toBe('not-compressed');
    const xp = bigIntToBytes(P, 48);
    xp[0]! |= 0x80;
    expect(code(() => decodePublicKey(xp))).toBe('not-canonical');
    const infSort = G1_ID.slice();
    infSort[0] = 0xe0;
    expect(code(() => decodePublicKey(infSort))).toBe('not-canonical');
    const infJunk = G1_ID.slice();
    infJunk[47] = 1;
    expect(code(() => decodePublicKey(infJunk))).toBe('not-canonical');
    expect(code(() => decodePublicKey(g1.offCurve))).toBe('not-on-curve');
    expect(code(() => decodePublicKey(g1.offSubgroup))).toBe('not-in-subgroup');
    for (const n of [0, 47, 49, 96]) expect(code(() => decodePublicKey(new Uint8Array(n)))).toBe('wrong-length');
    // noble's own decoder accepts the identity: the reason this module decodes itself
    expect(G1.Point.fromBytes(G1_ID).is0()).toBe(true);
  });

  it('signatures and blinded values (G2, 96 bytes)', () => {
    expect(code(() => decodeSignature(sig))).toBeUndefined();
    expect(code(() => decodeSignature(G2_ID))).toBe('identity');
    expect(code(() => decodeSignature(sigUncompressed))).toBe('wrong-length'); // 192-byte uncompressed
    expect(code(() => decodeSignature(sigUncompressed.subarray(0, 96)))).toBe('not-compressed');
    const x1p = concatBytes(bigIntToBytes(P, 48), new Uint8Array(48));
    x1p[0]! |= 0x80;
    expect(code(() => decodeSignature(x1p))).toBe('not-canonical');
    const x0p = concatBytes(Uint8Array.of(0x80), new Uint8Array(47), bigIntToBytes(P + 1n, 48));
    expect(code(() => decodeSignature(x0p))).toBe('not-canonical');
    expect(code(() => decodeSignature(g2.offCurve))).toBe('not-on-curve');
    expect(code(() => decodeSignature(g2.offSubgroup))).toBe('not-in-subgroup');
    for (const n of [0, 48, 95, 97, 192]) expect(code(() => decodeSignature(new Uint8Array(n)))).toBe('wrong-length');
    expect(G2.Point.fromBytes(G2_ID).is0()).toBe(true);
  });

  it('the server refuses such B; verification says false', () => {
    for (const B of [G2_ID, sigUncompressed, g2.offCurve, g2.offSubgroup, sig.subarray(1)])
      expect(() => blindSign(ballotA.secretKey, B)).toThrow(BlsEncodingError);
    const m = tokenMessage('b', new Uint8Array(32));
    for (const S of [G2_ID, sigUncompressed, g2.offSubgroup]) expect(verifyToken(ballotA.publicKey, m, S)).toBe(false);
    expect(verifyToken(G1_ID, m, sig)).toBe(false);
    expect(checkBlindSignature(ballotA.publicKey, G2_ID, sig)).toBe(false);
  });
});

describe('batch verification', () => {
  const id = 'cycle-2026/quality-award/ballot-1';
  const items = Array.from({ length: 6 }, () => {
    const t = issue(id, ballotA);
    return { message: t.message, signature: unblind(t.blindSig, t.r) };
  });
  let seed = 1;
  const rng = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256);

  it('a valid batch passes with one check', () => {
    expect(batchVerify(ballotA.publicKey, items, rng)).toEqual({ ok: true });
    expect(batchVerify(ballotA.publicKey, [])).toEqual({ ok: true });
    expect(batchVerify(ballotA.publicKey, items.slice(0, 1))).toEqual({ ok: true });
  });

  it('a batch with one bad signature fails and names it; malformed entries are named too', () => {
    const bad = items.slice();
    bad[3] = { message: bad[3]!.message, signature: bad[1]!.signature };
    expect(batchVerify(ballotA.publicKey, bad)).toEqual({ ok: false, bad: [3] });
    const malformed = items.slice(0, 3);
    malformed[2] = { message: malformed[2]!.message, signature: G2_ID };
    expect(batchVerify(ballotA.publicKey, malformed)).toEqual({ ok: false, bad: [2] });
    expect(batchVerify(ballotB.publicKey, items.slice(0, 2))).toEqual({ ok: false, bad: [0, 1] });
  });

  it('native blst agrees with pure JS (skipped when @chainsafe/blst is absent)', async (ctx) => {
    const native = await loadNativeBlst();
    if (!native) return ctx.skip();
    expect(native.batchVerify(ballotA.publicKey, items)).toEqual({ ok: true });
    const bad = items.slice();
    bad[4] = { message: bad[4]!.message, signature: bad[0]!.signature };
    expect(native.batchVerify(ballotA.publicKey, bad)).toEqual(batchVerify(ballotA.publicKey, bad));
    expect(native.batchVerify(ballotA.publicKey, bad)).toEqual({ ok: false, bad: [4] });
    const uncompressed = items.slice(0, 2);
    uncompressed[1] = { message: uncompressed[1]!.message, signature: decodeSignature(uncompressed[1]!.signature).toBytes(false) };
    expect(native.batchVerify(ballotA.publicKey, uncompressed)).toEqual({ ok: false, bad: [1] });
    expect(batchVerify(ballotA.publicKey, uncompressed)).toEqual({ ok: false, bad: [1] });
  });
});
