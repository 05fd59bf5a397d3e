/**
 * Proofs and tiles of the public log, read from stored hashes (storage.ts):
 *   inclusion proofs (RFC 9162 §2.1.3.1) and consistency proofs (RFC 9162 §2.1.4.1): one query of
 *   O(log n) stored hashes each (crypto/tlog.ts proveRecord / proveTree);
 *   C2SP tlog-tiles hash tiles (`tile/<L>/<N>[.p/<W>]`, one query of ≤ 256 hashes) and entry bundles
 *   (`tile/entries/<N>[.p/<W>]`, one query of ≤ 256 entries).
 * A tile is served only if it lies within the given tree size (the latest checkpoint's): C2SP
 * tlog-tiles "Partial Tiles" — the partial tile of level L for size s has floor(s/256^L) mod 256
 * hashes; any narrower partial tile of an earlier checkpoint stays available (nothing is pruned).
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { ENTRIES_LEVEL, TILE_HEIGHT, TILE_WIDTH, formatEntryBundle, proveRecord, proveTree, readTileData, type Tile } from '../../crypto/tlog.js';
import { dbHashReader } from './storage.js';
import { readEntryBytes } from './append.js';

/** Inclusion proof of entry `index` in the tree of `size` entries (index < size). */
export function inclusionProof(db: Kysely<Database>, index: number, size: number): Promise<Uint8Array[]> {
  return proveRecord(size, index, dbHashReader(db));
}

/** Consistency proof from the tree of `from` entries to the tree of `to` (0 ≤ from ≤ to; empty for from = 0). */
export async function consistencyProof(db: Kysely<Database>, from: number, to: number): Promise<Uint8Array[]> {
  if (from === 0) return [];
  return proveTree(to, from, dbHashReader(db));
}

/** Whether every hash (or entry) of `tile` exists in the tree of `size` entries. */
export function tileInTree(tile: Tile, size: number): boolean {
  const level = tile.level === ENTRIES_LEVEL ? 0 : tile.level;
  const hashesAtLevel = Math.floor(size / 2 ** (TILE_HEIGHT * level));
  return tile.n * TILE_WIDTH + tile.width <= hashesAtLevel;
}

/** The bytes of a hash tile or entry bundle, or null if it is not within the tree of `size`. */
export async function readTile(db: Kysely<Database>, tile: Tile, size: number): Promise<Uint8Array | null> {
  if (!tileInTree(tile, size)) return null;
  if (tile.level === ENTRIES_LEVEL) {
    const start = tile.n * TILE_WIDTH;
    return formatEntryBundle(await readEntryBytes(db, start, start + tile.width));
  }
  return readTileData(tile, dbHashReader(db));
}
