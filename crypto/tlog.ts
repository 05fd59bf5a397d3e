/**
 * Merkle transparency log: RFC 9162 (Certificate Transparency v2, §2.1) tree hashing, inclusion and
 * consistency proofs, stored in the dense "stored hash" order of Crosby & Wallach §3.3, and published
 * as C2SP tlog-tiles (https://c2sp.org/tlog-tiles): tiles of height 8 and entry bundles.
 *
 * Vocabulary follows Go's golang.org/x/mod/sumdb/tlog (Prove/Check, stored hash index, tiles) so
 * that anyone can check our proofs with that package; the code is written from the specifications.
 *
 * Protocol flow
 *   server (log):  appends records → storedHashesForRecordHash() → writes the hashes at
 *                  storedHashIndex(0, n) …; publishes treeHash(n) in a signed checkpoint (note.ts);
 *                  serves tiles (readTileData, newTiles, tilePath) and entry bundles.
 *   anyone:        fetches the checkpoint and tiles, reads hashes through TileHashReader (which
 *                  authenticates every tile against the checkpoint's root), then proveRecord /
 *                  proveTree locally and checkRecord / checkTree.
 *
 * Numbers: tree sizes and indexes are JS numbers, safe integers (< 2^53). No bitwise operator ever
 * touches them (`>>`, `<<`, `&`, `|` truncate to 32 bits): only multiplication, Math.floor division
 * and `%`.
 *
 * Errors: every failure throws a TlogError; check* functions return nothing on success (as Go's
 * CheckRecord / CheckTree return a nil error).
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes } from './bytes.js';

/** Size of a SHA-256 hash: every record hash, node hash and tree hash. */
export const HASH_SIZE = 32;

export type TlogErrorCode =
  | 'invalid-input' // arguments out of range (sizes, indexes, hash lengths)
  | 'proof-failed' // a proof does not check
  | 'bad-reader' // a HashReader or tile fetcher returned the wrong shape
  | 'inconsistent-tile' // tile data does not match the trusted tree hash
  | 'bad-tile-path' // tile path not in canonical C2SP form
  | 'bad-entry-bundle'; // entry bundle malformed or too large

/** Every failure of this module. */
export class TlogError extends Error {
  override readonly name = 'TlogError';
  readonly code: TlogErrorCode;
  constructor(code: TlogErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const PROOF_FAILED = 'tlog: invalid transparency proof';

function assertSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new TlogError('invalid-input', `tlog: ${what} must be a non-negative safe integer`);
}
function assertHash(h: Uint8Array, what: string): void {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE)
    throw new TlogError('invalid-input', `tlog: ${what} must be a ${HASH_SIZE}-byte hash`);
}

// ---------------------------------------------------------------- hashing (RFC 9162 §2.1.1)

/** The hash of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_TREE_HASH: Uint8Array = sha256(new Uint8Array(0));

/** Leaf hash MTH({d}) = SHA-256(0x00 ‖ d) (RFC 9162 §2.1.1). Anyone. */
export function recordHash(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TlogError('invalid-input', 'tlog: record data must be a Uint8Array');
  return sha256(concatBytes(Uint8Array.of(0x00), data));
}

/** Interior node hash SHA-256(0x01 ‖ left ‖ right) (RFC 9162 §2.1.1). Anyone. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  assertHash(left, 'left hash');
  assertHash(right, 'right hash');
  const buf = new Uint8Array(1 + 2 * HASH_SIZE);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + HASH_SIZE);
  return sha256(buf);
}

// ---------------------------------------------------------------- integer helpers (no bit ops)

/** 2^k as an exact double. */
const pow2 = (k: number): number => 2 ** k;
/** floor(n / 2^k) */
const shr = (n: number, k: number): number => Math.floor(n / pow2(k));

/** Number of trailing 1 bits of n (n ≥ 0). */
function trailingOnes(n: number): number {
  let c = 0;
  while (n % 2 === 1) {
    n = (n - 1) / 2;
    c++;
  }
  return c;
}

/** k = the largest power of two strictly smaller than n (n ≥ 2), and l = log₂ k. RFC 9162 §2.1.1. */
function maxpow2(n: number): { k: number; l: number } {
  let k = 1;
  let l = 0;
  while (k * 2 < n) {
    k *= 2;
    l++;
  }
  return { k, l };
}

// ---------------------------------------------------------------- stored hash order

/**
 * Maps tree coordinates (level, n) — the n-th hash at height `level` — to its position in the
 * dense storage order of Crosby & Wallach §3.3, where record n's hashes follow those of record n−1.
 * Server (storage layout); anyone (tile arithmetic).
 */
export function storedHashIndex(level: number, n: number): number {
  if (!Number.isSafeInteger(level) || level < 0 || level > 63) throw new TlogError('invalid-input', 'tlog: level must be an integer in [0, 63]');
  assertSize(n, 'n');
  // Level L's n-th hash is written right after level L+1's (2n+1)-th hash: walk down to level 0.
  let m = n;
  for (let l = level; l > 0; l--) m = 2 * m + 1;
  // Level 0's m-th hash sits at m + m/2 + m/4 + … (integer divisions).
  let i = 0;
  for (let x = m; x > 0; x = Math.floor(x / 2)) i += x;
  const idx = i + level;
  if (!Number.isSafeInteger(idx)) throw new TlogError('invalid-input', 'tlog: stored hash index exceeds 2^53');
  return idx;
}

/** Inverse of storedHashIndex. Anyone. */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  assertSize(index, 'index');
  // storedHashIndex(0, n) < 2n, so the record that wrote `index` is in [index/2, index/2 + log₂ index].
  let n = Math.floor(index / 2);
  let indexN = storedHashIndex(0, n);
  if (indexN > index) throw new TlogError('invalid-input', 'tlog: bad math in splitStoredHashIndex');
  for (;;) {
    // Record n+1 adds 1 + trailingOnes(n) hashes: 1 + trailing zeros of n+1.
    const x = indexN + 1 + trailingOnes(n);
    if (x > index) break;
    n++;
    indexN = x;
  }
  // The hash at `index` was stored with record n: it is one of (0, n), (1, n/2), (2, n/4), …
  const level = index - indexN;
  return { level, n: shr(n, level) };
}

/** Number of stored hashes for a tree of n records. Server. */
export function storedHashCount(n: number): number {
  assertSize(n, 'n');
  if (n === 0) return 0;
  // Hashes up to the last leaf hash, then one per subtree completed by that leaf.
  return storedHashIndex(0, n - 1) + 1 + trailingOnes(n - 1);
}

/** Narrow async storage interface: the hashes at the given stored hash indexes, in order. */
export interface HashReader {
  readHashes(indexes: number[]): Promise<Uint8Array[]>;
}

async function readExactly(reader: HashReader, indexes: number[]): Promise<Uint8Array[]> {
  const hashes = await reader.readHashes(indexes);
  if (!Array.isArray(hashes) || hashes.length !== indexes.length)
    throw new TlogError('bad-reader', `tlog: readHashes(${indexes.length} indexes) returned ${Array.isArray(hashes) ? hashes.length : 'no'} hashes`);
  for (const h of hashes)
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new TlogError('bad-reader', 'tlog: readHashes returned a hash that is not 32 bytes');
  return hashes;
}

/**
 * The hashes to store when appending record n with leaf hash h, to be written starting at
 * storedHashIndex(0, n): the leaf hash, then one node hash per subtree that record completes.
 * Reads up to log₂ n earlier hashes. Server.
 */
export async function storedHashesForRecordHash(n: number, h: Uint8Array, reader: HashReader): Promise<Uint8Array[]> {
  assertSize(n, 'n');
  assertHash(h, 'record hash');
  const m = trailingOnes(n); // each trailing 1 bit of n completes a subtree
  const indexes = new Array<number>(m);
  for (let i = 0; i < m; i++) indexes[m - 1 - i] = storedHashIndex(i, shr(n, i) - 1); // sorted ascending
  const old = m ? await readExactly(reader, indexes) : [];
  const hashes = [h];
  let cur = h;
  for (let i = 0; i < m; i++) {
    cur = nodeHash(old[m - 1 - i]!, cur);
    hashes.push(cur);
  }
  return hashes;
}

/**
 * The same hashes as storedHashesForRecordHash(n, h, …), from the tree's frontier instead of a reader:
 * `frontier` holds the hashes of the maximal complete subtrees of the first n records, highest level
 * first (the ones n's trailing one bits name are its last ones). It is updated in place to the
 * frontier of n + 1 records. Server.
 */
export function storedHashesFromFrontier(n: number, h: Uint8Array, frontier: Uint8Array[]): Uint8Array[] {
  assertSize(n, 'n');
  assertHash(h, 'record hash');
  const m = trailingOnes(n);
  if (frontier.length < m) throw new TlogError('invalid-input', 'tlog: frontier too short for record n');
  const hashes = [h];
  let cur = h;
  for (let i = 0; i < m; i++) {
    cur = nodeHash(frontier.pop()!, cur);
    hashes.push(cur);
  }
  frontier.push(cur);
  return hashes;
}

/** storedHashesForRecordHash(n, recordHash(data), reader). Server. */
export function storedHashes(n: number, data: Uint8Array, reader: HashReader): Promise<Uint8Array[]> {
  return storedHashesForRecordHash(n, recordHash(data), reader);
}

// ---------------------------------------------------------------- tree hash (RFC 9162 §2.1.1)

/** Stored-hash indexes of the maximal complete subtrees covering records [lo, hi). */
function subTreeIndex(lo: number, hi: number, need: number[]): number[] {
  while (lo < hi) {
    const { k, l } = maxpow2(hi - lo + 1);
    if (lo % k !== 0) throw new TlogError('invalid-input', 'tlog: bad math in subTreeIndex');
    need.push(storedHashIndex(l, lo / k));
    lo += k;
  }
  return need;
}

/** Folds the subtree hashes read for subTreeIndex(lo, hi) into MTH(D[lo:hi]); returns the rest. */
function subTreeHash(lo: number, hi: number, hashes: Uint8Array[]): [Uint8Array, Uint8Array[]] {
  let numTree = 0;
  while (lo < hi) {
    lo += maxpow2(hi - lo + 1).k;
    numTree++;
  }
  if (numTree === 0 || hashes.length < numTree) throw new TlogError('invalid-input', 'tlog: bad math in subTreeHash');
  let h = hashes[numTree - 1]!;
  for (let i = numTree - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return [h, hashes.slice(numTree)];
}

/** MTH of the first n records (RFC 9162 §2.1.1), from at most 1 + log₂ n stored hashes. Anyone. */
export async function treeHash(n: number, reader: HashReader): Promise<Uint8Array> {
  assertSize(n, 'tree size');
  if (n === 0) return EMPTY_TREE_HASH.slice();
  const indexes = subTreeIndex(0, n, []);
  const [h, rest] = subTreeHash(0, n, await readExactly(reader, indexes));
  if (rest.length) throw new TlogError('invalid-input', 'tlog: bad index math in treeHash');
  return h;
}

// ---------------------------------------------------------------- inclusion (RFC 9162 §2.1.3)

function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const { k } = maxpow2(hi - lo);
  if (n < lo + k) {
    leafProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    leafProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function leafProof(lo: number, hi: number, n: number, hashes: Uint8Array[]): [Uint8Array[], Uint8Array[]] {
  if (lo + 1 === hi) return [[], hashes]; // the verifier knows the leaf hash
  const { k } = maxpow2(hi - lo);
  let p: Uint8Array[];
  let th: Uint8Array;
  if (n < lo + k) {
    [p, hashes] = leafProof(lo, lo + k, n, hashes);
    [th, hashes] = subTreeHash(lo + k, hi, hashes);
  } else {
    [th, hashes] = subTreeHash(lo, lo + k, hashes);
    [p, hashes] = leafProof(lo + k, hi, n, hashes);
  }
  p.push(th);
  return [p, hashes];
}

/**
 * Inclusion proof (RFC 9162 §2.1.3.1) that the tree of size t contains record n: the audit path,
 * bottom-up, as 32-byte hashes. Server, or anyone holding a TileHashReader.
 */
export async function proveRecord(t: number, n: number, reader: HashReader): Promise<Uint8Array[]> {
  assertSize(t, 'tree size');
  assertSize(n, 'record index');
  if (n >= t) throw new TlogError('invalid-input', 'tlog: invalid inputs in proveRecord');
  const indexes = leafProofIndex(0, t, n, []);
  if (!indexes.length) return [];
  const [p, rest] = leafProof(0, t, n, await readExactly(reader, indexes));
  if (rest.length) throw new TlogError('invalid-input', 'tlog: bad index math in proveRecord');
  return p;
}

function runRecordProof(p: Uint8Array[], lo: number, hi: number, n: number, leaf: Uint8Array): Uint8Array {
  if (lo + 1 === hi) {
    if (p.length !== 0) throw new TlogError('proof-failed', PROOF_FAILED); // no unneeded hashes
    return leaf;
  }
  if (p.length === 0) throw new TlogError('proof-failed', PROOF_FAILED);
  const { k } = maxpow2(hi - lo);
  const last = p[p.length - 1]!;
  const head = p.slice(0, -1);
  if (n < lo + k) return nodeHash(runRecordProof(head, lo, lo + k, n, leaf), last);
  return nodeHash(last, runRecordProof(head, lo + k, hi, n, leaf));
}

/**
 * Checks that `proof` proves that the tree of size t with root th has record n with leaf hash h
 * (RFC 9162 §2.1.3.2). Throws TlogError ('invalid-input' or 'proof-failed'). Anyone.
 */
export function checkRecord(proof: Uint8Array[], t: number, th: Uint8Array, n: number, h: Uint8Array): void {
  assertSize(t, 'tree size');
  assertSize(n, 'record index');
  if (n >= t) throw new TlogError('invalid-input', 'tlog: invalid inputs in checkRecord');
  assertHash(th, 'tree hash');
  assertHash(h, 'record hash');
  if (!Array.isArray(proof)) throw new TlogError('invalid-input', 'tlog: proof must be an array of hashes');
  for (const x of proof) assertHash(x, 'proof hash');
  if (proof.length > 64) throw new TlogError('proof-failed', PROOF_FAILED);
  if (!equalBytes(runRecordProof(proof, 0, t, n, h), th)) throw new TlogError('proof-failed', PROOF_FAILED);
}

// ---------------------------------------------------------------- consistency (RFC 9162 §2.1.4)

function treeProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (n === hi) {
    if (lo === 0) return need;
    return subTreeIndex(lo, hi, need);
  }
  const { k } = maxpow2(hi - lo);
  if (n <= lo + k) {
    treeProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    treeProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function treeProof(lo: number, hi: number, n: number, hashes: Uint8Array[]): [Uint8Array[], Uint8Array[]] {
  if (n === hi) {
    if (lo === 0) return [[], hashes]; // exactly the old tree: the verifier knows its hash
    const [th, rest] = subTreeHash(lo, hi, hashes);
    return [[th], rest];
  }
  const { k } = maxpow2(hi - lo);
  let p: Uint8Array[];
  let th: Uint8Array;
  if (n <= lo + k) {
    [p, hashes] = treeProof(lo, lo + k, n, hashes);
    [th, hashes] = subTreeHash(lo + k, hi, hashes);
  } else {
    [th, hashes] = subTreeHash(lo, lo + k, hashes);
    [p, hashes] = treeProof(lo + k, hi, n, hashes);
  }
  p.push(th);
  return [p, hashes];
}

/**
 * Consistency proof (RFC 9162 §2.1.4.1) that the tree of size t extends the tree of size n
 * (1 ≤ n ≤ t). Server, or anyone holding a TileHashReader.
 */
export async function proveTree(t: number, n: number, reader: HashReader): Promise<Uint8Array[]> {
  assertSize(t, 'tree size');
  assertSize(n, 'old tree size');
  if (t < 1 || n < 1 || n > t) throw new TlogError('invalid-input', 'tlog: invalid inputs in proveTree');
  const indexes = treeProofIndex(0, t, n, []);
  if (!indexes.length) return [];
  const [p, rest] = treeProof(0, t, n, await readExactly(reader, indexes));
  if (rest.length) throw new TlogError('invalid-input', 'tlog: bad index math in proveTree');
  return p;
}

function runTreeProof(p: Uint8Array[], lo: number, hi: number, n: number, old: Uint8Array): [Uint8Array, Uint8Array] {
  if (n === hi) {
    if (lo === 0) {
      if (p.length !== 0) throw new TlogError('proof-failed', PROOF_FAILED);
      return [old, old];
    }
    if (p.length !== 1) throw new TlogError('proof-failed', PROOF_FAILED);
    return [p[0]!, p[0]!];
  }
  if (p.length === 0) throw new TlogError('proof-failed', PROOF_FAILED);
  const { k } = maxpow2(hi - lo);
  const last = p[p.length - 1]!;
  const head = p.slice(0, -1);
  if (n <= lo + k) {
    const [oh, th] = runTreeProof(head, lo, lo + k, n, old);
    return [oh, nodeHash(th, last)];
  }
  const [oh, th] = runTreeProof(head, lo + k, hi, n, old);
  return [nodeHash(last, oh), nodeHash(last, th)];
}

/**
 * Checks that `proof` proves that the tree of size t with root th contains as a prefix the tree of
 * size n with root h (RFC 9162 §2.1.4.2), 1 ≤ n ≤ t. Throws TlogError. Anyone (witnesses, monitors).
 */
export function checkTree(proof: Uint8Array[], t: number, th: Uint8Array, n: number, h: Uint8Array): void {
  assertSize(t, 'tree size');
  assertSize(n, 'old tree size');
  if (t < 1 || n < 1 || n > t) throw new TlogError('invalid-input', 'tlog: invalid inputs in checkTree');
  assertHash(th, 'tree hash');
  assertHash(h, 'old tree hash');
  if (!Array.isArray(proof)) throw new TlogError('invalid-input', 'tlog: proof must be an array of hashes');
  for (const x of proof) assertHash(x, 'proof hash');
  if (proof.length > 128) throw new TlogError('proof-failed', PROOF_FAILED);
  const [h2, th2] = runTreeProof(proof, 0, t, n, h);
  if (!equalBytes(th2, th) || !equalBytes(h2, h)) throw new TlogError('proof-failed', PROOF_FAILED);
}

// ---------------------------------------------------------------- in-memory store (tests, tools)

/** An append-only in-memory log: a HashReader over its stored hashes. Tests and tooling. */
export class MemoryHashStore implements HashReader {
  readonly hashes: Uint8Array[] = [];
  readonly records: Uint8Array[] = [];
  #size = 0;

  /** Number of records. */
  get size(): number {
    return this.#size;
  }

  /** Appends one record (its data); returns its index. */
  async append(data: Uint8Array): Promise<number> {
    const n = this.#size;
    const hs = await storedHashes(n, data, this);
    this.hashes.push(...hs);
    this.records.push(data.slice());
    this.#size++;
    return n;
  }

  async readHashes(indexes: number[]): Promise<Uint8Array[]> {
    return indexes.map((i) => {
      const h = this.hashes[i];
      if (!h) throw new TlogError('invalid-input', `tlog: no stored hash at index ${i}`);
      return h;
    });
  }

  /** MTH of the first n records (default: all). */
  treeHash(n: number = this.#size): Promise<Uint8Array> {
    return treeHash(n, this);
  }
}

// ---------------------------------------------------------------- C2SP tlog-tiles

/** Tile height: every C2SP tile is 2^8 = 256 hashes wide when full (tlog-tiles "Merkle Tree"). */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile. */
export const TILE_WIDTH = 256;
/** Entry bundles are tiles at this pseudo-level (Go's "data" level −1), served at tile/entries/…. */
export const ENTRIES_LEVEL = -1;

/**
 * A tile: `level` L (0–63, or ENTRIES_LEVEL for an entry bundle), index `n` N within the level,
 * and `width` W (1–256; 256 is a full tile). It lists hashes at tree height 8·L, positions
 * N·256 … N·256+W−1 (C2SP tlog-tiles "Merkle Tree").
 */
export interface Tile {
  readonly level: number;
  readonly n: number;
  readonly width: number;
}

function assertTile(t: Tile, allowEntries = false): void {
  const okLevel = Number.isInteger(t.level) && ((t.level >= 0 && t.level <= 63) || (allowEntries && t.level === ENTRIES_LEVEL));
  if (!okLevel || !Number.isSafeInteger(t.n) || t.n < 0 || !Number.isInteger(t.width) || t.width < 1 || t.width > TILE_WIDTH)
    throw new TlogError('invalid-input', 'tlog: invalid tile');
}

/** The tile of least width holding stored hash `index`, with the byte range of the data to fold. */
function tileForIndexRange(index: number): { tile: Tile; start: number; end: number } {
  const split = splitStoredHashIndex(index);
  const L = Math.floor(split.level / TILE_HEIGHT);
  const lvl = split.level - L * TILE_HEIGHT; // level inside the tile
  const N = Math.floor((split.n * pow2(lvl)) / TILE_WIDTH);
  const nIn = split.n - (N * TILE_WIDTH) / pow2(lvl); // n within the tile, at height lvl
  const width = (nIn + 1) * pow2(lvl);
  return { tile: { level: L, n: N, width }, start: nIn * pow2(lvl) * HASH_SIZE, end: (nIn + 1) * pow2(lvl) * HASH_SIZE };
}

/** The tile of height 8 and least width storing the hash with stored index `index`. Anyone. */
export function tileForIndex(index: number): Tile {
  return tileForIndexRange(index).tile;
}

/** MTH of 2^k consecutive hashes concatenated in `data`. */
function tileHash(data: Uint8Array): Uint8Array {
  if (data.length === HASH_SIZE) return data.slice();
  if (data.length === 0 || data.length % HASH_SIZE !== 0) throw new TlogError('invalid-input', 'tlog: bad math in tileHash');
  const half = data.length / 2;
  return nodeHash(tileHash(data.subarray(0, half)), tileHash(data.subarray(half)));
}

/**
 * The hash with stored index `index`, computed from `data`, the content of `tile`, which must be
 * tileForIndex(index) or a wider tile at the same position. Anyone.
 */
export function hashFromTile(tile: Tile, data: Uint8Array, index: number): Uint8Array {
  assertTile(tile);
  if (!(data instanceof Uint8Array) || data.length < tile.width * HASH_SIZE)
    throw new TlogError('invalid-input', `tlog: data too short for tile ${tilePath(tile)}`);
  const { tile: t1, start, end } = tileForIndexRange(index);
  if (tile.level !== t1.level || tile.n !== t1.n || tile.width < t1.width)
    throw new TlogError('invalid-input', `tlog: index ${index} is in ${tilePath(t1)} not ${tilePath(tile)}`);
  return tileHash(data.subarray(start, end));
}

/**
 * The tiles (full and partial, every level) that must be published when the tree grows from oldN
 * to newN records (C2SP tlog-tiles "Partial Tiles"). Nothing for a tree of size 0. Server.
 */
export function newTiles(oldN: number, newN: number): Tile[] {
  assertSize(oldN, 'old tree size');
  assertSize(newN, 'new tree size');
  if (oldN > newN) throw new TlogError('invalid-input', 'tlog: old tree size exceeds new tree size');
  const tiles: Tile[] = [];
  for (let level = 0; shr(newN, TILE_HEIGHT * level) > 0; level++) {
    const oldCount = shr(oldN, TILE_HEIGHT * level); // hashes at height 8·level
    const newCount = shr(newN, TILE_HEIGHT * level);
    if (oldCount === newCount) continue;
    const lastFull = Math.floor(newCount / TILE_WIDTH);
    for (let n = Math.floor(oldCount / TILE_WIDTH); n < lastFull; n++) tiles.push({ level, n, width: TILE_WIDTH });
    const w = newCount - lastFull * TILE_WIDTH;
    if (w > 0) tiles.push({ level, n: lastFull, width: w });
  }
  return tiles;
}

/** The stored hash indexes a tile lists, left to right. */
function tileIndexes(tile: Tile): number[] {
  const out = new Array<number>(tile.width);
  const start = tile.n * TILE_WIDTH;
  for (let i = 0; i < tile.width; i++) out[i] = storedHashIndex(TILE_HEIGHT * tile.level, start + i);
  return out;
}

/** The content of a hash tile: its `width` hashes concatenated (32·W bytes). Server. */
export async function readTileData(tile: Tile, reader: HashReader): Promise<Uint8Array> {
  assertTile(tile);
  return concatBytes(...(await readExactly(reader, tileIndexes(tile))));
}

/** N in 3-digit path elements, all but the last prefixed with 'x': 1234067 → x001/x234/067. */
function formatN(n: number): string {
  const parts: string[] = [];
  let rest = n;
  do {
    parts.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return parts.map((p, i) => (i < parts.length - 1 ? 'x' + p : p)).join('/');
}

/**
 * The C2SP path of a tile: `tile/<L>/<N>[.p/<W>]`, or `tile/entries/<N>[.p/<W>]` for an entry
 * bundle (level ENTRIES_LEVEL). Anyone.
 */
export function tilePath(tile: Tile): string {
  assertTile(tile, true);
  const L = tile.level === ENTRIES_LEVEL ? 'entries' : String(tile.level);
  const p = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`;
  return `tile/${L}/${formatN(tile.n)}${p}`;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Parses a C2SP tile or entry-bundle path; refuses every non-canonical form. Anyone (server routes). */
export function parseTilePath(path: string): Tile {
  const bad = (): never => {
    throw new TlogError('bad-tile-path', `tlog: malformed tile path ${JSON.stringify(String(path).slice(0, 200))}`);
  };
  if (typeof path !== 'string' || path.length > 200) return bad();
  const f = path.split('/');
  if (f.length < 3 || f[0] !== 'tile') return bad();
  let level: number;
  if (f[1] === 'entries') level = ENTRIES_LEVEL;
  else {
    if (!DECIMAL.test(f[1]!)) return bad();
    level = Number(f[1]);
    if (level > 63) return bad();
  }
  let width = TILE_WIDTH;
  let elems = f.slice(2);
  if (elems.length >= 2 && elems[elems.length - 2]!.endsWith('.p')) {
    const w = elems[elems.length - 1]!;
    if (!DECIMAL.test(w)) return bad();
    width = Number(w);
    if (width < 1 || width >= TILE_WIDTH) return bad();
    elems = elems.slice(0, -1);
    elems[elems.length - 1] = elems[elems.length - 1]!.slice(0, -2);
  }
  let n = 0;
  for (let i = 0; i < elems.length; i++) {
    const e = elems[i]!;
    const digits = i < elems.length - 1 ? (e.startsWith('x') ? e.slice(1) : bad()) : e;
    if (!/^[0-9]{3}$/.test(digits)) return bad();
    n = n * 1000 + Number(digits);
  }
  if (!Number.isSafeInteger(n)) return bad();
  const tile: Tile = { level, n, width };
  if (tilePath(tile) !== path) return bad(); // e.g. x000/001: a leading zero element
  return tile;
}

/**
 * Where tile data of a tree comes from (HTTP, object store, cache). `fetchTile` must return exactly
 * tile.width·32 bytes for a hash tile; the reader authenticates everything it returns.
 */
export type FetchTile = (tile: Tile) => Promise<Uint8Array>;

/** The k-th parent of `t` in the tiles of a tree with treeSize records, or null if there is none. */
function tileParent(t: Tile, k: number, treeSize: number): Tile | null {
  const level = t.level + k;
  const n = shr(t.n, k * TILE_HEIGHT);
  let width = TILE_WIDTH;
  const max = shr(treeSize, level * TILE_HEIGHT); // hashes at this tile level
  if (n * TILE_WIDTH + width >= max) {
    if (n * TILE_WIDTH >= max) return null;
    width = max - n * TILE_WIDTH;
  }
  return { level, n, width };
}

const tileKey = (t: Tile): string => `${t.level}/${t.n}/${t.width}`;

/**
 * A HashReader for the tree (treeSize, treeHash) that reads tiles through `fetchTile` and
 * authenticates each against the trusted tree hash (first the tiles covering the root, then each
 * full tile against its parent), so every hash it returns is proven to be in that tree.
 * `onVerified` (optional) receives the tiles once authenticated, e.g. to cache them.
 * Anyone (clients, witnesses, monitors) — modelled on Go's tlog.TileHashReader.
 */
export class TileHashReader implements HashReader {
  readonly treeSize: number;
  readonly treeHash: Uint8Array;
  readonly #fetchTile: FetchTile;
  readonly #onVerified: ((tiles: Tile[], data: Uint8Array[]) => void) | undefined;

  constructor(treeSize: number, treeHash: Uint8Array, fetchTile: FetchTile, onVerified?: (tiles: Tile[], data: Uint8Array[]) => void) {
    assertSize(treeSize, 'tree size');
    assertHash(treeHash, 'tree hash');
    if (typeof fetchTile !== 'function') throw new TlogError('invalid-input', 'tlog: fetchTile must be a function');
    this.treeSize = treeSize;
    this.treeHash = treeHash.slice();
    this.#fetchTile = fetchTile;
    this.#onVerified = onVerified;
  }

  async readHashes(indexes: number[]): Promise<Uint8Array[]> {
    const N = this.treeSize;
    const order = new Map<string, number>();
    const tiles: Tile[] = [];
    const add = (t: Tile): number => {
      const i = tiles.length;
      order.set(tileKey(t), i);
      tiles.push(t);
      return i;
    };
    // Plan the tiles that recompute the tree hash: if it matches, they are authentic.
    const stx = N > 0 ? subTreeIndex(0, N, []) : [];
    const stxTile = stx.map((x) => {
      const t = tileParent(tileForIndex(x), 0, N)!;
      return order.get(tileKey(t)) ?? add(t);
    });
    // Plan the tiles holding the wanted hashes, with the parents that authenticate them.
    const limit = N > 0 ? storedHashIndex(0, N) : 0;
    const indexTile = indexes.map((x) => {
      assertSize(x, 'stored hash index');
      if (x >= limit) throw new TlogError('invalid-input', 'tlog: indexes not in tree');
      const t = tileForIndex(x);
      let k = 0;
      for (; ; k++) {
        const p = tileParent(t, k, N);
        if (p && order.has(tileKey(p))) break;
        if (!p) throw new TlogError('invalid-input', 'tlog: bad math in TileHashReader');
      }
      if (k === 0) return order.get(tileKey(tileParent(t, 0, N)!))!;
      let self = -1;
      for (k--; k >= 0; k--) {
        const p = tileParent(t, k, N)!;
        if (p.width !== TILE_WIDTH) throw new TlogError('invalid-input', 'tlog: bad math in TileHashReader');
        const i = add(p);
        if (k === 0) self = i;
      }
      return self;
    });

    const data = await Promise.all(tiles.map((t) => this.#fetchTile(t)));
    tiles.forEach((t, i) => {
      const d = data[i];
      if (!(d instanceof Uint8Array) || d.length !== t.width * HASH_SIZE)
        throw new TlogError('bad-reader', `tlog: tile ${tilePath(t)} has ${d instanceof Uint8Array ? d.length : 'no'} bytes, want ${t.width * HASH_SIZE}`);
    });

    // Authenticate the root tiles against the tree hash…
    if (stx.length) {
      let th = hashFromTile(tiles[stxTile[stx.length - 1]!]!, data[stxTile[stx.length - 1]!]!, stx[stx.length - 1]!);
      for (let i = stx.length - 2; i >= 0; i--) th = nodeHash(hashFromTile(tiles[stxTile[i]!]!, data[stxTile[i]!]!, stx[i]!), th);
      if (!equalBytes(th, this.treeHash)) throw new TlogError('inconsistent-tile', 'tlog: downloaded inconsistent tile');
    }
    // …then each further (full) tile against its parent, parents first.
    const rootTiles = new Set(stxTile);
    for (let i = 0; i < tiles.length; i++) {
      if (rootTiles.has(i)) continue;
      const t = tiles[i]!;
      const p = tileParent(t, 1, N);
      const j = p ? order.get(tileKey(p)) : undefined;
      if (p === null || j === undefined || j >= i) throw new TlogError('invalid-input', 'tlog: bad math in TileHashReader: lost parent');
      const expect = hashFromTile(p, data[j]!, storedHashIndex(p.level * TILE_HEIGHT, t.n));
      if (!equalBytes(expect, tileHash(data[i]!))) throw new TlogError('inconsistent-tile', 'tlog: downloaded inconsistent tile');
    }
    this.#onVerified?.(tiles, data);
    return indexes.map((x, i) => hashFromTile(tiles[indexTile[i]!]!, data[indexTile[i]!]!, x));
  }
}

// ---------------------------------------------------------------- entry bundles

/** Largest entry an entry bundle can carry: a big-endian uint16 length (C2SP tlog-tiles "Log entries"). */
export const MAX_ENTRY_SIZE = 65535;

/** An entry bundle: each entry as uint16 big-endian length ‖ bytes. Server. */
export function formatEntryBundle(entries: Uint8Array[]): Uint8Array {
  if (!Array.isArray(entries) || entries.length > TILE_WIDTH)
    throw new TlogError('bad-entry-bundle', `tlog: an entry bundle holds 0 to ${TILE_WIDTH} entries`);
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if (!(e instanceof Uint8Array)) throw new TlogError('bad-entry-bundle', 'tlog: entry must be a Uint8Array');
    if (e.length > MAX_ENTRY_SIZE) throw new TlogError('bad-entry-bundle', `tlog: entry of ${e.length} bytes exceeds ${MAX_ENTRY_SIZE}`);
    parts.push(Uint8Array.of(Math.floor(e.length / 256), e.length % 256), e);
  }
  return concatBytes(...parts);
}

/**
 * Parses an entry bundle strictly: every byte consumed, at most 256 entries, and exactly
 * `expectedCount` entries when given (the tile's width). Anyone.
 */
export function parseEntryBundle(data: Uint8Array, expectedCount?: number): Uint8Array[] {
  if (!(data instanceof Uint8Array)) throw new TlogError('bad-entry-bundle', 'tlog: entry bundle must be a Uint8Array');
  const entries: Uint8Array[] = [];
  let off = 0;
  while (off < data.length) {
    if (entries.length === TILE_WIDTH) throw new TlogError('bad-entry-bundle', 'tlog: entry bundle has more than 256 entries');
    if (off + 2 > data.length) throw new TlogError('bad-entry-bundle', 'tlog: entry bundle truncated in a length prefix');
    const len = data[off]! * 256 + data[off + 1]!;
    off += 2;
    if (off + len > data.length) throw new TlogError('bad-entry-bundle', 'tlog: entry bundle truncated in an entry');
    entries.push(data.slice(off, off + len));
    off += len;
  }
  if (expectedCount !== undefined && entries.length !== expectedCount)
    throw new TlogError('bad-entry-bundle', `tlog: entry bundle has ${entries.length} entries, want ${expectedCount}`);
  return entries;
}

/** Checks that the entries of a bundle hash to the level-0 tile `tileData` (same N and W). Anyone. */
export function checkEntryBundle(entries: Uint8Array[], tileData: Uint8Array): void {
  if (!(tileData instanceof Uint8Array) || tileData.length !== entries.length * HASH_SIZE)
    throw new TlogError('bad-entry-bundle', 'tlog: entry bundle and tile differ in width');
  entries.forEach((e, i) => {
    if (!equalBytes(recordHash(e), tileData.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)))
      throw new TlogError('bad-entry-bundle', `tlog: entry ${i} does not match its tile hash`);
  });
}
