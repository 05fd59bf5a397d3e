/**
 * Publishing a deployed build's asset manifest (manifest.ts) in the public log, by the entry point
 * (server): on Node before the server listens, on Workers before the first request is served.
 *
 * A manifest already in the log (same document hash, e.g. a restart, a second instance, or a
 * rollback to an earlier build) is not appended again: its existing index is used. The check and
 * the append run under the log's append lock (the head row), so instances starting together append
 * it once.
 * @module
 */
import type { Deps } from '../deps.js';
import { appendEntry } from '../log/documents/index.js';
import { refreshCheckpoint } from '../log/checkpoint.js';
import { ASSET_MANIFEST_TYPE, manifestHash, type AssetManifest, type PublishedAssets } from './manifest.js';
import { AssetManifestDocument as assetManifestSchema } from '../log/documents/index.js';

/** Server: logs `manifest` unless the same manifest is logged already; returns where it is. */
export async function publishManifest(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'keys'>, manifest: AssetManifest): Promise<PublishedAssets> {
  const m = assetManifestSchema.parse(manifest);
  const docHash = manifestHash(m);
  const logged = (db: Pick<Deps['db'], 'selectFrom'>) =>
    db
      .selectFrom('log_entry')
      .select('idx')
      .where('type', '=', ASSET_MANIFEST_TYPE)
      .where('doc_hash', '=', docHash)
      .orderBy('idx')
      .limit(1)
      .executeTakeFirst();
  // Usually logged already (a restart, another instance): found without taking the append lock.
  const known = await logged(deps.db);
  if (known) return { index: Number(known.idx), docHash, manifest: m };
  const index = await deps.db.transaction().execute(async (trx) => {
    await trx.selectFrom('log_head').select('size').where('id', '=', 1).forUpdate().execute();
    const found = await logged(trx);
    if (found) return Number(found.idx);
    return (await appendEntry(trx, ASSET_MANIFEST_TYPE, m, { cycleId: null })).index;
  });
  await refreshCheckpoint(deps);
  return { index, docHash, manifest: m };
}
