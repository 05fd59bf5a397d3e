// 65,537 entries (one past 256², the first tree with a level-2 tile): bulk-appended in a few
// transactions (appendRawEntries: one lock, batched inserts), then tiles and proofs against crypto/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { toBase64 } from '../../crypto/bytes.js';
import { ENTRIES_LEVEL, MemoryHashStore, TileHashReader, checkRecord, checkTree, formatEntryBundle, newTiles, proveRecord, proveTree, readTileData, recordHash, tilePath, type Tile } from '../../crypto/tlog.js';
import { appendRawEntries, entryBytes, documentHash, canonicalJson, refreshCheckpoint, headSize } from '../../src/log/index.js';
import { b64s, clientCheckpoint, httpTiles } from './support.js';

const SIZE = 65_537;
const CHUNK = 16_384;

describeEachDb('public log at 65,537 entries', (kind) => {
  let t: TestDb;
  let h: TestApp;
  const mem = new MemoryHashStore();
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
  });
  afterAll(async () => t.close());

  it('bulk-appends, then serves the tiles and proofs crypto/ computes', { timeout: 120_000 }, async () => {
    const docHash = documentHash(canonicalJson({ kind: 'bulk' }));
    const started = Date.now();
    for (let from = 0; from < SIZE; from += CHUNK) {
      const n = Math.min(CHUNK, SIZE - from);
      const batch = Array.from({ length: n }, (_, k) => ({ type: 'bench', cycleId: null, document: { kind: 'bulk' }, refs: { i: from + k } }));
      const r = await appendRawEntries(t.db, batch);
      expect(r[0]!.index).toBe(from);
    }
    const appendMs = Date.now() - started;
    expect(await headSize(t.db)).toBe(SIZE);
    for (let i = 0; i < SIZE; i++) await mem.append(entryBytes({ type: 'bench', cycleId: null, docHash, refs: { i } }));
    await refreshCheckpoint(h.deps);

    const { checkpoint } = await clientCheckpoint(h);
    expect(checkpoint.size).toBe(SIZE);
    expect(toBase64(checkpoint.hash)).toBe(toBase64(await mem.treeHash()));

    const tiles: Tile[] = [
      { level: 0, n: 0, width: 256 },
      { level: 0, n: 255, width: 256 },
      { level: 0, n: 256, width: 1 },
      { level: 1, n: 0, width: 256 },
      { level: 2, n: 0, width: 1 },
    ];
    expect(newTiles(65_536, SIZE)).toEqual([{ level: 0, n: 256, width: 1 }]);
    expect(newTiles(0, SIZE).filter((x) => x.level > 0)).toEqual([{ level: 1, n: 0, width: 256 }, { level: 2, n: 0, width: 1 }]);
    for (const tile of tiles) {
      const res = await h.request(`/log/${tilePath(tile)}`);
      expect(toBase64(new Uint8Array(await res.arrayBuffer())), tilePath(tile)).toBe(toBase64(await readTileData(tile, mem)));
    }
    for (const n of [0, 200, 255]) {
      const res = await h.request(`/log/${tilePath({ level: ENTRIES_LEVEL, n, width: 256 })}`);
      expect(toBase64(new Uint8Array(await res.arrayBuffer()))).toBe(toBase64(formatEntryBundle(mem.records.slice(n * 256, n * 256 + 256))));
    }
    const last = await h.request('/log/tile/entries/256.p/1');
    expect(toBase64(new Uint8Array(await last.arrayBuffer()))).toBe(toBase64(formatEntryBundle([mem.records[65_536]!])));

    const reader = new TileHashReader(SIZE, checkpoint.hash, httpTiles(h));
    for (const i of [0, 1, 40_000, 65_535, 65_536]) {
      const p = await proveRecord(SIZE, i, reader);
      const served = (await (await h.request(`/api/v1/log/entries/${i}`)).json()) as { proof: string[] };
      expect(served.proof).toEqual(p.map(toBase64));
      checkRecord(p, SIZE, checkpoint.hash, i, recordHash(mem.records[i]!));
    }
    for (const old of [1, 256, 65_535, 65_536]) {
      const p = await proveTree(SIZE, old, reader);
      const served = (await (await h.request(`/api/v1/log/consistency?from=${old}&to=${SIZE}`)).json()) as { proof: string[] };
      expect(served.proof).toEqual(p.map(toBase64));
      checkTree(b64s(served.proof), SIZE, checkpoint.hash, old, await mem.treeHash(old));
    }
    console.log(`[${kind}] bulk append of ${SIZE} entries: ${appendMs} ms`);
  });
});
