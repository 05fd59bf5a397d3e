/**
 * The public log's read path through the read cache (src/cache/read-cache.ts):
 *   tiles and entry bundles by canonical path, and documents by hash: immutable once published,
 *   served from memory with no query; a miss reads them once (if within the published tree);
 *   the latest checkpoint: kept while the log version is unchanged, so a request costs one shared
 *   version query, and signs a new checkpoint first when one is due (as refreshStoredCheckpoint).
 * @module
 */
import type { Deps } from '../deps.js';
import { etagOf, readCache, type CachedBody } from '../cache/read-cache.js';
import { tilePath, type Tile } from '../../crypto/tlog.js';
import { checkpointDue, latestCheckpoint, refreshStoredCheckpoint, servedNote, type StoredCheckpoint } from './checkpoint.js';
import { getDocument } from './append.js';
import { readTile } from './proofs.js';

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
