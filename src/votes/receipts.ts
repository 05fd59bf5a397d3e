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
export function signReceipt(masterSecret: Uint8Array, ballotId: string, token: string, choices: Choices): CastReceipt {
  const r = { v: RECEIPT_VERSION, ballotId, token, choicesHash: choicesHash(choices), accepted: true } as const;
  return { ...r, signature: toHex(ed25519.sign(unsigned(r), deriveReceiptKey(masterSecret, ballotId).secretKey)) };
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
