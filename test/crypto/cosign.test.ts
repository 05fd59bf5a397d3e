// 2-of-2 blind issuance (crypto/cosign.ts): linearity, each share checked, proofs of possession
// against rogue keys, and the token as an ordinary signature under the aggregate key (noble and
// native blst).
import { describe, expect, it } from 'vitest';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import {
  blind,
  blindSign,
  deriveBallotKey,
  BlindError,
  newToken,
  popProve,
  popVerify,
  tokenMessage,
  verifyToken,
  batchVerify,
  POP_DST,
  hashToPoint,
} from '../../crypto/blind.js';
import { aggregatePublicKey, checkCoIssuanceKeys, combineBlindShares, deriveCosignerBallotKey, finalizeCoIssuedToken } from '../../crypto/cosign.js';
import { loadNativeBlst } from '../../tools/blst.js';

const bureauMaster = new Uint8Array(32).fill(7);
const cosignerMaster = new Uint8Array(32).fill(42);
const ballotId = 'b_AbCdEfGhIjKl';
const bureau = deriveBallotKey(bureauMaster, ballotId);
const cosigner = deriveCosignerBallotKey(cosignerMaster, ballotId);
const aggregate = aggregatePublicKey(bureau.publicKey, cosigner.publicKey);

function coIssue() {
  const token = newToken();
  const m = tokenMessage(ballotId, token);
  const { blinded, r } = blind(m);
  const shares = [
    { signer: 'bureau', publicKey: bureau.publicKey, blindSignature: blindSign(bureau.secretKey, blinded) },
    { signer: 'co-signer', publicKey: cosigner.publicKey, blindSignature: blindSign(cosigner.secretKey, blinded) },
  ];
  return { token, m, blinded, r, shares, S: finalizeCoIssuedToken(m, blinded, r, shares) };
}

describe('co-issuance (2-of-2 blind BLS)', () => {
  it('the two shares add to the signature of the summed secret key (linearity)', () => {
    const { blinded, shares } = coIssue();
    const Fr = bls12_381.fields.Fr;
    const sum = Fr.add(BigInt('0x' + Buffer.from(bureau.secretKey).toString('hex')), BigInt('0x' + Buffer.from(cosigner.secretKey).toString('hex')));
    const skSum = new Uint8Array(Buffer.from(sum.toString(16).padStart(64, '0'), 'hex'));
    expect(combineBlindShares(blinded, shares)).toEqual(blindSign(skSum, blinded));
  });

  it('a co-issued token verifies under the aggregate key only — not under either share alone', () => {
    const { m, S } = coIssue();
    expect(verifyToken(aggregate, m, S)).toBe(true);
    expect(verifyToken(bureau.publicKey, m, S)).toBe(false);
    expect(verifyToken(cosigner.publicKey, m, S)).toBe(false);
    expect(batchVerify(aggregate, [{ message: m, signature: S }])).toEqual({ ok: true });
  });

  it('a token made with only the bureau’s share does not verify under the aggregate key', () => {
    const m = tokenMessage(ballotId, newToken());
    const { blinded, r } = blind(m);
    const S = finalizeCoIssuedToken(m, blinded, r, [{ signer: 'bureau', publicKey: bureau.publicKey, blindSignature: blindSign(bureau.secretKey, blinded) }]);
    expect(verifyToken(bureau.publicKey, m, S)).toBe(true);
    expect(verifyToken(aggregate, m, S)).toBe(false);
  });

  it('each share is checked against its own signer’s key: a bad share is named, not hidden in the sum', () => {
    const m = tokenMessage(ballotId, newToken());
    const { blinded, r } = blind(m);
    const other = deriveCosignerBallotKey(new Uint8Array(32).fill(1), ballotId);
    const good = { signer: 'bureau', publicKey: bureau.publicKey, blindSignature: blindSign(bureau.secretKey, blinded) };
    const wrong = { signer: 'co-signer', publicKey: cosigner.publicKey, blindSignature: blindSign(other.secretKey, blinded) };
    expect(() => finalizeCoIssuedToken(m, blinded, r, [good, wrong])).toThrow(/co-signer's share/);
    // A share that is off by δ·B, with the other share off by −δ·B, still sums right — and is refused.
    const delta = bls12_381.G2.Point.fromBytes(blinded).multiply(5n);
    const b1 = bls12_381.G2.Point.fromBytes(good.blindSignature).add(delta).toBytes(true);
    const c1 = bls12_381.G2.Point.fromBytes(blindSign(cosigner.secretKey, blinded)).subtract(delta).toBytes(true);
    expect(() =>
      combineBlindShares(blinded, [
        { signer: 'bureau', publicKey: bureau.publicKey, blindSignature: b1 },
        { signer: 'co-signer', publicKey: cosigner.publicKey, blindSignature: c1 },
      ]),
    ).toThrow(BlindError);
  });

  it('keys: per ballot, independent of the bureau’s master secret, each with a valid proof of possession', () => {
    expect(deriveCosignerBallotKey(cosignerMaster, ballotId)).toEqual(cosigner);
    expect(deriveCosignerBallotKey(cosignerMaster, 'b_other0000000').publicKey).not.toEqual(cosigner.publicKey);
    // Even with the same master secret, the two roles' keys differ (distinct key_info).
    expect(deriveCosignerBallotKey(bureauMaster, ballotId).publicKey).not.toEqual(bureau.publicKey);
    const keys = { bureauPublicKey: bureau.publicKey, bureauPop: popProve(bureau.secretKey), cosignerPublicKey: cosigner.publicKey, cosignerPop: popProve(cosigner.secretKey), aggregatePublicKey: aggregate };
    expect(checkCoIssuanceKeys(keys)).toEqual({ ok: true });
    expect(checkCoIssuanceKeys({ ...keys, aggregatePublicKey: bureau.publicKey })).toEqual({ ok: false, reason: 'aggregate' });
    expect(checkCoIssuanceKeys({ ...keys, cosignerPop: keys.bureauPop })).toEqual({ ok: false, reason: 'cosigner-pop' });
    expect(checkCoIssuanceKeys({ ...keys, cosignerPublicKey: bureau.publicKey, cosignerPop: keys.bureauPop })).toEqual({ ok: false, reason: 'same-key' });
  });

  it('a rogue key (x·G1 − pk_c) that would let the bureau sign alone has no valid proof of possession', () => {
    const G1 = bls12_381.G1.Point;
    const x = 123456789n;
    const rogue = G1.BASE.multiply(x).subtract(G1.fromBytes(cosigner.publicKey)).toBytes(true);
    const agg = aggregatePublicKey(rogue, cosigner.publicKey);
    // The attack works on the raw sum: the bureau alone signs for it with x.
    expect(agg).toEqual(G1.BASE.multiply(x).toBytes(true));
    const m = tokenMessage(ballotId, newToken());
    const forged = hashToPoint(m).multiply(x).toBytes(true);
    expect(verifyToken(agg, m, forged)).toBe(true);
    // …and the proof of possession stops it: the best the bureau can make is x·H_pop(rogue), which is not rogue's proof.
    const attempt = hashToPoint(rogue, POP_DST).multiply(x).toBytes(true);
    expect(popVerify(rogue, attempt)).toBe(false);
    expect(checkCoIssuanceKeys({ bureauPublicKey: rogue, bureauPop: attempt, cosignerPublicKey: cosigner.publicKey, cosignerPop: popProve(cosigner.secretKey), aggregatePublicKey: agg })).toEqual({
      ok: false,
      reason: 'bureau-pop',
    });
    // Why the co-signer pins the bureau's key before blind-signing: a blind signature on H_pop(rogue)
    // is exactly the missing half of the rogue key's proof.
    const half = blindSign(cosigner.secretKey, hashToPoint(rogue, POP_DST).toBytes(true));
    const completed = hashToPoint(rogue, POP_DST).multiply(x).subtract(bls12_381.G2.Point.fromBytes(half)).toBytes(true);
    expect(popVerify(rogue, completed)).toBe(true);
  });

  it('the aggregate refuses keys that cancel out', () => {
    const neg = bls12_381.G1.Point.fromBytes(bureau.publicKey).negate().toBytes(true);
    expect(() => aggregatePublicKey(bureau.publicKey, neg)).toThrow(/identity/);
    expect(() => deriveCosignerBallotKey(new Uint8Array(16), ballotId)).toThrow(/at least 32 bytes/);
  });

  it('native blst verifies a co-issued token under the aggregate key, and refuses it under a share', async () => {
    const native = await loadNativeBlst();
    expect(native, '@chainsafe/blst (pinned optional dependency) must be installed for this check').not.toBeNull();
    const { m, S } = coIssue();
    expect(native!.verify(aggregate, m, S)).toBe(true);
    expect(native!.verify(bureau.publicKey, m, S)).toBe(false);
    const other = coIssue();
    expect(native!.batchVerify(aggregate, [{ message: m, signature: S }, { message: other.m, signature: other.S }])).toEqual({ ok: true });
  });
});
