// C2SP tlog-tiles: tile coordinates, paths, new tiles on growth, tile data, TileHashReader and
// entry bundles. Spec examples: vectors/c2sp-examples.json (see its "source").
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { equalBytes } from '../../crypto/bytes.js';
import {
  ENTRIES_LEVEL,
  HASH_SIZE,
  MemoryHashStore,
  TILE_WIDTH,
  TileHashReader,
  TlogError,
  checkEntryBundle,
  checkRecord,
  checkTree,
  formatEntryBundle,
  hashFromTile,
  newTiles,
  parseEntryBundle,
  parseTilePath,
  proveRecord,
  proveTree,
  readTileData,
  recordHash,
  splitStoredHashIndex,
  storedHashIndex,
  tileForIndex,
  tilePath,
  type Tile,
} from '../../crypto/tlog.js';
import c2sp from './vectors/c2sp-examples.json' with { type: 'json' };

async function expectTlogReject(p: Promise<unknown>, code?: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TlogError);
  if (code) expect((err as TlogError).code).toBe(code);
}

describe('tile paths', () => {
  it('formats and parses the spec example and edge cases', () => {
    expect(tilePath({ level: 0, n: c2sp.tiles.pathExample.n, width: 256 })).toBe(`tile/0/${c2sp.tiles.pathExample.path}`);
    const cases: [Tile, string][] = [
      [{ level: 0, n: 0, width: 256 }, 'tile/0/000'],
      [{ level: 0, n: 1, width: 5 }, 'tile/0/001.p/5'],
      [{ level: 3, n: 123456078, width: 256 }, 'tile/3/x123/x456/078'],
      [{ level: 3, n: 123456078, width: 2 }, 'tile/3/x123/x456/078.p/2'],
      [{ level: 63, n: 1000, width: 255 }, 'tile/63/x001/000.p/255'],
      [{ level: ENTRIES_LEVEL, n: 1234067, width: 256 }, 'tile/entries/x001/x234/067'],
      [{ level: ENTRIES_LEVEL, n: 7, width: 17 }, 'tile/entries/007.p/17'],
      [{ level: 1, n: 2 ** 40 + 5, width: 256 }, 'tile/1/x001/x099/x511/x627/781'],
    ];
    for (const [tile, path] of cases) {
      expect(tilePath(tile)).toBe(path);
      expect(parseTilePath(path)).toEqual(tile);
    }
  });

  it('refuses non-canonical paths', () => {
    const bad = [
      'tile/0/1', 'tile/0/0001', 'tile/00/000', 'tile/64/000', 'tile/-1/000', 'tile/data/000',
      'tile/0/x000/001', 'tile/0/123/456', 'tile/0/x123', 'tile/0/000.p/0', 'tile/0/000.p/256',
      'tile/0/000.p/05', 'tile/0/000.p/', 'tile/0/000.p', 'tile/0/000/', '/tile/0/000', 'tile/0/',
      'tile/0/00a', 'tile/8/0/000', 'tiles/0/000', 'tile/entries/000.p/256', 'tile/0/x1/000',
      'tile/0/X001/000', 'tile/+1/000', 'tile/0/000.p/+5', 'tile/0/ 000',
    ];
    for (const p of bad) expect(() => parseTilePath(p), p).toThrow(TlogError);
  });

  it('property: parse(format(tile)) = tile', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 63 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 256 }), (level, n, width) => {
        const t = { level, n, width };
        expect(parseTilePath(tilePath(t))).toEqual(t);
      }),
    );
  });
});

describe('tile arithmetic', () => {
  it('newTiles: the spec example of a tree of 70,000 entries', () => {
    const tiles = newTiles(0, c2sp.tiles.treeSize);
    const summary = (level: number) => tiles.filter((t) => t.level === level);
    expect(summary(0).filter((t) => t.width === 256)).toHaveLength(273);
    expect(summary(0).filter((t) => t.width < 256).map((t) => t.width)).toEqual([112]);
    expect(summary(1).map((t) => t.width)).toEqual([256, 17]);
    expect(summary(2).map((t) => t.width)).toEqual([1]);
    expect(tiles).toHaveLength(273 + 1 + 2 + 1);
    // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile of width 1"
    expect(newTiles(0, 256)).toEqual([{ level: 0, n: 0, width: 256 }, { level: 1, n: 0, width: 1 }]);
    expect(newTiles(5, 5)).toEqual([]);
    expect(newTiles(0, 0)).toEqual([]);
    expect(newTiles(255, 257)).toEqual([{ level: 0, n: 0, width: 256 }, { level: 0, n: 1, width: 1 }, { level: 1, n: 0, width: 1 }]);
    expect(() => newTiles(3, 2)).toThrow(TlogError);
  });

  it('newTiles beyond 2^32 (no 32-bit truncation)', () => {
    const old = 2 ** 40;
    const tiles = newTiles(old, old + 300);
    expect(tiles[0]).toEqual({ level: 0, n: 2 ** 32, width: 256 });
    expect(tiles[1]).toEqual({ level: 0, n: 2 ** 32 + 1, width: 44 });
    // level 1 gains one hash (2^32 → 2^32 + 1); levels 2–4 do not change
    expect(tiles.slice(2)).toEqual([{ level: 1, n: 2 ** 24, width: 1 }]);
    // reaching 2^40 completes one full tile on each of levels 0–4 and opens level 5
    expect(newTiles(2 ** 40 - 1, 2 ** 40)).toEqual([
      { level: 0, n: 2 ** 32 - 1, width: 256 },
      { level: 1, n: 2 ** 24 - 1, width: 256 },
      { level: 2, n: 2 ** 16 - 1, width: 256 },
      { level: 3, n: 2 ** 8 - 1, width: 256 },
      { level: 4, n: 0, width: 256 },
      { level: 5, n: 0, width: 1 },
    ]);
  });

  it('tileForIndex of the level-0 and level-8 hashes beyond 2^32', () => {
    const n = 2 ** 33 + 7;
    expect(tileForIndex(storedHashIndex(0, n))).toEqual({ level: 0, n: Math.floor(n / 256), width: 8 });
    expect(tileForIndex(storedHashIndex(8, 2 ** 30 + 3))).toEqual({ level: 1, n: 2 ** 22, width: 4 });
    // a hash at height 3 inside a level-0 tile: it spans 8 leaf positions of its tile
    const x = storedHashIndex(3, 2 ** 35 + 1);
    expect(splitStoredHashIndex(x)).toEqual({ level: 3, n: 2 ** 35 + 1 });
    expect(tileForIndex(x)).toEqual({ level: 0, n: 2 ** 30, width: 16 });
  });
});

describe('tile data and TileHashReader', () => {
  const SIZE = 256 * 3 + 77; // three full level-0 tiles, a partial one, a partial level-1 tile
  const BIG = 256 * 256 + 256 * 2 + 9; // reaches level 2
  const storeP = (async () => {
    const s = new MemoryHashStore();
    for (let i = 0; i < BIG; i++) await s.append(Uint8Array.of(i % 256, Math.floor(i / 256) % 256, Math.floor(i / 65536)));
    return s;
  })();

  /** Serves tiles of tree size `size` from the store, like a static tile server would. */
  const server = (s: MemoryHashStore, size: number, tamper?: (t: Tile, d: Uint8Array) => void) => {
    const published = new Map<string, Tile>();
    for (const t of newTiles(0, size)) published.set(tilePath(t), t);
    const fetched: string[] = [];
    const fetchTile = async (t: Tile): Promise<Uint8Array> => {
      const path = tilePath(t);
      fetched.push(path);
      // a full tile is served from its full path even if the tree has grown; partial tiles only for `size`
      const full = { ...t, width: TILE_WIDTH };
      const pub = published.get(path) ?? published.get(tilePath(full));
      if (!pub) throw new Error(`404 ${path}`);
      const d = await readTileData(pub, s);
      const out = d.subarray(0, t.width * HASH_SIZE).slice();
      tamper?.(t, out);
      return out;
    };
    return { fetchTile, fetched };
  };

  it('hashFromTile recomputes every stored hash of a tree from its tiles', async () => {
    const s = await storeP;
    const tiles = newTiles(0, SIZE);
    const data = new Map<string, Uint8Array>();
    for (const t of tiles) data.set(`${t.level}/${t.n}`, await readTileData(t, s));
    const count = storedHashIndex(0, SIZE - 1) + 1;
    for (let i = 0; i < count; i++) {
      const want = tileForIndex(i);
      const t = tiles.find((x) => x.level === want.level && x.n === want.n)!;
      if (t.width < want.width) continue; // hash at a height above a partial tile: not in any tile
      expect(equalBytes(hashFromTile(t, data.get(`${t.level}/${t.n}`)!, i), s.hashes[i]!)).toBe(true);
    }
    expect(() => hashFromTile({ level: 0, n: 1, width: 256 }, data.get('0/0')!, 0)).toThrow(TlogError);
  });

  it('proofs through TileHashReader equal those of the store and check', async () => {
    const s = await storeP;
    for (const size of [1, 255, 256, 257, SIZE, 256 * 256, BIG]) {
      const th = await s.treeHash(size);
      const { fetchTile } = server(s, size);
      const r = new TileHashReader(size, th, fetchTile);
      const picks = [0, size - 1, Math.floor(size / 2), Math.floor(size / 3)];
      for (const n of picks) {
        const p = await proveRecord(size, n, r);
        expect(p).toEqual(await proveRecord(size, n, s));
        checkRecord(p, size, th, n, s.hashes[storedHashIndex(0, n)]!);
      }
      for (const old of [1, Math.max(1, size - 1), Math.ceil(size / 2)]) {
        const p = await proveTree(size, old, r);
        expect(p).toEqual(await proveTree(size, old, s));
        checkTree(p, size, th, old, await s.treeHash(old));
      }
    }
  });

  it('refuses tiles that do not match the tree hash, of the wrong length, or indexes outside the tree', async () => {
    const s = await storeP;
    const th = await s.treeHash(SIZE);
    // tamper with a partial root tile, then with a full tile authenticated by its parent
    for (const victim of ['tile/0/003.p/77', 'tile/0/001', 'tile/1/000.p/3']) {
      const { fetchTile } = server(s, SIZE, (t, d) => {
        if (tilePath(t) === victim) d[5]! ^= 1;
      });
      const r = new TileHashReader(SIZE, th, fetchTile);
      await expectTlogReject(proveRecord(SIZE, 300, r), 'inconsistent-tile');
    }
    const short = new TileHashReader(SIZE, th, async () => new Uint8Array(64));
    await expectTlogReject(proveRecord(SIZE, 3, short), 'bad-reader');
    const { fetchTile } = server(s, SIZE);
    await expectTlogReject(new TileHashReader(SIZE, th, fetchTile).readHashes([storedHashIndex(0, SIZE)]), 'invalid-input');
    const wrongRoot = th.slice();
    wrongRoot[0]! ^= 1;
    await expectTlogReject(proveRecord(SIZE, 3, new TileHashReader(SIZE, wrongRoot, fetchTile)), 'inconsistent-tile');
  });

  it('onVerified receives the authenticated tiles', async () => {
    const s = await storeP;
    const { fetchTile } = server(s, SIZE);
    const seen: string[] = [];
    const r = new TileHashReader(SIZE, await s.treeHash(SIZE), fetchTile, (tiles) => seen.push(...tiles.map(tilePath)));
    await proveRecord(SIZE, 10, r);
    expect(seen).toContain('tile/0/000');
    expect(seen).toContain('tile/1/000.p/3');
  });
});

describe('entry bundles', () => {
  it('round-trips and checks against the level-0 tile', async () => {
    const s = new MemoryHashStore();
    const entries = Array.from({ length: 19 }, (_, i) => new Uint8Array(i * 37).fill(i));
    for (const e of entries) await s.append(e);
    const bundle = formatEntryBundle(entries);
    expect(parseEntryBundle(bundle, 19)).toEqual(entries);
    checkEntryBundle(entries, await readTileData({ level: 0, n: 0, width: 19 }, s));
    const other = entries.slice();
    other[4] = Uint8Array.of(1);
    expect(() => checkEntryBundle(other, new Uint8Array(19 * 32))).toThrow(TlogError);
    expect(recordHash(entries[0]!)).toEqual(s.hashes[0]);
  });

  it('length prefixes are big-endian uint16; limits are enforced', () => {
    expect(formatEntryBundle([Uint8Array.of(9), new Uint8Array(0), new Uint8Array(258).fill(1)]).subarray(0, 6)).toEqual(Uint8Array.of(0, 1, 9, 0, 0, 1));
    const max = new Uint8Array(65535);
    expect(parseEntryBundle(formatEntryBundle([max]))[0]!.length).toBe(65535);
    expect(() => formatEntryBundle([new Uint8Array(65536)])).toThrow(/exceeds 65535/);
    expect(() => formatEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(0)))).toThrow(TlogError);
  });

  it('strict parsing', () => {
    const good = formatEntryBundle([Uint8Array.of(1, 2, 3), Uint8Array.of(4)]);
    expect(() => parseEntryBundle(good.subarray(0, good.length - 1))).toThrow(/truncated in an entry/);
    expect(() => parseEntryBundle(Uint8Array.of(...good, 0))).toThrow(/truncated in a length prefix/);
    expect(() => parseEntryBundle(good, 3)).toThrow(/want 3/);
    expect(() => parseEntryBundle(new Uint8Array(2 * 257))).toThrow(/more than 256/);
    expect(parseEntryBundle(new Uint8Array(0))).toEqual([]);
  });
});
