// What the supervisory group's co-signer signs with its identity key (an Ed25519 key in the C2SP
// signed-note format, the key supervisors pin as --cosigner-key), byte-exact, shared by the co-signer,
// the bureau's server, the tablets and the verifier. Each statement is a signed note whose text is
//
//     <kind line>\n<canonical JSON of the document>\n
//
// with kind "hzqa-cosigner/v1 ballot-key" (the approved eligible list and the two keys of a ballot)
// or "hzqa-cosigner/v1 served" (the members it served for a ballot). The first line names the
// purpose, so a statement of one kind can never be read as the other.
import * as z from 'zod';
import { newVerifier, openNote, signNote, type Signer } from '../../crypto/note.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../../crypto/bytes.js';
import { canonicalJson } from '../log/append.js';

export const KEY_STATEMENT = 'hzqa-cosigner/v1 ballot-key';
export const SERVED_STATEMENT = 'hzqa-cosigner/v1 served';

const Hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));

/** A member on the eligible list: who, and the device key the tablet checked in with. */
export const EligibleMember = z
  .object({
    memberId: z.string().min(1).max(40),
    name: z.string().max(100),
    unit: z.string().max(200),
    deviceKey: Hex(32),
    /** 回避: the candidates the member is recused from (sorted), when any; the member is served under that class's keys. */
    recused: z.array(z.string().min(1).max(40)).min(1).max(100).optional(),
  })
  .strict();
export type EligibleMember = z.infer<typeof EligibleMember>;

const classKeys = {
  bureauPublicKey: Hex(48),
  bureauProofOfPossession: Hex(96),
  cosignerPublicKey: Hex(48),
  cosignerProofOfPossession: Hex(96),
  aggregatePublicKey: Hex(48),
};

/** The co-signer's approval of a ballot: the list a supervisor in the room approved, and the keys. */
export const KeyApproval = z
  .object({
    ballotId: z.string().min(1).max(40),
    cycleId: z.string().min(1).max(100),
    meetingId: z.string().min(1).max(40),
    bureauPublicKey: Hex(48),
    bureauProofOfPossession: Hex(96),
    cosignerPublicKey: Hex(48),
    cosignerProofOfPossession: Hex(96),
    aggregatePublicKey: Hex(48),
    eligible: z.array(EligibleMember).max(500),
    /** 回避: one pair of keys per recusal class, made and checked exactly like the ballot's own pair. */
    classes: z.array(z.object({ recused: z.array(z.string().min(1).max(40)).min(1).max(100), ...classKeys }).strict()).max(500).optional(),
    listHash: Hex(32),
    approvedBy: z.string().min(1).max(100),
    approvedAt: z.string().max(40),
  })
  .strict();
export type KeyApproval = z.infer<typeof KeyApproval>;

/** The members the co-signer served a blind signature for one ballot, sorted; issuance closed. */
export const ServedList = z
  .object({
    ballotId: z.string().min(1).max(40),
    aggregatePublicKey: Hex(48),
    served: z.array(z.string().min(1).max(40)).max(500),
    closedAt: z.string().max(40),
  })
  .strict();
export type ServedList = z.infer<typeof ServedList>;

/**
 * SHA-256 (hex) of the eligible list as the supervisor saw it: canonical JSON of the members sorted by
 * id. The approval names it, so an approval is for exactly the list shown.
 */
export function eligibleListHash(eligible: readonly EligibleMember[]): string {
  const sorted = [...eligible].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  return toHex(sha256(utf8(canonicalJson(sorted))));
}

/** Signs a statement (co-signer). */
export function signStatement(kind: typeof KEY_STATEMENT | typeof SERVED_STATEMENT, document: KeyApproval | ServedList, signer: Signer): string {
  return signNote(`${kind}\n${canonicalJson(document)}\n`, signer);
}

export class StatementError extends Error {
  override readonly name = 'StatementError';
}

/**
 * Opens a statement with the pinned co-signer key and parses its document; throws StatementError
 * when the signature, the kind or the document is wrong. Anyone.
 */
export function openStatement<K extends typeof KEY_STATEMENT | typeof SERVED_STATEMENT>(
  note: string,
  cosignerKey: string,
  kind: K,
): K extends typeof KEY_STATEMENT ? KeyApproval : ServedList {
  let text: string;
  try {
    text = openNote(note, [newVerifier(cosignerKey)]).text;
  } catch (e) {
    throw new StatementError(`not signed by the co-signer's key: ${e instanceof Error ? e.message : String(e)}`);
  }
  const nl = text.indexOf('\n');
  if (text.slice(0, nl) !== kind) throw new StatementError(`not a "${kind}" statement`);
  const body = text.slice(nl + 1, -1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new StatementError('the statement is not JSON');
  }
  const schema = kind === KEY_STATEMENT ? KeyApproval : ServedList;
  const r = schema.safeParse(parsed);
  if (!r.success || canonicalJson(r.data) !== body) throw new StatementError('the statement’s document is malformed or not canonical');
  return r.data as never;
}
