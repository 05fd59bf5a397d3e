/**
 * The public log's read path through the read cache (src/cache/read-cache.ts):
 *   tiles and entry bundles by canonical path, and documents by hash: immutable once published,
 *   served from memory with no query; a miss reads them once (if within the published tree);
 *   the latest checkpoint: kept while the log version is unchanged, so a request costs one shared
 *   version query, and signs a new checkpoint first when one is due (as refreshStoredCheckpoint);
 *   an entry with its inclusion proof against that checkpoint: a function of the entry's index and
 *   the checkpoint as served, so kept by both (bounded LRU) and read again for a new checkpoint.
 * @module
 */
import type { Deps } from '../deps.js';
import { etagOf, readCache, type CachedBody } from '../cache/read-cache.js';
import { tilePath, type Tile } from '../../crypto/tlog.js';
import { checkpointDue, latestCheckpoint, refreshStoredCheckpoint, servedNote, type StoredCheckpoint } from './checkpoint.js';
import { getDocument, getEntry, type LogEntry } from './append.js';
import { inclusionProof, readTile } from './proofs.js';
import { toBase64 } from '../../crypto/bytes.js';

type ReadDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'keys' | 'cache'>;

export interface ServedCheckpoint extends CachedBody {
  checkpoint: StoredCheckpoint;
  body: string;
}

const served = (checkpoint: StoredCheckpoint): ServedCheckpoint => {
  const body = servedNote(checkpoint);
  return { checkpoint, body, etag: etagOf(body) };
};

/** The latest stored checkpoint (null before the first), as of the current log version; never signs. */
export async function publishedCheckpoint(deps: ReadDeps): Promise<ServedCheckpoint | null> {
  const cache = readCache(deps);
  const version = await cache.version(deps.db);
  const cp = await cache.versionedValue('checkpoint', version, async () => {
    const latest = await latestCheckpoint(deps.db);
    return latest ? served(latest) : null;
  });
  return cp;
}

/**
 * The latest checkpoint as served, if memory holds it at a trusted log version and none is due
 * (never queries, never signs); else null: ask currentCheckpoint.
 */
export function currentCheckpointNow(deps: ReadDeps): ServedCheckpoint | null {
  const cache = readCache(deps);
  const version = cache.trustedVersion();
  const cp = version && cache.versionedHit<ServedCheckpoint | null>('checkpoint', version)?.value;
  if (!version || !cp || checkpointDue(cp.checkpoint, version.head, deps.clock.now(), deps.config.LOG_CHECKPOINT_INTERVAL_MS)) return null;
  return cp;
}

/** The latest checkpoint as served, signing a new one first if one is due. */
export async function currentCheckpoint(deps: ReadDeps): Promise<ServedCheckpoint> {
  const cache = readCache(deps);
  const version = await cache.version(deps.db);
  const cp = await cache.versionedValue('checkpoint', version, async () => {
    const latest = await latestCheckpoint(deps.db);
    return latest ? served(latest) : null;
  });
  if (cp && !checkpointDue(cp.checkpoint, version.head, deps.clock.now(), deps.config.LOG_CHECKPOINT_INTERVAL_MS)) return cp;
  const signed = served(await refreshStoredCheckpoint(deps));
  cache.logMayHaveGrown();
  return signed;
}

/** A hash tile or entry bundle within the published tree, or null. */
export async function cachedTile(deps: ReadDeps, tile: Tile): Promise<CachedBody | null> {
  return readCache(deps).immutableBody(tilePath(tile), async () => {
    const cp = await publishedCheckpoint(deps);
    return cp ? readTile(deps.db, tile, cp.checkpoint.size) : null;
  });
}

/** cachedTile, if memory holds it (never queries). */
export const cachedTileNow = (deps: ReadDeps, tile: Tile): CachedBody | null => readCache(deps).immutableHit(tilePath(tile));

/** cachedDocumentJson, if memory holds it (never queries). */
export const cachedDocumentJsonNow = (deps: ReadDeps, hash: string) => readCache(deps).immutableHit(`doc:${hash}`) as CachedDocument | null;

export interface CachedDocument extends CachedBody {
  body: string;
}

/** The JSON answer for a document by hash: { hash, type, document, body }; null if none. */
export async function cachedDocumentJson(deps: ReadDeps, hash: string): Promise<CachedDocument | null> {
  const hit = await readCache(deps).immutableBody(`doc:${hash}`, async () => {
    const doc = await getDocument(deps.db, hash);
    if (!doc) return null;
    return `{"hash":${JSON.stringify(doc.hash)},"type":${JSON.stringify(doc.type)},"document":${doc.body},"body":${JSON.stringify(doc.body)}}`;
  });
  return hit as CachedDocument | null;
}

/** A document (hash, type, canonical body) by hash, from the read cache; null if none. */
export async function cachedDocument(deps: ReadDeps, hash: string): Promise<{ hash: string; type: string; body: string } | null> {
  const json = await cachedDocumentJson(deps, hash);
  if (!json) return null;
  const { type, body } = JSON.parse(json.body) as { type: string; body: string };
  return { hash, type, body };
}

/** The answer of `/api/v1/log/entries/{index}`: the entry, its document and its proof against `cp`. */
export async function entryJson(deps: ReadDeps, index: number, entry: LogEntry, cp: StoredCheckpoint | null): Promise<string> {
  const doc = await cachedDocument(deps, entry.docHash);
  const proof = cp && index < cp.size ? await inclusionProof(deps.db, index, cp.size) : null;
  return JSON.stringify({
    index,
    type: entry.type,
    cycleId: entry.cycleId,
    refs: entry.refs,
    entry: toBase64(entry.bytes),
    docHash: entry.docHash,
    document: doc ? (JSON.parse(doc.body) as unknown) : null,
    checkpoint: cp ? { size: cp.size, root: toBase64(cp.rootHash), note: servedNote(cp) } : null,
    proof: proof ? proof.map(toBase64) : null,
  });
}

/** An entry the checkpoint does not cover yet: when to ask again (the checkpoint interval). */
export const entryRetryAfter = (config: { LOG_CHECKPOINT_INTERVAL_MS: number }) => ({
  'Retry-After': String(Math.ceil(config.LOG_CHECKPOINT_INTERVAL_MS / 1000) || 1),
});

export interface CachedEntry extends CachedBody {
  body: Uint8Array<ArrayBuffer>;
  /** Whether the answer carries an inclusion proof (else the checkpoint does not cover the entry yet). */
  proven: boolean;
}

/**
 * The entry at `index` against the latest checkpoint (signing one first if due), or null if the log
 * has no such entry yet (not kept). Kept by index and the checkpoint's ETag: a new checkpoint or a
 * new cosignature is a new key, so the answer is never older than currentCheckpoint's.
 */
export async function cachedEntryJson(deps: ReadDeps, index: number): Promise<CachedEntry | null> {
  const cp = await currentCheckpoint(deps);
  const hit = await readCache(deps).immutableBody(entryKey(index, cp), async () => {
    const entry = await getEntry(deps.db, index);
    // UTF-8 once: a request then sends the bytes as they are.
    return entry ? new TextEncoder().encode(await entryJson(deps, index, entry, cp.checkpoint)) : null;
  });
  return hit && { body: hit.body as Uint8Array<ArrayBuffer>, etag: hit.etag, proven: index < cp.checkpoint.size };
}

const entryKey = (index: number, cp: ServedCheckpoint) => `entry:${index}@${cp.etag}`;

/** cachedEntryJson, if memory holds it and the checkpoint it was proved against (never queries). */
export function cachedEntryJsonNow(deps: ReadDeps, index: number): CachedEntry | null {
  const cp = currentCheckpointNow(deps);
  const hit = cp && readCache(deps).immutableHit(entryKey(index, cp));
  return hit && { body: hit.body as Uint8Array<ArrayBuffer>, etag: hit.etag, proven: index < cp!.checkpoint.size };
}
