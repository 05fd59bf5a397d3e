/**
 * 2-of-2 blind issuance: a secret ballot's tokens are blind-signed by two parties — the bureau and
 * the supervisory group's co-signer — each with its own BLS key, so that neither alone can mint a
 * ballot. An unblinded token stays one ordinary signature of the ciphersuite
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ (draft-irtf-cfrg-bls-signature-05 §4.2.3) under one
 * public key, the aggregate pk = pk_b + pk_c (§2.8 Aggregate applied to public keys, as in
 * FastAggregateVerify §3.3.4), so any conforming BLS library checks it.
 *
 * Protocol flow (each ballot has a fresh key at each signer; both public keys, each with its proof of
 * possession, are in the public log before the first blind signature under either):
 *   bureau    sk_b = KeyGen(bureau master secret, ballot id); logs pk_b, PopProve(sk_b) (§3.3.2)
 *   co-signer sk_c = KeyGen(co-signer master secret, ballot id); checks PopVerify(pk_b) (§3.3.3),
 *             pins pk_b for the ballot, answers pk_c, PopProve(sk_c); the bureau logs them with pk_b
 *   anyone    pk = aggregatePublicKey(pk_b, pk_c) = pk_b + pk_c
 *   client    B = r·H(m), m = ballotId ‖ token                      (crypto/blind.ts blind)
 *   bureau    S′_b = sk_b·B;  co-signer  S′_c = sk_c·B              (crypto/blind.ts blindSign)
 *   client    combineBlindShares: e(pk_b, B) = e(G1, S′_b) and e(pk_c, B) = e(G1, S′_c), then
 *             S′ = S′_b + S′_c; S = r⁻¹·S′                          (finalizeCoIssuedToken)
 *   anyone    CoreVerify(pk, m, S) (§2.7)
 *
 * Why linearity makes this safe, with no new assumption. Blind BLS signing is a linear map of the
 * secret key: S′_b + S′_c = sk_b·B + sk_c·B = (sk_b + sk_c)·B, which is exactly what one signer holding
 * sk = sk_b + sk_c would answer. Unblinding is linear too: r⁻¹·(sk·r·H(m)) = sk·H(m), the signature
 * under pk = (sk_b + sk_c)·G1 = pk_b + pk_c. So the pair of signers *is* Boldyreva's blind signer for
 * the key sk, run as an additive 2-of-2 sharing of it (Boldyreva 2003 §4 threshold BLS, with n = t = 2);
 * its unforgeability is the one-more CDH argument of crypto/blind.ts for that key. Each signer alone
 * knows only its share: a signature under pk needs sk·H(m) = sk_b·H(m) + sk_c·H(m), and the missing
 * share's part is a CDH value the other signer never gives out except as answers on blinded values
 * it agreed to sign. Blindness is unchanged: both signers see the same uniform B and nothing else.
 * The tablet checks each share against its own signer's logged key before adding them (a wrong share
 * from either signer is caught and named; an unchecked sum could hide one signer's tagging of the
 * token behind the other's correction).
 *
 * Why the proofs of possession. Adding keys invites a rogue-key attack (Boneh–Drijvers–Neven 2018;
 * draft §3, the reason §3.3 exists): a party that publishes its key *after* seeing the other's could
 * publish pk_b = x·G1 − pk_c; the aggregate is x·G1 and it alone signs for it. The proof of possession
 * scheme (draft §3.3) answers this by requiring each key to come with PopProve(sk) = sk·H_pop(pk), a
 * signature under a separate hash (POP_DST, §3.3.1, §4.2.3), which only a holder of the secret key can
 * make; FastAggregateVerify (§3.3.4) adds keys exactly as here, relying on each key's PopVerify (and
 * KeyValidate, §2.5, done by crypto/blind.ts decodePublicKey). The aggregate is accepted only as the
 * sum of two keys each with a valid proof (checkCoIssuanceKeys).
 *
 * One more condition specific to *blind* signing: a blind signer signs any G2 point it is sent, so B
 * could be H_pop(pk_rogue) and its answer the missing half of a rogue key's proof of possession. The
 * proof of possession protects the aggregate only if the other party's key and proof are fixed before
 * the first blind signature under the key they combine with. Hence: each signer uses a fresh key per
 * ballot (KeyGen with the ballot id in key_info, draft §2.3), the co-signer checks and pins the bureau's
 * key and proof for a ballot before it signs anything for that ballot, and both keys are logged before
 * issuance opens (the verifier checks that order).
 *
 * Who runs what: keys and shares — the bureau's server (src/votes/) and the co-signer (src/cosigner/);
 * combineBlindShares / finalizeCoIssuedToken — the client (tablet); checkCoIssuanceKeys — anyone
 * (tablet, verifier).
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { utf8 } from './bytes.js';
import {
  BlindError,
  BlsEncodingError,
  checkBlindSignature,
  decodePublicKey,
  decodeSignature,
  encodePublicKey,
  encodeSignature,
  keyGen,
  popVerify,
  secretToPublicKey,
  unblind,
  verifyToken,
} from './blind.js';

/** Prefix of the KeyGen key_info of the co-signer's per-ballot key (distinct from the bureau's). */
export const COSIGNER_KEY_INFO_PREFIX = 'hz-quality-award/cosigner-ballot-key/v1:';

/** One signer's blind-signature share, with the public key the client took from the public log. */
export interface BlindShare {
  /** Which signer, for the error message ("bureau", "co-signer"). */
  signer: string;
  publicKey: Uint8Array;
  blindSignature: Uint8Array;
}

/**
 * pk_b + pk_c: the aggregate public key (draft §2.8 on G1). Each input must decode (KeyValidate,
 * §2.5); the sum must not be the identity (it would be if pk_c = −pk_b). Anyone.
 */
export function aggregatePublicKey(bureauKey: Uint8Array, cosignerKey: Uint8Array): Uint8Array {
  const sum = decodePublicKey(bureauKey).add(decodePublicKey(cosignerKey));
  if (sum.is0()) throw new BlsEncodingError('identity', 'aggregate public key: the identity point');
  return encodePublicKey(sum);
}

/**
 * The co-signer's key for one ballot: KeyGen(IKM = its own master secret, key_info =
 * utf8("hz-quality-award/cosigner-ballot-key/v1:" ‖ ballotId)). The master secret is generated on
 * the co-signer's machine and never derived from anything the bureau holds. Co-signer.
 */
export function deriveCosignerBallotKey(masterSecret: Uint8Array, ballotId: string): { secretKey: Uint8Array; publicKey: Uint8Array } {
  if (!(masterSecret instanceof Uint8Array) || masterSecret.length < 32)
    throw new BlindError('invalid-input', 'deriveCosignerBallotKey: master secret must be at least 32 bytes');
  if (typeof ballotId !== 'string' || ballotId === '') throw new BlindError('invalid-input', 'deriveCosignerBallotKey: ballot id must be a non-empty string');
  const secretKey = keyGen(masterSecret, utf8(COSIGNER_KEY_INFO_PREFIX + ballotId));
  return { secretKey, publicKey: secretToPublicKey(secretKey) };
}

/** What a ballot's keys must satisfy; `ok` false names the first failure. */
export type CoIssuanceKeyCheck = { ok: true } | { ok: false; reason: 'bureau-pop' | 'cosigner-pop' | 'same-key' | 'aggregate' };

/**
 * The aggregate is the sum of two distinct keys each with a valid proof of possession (PopVerify,
 * draft §3.3.3). Anyone (tablet before issuance, verifier).
 */
export function checkCoIssuanceKeys(k: {
  bureauPublicKey: Uint8Array;
  bureauPop: Uint8Array;
  cosignerPublicKey: Uint8Array;
  cosignerPop: Uint8Array;
  aggregatePublicKey: Uint8Array;
}): CoIssuanceKeyCheck {
  if (!popVerify(k.bureauPublicKey, k.bureauPop)) return { ok: false, reason: 'bureau-pop' };
  if (!popVerify(k.cosignerPublicKey, k.cosignerPop)) return { ok: false, reason: 'cosigner-pop' };
  if (k.bureauPublicKey.length === k.cosignerPublicKey.length && k.bureauPublicKey.every((b, i) => b === k.cosignerPublicKey[i])) return { ok: false, reason: 'same-key' };
  let sum: Uint8Array;
  try {
    sum = aggregatePublicKey(k.bureauPublicKey, k.cosignerPublicKey);
  } catch (e) {
    if (e instanceof BlsEncodingError) return { ok: false, reason: 'aggregate' };
    throw e;
  }
  if (sum.length !== k.aggregatePublicKey.length || !sum.every((b, i) => b === k.aggregatePublicKey[i])) return { ok: false, reason: 'aggregate' };
  return { ok: true };
}

/**
 * Checks every share against its signer's key (e(pk_i, B) = e(G1, S′_i)), then adds them:
 * S′ = Σ S′_i. Throws BlindError('signer-cheated') naming the first signer whose share does not
 * verify. Client.
 */
export function combineBlindShares(blinded: Uint8Array, shares: readonly BlindShare[]): Uint8Array {
  if (!Array.isArray(shares) || shares.length === 0) throw new BlindError('invalid-input', 'combineBlindShares: at least one share');
  let sum: InstanceType<typeof bls12_381.G2.Point> | null = null;
  for (const s of shares) {
    if (!checkBlindSignature(s.publicKey, blinded, s.blindSignature))
      throw new BlindError('signer-cheated', `combineBlindShares: the ${s.signer}'s share does not verify under its logged key`);
    const pt = decodeSignature(s.blindSignature, 'blind signature');
    sum = sum ? sum.add(pt) : pt;
  }
  return encodeSignature(sum!);
}

/**
 * combineBlindShares, unblind, and CoreVerify under the aggregate key (the sum of the shares' keys).
 * Returns the token's signature S. Client.
 */
export function finalizeCoIssuedToken(message: Uint8Array, blinded: Uint8Array, r: Uint8Array, shares: readonly BlindShare[]): Uint8Array {
  const combined = combineBlindShares(blinded, shares);
  let pk = decodePublicKey(shares[0]!.publicKey);
  for (const s of shares.slice(1)) pk = pk.add(decodePublicKey(s.publicKey));
  const S = unblind(combined, r);
  if (!verifyToken(encodePublicKey(pk), message, S))
    throw new BlindError('signer-cheated', 'finalizeCoIssuedToken: the unblinded signature does not verify under the aggregate key');
  return S;
}
