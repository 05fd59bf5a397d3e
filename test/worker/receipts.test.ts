// Inside workerd: the cast receipt's signer uses the platform's Ed25519 there too, and signs exactly
// the bytes noble signs (Ed25519 is deterministic), so tablets and the verifier check it the same way.
import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { canonicalJson } from '../../src/log/append.js';
import { deriveReceiptKey, signReceipt, verifyReceipt } from '../../src/votes/receipts.js';

describe('cast receipts on Workers', () => {
  it('the platform signer in workerd gives noble’s signature under the logged receipt key', async () => {
    const usable = await crypto.subtle
      .generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])
      .then(() => true)
      .catch(() => false);
    expect(usable).toBe(true);
    const master = crypto.getRandomValues(new Uint8Array(32));
    const token = 'ab'.repeat(32);
    const r = await signReceipt(master, 'b_workerd', token, { c01: 'for', c02: 'abstain' });
    const bytes = new TextEncoder().encode(canonicalJson({ v: r.v, ballotId: r.ballotId, token: r.token, choicesHash: r.choicesHash, accepted: r.accepted }));
    const expected = ed25519.sign(bytes, deriveReceiptKey(master, 'b_workerd').secretKey);
    expect(r.signature).toBe([...expected].map((b) => b.toString(16).padStart(2, '0')).join(''));
    expect(verifyReceipt(deriveReceiptKey(master, 'b_workerd').publicKey, r)).toBe(true);
  });
});
