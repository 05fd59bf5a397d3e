// Strict Ed25519 (crypto/ed25519-strict.ts): the 8 small-order points and every non-canonical
// encoding of them, as data, are refused as keys and as R; S ≥ L is refused; ordinary signatures verify.
import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import vectors from './vectors/ed25519-small-order.json' with { type: 'json' };
import { isStrictPublicKey, verifyStrict } from '../../crypto/ed25519-strict.js';
import { fromHex, toHex, utf8 } from '../../crypto/bytes.js';

const all = [...vectors.smallOrder.map((v) => v.hex), ...vectors.nonCanonical.map((v) => v.hex)];
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const le32 = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

describe('strict Ed25519', () => {
  it('the data: 8 distinct points of order 1, 2, 4, 8 and 6 other encodings that a lenient decoder maps onto them', () => {
    expect(new Set(vectors.smallOrder.map((v) => v.hex)).size).toBe(8);
    expect(vectors.smallOrder.map((v) => v.order).sort()).toEqual([1, 2, 4, 4, 8, 8, 8, 8]);
    for (const v of vectors.smallOrder) {
      const p = ed25519.Point.fromBytes(fromHex(v.hex), true);
      expect(p.multiplyUnsafe(BigInt(v.order)).is0()).toBe(true);
      expect(toHex(p.toBytes())).toBe(v.hex);
    }
    expect(vectors.nonCanonical).toHaveLength(6);
    for (const v of vectors.nonCanonical) {
      const p = ed25519.Point.fromBytes(fromHex(v.hex), true);
      expect(toHex(p.toBytes())).toBe(v.decodesTo);
      expect(v.hex).not.toBe(v.decodesTo);
    }
  });

  it('noble’s default (ZIP-215) accepts the forged signature 01 00…00 under a small-order key; strict refuses it', () => {
    const forged = new Uint8Array(64);
    forged[0] = 1;
    for (const key of all) {
      for (const msg of ['hzqa-signin/v1\nm_x\nchallenge\n', 'anything']) {
        expect(verifyStrict(forged, utf8(msg), fromHex(key))).toBe(false);
      }
    }
    // The flaw being closed: with the lenient default this verifies for any message.
    expect(ed25519.verify(forged, utf8('anything'), fromHex(vectors.smallOrder[0]!.hex))).toBe(true);
  });

  it('every small-order point and non-canonical encoding is refused as a public key', () => {
    for (const key of all) expect(isStrictPublicKey(fromHex(key)), key).toBe(false);
  });

  it('every small-order point and non-canonical encoding is refused as R, and S ≥ L is refused', () => {
    const secret = ed25519.utils.randomSecretKey();
    const pub = ed25519.getPublicKey(secret);
    const msg = utf8('hzqa-checkin/v1\nmt_x\nm_x\n');
    const sig = ed25519.sign(msg, secret);
    expect(verifyStrict(sig, msg, pub)).toBe(true);
    for (const r of all) {
      const bad = new Uint8Array(sig);
      bad.set(fromHex(r), 0);
      expect(verifyStrict(bad, msg, pub)).toBe(false);
    }
    // S + L encodes the same scalar mod L: malleable unless S < L is required.
    const s = sig.slice(32).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
    const malleable = new Uint8Array(sig);
    malleable.set(le32(s + L), 32);
    expect(ed25519.verify(malleable, msg, pub, { zip215: true })).toBe(false); // noble refuses too
    expect(verifyStrict(malleable, msg, pub)).toBe(false);
  });

  it('agrees with RFC 8032 on ordinary keys and flips: 200 random signatures verify, any flipped bit fails', () => {
    for (let i = 0; i < 200; i++) {
      const secret = ed25519.utils.randomSecretKey();
      const pub = ed25519.getPublicKey(secret);
      const msg = utf8(`message ${i}`);
      const sig = ed25519.sign(msg, secret);
      expect(verifyStrict(sig, msg, pub)).toBe(true);
      const flipped = new Uint8Array(sig);
      flipped[i % 64]! ^= 1 << (i % 8);
      expect(verifyStrict(flipped, msg, pub)).toBe(false);
    }
  });
});
