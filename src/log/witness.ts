/**
 * A transparency-log witness for this log: the add-checkpoint exchange of C2SP tlog-witness
 * (https://c2sp.org/tlog-witness, "add-checkpoint"), as a pure function — no I/O, no runtime — so
 * that scripts/witness.ts (Node), a Worker or a test can drive it. The caller persists `newState`
 * before returning the response (the spec requires the check and the update to be atomic: run one
 * exchange at a time per state).
 *
 * Request body (tlog-witness "add-checkpoint"):
 *     old <size>\n                  decimal, no leading zeros
 *     <base64 hash>\n …             0–63 consistency proof lines (RFC 9162 §2.1.4)
 *     \n
 *     <checkpoint signed note>      C2SP tlog-checkpoint, signed by the log (other signatures ignored)
 *
 * Answers, in the spec's order:
 *   400 text/plain        malformed request or checkpoint; old size > checkpoint size (but see 422);
 *                         a non-empty proof with old size 0
 *   404 text/plain        the checkpoint's origin is not this witness's log (opts.origin, default the
 *                         log key's name)
 *   403 text/plain        no signature verifies with the log key (an unknown or wrong log key)
 *   422 text/plain        a shrunk log: old size = the stored size but the checkpoint is smaller
 *                         (the spec would answer 400; 422 marks it as evidence of misbehaviour)
 *   409 text/x.tlog.size  old size ≠ the size of the latest cosigned checkpoint (body: that size
 *                         and a newline); or old size = checkpoint size with a different root
 *                         hash (spec: 409)
 *   422 text/plain        the consistency proof does not verify (a forked log)
 *   200 text/plain        one cosignature/v1 line (C2SP tlog-cosignature) by the witness key:
 *                         `— <name> base64(key id ‖ timestamp ‖ Ed25519 signature)\n`; newState set.
 * @module
 */
import { equalBytes, fromBase64, toBase64, concatBytes, u32be, utf8, utf8Decode } from '../../crypto/bytes.js';
import { checkTree, TlogError } from '../../crypto/tlog.js';
import { NoteError, SIG_COSIGNATURE_V1, openNote, parseCheckpoint, type Signer, type Verifier } from '../../crypto/note.js';

/** What a witness remembers of the log: the latest checkpoint it cosigned. */
export interface WitnessState {
  origin: string;
  size: number;
  /** Root hash, base64. */
  hash: string;
  /** POSIX seconds of the last cosignature. */
  updatedAt: number;
}

export interface AddCheckpointResult {
  status: 200 | 400 | 403 | 404 | 409 | 422;
  body: string;
  contentType: string;
  newState?: WitnessState;
}

export interface WitnessOptions {
  /** The log's signer verifier (type 0x01). */
  logVerifier: Verifier;
  /** The witness's cosignature/v1 signer (type 0x04). */
  cosigner: Signer;
  /** POSIX seconds, for the state's updatedAt (the cosigner has its own clock for the signature). */
  clock?: () => number;
  /** The log's origin line; default the log key's name. */
  origin?: string;
}

/** Most consistency proof lines a request may carry (tlog-witness). */
export const MAX_PROOF_LINES = 63;
export const SIZE_CONTENT_TYPE = 'text/x.tlog.size';

const text = (status: AddCheckpointResult['status'], body: string): AddCheckpointResult => ({ status, body: body.endsWith('\n') ? body : body + '\n', contentType: 'text/plain; charset=utf-8' });

/** The add-checkpoint exchange; `state` is null before the first cosignature. */
export function handleAddCheckpoint(state: WitnessState | null, requestBody: string | Uint8Array, opts: WitnessOptions): AddCheckpointResult {
  if (opts.cosigner.type !== SIG_COSIGNATURE_V1) throw new Error('witness: the cosigner must be a cosignature/v1 (type 0x04) key');
  const origin = opts.origin ?? opts.logVerifier.name;
  let body: string;
  try {
    body = typeof requestBody === 'string' ? requestBody : utf8Decode(requestBody);
  } catch {
    return text(400, 'request is not UTF-8');
  }
  // old size line, proof lines, blank line, checkpoint.
  const nl = body.indexOf('\n');
  if (nl < 0) return text(400, 'missing old size line');
  const m = /^old (0|[1-9][0-9]{0,15})$/.exec(body.slice(0, nl));
  if (!m) return text(400, 'malformed old size line');
  const old = Number(m[1]);
  if (!Number.isSafeInteger(old)) return text(400, 'old size too large');
  const proof: Uint8Array[] = [];
  let off = nl + 1;
  for (;;) {
    const end = body.indexOf('\n', off);
    if (end < 0) return text(400, 'missing blank line before the checkpoint');
    const line = body.slice(off, end);
    off = end + 1;
    if (line === '') break;
    if (proof.length === MAX_PROOF_LINES) return text(400, `more than ${MAX_PROOF_LINES} consistency proof lines`);
    let h: Uint8Array;
    try {
      h = fromBase64(line);
    } catch {
      return text(400, 'malformed consistency proof line');
    }
    if (h.length !== 32) return text(400, 'consistency proof hash is not 32 bytes');
    proof.push(h);
  }
  const note = body.slice(off);

  // The checkpoint text (before verifying, to answer 404 for an unknown origin).
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return text(400, 'checkpoint is not a signed note');
  let cp: ReturnType<typeof parseCheckpoint>;
  try {
    cp = parseCheckpoint(note.slice(0, split + 1));
  } catch (e) {
    if (e instanceof NoteError) return text(400, `malformed checkpoint: ${e.message}`);
    throw e;
  }
  if (cp.origin !== origin) return text(404, `unknown log origin ${JSON.stringify(cp.origin.slice(0, 100))}`);
  try {
    openNote(note, [opts.logVerifier]);
  } catch (e) {
    if (!(e instanceof NoteError)) throw e;
    if (e.code === 'unverified-note' || e.code === 'invalid-signature') return text(403, 'no signature by a trusted log key');
    return text(400, `malformed checkpoint note: ${e.message}`);
  }

  const known = state && state.origin === origin ? state : null;
  const knownSize = known ? known.size : 0;
  if (old > cp.size) {
    if (known && old === knownSize) return text(422, `log shrank: checkpoint size ${cp.size} is smaller than the cosigned size ${knownSize}`);
    return text(400, 'old size exceeds the checkpoint size');
  }
  if (old !== knownSize) return { status: 409, body: `${knownSize}\n`, contentType: SIZE_CONTENT_TYPE };
  if (old === 0 && proof.length) return text(400, 'the consistency proof must be empty for old size 0');
  if (known && old === cp.size) {
    if (!equalBytes(fromBase64(known.hash), cp.hash)) return { status: 409, body: `${knownSize}\n`, contentType: SIZE_CONTENT_TYPE };
    if (proof.length) return text(422, 'consistency proof must be empty for an unchanged size');
  } else if (known && old > 0) {
    try {
      checkTree(proof, cp.size, cp.hash, old, fromBase64(known.hash));
    } catch (e) {
      if (e instanceof TlogError) return text(422, 'consistency proof does not verify: the log forked');
      throw e;
    }
  }

  const msg = utf8(note.slice(0, split + 1));
  const sig = opts.cosigner.sign(msg);
  const line = `— ${opts.cosigner.name} ${toBase64(concatBytes(u32be(opts.cosigner.keyId), sig))}\n`;
  const now = opts.clock ? opts.clock() : Math.floor(Date.now() / 1000);
  return {
    status: 200,
    body: line,
    contentType: 'text/plain; charset=utf-8',
    newState: { origin, size: cp.size, hash: toBase64(cp.hash), updatedAt: now },
  };
}

/** The request body for add-checkpoint. */
export function formatAddCheckpoint(oldSize: number, proof: Uint8Array[], signedCheckpoint: string): string {
  return `old ${oldSize}\n` + proof.map((h) => toBase64(h) + '\n').join('') + '\n' + signedCheckpoint;
}
