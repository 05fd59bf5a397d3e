// Strict Ed25519 verification for member device keys: RFC 8032 §5.1.7 with the stricter rules of
// libsodium and of "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko, 2020), so that exactly
// one meaning holds for every (key, message, signature):
//   - A (public key) and R (the signature's first half) are canonical encodings (y < p; x = 0 only
//     with the sign bit clear; re-encoding gives the same bytes) and are not of small order — none
//     of the 8 points of the torsion subgroup. Under a small-order key the 64 bytes 01 00…00 verify
//     for every message (noble's default, ZIP-215, accepts such keys);
//   - S < L (RFC 8032 §5.1.7 step 1);
//   - the cofactorless equation [S]B = R + [k]A with k = SHA-512(R ‖ A ‖ M) mod L (§5.1.7 step 3).
// Runs anywhere (server, verifier, browser). Signing is unchanged: noble's ed25519.sign.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';

type Point = InstanceType<typeof ed25519.Point>;

/** The order of the prime subgroup, L = 2^252 + 27742317777372353535851937790883648493. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function leNumber(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function sameBytes(a: Uint8Array, b: Uint8Array) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Anyone: the point of a canonical, not-small-order encoding, or null. */
export function decodeStrictPoint(bytes: Uint8Array): Point | null {
  if (bytes.length !== 32) return null;
  let p: Point;
  try {
    p = ed25519.Point.fromBytes(bytes, false); // RFC 8032 decoding: y < p, no x = 0 with sign bit
  } catch {
    return null;
  }
  if (!sameBytes(p.toBytes(), bytes)) return null;
  if (p.isSmallOrder()) return null;
  return p;
}

/** Anyone: is this 32-byte value a public key that strict verification can accept? */
export function isStrictPublicKey(key: Uint8Array): boolean {
  return decodeStrictPoint(key) !== null;
}

/** Anyone: strict Ed25519 verification (see the head of this file). False on any bad input. */
export function verifyStrict(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const A = decodeStrictPoint(publicKey);
  if (!A) return false;
  const rBytes = signature.subarray(0, 32);
  const R = decodeStrictPoint(rBytes);
  if (!R) return false;
  const S = leNumber(signature.subarray(32));
  if (S >= L) return false;
  const hashed = sha512(new Uint8Array([...rBytes, ...publicKey, ...message]));
  const k = leNumber(hashed) % L;
  const SB = ed25519.Point.BASE.multiplyUnsafe(S);
  const RkA = R.add(A.multiplyUnsafe(k));
  return SB.equals(RkA);
}
