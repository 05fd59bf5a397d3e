// Checking a log entry in the browser with the project's own crypto/: the checkpoint is opened with
// the log key pinned in the page (never one from an API answer), the entry's inclusion proof is run
// against it (RFC 9162, crypto/tlog.ts checkRecord), the checkpoint the entry's proof uses is shown to
// be consistent with the latest one (checkTree), and a document is tied to the entry by its hash.
import { newVerifier, openNote, parseCheckpoint } from '../../../crypto/note.js';
import { checkRecord, checkTree, recordHash } from '../../../crypto/tlog.js';
import { equalBytes, fromBase64, utf8Decode } from '../../../crypto/bytes.js';
import { canonicalJson, documentHash } from '../../../crypto/canonical-json.js';
import type { MsgKey } from '../i18n.js';
import type { LogEntryJson } from '../../log/responses.js';

export class VerifyError extends Error {
  constructor(
    readonly reason: MsgKey,
    detail = '',
  ) {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
  }
}

export interface OpenedCheckpoint {
  size: number;
  hash: Uint8Array;
  origin: string;
  /** Names on signature lines by other keys (witness cosignatures, not checked here). */
  cosigners: string[];
}

/**
 * Opens a checkpoint with the pinned log key; with `witnessKey` (the deployment requires that
 * witness: LOG_WITNESS_REQUIRED), its cosignature must be on the note and verify too.
 */
export function openCheckpoint(note: string, logKey: string, witnessKey?: string): OpenedCheckpoint {
  let opened;
  try {
    const log = newVerifier(logKey);
    opened = openNote(note, witnessKey ? [log, newVerifier(witnessKey)] : [log]);
    if (!opened.sigs.some((s) => s.name === log.name && s.keyId === log.keyId)) throw new Error('no signature by the log key');
  } catch (e) {
    throw new VerifyError('sigFailed', e instanceof Error ? e.message : String(e));
  }
  if (witnessKey) {
    const w = newVerifier(witnessKey);
    if (!opened.sigs.some((s) => s.name === w.name && s.keyId === w.keyId)) throw new VerifyError('witnessMissing', w.name);
  }
  const cp = parseCheckpoint(opened.text);
  return { size: cp.size, hash: cp.hash, origin: cp.origin, cosigners: opened.unverifiedSigs.map((s) => s.name) };
}

export interface EntryFields {
  v: number;
  type: string;
  cycle: string | null;
  doc: string;
  refs: Record<string, string | number>;
}

export interface VerifiedEntry {
  index: number;
  checkpoint: OpenedCheckpoint;
  entry: EntryFields;
  /** The document the server sent with the entry, when it hashes to the entry's doc hash. */
  document: unknown;
}

type EntryResponse = LogEntryJson;

async function getText(path: string): Promise<string> {
  const r = await fetch(path, { cache: 'no-store', credentials: 'omit' });
  if (!r.ok) throw new VerifyError('notVerified', `${path}: ${r.status}`);
  return r.text();
}

async function getJson<T>(path: string): Promise<T> {
  const r = await fetch(path, { cache: 'no-store', credentials: 'omit' });
  if (!r.ok) throw new VerifyError('notVerified', `${path}: ${r.status}`);
  return (await r.json()) as T;
}

export const hashOf = (document: unknown) => documentHash(canonicalJson(document));

/**
 * Verifies entry `index` against the latest checkpoint signed by the pinned key. With `witnessKey`,
 * that checkpoint must carry the witness's cosignature and contain the entry (the entry's own proof
 * may be against a newer checkpoint: consistency makes the witnessed tree its prefix).
 */
export async function verifyEntry(opts: { logKey: string; prefix: string; index: number; witnessKey?: string }): Promise<VerifiedEntry> {
  const latest = openCheckpoint(await getText(`${opts.prefix}/checkpoint`), opts.logKey, opts.witnessKey);
  if (opts.witnessKey && opts.index >= latest.size) throw new VerifyError('witnessMissing', `entry ${opts.index} is beyond the witnessed size ${latest.size}`);
  const r = await getJson<EntryResponse>(`/api/v1/log/entries/${opts.index}`);
  if (!r.checkpoint || !r.proof) throw new VerifyError('notLogged');
  const cp = openCheckpoint(r.checkpoint.note, opts.logKey);
  let bytes: Uint8Array;
  let entry: EntryFields;
  try {
    bytes = fromBase64(r.entry);
    entry = JSON.parse(utf8Decode(bytes)) as EntryFields;
  } catch (e) {
    throw new VerifyError('proofFailed', String(e));
  }
  try {
    checkRecord(r.proof.map(fromBase64), cp.size, cp.hash, opts.index, recordHash(bytes));
  } catch (e) {
    throw new VerifyError('proofFailed', e instanceof Error ? e.message : String(e));
  }
  // The entry's checkpoint and the latest one must be views of one log.
  if (cp.size === latest.size) {
    if (!equalBytes(cp.hash, latest.hash)) throw new VerifyError('proofFailed', 'two roots for one size');
  } else {
    const [older, newer] = cp.size < latest.size ? [cp, latest] : [latest, cp];
    const c = await getJson<{ proof: string[] }>(`/api/v1/log/consistency?from=${older.size}&to=${newer.size}`);
    try {
      checkTree(c.proof.map(fromBase64), newer.size, newer.hash, older.size, older.hash);
    } catch (e) {
      throw new VerifyError('proofFailed', `consistency: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // A document served with the entry must be the one the entry hashes.
  let document: unknown = null;
  if (r.document !== null && r.document !== undefined) {
    let h: string | null = null;
    try {
      h = hashOf(r.document);
    } catch {
      h = null;
    }
    if (h !== entry.doc) throw new VerifyError('docMismatch');
    document = r.document;
  }
  return { index: opts.index, checkpoint: latest.size >= cp.size ? latest : cp, entry, document };
}
