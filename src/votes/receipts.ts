// Signed cast receipts: every accepted cast gets one, signed with the ballot's receipt key — an
// Ed25519 key derived per ballot from the bureau's ballot master secret, whose public half is in the
// ballot's "ballot-key" log entry before issuance opens. A receipt proves that the server accepted
// this token with these choices; if the logged bulletin lacks the token or shows other choices, the
// receipt is the evidence (npm run verify -- --receipts FILE…).
//
//   receipt   { v: "hzqa-cast-receipt/v1", ballotId, token, choicesHash, accepted: true }
//             choicesHash = hex SHA-256 of the canonical JSON of the choices (src/log/append.ts)
//   signed    Ed25519 over the UTF-8 canonical JSON of the receipt; hex in `signature`.
// Runs anywhere: the server signs (server), the tablet and the verifier check (client / anyone).
import * as z from 'zod';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { extract, expand } from '@noble/hashes/hkdf.js';
import { fromHex, toHex, utf8 } from '../../crypto/bytes.js';
import { canonicalJson } from '../log/append.js';
import type { Choices } from './rules.js';

export const RECEIPT_VERSION = 'hzqa-cast-receipt/v1';
const RECEIPT_KEY_INFO = 'hz-quality-award/receipt-key/v1:';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));

/** A signed cast receipt as the server gives it and the tablet keeps it. */
export const CastReceiptSchema = z.object({
  v: z.literal(RECEIPT_VERSION),
  ballotId: z.string(),
  token: hex(32),
  choicesHash: hex(32),
  accepted: z.literal(true),
  /** Ed25519 signature (hex) by the ballot's receipt key over canonicalJson of the other fields. */
  signature: hex(64),
});
export type CastReceipt = z.infer<typeof CastReceiptSchema>;

/** Hex SHA-256 of the canonical JSON of the choices. Anyone. */
export const choicesHash = (choices: Choices) => toHex(sha256(utf8(canonicalJson(choices))));

/** The ballot's receipt key: HKDF-SHA-256(master secret, info = prefix ‖ ballotId) as an Ed25519 seed. Server. */
export function deriveReceiptKey(masterSecret: Uint8Array, ballotId: string): { secretKey: Uint8Array; publicKey: string } {
  const secretKey = expand(sha256, extract(sha256, masterSecret, new Uint8Array(0)), utf8(RECEIPT_KEY_INFO + ballotId), 32);
  return { secretKey, publicKey: toHex(ed25519.getPublicKey(secretKey)) };
}

const unsigned = (r: Omit<CastReceipt, 'signature'>) => utf8(canonicalJson({ v: r.v, ballotId: r.ballotId, token: r.token, choicesHash: r.choicesHash, accepted: r.accepted }));

/** Server: the receipt for an accepted cast. */
export async function signReceipt(masterSecret: Uint8Array, ballotId: string, token: string, choices: Choices): Promise<CastReceipt> {
  const r = { v: RECEIPT_VERSION, ballotId, token, choicesHash: choicesHash(choices), accepted: true } as const;
  const sign = receiptSigner(masterSecret, ballotId);
  return { ...r, signature: toHex(await sign(unsigned(r))) };
}

// Every accepted cast is signed with its ballot's key, so the key is derived once per ballot and kept
// (for a few ballots of each master secret). Ed25519 signatures are deterministic (RFC 8032 §5.1.6):
// the platform's Web Crypto signs the same bytes as noble about ten times faster; noble signs where
// the platform has no Ed25519 (the result is the same either way, which test/votes/receipts.test.ts checks).
type Signer = (message: Uint8Array) => Promise<Uint8Array>;
const signers = new WeakMap<Uint8Array, Map<string, Signer>>();
const KEPT_BALLOT_KEYS = 16;
// PKCS #8 PrivateKeyInfo of an Ed25519 seed (RFC 8410 §7): this fixed header, then the 32-byte seed.
const PKCS8_ED25519 = fromHex('302e020100300506032b657004220420');

/** Server: the signing function of the ballot's receipt key. */
export function receiptSigner(masterSecret: Uint8Array, ballotId: string): Signer {
  let kept = signers.get(masterSecret);
  if (!kept) signers.set(masterSecret, (kept = new Map()));
  const found = kept.get(ballotId);
  if (found) return found;
  const seed = expand(sha256, extract(sha256, masterSecret, new Uint8Array(0)), utf8(RECEIPT_KEY_INFO + ballotId), 32);
  const viaNoble: Signer = async (m) => ed25519.sign(m, seed);
  const platformKey = importPlatformKey(seed);
  const signer: Signer = async (m) => {
    const key = await platformKey;
    if (!key) return viaNoble(m);
    return new Uint8Array(await crypto.subtle.sign('Ed25519', key, new Uint8Array(m)));
  };
  if (kept.size >= KEPT_BALLOT_KEYS) kept.delete(kept.keys().next().value!);
  kept.set(ballotId, signer);
  return signer;
}

async function importPlatformKey(seed: Uint8Array): Promise<CryptoKey | null> {
  try {
    const pkcs8 = new Uint8Array(PKCS8_ED25519.length + seed.length);
    pkcs8.set(PKCS8_ED25519);
    pkcs8.set(seed, PKCS8_ED25519.length);
    return await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
  } catch {
    return null;
  }
}

/** Anyone: the receipt is well-formed and signed by this receipt key (hex, from the log). */
export function verifyReceipt(receiptKeyHex: string, r: unknown): r is CastReceipt {
  const x = CastReceiptSchema.safeParse(r);
  if (!x.success || !/^[0-9a-f]{64}$/.test(receiptKeyHex)) return false;
  try {
    return ed25519.verify(fromHex(x.data.signature), unsigned(x.data), fromHex(receiptKeyHex));
  } catch {
    return false;
  }
}
