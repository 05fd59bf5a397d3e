/**
 * Blind BLS signatures (Boldyreva, "Threshold Signatures, Multisignatures and Blind Signatures Based
 * on the Gap-Diffie-Hellman-Group Signature Scheme", PKC 2003, §5) on BLS12-381, used as one-time
 * secret-ballot tokens. An unblinded token is an ordinary signature of the ciphersuite
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ of draft-irtf-cfrg-bls-signature-05 (min-pk: public
 * keys in G1, 48 bytes; signatures in G2, 96 bytes; hash_to_point = RFC 9380 hash_to_curve with
 * suite BLS12381G2_XMD:SHA-256_SSWU_RO_, §8.8.2), so any conforming BLS library verifies it.
 *
 * Protocol flow (one key per ballot; its public key and proof of possession are in the public log
 * before issuance opens, and the tablet takes the key from there, never from the issuance reply):
 *   client  token = newToken(); m = tokenMessage(ballotId, token)
 *   client  { blinded: B = r·H(m), r } = blind(m)                     → sends B
 *   server  S′ = blindSign(sk, B)                                       → returns S′
 *   client  checkBlindSignature(pk, B, S′):  e(pk, B) = e(G1, S′)
 *   client  S = unblind(S′, r) = r⁻¹·S′        (finalizeToken does both)
 *   client  casts (token, S) anonymously
 *   server  verifyToken(pk, m, S):  e(pk, H(m)) = e(G1, S)  (CoreVerify, draft §2.7)
 *   anyone  batchVerify(pk, bulletin) for the published bulletin.
 *
 * Why it is blind: B = r·H(m) with r uniform in [1, q) is a uniform element of G2 independent of m,
 * and S′ = sk·B; the signer sees nothing of m or S. Why it is unforgeable: the one-more CDH
 * assumption in the random-oracle model (Boldyreva 2003, Theorem 5.2); unlike blind Schnorr there is
 * no ROS attack on concurrent sessions: signing is one message with no signer state.
 *
 * Encodings (draft-irtf-cfrg-bls-signature-05 §1.3, ZCash BLS12-381 point serialization): secret
 * keys and the blinding factor are 32-byte big-endian scalars in [1, q); points are compressed only.
 * Every decoder here refuses: a wrong length, a missing compression flag, a set sort flag on the
 * identity, a coordinate ≥ p, an x with no point on the curve, a point outside the prime-order
 * subgroup, and the identity (noble's fromBytes accepts the identity; we do not).
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { extract, expand } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { bigIntToBytes, bytesToBigInt, concatBytes, utf8 } from './bytes.js';

/** The signature ciphersuite (draft-irtf-cfrg-bls-signature-05 §4.2.3): also the hash-to-G2 DST. */
export const CIPHERSUITE = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
/** DST for proofs of possession (draft-irtf-cfrg-bls-signature-05 §4.2.3). */
export const POP_DST = 'BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
/** Prefix of the KeyGen key_info that derives a ballot's key from the master secret. */
export const BALLOT_KEY_INFO_PREFIX = 'hz-quality-award/ballot-key/v1:';

export const SECRET_KEY_LENGTH = 32;
export const PUBLIC_KEY_LENGTH = 48;
export const SIGNATURE_LENGTH = 96;
export const TOKEN_LENGTH = 32;

const { G1, G2, fields, pairingBatch } = bls12_381;
const { Fp, Fp2, Fp12, Fr } = fields;
type G1Point = InstanceType<typeof G1.Point>;
type G2Point = InstanceType<typeof G2.Point>;
const P = Fp.ORDER; // base field modulus p
const Q = Fr.ORDER; // prime subgroup order q (draft calls it r)
const G1_NEG = G1.Point.BASE.negate();

// ---------------------------------------------------------------- errors

export type BlsEncodingErrorCode =
  | 'wrong-length'
  | 'not-compressed'
  | 'not-canonical'
  | 'not-on-curve'
  | 'not-in-subgroup'
  | 'identity'
  | 'zero-scalar';

/** A public key, signature, blinded value or scalar whose encoding is refused. */
export class BlsEncodingError extends Error {
  override readonly name = 'BlsEncodingError';
  readonly code: BlsEncodingErrorCode;
  constructor(code: BlsEncodingErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type BlindErrorCode = 'invalid-input' | 'signer-cheated';

/** Misuse (bad argument) or, from finalizeToken, a blind signature that does not verify. */
export class BlindError extends Error {
  override readonly name = 'BlindError';
  readonly code: BlindErrorCode;
  constructor(code: BlindErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

function assertBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new BlindError('invalid-input', `${what} must be a Uint8Array`);
}

// ---------------------------------------------------------------- scalars

/** A 32-byte big-endian scalar in [1, q): secret keys and blinding factors. */
function decodeScalar(bytes: Uint8Array, what: string): bigint {
  assertBytes(bytes, what);
  if (bytes.length !== 32) throw new BlsEncodingError('wrong-length', `${what}: expected 32 bytes, got ${bytes.length}`);
  const s = bytesToBigInt(bytes);
  if (s >= Q) throw new BlsEncodingError('not-canonical', `${what}: scalar not below the group order`);
  if (s === 0n) throw new BlsEncodingError('zero-scalar', `${what}: zero scalar`);
  return s;
}
const encodeScalar = (s: bigint): Uint8Array => bigIntToBytes(s, 32);

/** A uniformly random scalar in [1, q) from 48 random bytes (bias < 2^-128). */
function randomScalar(): bigint {
  for (;;) {
    const s = bytesToBigInt(randomBytes(48)) % Q;
    if (s !== 0n) return s;
  }
}

// ---------------------------------------------------------------- point codecs (ZCash serialization)

const FLAG_COMPRESSED = 0x80;
const FLAG_INFINITY = 0x40;
const FLAG_SORT = 0x20;

/** True if y is the lexicographically larger of {y, −y}: 2·y ≥ p on the first non-zero part. */
const sortFlag = (parts: bigint[]): boolean => {
  for (const part of parts) if (part !== 0n) return part * 2n > P;
  return false;
};

/** Common flag and coordinate checks; returns the field-element limbs of x (each < p). */
function parseCompressed(bytes: Uint8Array, length: number, what: string): { limbs: bigint[]; sort: boolean } {
  assertBytes(bytes, what);
  if (bytes.length !== length) throw new BlsEncodingError('wrong-length', `${what}: expected ${length} bytes, got ${bytes.length}`);
  const flags = bytes[0]! & 0xe0;
  if (!(flags & FLAG_COMPRESSED)) throw new BlsEncodingError('not-compressed', `${what}: not a compressed encoding`);
  const body = bytes.slice();
  body[0] = body[0]! & 0x1f;
  if (flags & FLAG_INFINITY) {
    if (flags & FLAG_SORT || body.some((b) => b !== 0)) throw new BlsEncodingError('not-canonical', `${what}: malformed point at infinity`);
    throw new BlsEncodingError('identity', `${what}: the identity point`);
  }
  const limbs: bigint[] = [];
  for (let off = 0; off < length; off += 48) {
    const v = bytesToBigInt(body.subarray(off, off + 48));
    if (v >= P) throw new BlsEncodingError('not-canonical', `${what}: coordinate not below the field modulus`);
    limbs.push(v);
  }
  return { limbs, sort: (flags & FLAG_SORT) !== 0 };
}

/**
 * Decodes a public key: a compressed G1 point, 48 bytes, on the curve, in the prime-order subgroup,
 * not the identity (KeyValidate, draft-irtf-cfrg-bls-signature-05 §2.5). Anyone.
 */
export function decodePublicKey(bytes: Uint8Array): G1Point {
  const what = 'public key';
  const { limbs, sort } = parseCompressed(bytes, PUBLIC_KEY_LENGTH, what);
  const x = limbs[0]!;
  const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 4n); // y² = x³ + 4
  let y: bigint;
  try {
    y = Fp.sqrt(rhs);
  } catch {
    throw new BlsEncodingError('not-on-curve', `${what}: not a point on the curve`);
  }
  if (!Fp.eql(Fp.sqr(y), rhs)) throw new BlsEncodingError('not-on-curve', `${what}: not a point on the curve`);
  if (sortFlag([y]) !== sort) y = Fp.neg(y);
  const pt = G1.Point.fromAffine({ x, y });
  if (!pt.isTorsionFree()) throw new BlsEncodingError('not-in-subgroup', `${what}: not in the prime-order subgroup`);
  return pt;
}

const B2 = Fp2.create({ c0: 4n, c1: 4n }); // G2 curve: y² = x³ + 4(1 + i)

/**
 * Decodes a signature or blinded value: a compressed G2 point, 96 bytes (x = x₁ ‖ x₀), on the
 * curve, in the prime-order subgroup, not the identity (signature_subgroup_check, draft §2.8). Anyone.
 */
export function decodeSignature(bytes: Uint8Array, what = 'signature'): G2Point {
  const { limbs, sort } = parseCompressed(bytes, SIGNATURE_LENGTH, what);
  const x = Fp2.create({ c0: limbs[1]!, c1: limbs[0]! });
  const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), B2);
  let y: ReturnType<typeof Fp2.sqrt>;
  try {
    y = Fp2.sqrt(rhs);
  } catch {
    throw new BlsEncodingError('not-on-curve', `${what}: not a point on the curve`);
  }
  if (!y || !Fp2.eql(Fp2.sqr(y), rhs)) throw new BlsEncodingError('not-on-curve', `${what}: not a point on the curve`);
  if (sortFlag([y.c1, y.c0]) !== sort) y = Fp2.neg(y);
  const pt = G2.Point.fromAffine({ x, y });
  if (!pt.isTorsionFree()) throw new BlsEncodingError('not-in-subgroup', `${what}: not in the prime-order subgroup`);
  return pt;
}

/** Compressed encoding of a non-identity G1 point. */
export function encodePublicKey(pt: G1Point): Uint8Array {
  if (pt.is0()) throw new BlsEncodingError('identity', 'public key: the identity point');
  return pt.toBytes(true);
}
/** Compressed encoding of a non-identity G2 point. */
export function encodeSignature(pt: G2Point): Uint8Array {
  if (pt.is0()) throw new BlsEncodingError('identity', 'signature: the identity point');
  return pt.toBytes(true);
}

// ---------------------------------------------------------------- hash to G2 (RFC 9380, cached)

const H2C_CACHE_MAX = 512;
const h2cCache = new Map<string, G2Point>();

/**
 * hash_to_point(msg) = hash_to_curve(msg) with DST CIPHERSUITE (RFC 9380 §3, suite
 * BLS12381G2_XMD:SHA-256_SSWU_RO_). A small LRU keeps recent results: a token hashed at casting is
 * hashed again when the bulletin is checked. Anyone.
 */
export function hashToPoint(message: Uint8Array, dst: string = CIPHERSUITE): G2Point {
  assertBytes(message, 'message');
  const key = dst === CIPHERSUITE ? hexKey(message) : undefined;
  if (key !== undefined) {
    const hit = h2cCache.get(key);
    if (hit) {
      h2cCache.delete(key);
      h2cCache.set(key, hit);
      return hit;
    }
  }
  const pt = G2.hashToCurve(message, { DST: dst }) as G2Point;
  if (key !== undefined) {
    h2cCache.set(key, pt);
    if (h2cCache.size > H2C_CACHE_MAX) h2cCache.delete(h2cCache.keys().next().value!);
  }
  return pt;
}
function hexKey(b: Uint8Array): string | undefined {
  if (b.length > 256) return undefined;
  let s = '';
  for (const x of b) s += (x < 16 ? '0' : '') + x.toString(16);
  return s;
}

/** e(a₁, b₁) · e(a₂, b₂) = 1 with one shared final exponentiation. */
function pairingProductIsOne(a1: G1Point, b1: G2Point, a2: G1Point, b2: G2Point): boolean {
  return Fp12.eql(pairingBatch([{ g1: a1, g2: b1 }, { g1: a2, g2: b2 }]), Fp12.ONE);
}

// ---------------------------------------------------------------- keys (draft §2.3 KeyGen)

/**
 * KeyGen (draft-irtf-cfrg-bls-signature-05 §2.3): salt = "BLS-SIG-KEYGEN-SALT-"; repeat
 * { salt = SHA-256(salt); PRK = HKDF-Extract(salt, IKM ‖ I2OSP(0, 1));
 *   OKM = HKDF-Expand(PRK, key_info ‖ I2OSP(L, 2), L) with L = 48; SK = OS2IP(OKM) mod q }
 * until SK ≠ 0. IKM must be at least 32 bytes. Returns SK as 32 bytes big-endian. Server.
 */
export function keyGen(ikm: Uint8Array, keyInfo: Uint8Array = new Uint8Array(0)): Uint8Array {
  assertBytes(ikm, 'ikm');
  assertBytes(keyInfo, 'keyInfo');
  if (ikm.length < 32) throw new BlindError('invalid-input', 'keyGen: IKM must be at least 32 bytes');
  const L = 48;
  const ikm0 = concatBytes(ikm, Uint8Array.of(0));
  const info = concatBytes(keyInfo, Uint8Array.of(0, L));
  let salt: Uint8Array = utf8('BLS-SIG-KEYGEN-SALT-');
  for (;;) {
    salt = sha256(salt);
    const sk = bytesToBigInt(expand(sha256, extract(sha256, ikm0, salt), info, L)) % Q;
    if (sk !== 0n) return encodeScalar(sk);
  }
}

/** SkToPk (draft §2.4): the compressed G1 public key of a secret key. Server. */
export function secretToPublicKey(secretKey: Uint8Array): Uint8Array {
  return encodePublicKey(G1.Point.BASE.multiply(decodeScalar(secretKey, 'secret key')));
}

/**
 * The key of one ballot: KeyGen(IKM = masterSecret, key_info = utf8("hz-quality-award/ballot-key/v1:"
 * ‖ ballotId)). Deterministic, so the server keeps only the master secret; distinct ballot ids give
 * independent keys (HKDF). The master secret must be at least 32 bytes. Server.
 */
export function deriveBallotKey(masterSecret: Uint8Array, ballotId: string): { secretKey: Uint8Array; publicKey: Uint8Array } {
  assertBytes(masterSecret, 'master secret');
  if (masterSecret.length < 32) throw new BlindError('invalid-input', 'deriveBallotKey: master secret must be at least 32 bytes');
  if (typeof ballotId !== 'string' || ballotId === '') throw new BlindError('invalid-input', 'deriveBallotKey: ballot id must be a non-empty string');
  const secretKey = keyGen(masterSecret, utf8(BALLOT_KEY_INFO_PREFIX + ballotId));
  return { secretKey, publicKey: secretToPublicKey(secretKey) };
}

/** PopProve (draft §3.3.2): SK · hash_to_point_POP(PK), 96 bytes. Published with the key. Server. */
export function popProve(secretKey: Uint8Array): Uint8Array {
  const sk = decodeScalar(secretKey, 'secret key');
  const pk = encodePublicKey(G1.Point.BASE.multiply(sk));
  return encodeSignature(hashToPoint(pk, POP_DST).multiply(sk));
}

/** PopVerify (draft §3.3.3): e(PK, hash_to_point_POP(PK)) = e(G1, proof). Anyone (tablet). */
export function popVerify(publicKey: Uint8Array, proof: Uint8Array): boolean {
  try {
    const pk = decodePublicKey(publicKey);
    const R = decodeSignature(proof, 'proof');
    return pairingProductIsOne(pk, hashToPoint(publicKey, POP_DST), G1_NEG, R);
  } catch (e) {
    if (e instanceof BlsEncodingError) return false;
    throw e;
  }
}

// ---------------------------------------------------------------- tokens

/** A fresh 32-byte random token. Client. */
export function newToken(): Uint8Array {
  return randomBytes(TOKEN_LENGTH);
}

/** The signed message m = utf8(ballotId) ‖ token; the token is exactly 32 bytes. Anyone. */
export function tokenMessage(ballotId: string, token: Uint8Array): Uint8Array {
  if (typeof ballotId !== 'string' || ballotId === '') throw new BlindError('invalid-input', 'tokenMessage: ballot id must be a non-empty string');
  assertBytes(token, 'token');
  if (token.length !== TOKEN_LENGTH) throw new BlindError('invalid-input', `tokenMessage: token must be ${TOKEN_LENGTH} bytes`);
  return concatBytes(utf8(ballotId), token);
}

/**
 * Blinds m: B = r·H(m) with r uniform in [1, q). Returns B (96 bytes, sent to the server) and r
 * (32 bytes; secret, kept on the tablet until unblinding, then erased). Client.
 */
export function blind(message: Uint8Array): { blinded: Uint8Array; r: Uint8Array } {
  const r = randomScalar();
  return { blinded: encodeSignature(hashToPoint(message).multiply(r)), r: encodeScalar(r) };
}

/**
 * S′ = sk·B. B must be a valid compressed G2 point (BlsEncodingError otherwise). Deterministic: a
 * retry with the same B returns the same S′. Server.
 */
export function blindSign(secretKey: Uint8Array, blinded: Uint8Array): Uint8Array {
  return blindSignDecoded(secretKey, decodeSignature(blinded, 'blinded value'));
}

/**
 * blindSign for a B the caller has already decoded with decodeSignature (which did every check), so
 * that a server checking B before its bookkeeping does not decode it twice. Server.
 */
export function blindSignDecoded(secretKey: Uint8Array, blinded: G2Point): Uint8Array {
  return encodeSignature(blinded.multiply(decodeScalar(secretKey, 'secret key')));
}

/** e(pk, B) = e(G1, S′): the server signed B with the ballot's key. False on any bad encoding. Client. */
export function checkBlindSignature(publicKey: Uint8Array, blinded: Uint8Array, blindSignature: Uint8Array): boolean {
  try {
    return pairingProductIsOne(decodePublicKey(publicKey), decodeSignature(blinded, 'blinded value'), G1_NEG, decodeSignature(blindSignature, 'blind signature'));
  } catch (e) {
    if (e instanceof BlsEncodingError) return false;
    throw e;
  }
}

/** S = r⁻¹·S′: the ordinary BLS signature on m. Client. */
export function unblind(blindSignature: Uint8Array, r: Uint8Array): Uint8Array {
  const rr = decodeScalar(r, 'blinding factor');
  return encodeSignature(decodeSignature(blindSignature, 'blind signature').multiply(Fr.inv(rr)));
}

/**
 * checkBlindSignature then unblind; throws BlindError('signer-cheated') if S′ is not the ballot
 * key's signature on B (a server that signs with another key could link ballots). Client.
 */
export function finalizeToken(publicKey: Uint8Array, message: Uint8Array, blinded: Uint8Array, blindSignature: Uint8Array, r: Uint8Array): Uint8Array {
  if (!checkBlindSignature(publicKey, blinded, blindSignature))
    throw new BlindError('signer-cheated', 'finalizeToken: the blind signature does not verify under the ballot key');
  const S = unblind(blindSignature, r);
  if (!verifyToken(publicKey, message, S)) throw new BlindError('signer-cheated', 'finalizeToken: the unblinded signature does not verify (wrong message or r)');
  return S;
}

/**
 * CoreVerify (draft §2.7) with DST CIPHERSUITE: e(pk, H(m)) = e(G1, S). Any conforming BLS library
 * (e.g. blst with the POP DST) gives the same answer. False on any bad encoding. Server / anyone.
 */
export function verifyToken(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    const pk = decodePublicKey(publicKey);
    const S = decodeSignature(signature);
    return pairingProductIsOne(pk, hashToPoint(message), G1_NEG, S);
  } catch (e) {
    if (e instanceof BlsEncodingError) return false;
    throw e;
  }
}

/** Outcome of a batch verification. */
export type BatchResult = { ok: true } | { ok: false; bad: number[] };

/**
 * Verifies many tokens under one key with a random linear combination (small-exponent batch test,
 * Bellare–Garay–Rabin 1998; Camenisch–Hohenberger–Pedersen 2007 for BLS):
 *   e(pk, Σ cᵢ·H(mᵢ)) = e(G1, Σ cᵢ·Sᵢ),  cᵢ uniform non-zero 128-bit,
 * i.e. n hash-to-curves, two multi-scalar multiplications and two pairings. If that fails (or an
 * encoding is bad), checks one by one to name the bad indexes. A forged item passes with
 * probability ≤ 2^-128. `random` (tests only) supplies the coefficients' bytes. Server / anyone.
 */
export function batchVerify(
  publicKey: Uint8Array,
  items: readonly { message: Uint8Array; signature: Uint8Array }[],
  random: (bytesLength: number) => Uint8Array = randomBytes,
): BatchResult {
  if (!Array.isArray(items)) throw new BlindError('invalid-input', 'batchVerify: items must be an array');
  let pk: G1Point;
  try {
    pk = decodePublicKey(publicKey);
  } catch (e) {
    if (e instanceof BlsEncodingError) return { ok: false, bad: items.map((_, i) => i) };
    throw e;
  }
  if (items.length === 0) return { ok: true };
  const hs: G2Point[] = [];
  const ss: G2Point[] = [];
  const bad: number[] = [];
  items.forEach((it, i) => {
    try {
      ss.push(decodeSignature(it.signature));
      hs.push(hashToPoint(it.message));
    } catch (e) {
      if (!(e instanceof BlsEncodingError)) throw e;
      bad.push(i);
    }
  });
  if (bad.length === 0) {
    const coeffs = hs.map(() => {
      for (;;) {
        const c = bytesToBigInt(random(16));
        if (c !== 0n) return c;
      }
    });
    const A = hs.length === 1 ? hs[0]!.multiply(coeffs[0]!) : pippenger(G2.Point, hs, coeffs);
    const B = ss.length === 1 ? ss[0]!.multiply(coeffs[0]!) : pippenger(G2.Point, ss, coeffs);
    if (!A.is0() && !B.is0() && pairingProductIsOne(pk, A, G1_NEG, B)) return { ok: true };
  }
  // Fallback: name the culprits one by one.
  const out: number[] = [];
  items.forEach((it, i) => {
    if (bad.includes(i) || !verifyToken(publicKey, it.message, it.signature)) out.push(i);
  });
  return out.length ? { ok: false, bad: out } : { ok: true };
}
