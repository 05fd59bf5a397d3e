// The digest of an objection: what the receipt shows and the public log records, so that the objector
// (or anyone holding the submission) can prove later what was received, and the bureau cannot swap it.
//
// Canonical submission, version `hzqa-objection-submission/v1`: the UTF-8 bytes of the JSON text
//
//   {"contact":C,"declaration":true,"facts":F,"files":[{"sha256":H,"size":S},…],"identity":{…},"kind":K,
//    "letter":{"sha256":H,"size":S}|null,"name":N,"noEvidence":B,"noticeId":I,"organisation":O,"reasons":R,
//    "v":"hzqa-objection-submission/v2"}
// - `identity` holds the objector's identity with its keys sorted (contactPerson, creditCode, idNumber,
//   kind, signature — those given), codes upper-case without spaces;
//
// - exactly these keys, in this order (lexicographic, as RFC 8785 JCS sorts them), no whitespace;
// - every string is the *accepted* value of its form field — line breaks normalised to LF (CRLF and CR
//   become LF) and leading/trailing white space removed (normalizeText) — serialised as by ECMAScript
//   JSON.stringify (which for strings is exactly JCS);
// - `kind` is "unit" or "person"; `declaration` is the literal true;
// - `files` lists the evidence files in upload order: `sha256` the lowercase hex SHA-256 of the file's
//   exact bytes (also its key in the object store), `size` its length in bytes as a JSON integer;
//   file names and client-declared types are not part of it;
// - digest = lowercase hex SHA-256 of those bytes.
//
// Reproduce with `submissionDigest(canonicalSubmission(…))`, or in a shell:
//   printf '%s' '<the JSON above>' | sha256sum
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../crypto/bytes.js';

export const SUBMISSION_VERSION = 'hzqa-objection-submission/v2';

export interface Submission {
  noticeId: string;
  kind: 'unit' | 'person';
  name: string;
  contact: string;
  organisation: string;
  facts: string;
  reasons: string;
  files: readonly { sha256: string; size: number }[];
  /** v2: the objector's identity (objector.ts), exactly as encrypted. */
  identity: { kind: 'unit' | 'person'; idNumber?: string; signature?: string; creditCode?: string; contactPerson?: string };
  /** v2: the signed or sealed letter, when uploaded. */
  letter: { sha256: string; size: number } | null;
  /** v2: the objector stated that no evidence is provided (未提供佐证材料). */
  noEvidence: boolean;
}

/** How every text field is normalised before it is stored and digested. */
export function normalizeText(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}

/** The canonical JSON text of a submission (see the comment at the top of this file). */
export function canonicalSubmission(s: Submission): string {
  for (const f of s.letter ? [...s.files, s.letter] : s.files) {
    if (!/^[0-9a-f]{64}$/.test(f.sha256)) throw new Error('file sha256 must be 64 lowercase hex digits');
    if (!Number.isSafeInteger(f.size) || f.size < 0) throw new Error('file size must be a non-negative integer');
  }
  const ordered = {
    contact: normalizeText(s.contact),
    declaration: true,
    facts: normalizeText(s.facts),
    files: s.files.map((f) => ({ sha256: f.sha256, size: f.size })),
    identity: Object.fromEntries(Object.entries(s.identity).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))),
    kind: s.kind,
    letter: s.letter ? { sha256: s.letter.sha256, size: s.letter.size } : null,
    name: normalizeText(s.name),
    noEvidence: s.noEvidence,
    noticeId: s.noticeId,
    organisation: normalizeText(s.organisation),
    reasons: normalizeText(s.reasons),
    v: SUBMISSION_VERSION,
  };
  return JSON.stringify(ordered);
}

/** Lowercase hex SHA-256 of the canonical submission. */
export function submissionDigest(s: Submission): string {
  return toHex(sha256(new TextEncoder().encode(canonicalSubmission(s))));
}

export const sha256Hex = (data: Uint8Array): string => toHex(sha256(data));
