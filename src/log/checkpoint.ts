/**
 * Checkpoints of the public log: C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint) signed as a
 * C2SP signed note (https://c2sp.org/signed-note) with the log's Ed25519 key, and the witnesses'
 * cosignature/v1 lines (https://c2sp.org/tlog-cosignature) collected for them.
 *
 * Signing policy: `refreshCheckpoint` signs a checkpoint for the committed tree size when the tree
 * has grown since the latest checkpoint and that one is older than LOG_CHECKPOINT_INTERVAL_MS
 * (default 2000 ms: at most one new checkpoint every 2 s under load), or when there is none yet
 * (the first one may be of the empty tree). Signers from several server instances serialize on a
 * transaction-scoped advisory lock, so the interval holds across instances too. Writers call it
 * after their commit; GET <prefix>/checkpoint calls it as well, so a reader never sees a stale
 * checkpoint for long.
 *
 * Cosignatures: `addCosignatures` accepts a checkpoint note carrying cosignature/v1 lines; only
 * lines by witness keys listed in WITNESS_KEYS (type 0x04) and only for a checkpoint this log signed
 * (same note text as stored). A served checkpoint is the log's signed note followed by every
 * cosignature line collected for it (signed-note §Format: any number of signature lines).
 *
 * LOG_WITNESS_REQUIRED (a witness name), when set, makes GET <prefix>/checkpoint default to the
 * latest checkpoint cosigned by that witness (see routes.ts); `?witness=<name>` asks for it per
 * request.
 * @module
 */
import { sql, type Kysely } from 'kysely';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Database } from '../../schema/database.js';
import type { Deps } from '../deps.js';
import { fromBase64, readU64be, toHex, u32be } from '../../crypto/bytes.js';
import { treeHash } from '../../crypto/tlog.js';
import {
  NoteError,
  SIG_COSIGNATURE_V1,
  formatCheckpoint,
  newSigner,
  newVerifier,
  newVerifierKey,
  openNote,
  parseCheckpoint,
  signNote,
  type Signer,
  type Verifier,
} from '../../crypto/note.js';
import { Problem } from '../errors.js';
import { dbHashReader, toBytes } from './storage.js';
import { headSize } from './append.js';

/** Advisory lock key serializing checkpoint signers ("hzqa-log" as ASCII digits, arbitrary). */
const SIGN_LOCK = '7290103108103';

// ---------------------------------------------------------------- keys

const signers = new Map<string, { signer: Signer; verifierKey: string; verifier: Verifier }>();

/**
 * The log's signer, and its verifier key text derived from the signer key text (name, key id and
 * type as in the signer key; the Ed25519 public key from the seed). crypto/note.ts has no such
 * derivation, so it is done here with note.ts's own newVerifierKey (same key-id rule).
 */
export function logKeys(signerKey: string): { signer: Signer; verifierKey: string; verifier: Verifier } {
  let k = signers.get(signerKey);
  if (!k) {
    const signer = newSigner(signerKey);
    const b64 = signerKey.split('+').slice(4).join('+');
    const seed = fromBase64(b64).subarray(1);
    const verifierKey = newVerifierKey(signer.name, ed25519.getPublicKey(seed), signer.type);
    k = { signer, verifierKey, verifier: newVerifier(verifierKey) };
    if (signers.size > 16) signers.clear();
    signers.set(signerKey, k);
  }
  return k;
}

/** Verifier key text of a signer key text (Go note format). */
export function verifierKeyOf(signerKey: string): string {
  return logKeys(signerKey).verifierKey;
}

/** The witnesses configured in WITNESS_KEYS (cosignature/v1 verifiers). */
export function witnessVerifiers(config: { WITNESS_KEYS?: string | undefined }): Verifier[] {
  if (!config.WITNESS_KEYS) return [];
  return config.WITNESS_KEYS.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((k) => {
      const v = newVerifier(k);
      if (v.type !== SIG_COSIGNATURE_V1) throw new Error(`WITNESS_KEYS: ${v.name} is not a cosignature/v1 (type 0x04) key`);
      return v;
    });
}

// ---------------------------------------------------------------- reading checkpoints

export interface StoredCheckpoint {
  size: number;
  rootHash: Uint8Array;
  /** The log-signed note (text, blank line, the log's signature line). */
  note: string;
  signedAt: Date;
  cosignatures: { witness: string; keyId: string; line: string; cosignedAt: Date }[];
}

type CheckpointRow = { size: number; root_hash: Uint8Array; note: string; signed_at: Date };

async function withCosignatures(db: Kysely<Database>, rows: CheckpointRow[]): Promise<StoredCheckpoint[]> {
  if (rows.length === 0) return [];
  const cos = await db
    .selectFrom('log_cosignature')
    .select(['checkpoint_size', 'witness', 'key_id', 'line', 'cosigned_at'])
    .where(
      'checkpoint_size',
      'in',
      rows.map((r) => Number(r.size)),
    )
    .orderBy('witness')
    .orderBy('key_id')
    .execute();
  return rows.map((r) => ({
    size: Number(r.size),
    rootHash: toBytes(r.root_hash),
    note: r.note,
    signedAt: new Date(r.signed_at),
    cosignatures: cos
      .filter((c) => Number(c.checkpoint_size) === Number(r.size))
      .map((c) => ({ witness: c.witness, keyId: c.key_id, line: c.line, cosignedAt: new Date(c.cosigned_at) })),
  }));
}

/** The note as served: the log-signed note followed by each cosignature line. */
export function servedNote(c: StoredCheckpoint): string {
  return c.note + c.cosignatures.map((x) => x.line + '\n').join('');
}

/** The latest checkpoint, or the latest cosigned by `witness` (a key name); null if none. */
export async function latestCheckpoint(db: Kysely<Database>, witness?: string): Promise<StoredCheckpoint | null> {
  let q = db.selectFrom('log_checkpoint').select(['size', 'root_hash', 'note', 'signed_at']);
  if (witness !== undefined)
    q = q.where('size', 'in', db.selectFrom('log_cosignature').select('checkpoint_size').where('witness', '=', witness));
  const row = await q.orderBy('size', 'desc').limit(1).executeTakeFirst();
  return row ? (await withCosignatures(db, [row]))[0]! : null;
}

/** The checkpoint of exactly this size, or null. */
export async function checkpointOfSize(db: Kysely<Database>, size: number): Promise<StoredCheckpoint | null> {
  const row = await db.selectFrom('log_checkpoint').select(['size', 'root_hash', 'note', 'signed_at']).where('size', '=', size).executeTakeFirst();
  return row ? (await withCosignatures(db, [row]))[0]! : null;
}

/** The most recent checkpoints, newest first, with their cosignatures. */
export async function recentCheckpoints(db: Kysely<Database>, limit: number): Promise<StoredCheckpoint[]> {
  const rows = await db.selectFrom('log_checkpoint').select(['size', 'root_hash', 'note', 'signed_at']).orderBy('size', 'desc').limit(limit).execute();
  return withCosignatures(db, rows);
}

// ---------------------------------------------------------------- signing

/**
 * Signs a new checkpoint if the committed tree grew and the latest checkpoint is older than
 * LOG_CHECKPOINT_INTERVAL_MS (or if there is none); returns the latest checkpoint as served (with
 * its cosignatures). Call after commit.
 */
export async function refreshCheckpoint(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'keys'>): Promise<{ size: number; note: string }> {
  const c = await refreshStoredCheckpoint(deps);
  return { size: c.size, note: servedNote(c) };
}

/** Whether a new checkpoint is to be signed for a tree of `size` entries (see the module comment). */
export function checkpointDue(latest: StoredCheckpoint | null, size: number, now: Date, intervalMs: number): boolean {
  return !latest || (size > latest.size && now.getTime() - latest.signedAt.getTime() >= intervalMs);
}

/**
 * After a write has committed: sign a checkpoint over it if one is due. The one policy for every writer:
 * the write stands whatever happens here, so a failure to sign is logged (warn) and not reported to the
 * caller — the next read of the checkpoint (GET /log/checkpoint) or the next write signs it.
 */
export async function checkpointAfterWrite(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'keys' | 'logger'>): Promise<void> {
  try {
    await refreshStoredCheckpoint(deps);
  } catch (e) {
    deps.logger.log('warn', 'log checkpoint refresh failed', { error: e instanceof Error ? e.message : String(e) });
  }
}

/** refreshCheckpoint, returning the stored checkpoint. */
export async function refreshStoredCheckpoint(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'keys'>): Promise<StoredCheckpoint> {
  const { db, clock, config } = deps;
  const due = (latest: StoredCheckpoint | null, size: number, now: Date) => checkpointDue(latest, size, now, config.LOG_CHECKPOINT_INTERVAL_MS);
  // Cheap check first, without the lock.
  const [latest0, size0] = await Promise.all([latestCheckpoint(db), headSize(db)]);
  if (!due(latest0, size0, clock.now())) return latest0!;

  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.raw(SIGN_LOCK)})`.execute(trx);
    const latest = await latestCheckpoint(trx);
    const size = await headSize(trx);
    const now = clock.now();
    if (!due(latest, size, now)) return; // another signer was first
    const root = await treeHash(size, dbHashReader(trx));
    const text = formatCheckpoint({ origin: config.LOG_ORIGIN, size, hash: root });
    const note = signNote(text, logKeys(deps.keys.logSignerKey).signer);
    await trx.insertInto('log_checkpoint').values({ size, root_hash: root, note, signed_at: now }).execute();
  });
  return (await latestCheckpoint(db))!;
}

// ---------------------------------------------------------------- cosignatures

/**
 * Stores the cosignature lines of configured witnesses found on `note`, a checkpoint this log
 * signed. Refuses (403) a note with no valid cosignature by a configured witness, and (422) a
 * checkpoint this log never signed. Lines already stored for that witness key are kept (nothing is
 * rewritten). Returns the checkpoint as now served.
 */
export async function addCosignatures(deps: Pick<Deps, 'db' | 'config' | 'keys'>, note: string): Promise<StoredCheckpoint> {
  const { db, config } = deps;
  const witnesses = witnessVerifiers(config);
  const forbidden = (en: string, zh: string) => new Problem('forbidden', { en, zh });
  if (witnesses.length === 0) throw forbidden('This log accepts no witness cosignatures (WITNESS_KEYS is empty).', '本日志未配置见证方公钥。');
  let opened;
  try {
    opened = openNote(note, witnesses);
  } catch (e) {
    if (!(e instanceof NoteError)) throw e;
    if (e.code === 'unverified-note') throw forbidden('No cosignature by a witness this log knows.', '没有本日志认可的见证方联署签名。');
    if (e.code === 'invalid-signature') throw forbidden(`A witness cosignature does not verify: ${e.message}`, '见证方联署签名验证失败。');
    throw new Problem('invalid-request', { en: `Not a signed note: ${e.message}`, zh: '不是有效的签名注记。' });
  }
  let cp;
  try {
    cp = parseCheckpoint(opened.text);
  } catch (e) {
    if (e instanceof NoteError) throw new Problem('invalid-request', { en: `Not a checkpoint: ${e.message}`, zh: '不是有效的检查点。' });
    throw e;
  }
  const stored = await checkpointOfSize(db, cp.size);
  if (!stored || !stored.note.startsWith(opened.text + '\n') || cp.origin !== config.LOG_ORIGIN)
    throw new Problem('unprocessable', { en: 'This log never signed that checkpoint.', zh: '本日志从未签发该检查点。' });
  const rows = opened.sigs.map((s) => {
    const raw = fromBase64(s.base64);
    const ts = readU64be(raw, 4);
    if (ts > 8_640_000_000_000n) throw new Problem('invalid-request', { en: 'Cosignature timestamp out of range.', zh: '联署签名时间戳超出范围。' });
    return {
      checkpoint_size: cp.size,
      witness: s.name,
      key_id: toHex(u32be(s.keyId)),
      line: `— ${s.name} ${s.base64}`,
      cosigned_at: new Date(Number(ts) * 1000),
    };
  });
  await db.insertInto('log_cosignature').values(rows).onConflict((oc) => oc.columns(['checkpoint_size', 'witness', 'key_id']).doNothing()).execute();
  return (await checkpointOfSize(db, cp.size))!;
}
