/**
 * C2SP signed notes (https://c2sp.org/signed-note), transparency-log checkpoints
 * (https://c2sp.org/tlog-checkpoint) and Ed25519 checkpoint cosignatures, cosignature/v1
 * (https://c2sp.org/tlog-cosignature). Key texts use the formats of Go's
 * golang.org/x/mod/sumdb/note (the reference implementation), so keys and notes interoperate.
 *
 * Protocol flow
 *   server (log):     formatCheckpoint({origin, size, hash}) → signNote(text, logSigner) → publish.
 *   witness (supervisory group): openNote(checkpoint, [logVerifier]), checks consistency with the
 *                     last checkpoint it cosigned (tlog.ts checkTree), then addCosignature().
 *   anyone:           openNote(note, [logVerifier]) → parseCheckpoint(text);
 *                     verifyCosignature(note, witnessVerifier) → the witness's timestamp.
 *
 * Keys (Go's text forms; signed-note §"Verifier keys"):
 *   verifier key  <name>+<hex key id>+base64(type ‖ public key)
 *   signer key    PRIVATE+KEY+<name>+<hex key id>+base64(type ‖ Ed25519 seed)
 *   key id        SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4], big-endian uint32
 *   types         0x01 Ed25519 note signature, 0x04 Ed25519 cosignature/v1.
 *
 * Parsing is strict: a note that Go's note.Open rejects is rejected here (and non-canonical base64
 * is refused too). Signers: server (log key), witness (cosigner key). Verifiers: anyone.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import {
  EncodingError,
  concatBytes,
  fromBase64,
  readU32be,
  readU64be,
  toBase64,
  toHex,
  u32be,
  u64be,
  utf8,
  utf8Decode,
} from './bytes.js';

/** Signature type 0x01: Ed25519 over the note text (signed-note §"Ed25519 signatures"). */
export const SIG_ED25519 = 0x01;
/** Signature type 0x04: timestamped Ed25519 checkpoint cosignature (tlog-cosignature). */
export const SIG_COSIGNATURE_V1 = 0x04;
/** Most signatures openNote reads before refusing the note (the spec requires accepting ≥ 16). */
export const MAX_SIGNATURES = 100;
/** Largest note openNote reads (bytes). Checkpoints are a few hundred bytes. */
export const MAX_NOTE_SIZE = 1 << 20;

export type NoteErrorCode =
  | 'malformed-note' // not a well-formed signed note
  | 'malformed-key' // signer / verifier key text not well-formed
  | 'key-id-mismatch' // key text's key id is not SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]
  | 'unknown-algorithm' // signature type not supported here
  | 'invalid-name' // key name empty, or has a space or '+'
  | 'invalid-signature' // a known key's signature does not verify
  | 'unverified-note' // no known key signed the note
  | 'ambiguous-key' // two verifiers with the same name and key id
  | 'malformed-checkpoint'; // note text is not a tlog-checkpoint

/** Every failure of this module. */
export class NoteError extends Error {
  override readonly name = 'NoteError';
  readonly code: NoteErrorCode;
  constructor(code: NoteErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A signature line of a note, verified or not. */
export interface NoteSignature {
  readonly name: string;
  /** uint32 key id. */
  readonly keyId: number;
  /** The base64 field of the line: key id ‖ signature. */
  readonly base64: string;
}

/** Signs note text with one key. Server (log) or witness. */
export interface Signer {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  /** The signature over the note text (without the 4-byte key id). */
  sign(text: Uint8Array): Uint8Array;
}

/** Verifies one key's signatures. Anyone. */
export interface Verifier {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  /** Whether `sig` (without the key id) is this key's valid signature over `text`. */
  verify(text: Uint8Array, sig: Uint8Array): boolean;
}

// ---------------------------------------------------------------- names and key ids

/** Unicode White_Space (what Go's unicode.IsSpace reports). */
const SPACE = /[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** signed-note §Format: key names are non-empty, without Unicode spaces or '+'. */
export function isValidName(name: string): boolean {
  if (typeof name !== 'string' || name === '' || SPACE.test(name) || name.includes('+')) return false;
  try {
    utf8(name); // no lone surrogates
  } catch {
    return false;
  }
  return true;
}

/** key id = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4] as a big-endian uint32 (signed-note §Signatures). */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  const h = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, type), publicKey));
  return readU32be(h, 0);
}

const hex8 = (id: number): string => toHex(u32be(id));

function decodeB64(s: string, code: NoteErrorCode, message: string): Uint8Array {
  try {
    return fromBase64(s);
  } catch (e) {
    if (e instanceof EncodingError) throw new NoteError(code, message);
    throw e;
  }
}

/** Splits `s` at the first '+' (like Go's strings.Cut). */
function cutPlus(s: string): [string, string] {
  const i = s.indexOf('+');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function parseHexId(s: string, code: NoteErrorCode): number {
  if (!/^[0-9a-f]{8}$/.test(s)) throw new NoteError(code, 'note: key id must be 8 lowercase hex digits');
  return Number.parseInt(s, 16);
}

// ---------------------------------------------------------------- keys

/** Verifier key text for an Ed25519 public key: `name+keyid+base64(type ‖ key)`. */
export function newVerifierKey(name: string, publicKey: Uint8Array, type: number = SIG_ED25519): string {
  if (!isValidName(name)) throw new NoteError('invalid-name', 'note: invalid key name');
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1) throw new NoteError('unknown-algorithm', 'note: unknown signature type');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new NoteError('malformed-key', 'note: Ed25519 public key must be 32 bytes');
  const key = concatBytes(Uint8Array.of(type), publicKey);
  return `${name}+${hex8(keyId(name, type, publicKey))}+${toBase64(key)}`;
}

/**
 * A new Ed25519 key pair as Go-format key texts. `type` 0x01 (default) signs notes, 0x04 makes a
 * cosignature/v1 witness key. `seed` (32 bytes) only for tests. Server / witness (key ceremony).
 */
export function generateSignerKey(name: string, opts: { type?: number; seed?: Uint8Array } = {}): { signerKey: string; verifierKey: string } {
  const type = opts.type ?? SIG_ED25519;
  if (!isValidName(name)) throw new NoteError('invalid-name', 'note: invalid key name');
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1) throw new NoteError('unknown-algorithm', 'note: unknown signature type');
  const seed = opts.seed ?? randomBytes(32);
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new NoteError('malformed-key', 'note: Ed25519 seed must be 32 bytes');
  const pub = ed25519.getPublicKey(seed);
  const id = hex8(keyId(name, type, pub));
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${toBase64(concatBytes(Uint8Array.of(type), seed))}`,
    verifierKey: `${name}+${id}+${toBase64(concatBytes(Uint8Array.of(type), pub))}`,
  };
}

/** A clock in POSIX seconds, for cosignature timestamps. */
export type Clock = () => number;
const systemClock: Clock = () => Math.floor(Date.now() / 1000);

/** The message a cosignature/v1 signs: `cosignature/v1\ntime <T>\n` ‖ checkpoint text (tlog-cosignature §"Ed25519 signed message"). */
export function cosignatureMessage(timestamp: bigint, text: Uint8Array): Uint8Array {
  if (timestamp < 0n || timestamp > 0x7fffffffffffffffn) throw new NoteError('malformed-note', 'note: cosignature timestamp out of range');
  return concatBytes(utf8(`cosignature/v1\ntime ${timestamp}\n`), text);
}

/**
 * A Signer from a Go-format signer key text `PRIVATE+KEY+name+keyid+base64(type ‖ seed)`.
 * Type 0x01 signs the note text; type 0x04 produces a cosignature/v1 (timestamp ‖ signature) using
 * `clock` (default: system time). Server (log) / witness.
 */
export function newSigner(signerKey: string, clock: Clock = systemClock): Signer {
  if (typeof signerKey !== 'string') throw new NoteError('malformed-key', 'note: signer key must be a string');
  const [priv1, r1] = cutPlus(signerKey);
  const [priv2, r2] = cutPlus(r1);
  const [name, r3] = cutPlus(r2);
  const [hash16, key64] = cutPlus(r3);
  if (priv1 !== 'PRIVATE' || priv2 !== 'KEY') throw new NoteError('malformed-key', 'note: signer key must start with PRIVATE+KEY+');
  if (!isValidName(name)) throw new NoteError('invalid-name', 'note: invalid key name');
  const id = parseHexId(hash16, 'malformed-key');
  const key = decodeB64(key64, 'malformed-key', 'note: signer key is not valid base64');
  if (key.length === 0) throw new NoteError('malformed-key', 'note: empty signer key');
  const type = key[0]!;
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1) throw new NoteError('unknown-algorithm', 'note: unknown signature type');
  const seed = key.subarray(1);
  if (seed.length !== 32) throw new NoteError('malformed-key', 'note: Ed25519 seed must be 32 bytes');
  const pub = ed25519.getPublicKey(seed);
  if (keyId(name, type, pub) !== id) throw new NoteError('key-id-mismatch', 'note: key id does not match the key');
  const secret = seed.slice();
  if (type === SIG_ED25519) return { name, keyId: id, type, sign: (text) => ed25519.sign(text, secret) };
  return {
    name,
    keyId: id,
    type,
    sign(text) {
      const t = clock();
      if (!Number.isSafeInteger(t) || t < 0) throw new NoteError('malformed-note', 'note: clock returned an invalid timestamp');
      const ts = BigInt(t);
      return concatBytes(u64be(ts), ed25519.sign(cosignatureMessage(ts, text), secret));
    },
  };
}

/** A cosignature/v1 signer (type 0x04 key text only). Witness. */
export function newCosigner(signerKey: string, clock: Clock = systemClock): Signer {
  const s = newSigner(signerKey, clock);
  if (s.type !== SIG_COSIGNATURE_V1) throw new NoteError('unknown-algorithm', 'note: not a cosignature/v1 (type 0x04) key');
  return s;
}

/**
 * A Verifier from a verifier key text `name+keyid+base64(type ‖ key)`. Type 0x01 verifies Ed25519
 * note signatures; type 0x04 verifies cosignature/v1 (72 bytes: timestamp ‖ signature). Ed25519
 * verification is RFC 8032 strict (canonical encodings, no ZIP-215 leniency). Anyone.
 */
export function newVerifier(verifierKey: string): Verifier {
  if (typeof verifierKey !== 'string') throw new NoteError('malformed-key', 'note: verifier key must be a string');
  const [name, r1] = cutPlus(verifierKey);
  const [hash16, key64] = cutPlus(r1);
  if (!isValidName(name)) throw new NoteError('invalid-name', 'note: invalid key name');
  const id = parseHexId(hash16, 'malformed-key');
  const key = decodeB64(key64, 'malformed-key', 'note: verifier key is not valid base64');
  if (key.length === 0) throw new NoteError('malformed-key', 'note: empty verifier key');
  const type = key[0]!;
  const pub = key.slice(1);
  if (keyId(name, type, pub) !== id) throw new NoteError('key-id-mismatch', 'note: key id does not match the key');
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1) throw new NoteError('unknown-algorithm', 'note: unknown signature type');
  if (pub.length !== 32 || !ed25519.utils.isValidPublicKey(pub, false)) throw new NoteError('malformed-key', 'note: invalid Ed25519 public key');
  const edVerify = (sig: Uint8Array, msg: Uint8Array): boolean => {
    try {
      return ed25519.verify(sig, msg, pub, { zip215: false });
    } catch {
      return false;
    }
  };
  if (type === SIG_ED25519) return { name, keyId: id, type, verify: (text, sig) => sig.length === 64 && edVerify(sig, text) };
  return {
    name,
    keyId: id,
    type,
    verify(text, sig) {
      if (sig.length !== 8 + 64) return false;
      const ts = readU64be(sig, 0);
      if (ts > 0x7fffffffffffffffn) return false;
      return edVerify(sig.subarray(8), cosignatureMessage(ts, text));
    },
  };
}

// ---------------------------------------------------------------- notes

/** The parts of an opened note. */
export interface OpenedNote {
  /** The note text, ending in '\n'. */
  readonly text: string;
  /** Signatures by known keys, all verified. */
  readonly sigs: NoteSignature[];
  /** Signatures by keys not in the verifier list (ignored, kept for re-signing / forwarding). */
  readonly unverifiedSigs: NoteSignature[];
}

/** Refuses text that is not ASCII-control-free (except '\n') and newline-terminated. */
function assertNoteText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new NoteError('malformed-note', 'note: text must end with a newline');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new NoteError('malformed-note', 'note: text contains a control character');
  try {
    utf8(text);
  } catch {
    throw new NoteError('malformed-note', 'note: text is not valid Unicode');
  }
}

/**
 * Signs `text` (which must end in '\n' and contain no control character other than '\n') with each
 * signer, returning `text ‖ '\n' ‖ ("— name base64(keyid ‖ sig)\n")*` (signed-note §Format).
 * Server (log) / witness.
 */
export function signNote(text: string, ...signers: Signer[]): string {
  assertNoteText(text);
  if (signers.length === 0) throw new NoteError('malformed-note', 'note: at least one signer is required');
  const msg = utf8(text);
  let out = text + '\n';
  for (const s of signers) {
    if (!isValidName(s.name)) throw new NoteError('invalid-name', 'note: invalid signer name');
    out += `— ${s.name} ${toBase64(concatBytes(u32be(s.keyId), s.sign(msg)))}\n`;
  }
  return out;
}

/** Splits a signed note into text and parsed signature lines, without verifying anything. */
function splitNote(msg: string | Uint8Array, maxSignatures: number): { text: string; textBytes: Uint8Array; lines: { name: string; keyId: number; base64: string; sig: Uint8Array; line: string }[] } {
  const bytes = typeof msg === 'string' ? utf8Safe(msg) : msg;
  if (!(bytes instanceof Uint8Array)) throw new NoteError('malformed-note', 'note: expected a string or bytes');
  if (bytes.length > MAX_NOTE_SIZE) throw new NoteError('malformed-note', 'note: note too large');
  let s: string;
  try {
    s = utf8Decode(bytes); // valid UTF-8 only
  } catch {
    throw new NoteError('malformed-note', 'note: not valid UTF-8');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(s)) throw new NoteError('malformed-note', 'note: control character in note');
  // The text is separated from the signatures by the last blank line.
  const split = s.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed-note', 'note: no blank line before the signatures');
  const text = s.slice(0, split + 1);
  let sigs = s.slice(split + 2);
  if (sigs.length === 0 || !sigs.endsWith('\n')) throw new NoteError('malformed-note', 'note: signature block must be non-empty and end with a newline');
  const lines = [];
  while (sigs.length > 0) {
    const i = sigs.indexOf('\n');
    const line = sigs.slice(0, i);
    sigs = sigs.slice(i + 1);
    if (!line.startsWith('— ')) throw new NoteError('malformed-note', 'note: signature line must start with "— "');
    const rest = line.slice(2);
    const sp = rest.indexOf(' ');
    const name = sp < 0 ? rest : rest.slice(0, sp);
    const b64 = sp < 0 ? '' : rest.slice(sp + 1);
    if (!isValidName(name) || b64 === '') throw new NoteError('malformed-note', 'note: malformed signature line');
    const raw = decodeB64(b64, 'malformed-note', 'note: signature is not valid base64');
    if (raw.length < 5) throw new NoteError('malformed-note', 'note: signature too short');
    if (lines.length + 1 > maxSignatures) throw new NoteError('malformed-note', 'note: too many signatures');
    lines.push({ name, keyId: readU32be(raw, 0), base64: b64, sig: raw.subarray(4), line: rest });
  }
  return { text, textBytes: utf8(text), lines };
}

function utf8Safe(s: string): Uint8Array {
  try {
    return utf8(s);
  } catch {
    throw new NoteError('malformed-note', 'note: not valid Unicode');
  }
}

/**
 * Opens a signed note (signed-note §Signatures): parses it strictly, verifies every signature by a
 * known key (a bad one rejects the note: 'invalid-signature'), keeps signatures by unknown keys in
 * `unverifiedSigs`, drops exact duplicates, and refuses a note with no verified signature
 * ('unverified-note'). Anyone.
 */
export function openNote(msg: string | Uint8Array, verifiers: Verifier[], opts: { maxSignatures?: number } = {}): OpenedNote {
  // null marks an ambiguous name+id: an error only if a signature line uses it (as in Go).
  const known = new Map<string, Verifier | null>();
  for (const v of verifiers) {
    const k = `${v.name}+${hex8(v.keyId)}`;
    known.set(k, known.has(k) ? null : v);
  }
  const { text, textBytes, lines } = splitNote(msg, opts.maxSignatures ?? MAX_SIGNATURES);
  const sigs: NoteSignature[] = [];
  const unverifiedSigs: NoteSignature[] = [];
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  for (const l of lines) {
    const k = `${l.name}+${hex8(l.keyId)}`;
    if (!known.has(k)) {
      if (seenUnverified.has(l.line)) continue;
      seenUnverified.add(l.line);
      unverifiedSigs.push({ name: l.name, keyId: l.keyId, base64: l.base64 });
      continue;
    }
    const v = known.get(k);
    if (!v) throw new NoteError('ambiguous-key', `note: ambiguous key ${k}`);
    if (seen.has(k)) continue;
    seen.add(k);
    if (!v.verify(textBytes, l.sig)) throw new NoteError('invalid-signature', `note: invalid signature for key ${k}`);
    sigs.push({ name: l.name, keyId: l.keyId, base64: l.base64 });
  }
  if (sigs.length === 0) throw new NoteError('unverified-note', 'note: no verifiable signatures');
  return { text, sigs, unverifiedSigs };
}

// ---------------------------------------------------------------- checkpoints (tlog-checkpoint)

/** A log's tree head as a checkpoint body (tlog-checkpoint §"Note text"). */
export interface Checkpoint {
  /** Unique log identity, e.g. `example.com/log42`. */
  readonly origin: string;
  /** Number of leaves. */
  readonly size: number;
  /** RFC 9162 root hash (32 bytes). */
  readonly hash: Uint8Array;
  /** Optional non-empty extension lines (NOT RECOMMENDED by the spec). */
  readonly extensions?: readonly string[];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;

function checkLine(line: string, what: string): void {
  if (typeof line !== 'string' || line === '' || CONTROL.test(line)) throw new NoteError('malformed-checkpoint', `checkpoint: ${what} must be a non-empty line`);
}

/** The checkpoint note text `origin\nsize\nbase64(hash)\n[extension\n…]`. Server (log). */
export function formatCheckpoint(c: Checkpoint): string {
  checkLine(c.origin, 'origin');
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new NoteError('malformed-checkpoint', 'checkpoint: size must be a non-negative safe integer');
  if (!(c.hash instanceof Uint8Array) || c.hash.length !== 32) throw new NoteError('malformed-checkpoint', 'checkpoint: hash must be 32 bytes');
  const ext = c.extensions ?? [];
  for (const e of ext) checkLine(e, 'extension line');
  return [c.origin, String(c.size), toBase64(c.hash), ...ext].join('\n') + '\n';
}

/**
 * Parses checkpoint note text strictly: ≥ 3 non-empty lines, the size in decimal without leading
 * zeros (at most 2^53 − 1 here), the root hash base64 of exactly 32 bytes, non-empty extension
 * lines, final newline. Anyone (after openNote).
 */
export function parseCheckpoint(text: string): Checkpoint & { extensions: string[] } {
  const bad = (m: string): never => {
    throw new NoteError('malformed-checkpoint', `checkpoint: ${m}`);
  };
  if (typeof text !== 'string' || !text.endsWith('\n')) return bad('text must end with a newline');
  if (CONTROL.test(text.replaceAll('\n', ''))) return bad('control character in text');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return bad('need origin, size and hash lines');
  const [origin, sizeLine, hashLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') return bad('empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) return bad('size must be decimal without leading zeros');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) return bad('size too large');
  let hash: Uint8Array;
  try {
    hash = fromBase64(hashLine);
  } catch {
    return bad('hash is not valid base64');
  }
  if (hash.length !== 32) return bad('hash must be 32 bytes');
  for (const e of extensions) if (e === '') return bad('empty extension line');
  return { origin, size, hash, extensions };
}

// ---------------------------------------------------------------- cosignatures (tlog-cosignature)

/**
 * Adds `cosigner`'s cosignature/v1 line to a signed checkpoint, after checking the log's signature
 * with `logVerifier` and that the text is a checkpoint. The witness must first have checked that
 * the checkpoint is consistent with the last one it cosigned (tlog.ts checkTree). Witness.
 */
export function addCosignature(signedCheckpoint: string, cosigner: Signer, logVerifier: Verifier): string {
  if (cosigner.type !== SIG_COSIGNATURE_V1) throw new NoteError('unknown-algorithm', 'note: not a cosignature/v1 signer');
  const opened = openNote(signedCheckpoint, [logVerifier]);
  parseCheckpoint(opened.text);
  const sig = cosigner.sign(utf8(opened.text));
  const line = `— ${cosigner.name} ${toBase64(concatBytes(u32be(cosigner.keyId), sig))}\n`;
  // Drop an earlier cosignature by the same key (as Go's note.Sign does), keep every other line.
  const head = signedCheckpoint.slice(0, opened.text.length + 1);
  const kept = signedCheckpoint
    .slice(opened.text.length + 1)
    .split('\n')
    .filter((l) => l !== '')
    .filter((l) => {
      const rest = l.slice(2);
      const sp = rest.indexOf(' ');
      if (rest.slice(0, sp) !== cosigner.name) return true;
      const raw = fromBase64(rest.slice(sp + 1));
      return readU32be(raw, 0) !== cosigner.keyId;
    });
  return head + kept.map((l) => l + '\n').join('') + line;
}

/**
 * Verifies that the witness with `witnessVerifier` (a type 0x04 verifier key) cosigned this
 * checkpoint; returns the cosignature's timestamp (POSIX seconds). Throws NoteError otherwise
 * ('unverified-note' if the witness did not sign, 'invalid-signature' if its signature is bad).
 * Anyone.
 */
export function verifyCosignature(signedCheckpoint: string, witnessVerifier: Verifier): { timestamp: number; checkpoint: Checkpoint } {
  if (witnessVerifier.type !== SIG_COSIGNATURE_V1) throw new NoteError('unknown-algorithm', 'note: not a cosignature/v1 verifier');
  const opened = openNote(signedCheckpoint, [witnessVerifier]);
  const checkpoint = parseCheckpoint(opened.text);
  const raw = fromBase64(opened.sigs[0]!.base64);
  const ts = readU64be(raw, 4);
  if (ts > BigInt(Number.MAX_SAFE_INTEGER)) throw new NoteError('malformed-note', 'note: cosignature timestamp beyond 2^53');
  return { timestamp: Number(ts), checkpoint };
}
