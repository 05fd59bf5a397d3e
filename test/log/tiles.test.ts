// C2SP tlog-tiles as served: the same bytes crypto/ computes for the same tree, at sizes across the
// tile boundaries; proofs rebuilt by a client from the served tiles agree with the JSON helpers;
// a flipped bit anywhere is caught by the client's checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { fromBase64, toBase64 } from '../../crypto/bytes.js';
import {
  ENTRIES_LEVEL,
  MemoryHashStore,
  TILE_WIDTH,
  TileHashReader,
  TlogError,
  checkRecord,
  checkTree,
  formatEntryBundle,
  newTiles,
  parseEntryBundle,
  proveRecord,
  proveTree,
  readTileData,
  recordHash,
  tilePath,
  type Tile,
} from '../../crypto/tlog.js';
import { NoteError, newVerifier, openNote } from '../../crypto/note.js';
import { appendRawEntries, getEntry, refreshCheckpoint, type AppendInput } from '../../src/log/index.js';
import { b64s, clientCheckpoint, flipBit, httpTiles } from './support.js';
import { expectProblem } from '../support/problems.js';

const input = (i: number): AppendInput => ({ type: 'notice', cycleId: '2026', document: { n: i }, refs: { seq: i } });

/** Every tile and entry bundle of a tree of `size`, served, equals crypto/'s bytes. */
async function compareAllTiles(h: TestApp, mem: MemoryHashStore, size: number, only?: (t: Tile) => boolean) {
  const tiles = newTiles(0, size).filter(only ?? (() => true));
  for (const t of tiles) {
    const res = await h.request(`/log/${tilePath(t)}`);
    expect(res.status, tilePath(t)).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('cache-control')).toBe(t.width === TILE_WIDTH ? 'public, max-age=31536000, immutable' : 'no-cache');
    expect(toBase64(new Uint8Array(await res.arrayBuffer())), tilePath(t)).toBe(toBase64(await readTileData(t, mem)));
    if (t.level === 0) {
      const e = { ...t, level: ENTRIES_LEVEL };
      const bundle = new Uint8Array(await (await h.request(`/log/${tilePath(e)}`)).arrayBuffer());
      const start = t.n * TILE_WIDTH;
      expect(toBase64(bundle)).toBe(toBase64(formatEntryBundle(mem.records.slice(start, start + t.width))));
      expect(parseEntryBundle(bundle, t.width).length).toBe(t.width);
    }
  }
  return tiles.length;
}

/** Proofs rebuilt from the served tiles agree with the JSON helpers and check. */
async function compareProofs(h: TestApp, size: number, root: Uint8Array, indexes: number[], olds: number[]) {
  const reader = new TileHashReader(size, root, httpTiles(h));
  for (const i of indexes) {
    const mine = await proveRecord(size, i, reader);
    const served = (await (await h.request(`/api/v1/log/entries/${i}`)).json()) as { proof: string[]; entry: string; checkpoint: { size: number } };
    expect(served.checkpoint.size).toBe(size);
    expect(served.proof).toEqual(mine.map(toBase64));
    checkRecord(mine, size, root, i, recordHash(fromBase64(served.entry)));
  }
  for (const old of olds) {
    const mine = await proveTree(size, old, reader);
    const served = (await (await h.request(`/api/v1/log/consistency?from=${old}&to=${size}`)).json()) as { proof: string[] };
    expect(served.proof).toEqual(mine.map(toBase64));
  }
}

describeEachDb('public log tiles', (kind) => {
  let t: TestDb;
  let h: TestApp;
  const mem = new MemoryHashStore();
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
  });
  afterAll(async () => t.close());

  async function growTo(size: number) {
    const from = mem.size;
    await appendRawEntries(t.db, Array.from({ length: size - from }, (_, k) => input(from + k)));
    for (let i = from; i < size; i++) await mem.append((await getEntry(t.db, i))!.bytes);
    await refreshCheckpoint(h.deps);
  }

  it('an empty log has a signed checkpoint of size 0 and no tiles', async () => {
    const { checkpoint } = await clientCheckpoint(h);
    expect(checkpoint.size).toBe(0);
    expect(toBase64(checkpoint.hash)).toBe(toBase64(await mem.treeHash(0)));
    await expectProblem(await h.request('/log/tile/0/000.p/1'), 404, 'not-found');
  });

  for (const size of [1, 255, 256, 257, 513]) {
    it(`size ${size}: tiles, entry bundles and proofs agree with crypto/`, async () => {
      await growTo(size);
      const { checkpoint } = await clientCheckpoint(h);
      expect(checkpoint.size).toBe(size);
      expect(toBase64(checkpoint.hash)).toBe(toBase64(await mem.treeHash()));
      await compareAllTiles(h, mem, size);
      const idx = [0, size - 1, Math.floor(size / 2), Math.min(255, size - 1)];
      await compareProofs(h, size, checkpoint.hash, idx, [1, Math.max(1, size - 1), Math.min(256, size)]);
    });
  }

  it('the checkpoint is a C2SP checkpoint signed by the served key', async () => {
    const key = await (await h.request('/log/key')).text();
    const v = newVerifier(key);
    expect(v.name).toBe(h.deps.config.LOG_ORIGIN);
    const note = await (await h.request('/log/checkpoint')).text();
    expect(note).toMatch(new RegExp(`^${h.deps.config.LOG_ORIGIN}\\n513\\n[A-Za-z0-9+/]{43}=\\n\\n— ${h.deps.config.LOG_ORIGIN} [A-Za-z0-9+/=]+\\n$`));
    expect(openNote(note, [v]).sigs).toHaveLength(1);
  });

  it('tiles beyond the tree and malformed paths are 404 problems', async () => {
    for (const p of ['tile/0/002.p/2', 'tile/0/003', 'tile/1/000', 'tile/1/000.p/3', 'tile/2/000.p/1', 'tile/entries/002.p/2', 'tile/entries/003']) {
      await expectProblem(await h.request(`/log/${p}`), 404, 'not-found');
    }
    for (const p of ['tile/0/1', 'tile/0/0000', 'tile/0/x000/001', 'tile/0/000.p/0', 'tile/0/000.p/256', 'tile/0/000.p/01', 'tile/64/000', 'tile/00/000', 'tile/-1/000', 'tile/0/abc', 'tile/entries', 'tile/0/000/']) {
      await expectProblem(await h.request(`/log/${p}`), 404, 'not-found');
    }
    expect((await h.request('/log/tile/1/000.p/2')).status).toBe(200);
    expect((await h.request('/log/tile/0/001')).status).toBe(200);
  });

  it('a flipped bit in a tile, a proof or the checkpoint fails the client-side check', async () => {
    const { checkpoint, note } = await clientCheckpoint(h);
    const size = checkpoint.size;
    // Tiles: flip one bit in each tile in turn; the reader must refuse.
    for (const victim of ['tile/0/000', 'tile/0/002.p/1', 'tile/1/000.p/2']) {
      const reader = new TileHashReader(size, checkpoint.hash, httpTiles(h, (tile, d) => (tilePath(tile) === victim ? flipBit(d, 77) : d)));
      const err = await proveRecord(size, 3, reader).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, victim).toBeInstanceOf(TlogError);
    }
    // Entry bundle vs tile.
    const bundle = new Uint8Array(await (await h.request('/log/tile/entries/000')).arrayBuffer());
    const entries = parseEntryBundle(flipBit(bundle, 8 * 40 + 2), 256);
    const leaf = entries[0]!;
    const e0 = (await (await h.request('/api/v1/log/entries/0')).json()) as { proof: string[] };
    expect(() => checkRecord(b64s(e0.proof), size, checkpoint.hash, 0, recordHash(leaf))).toThrow(TlogError);
    // Inclusion proof, consistency proof.
    const proof = b64s(e0.proof);
    const leaf0 = recordHash((await getEntry(t.db, 0))!.bytes);
    checkRecord(proof, size, checkpoint.hash, 0, leaf0);
    proof[2] = flipBit(proof[2]!, 5);
    expect(() => checkRecord(proof, size, checkpoint.hash, 0, leaf0)).toThrow(TlogError);
    const c = (await (await h.request(`/api/v1/log/consistency?from=257&to=${size}`)).json()) as { proof: string[] };
    const old = await mem.treeHash(257);
    checkTree(b64s(c.proof), size, checkpoint.hash, 257, old);
    const bad = b64s(c.proof);
    bad[0] = flipBit(bad[0]!, 200);
    expect(() => checkTree(bad, size, checkpoint.hash, 257, old)).toThrow(TlogError);
    // Checkpoint: a flipped bit in its root hash or its signature.
    const key = newVerifier(await (await h.request('/log/key')).text());
    const lines = note.split('\n');
    lines[2] = toBase64(flipBit(fromBase64(lines[2]!), 3));
    expect(() => openNote(lines.join('\n'), [key])).toThrow(NoteError);
    const sigLine = note.trimEnd().split('\n').pop()!;
    const [dash, name, sig] = sigLine.split(' ');
    const sigFlipped = note.replace(sigLine, `${dash} ${name} ${toBase64(flipBit(fromBase64(sig!), 8 * 10 + 1))}`);
    expect(() => openNote(sigFlipped, [key])).toThrowError(expect.objectContaining({ code: 'invalid-signature' }));
  });

  it('LOG_PREFIX moves the C2SP files; /log then answers 404', async () => {
    const moved = testApp(t, { config: { LOG_PREFIX: '/transparency/hz', LOG_CHECKPOINT_INTERVAL_MS: 0 } });
    moved.deps.keys.logSignerKey = h.deps.keys.logSignerKey; // the same log
    const { checkpoint } = await clientCheckpoint(moved, '', '/transparency/hz');
    expect(checkpoint.size).toBe(513);
    const tile = await moved.request('/transparency/hz/tile/0/000');
    expect(toBase64(new Uint8Array(await tile.arrayBuffer()))).toBe(toBase64(await readTileData({ level: 0, n: 0, width: 256 }, mem)));
    await expectProblem(await moved.request('/log/checkpoint'), 404, 'not-found');
    await expectProblem(await moved.request('/transparency/hz/tile/9/000'), 404, 'not-found');
    expect((await moved.request('/api/v1/log/checkpoints')).status).toBe(200);
  });
});
