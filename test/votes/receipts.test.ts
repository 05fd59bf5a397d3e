// Cast receipts: the server's signer (the platform's Ed25519 when it has one, noble otherwise) gives
// exactly the deterministic RFC 8032 signature of the ballot's receipt key, which anyone can check
// against the key the ballot's log entry publishes.
import { describe, expect, it, vi } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { fromHex } from '../../crypto/bytes.js';
import { canonicalJson } from '../../src/log/append.js';
import { deriveReceiptKey, signReceipt, verifyReceipt } from '../../src/votes/receipts.js';

const choices = { c01: 'for', c02: 'against', c03: 'abstain' } as const;
const randomHex = (n: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(n))).toString('hex');

function nobleSignature(master: Uint8Array, r: { v: string; ballotId: string; token: string; choicesHash: string; accepted: true }) {
  const seed = deriveReceiptKey(master, r.ballotId).secretKey;
  const bytes = new TextEncoder().encode(canonicalJson({ v: r.v, ballotId: r.ballotId, token: r.token, choicesHash: r.choicesHash, accepted: r.accepted }));
  return Buffer.from(ed25519.sign(bytes, seed)).toString('hex');
}

describe('cast receipts', () => {
  it('the platform signer signs exactly what noble signs, under the logged receipt key', async () => {
    for (let i = 0; i < 20; i++) {
      const master = crypto.getRandomValues(new Uint8Array(32));
      const ballotId = `b_${randomHex(6)}`;
      const receipt = await signReceipt(master, ballotId, randomHex(32), choices);
      expect(receipt.signature).toBe(nobleSignature(master, receipt));
      expect(verifyReceipt(deriveReceiptKey(master, ballotId).publicKey, receipt)).toBe(true);
      // The same ballot's key, kept: a second receipt is signed by it too.
      const again = await signReceipt(master, ballotId, randomHex(32), choices);
      expect(verifyReceipt(deriveReceiptKey(master, ballotId).publicKey, again)).toBe(true);
    }
  });

  it('signs with noble where the platform has no Ed25519, with the same bytes', async () => {
    const spy = vi.spyOn(crypto.subtle, 'importKey').mockRejectedValue(new Error('no Ed25519 here'));
    try {
      const master = crypto.getRandomValues(new Uint8Array(32));
      const receipt = await signReceipt(master, 'b_fallback', randomHex(32), choices);
      expect(spy).toHaveBeenCalled();
      expect(receipt.signature).toBe(nobleSignature(master, receipt));
    } finally {
      spy.mockRestore();
    }
  });

  it('a receipt with any bit of its signature, token or choices changed does not verify', async () => {
    const master = crypto.getRandomValues(new Uint8Array(32));
    const receipt = await signReceipt(master, 'b_flip', randomHex(32), choices);
    const key = deriveReceiptKey(master, 'b_flip').publicKey;
    const sig = fromHex(receipt.signature);
    for (let bit = 0; bit < sig.length * 8; bit += 7) {
      const bad = sig.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifyReceipt(key, { ...receipt, signature: Buffer.from(bad).toString('hex') })).toBe(false);
    }
    expect(verifyReceipt(key, { ...receipt, token: randomHex(32) })).toBe(false);
    expect(verifyReceipt(key, { ...receipt, choicesHash: randomHex(32) })).toBe(false);
    expect(verifyReceipt(deriveReceiptKey(master, 'b_other').publicKey, receipt)).toBe(false);
  });
});
