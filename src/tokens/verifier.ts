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
 * @module
 */
import { verifyToken as nobleVerify } from '../../crypto/blind.js';

export interface TokenVerifier {
  /** Which backend answers ("noble", "@chainsafe/blst"). */
  readonly name: string;
  /** CoreVerify of an unblinded token; false on a bad encoding of any input. Server. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export const nobleVerifier: TokenVerifier = { name: 'noble', verify: nobleVerify };

/** The verifier of these dependencies (noble unless the entry point chose another). */
export const tokenVerifier = (deps: { tokens?: TokenVerifier | undefined }): TokenVerifier => deps.tokens ?? nobleVerifier;
