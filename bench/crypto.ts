/**
 * Crypto benchmark (not a test): `npx tsx bench/crypto.ts` (or `npm run bench:crypto`).
 * Prints per-operation costs with ratios against baselines measured in the same run
 * (one pure-JS pairing for BLS, one SHA-256 node hash for Merkle), one-by-one vs batch verification
 * of 1,000 and 10,000 tokens, native blst vs pure JS when @chainsafe/blst is installed, and Merkle
 * proof generation / checking. Set BENCH_QUICK=1 for a short run (100 / 1,000 tokens).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  batchVerify,
  blind,
  blindSign,
  checkBlindSignature,
  deriveBallotKey,
  hashToPoint,
  tokenMessage,
  unblind,
  verifyToken,
} from '../crypto/blind.js';
import {
  MemoryHashStore,
  TileHashReader,
  checkRecord,
  checkTree,
  newTiles,
  proveRecord,
  proveTree,
  readTileData,
  recordHash,
  tilePath,
  type Tile,
} from '../crypto/tlog.js';
import { loadNativeBlst } from '../tools/blst.js';

const QUICK = process.env.BENCH_QUICK === '1';
const now = () => performance.now();
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);

/** Median per-op time of `f` over `runs` runs (after one warm-up). */
function timeOp(runs: number, f: (i: number) => unknown): number {
  f(-1);
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = now();
    f(i);
    t.push(now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}
async function timeOpAsync(runs: number, f: (i: number) => Promise<unknown>): Promise<number> {
  await f(0);
  const s = now();
  for (let i = 0; i < runs; i++) await f(i);
  return (now() - s) / runs;
}

function table(title: string, rows: [string, string, string][]): void {
  const w0 = Math.max(...rows.map((r) => r[0].length), 9);
  const w1 = Math.max(...rows.map((r) => r[1].length), 8);
  console.log(`\n${title}`);
  console.log(`  ${'operation'.padEnd(w0)}  ${'per op'.padStart(w1)}  ratio`);
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
}

const started = now();
console.log(`crypto bench — Node ${process.version}, ${QUICK ? 'quick' : 'full'} run`);

// ------------------------------------------------------------------ baselines
const { G1, G2, pairing } = bls12_381;
const gp = G1.Point.BASE.multiply(7n);
const gq = G2.Point.BASE.multiply(11n);
const pairingMs = timeOp(8, () => pairing(gp, gq));
const node = new Uint8Array(65);
const sha256Ms = timeOp(2001, () => sha256(node)) || 1e-4;

// ------------------------------------------------------------------ blind flow per ballot
const master = new Uint8Array(32).fill(9);
const key = deriveBallotKey(master, 'bench-ballot');
const ballot = 'bench-ballot';
const rows: [string, string, string][] = [];
const x = (ms: number) => `${(ms / pairingMs).toFixed(2)}× pairing`;
const state: { m: Uint8Array; B: Uint8Array; r: Uint8Array; Sp: Uint8Array; S: Uint8Array } = {
  m: tokenMessage(ballot, new Uint8Array(32)),
  B: new Uint8Array(0),
  r: new Uint8Array(0),
  Sp: new Uint8Array(0),
  S: new Uint8Array(0),
};
const fresh = (i: number) => tokenMessage(ballot, Uint8Array.from({ length: 32 }, (_, k) => (i * 31 + k * 7 + 1) & 255));
const h2cMs = timeOp(10, (i) => hashToPoint(fresh(i + 1000)));
const blindMs = timeOp(10, (i) => {
  state.m = fresh(i);
  ({ blinded: state.B, r: state.r } = blind(state.m));
});
const signMs = timeOp(10, () => (state.Sp = blindSign(key.secretKey, state.B)));
const checkMs = timeOp(10, () => checkBlindSignature(key.publicKey, state.B, state.Sp));
const unblindMs = timeOp(10, () => (state.S = unblind(state.Sp, state.r)));
const verifyMs = timeOp(10, () => verifyToken(key.publicKey, state.m, state.S));
rows.push(['pairing e(P,Q) (baseline)', fmt(pairingMs), '1.00× pairing']);
rows.push(['hash_to_curve G2 (uncached)', fmt(h2cMs), x(h2cMs)]);
rows.push(['client blind  r·H(m)', fmt(blindMs), x(blindMs)]);
rows.push(['server blindSign  sk·B', fmt(signMs), x(signMs)]);
rows.push(['client check  e(pk,B)=e(G1,S′)', fmt(checkMs), x(checkMs)]);
rows.push(['client unblind  r⁻¹·S′', fmt(unblindMs), x(unblindMs)]);
rows.push(['server verifyToken (cached H(m))', fmt(verifyMs), x(verifyMs)]);
rows.push(['one ballot, client+server total', fmt(blindMs + signMs + checkMs + unblindMs + verifyMs), x(blindMs + signMs + checkMs + unblindMs + verifyMs)]);
table('Blind BLS flow per ballot (median, pure JS @noble/curves)', rows);

// ------------------------------------------------------------------ batch verification
const native = await loadNativeBlst();
const blstMod = native ? (((await import('@chainsafe/blst')) as { default?: typeof import('@chainsafe/blst') }).default ?? (await import('@chainsafe/blst'))) : null;
const sizes = QUICK ? [100, 1000] : [1000, 10000];
const maxN = sizes[sizes.length - 1]!;
const genStart = now();
const items: { message: Uint8Array; signature: Uint8Array }[] = [];
if (blstMod) {
  const sk = blstMod.SecretKey.fromBytes(key.secretKey);
  for (let i = 0; i < maxN; i++) {
    const message = tokenMessage(ballot, Uint8Array.from({ length: 32 }, (_, k) => ((i >> (k % 3) * 8) + k) & 255));
    items.push({ message, signature: new Uint8Array(sk.sign(message).toBytes(true)) });
  }
} else {
  const sk = BigInt('0x' + Array.from(key.secretKey, (b) => b.toString(16).padStart(2, '0')).join(''));
  for (let i = 0; i < maxN; i++) {
    const message = tokenMessage(ballot, Uint8Array.from({ length: 32 }, (_, k) => ((i >> (k % 3) * 8) + k) & 255));
    items.push({ message, signature: hashToPoint(message).multiply(sk).toBytes(true) });
  }
}
console.log(`\n(generated ${maxN} signed tokens with ${blstMod ? 'native blst' : 'pure JS'} in ${fmt(now() - genStart)})`);

const SAMPLE = QUICK ? 50 : 500;
const brows: [string, string, string][] = [];
// one-by-one on a sample of fresh messages (the h2c cache holds only the last 512)
const sampleStart = now();
for (let i = 0; i < SAMPLE; i++) {
  const it = items[maxN - 1 - i]!;
  if (!verifyToken(key.publicKey, it.message, it.signature)) throw new Error('bench: invalid token');
}
const oneByOnePer = (now() - sampleStart) / SAMPLE;
for (const n of sizes) {
  const batch = items.slice(0, n);
  const s = now();
  const res = batchVerify(key.publicKey, batch);
  const batchMs = now() - s;
  if (!res.ok) throw new Error('bench: batch failed');
  const est = oneByOnePer * n;
  brows.push([`${n} tokens one-by-one (est. from ${SAMPLE})`, fmt(est), `${(est / pairingMs).toFixed(0)}× pairing`]);
  brows.push([`${n} tokens batch (pure JS)`, fmt(batchMs), `${(est / batchMs).toFixed(1)}× faster than one-by-one; ${fmt(batchMs / n)}/token`]);
  if (native) {
    const t0 = now();
    const nres = native.batchVerify(key.publicKey, batch);
    const nativeMs = now() - t0;
    if (!nres.ok) throw new Error('bench: native batch failed');
    brows.push([`${n} tokens batch (native blst)`, fmt(nativeMs), `${(batchMs / nativeMs).toFixed(1)}× faster than pure-JS batch`]);
  }
}
table(`Token verification, one key (hash_to_curve alone: ${fmt(h2cMs)}/token)`, brows);
if (!native) console.log('  (native blst not installed: @chainsafe/blst rows skipped)');

// ------------------------------------------------------------------ Merkle proofs
const MN = QUICK ? 20000 : 100000;
const store = new MemoryHashStore();
const buildStart = now();
for (let i = 0; i < MN; i++) await store.append(Uint8Array.of(i & 255, (i >> 8) & 255, (i >> 16) & 255, 1, 2, 3));
const appendMs = (now() - buildStart) / MN;
const th = await store.treeHash();
const OPS = 2000;
const idx = (i: number) => (i * 7919) % MN;
const proofs: Uint8Array[][] = [];
const proveMs = await timeOpAsync(OPS, async (i) => (proofs[i] = await proveRecord(MN, idx(i), store)));
const checkRecMs = timeOp(OPS, (i) => checkRecord(proofs[Math.max(i, 0)]!, MN, th, idx(Math.max(i, 0)), recordHash(store.records[idx(Math.max(i, 0))]!)));
const olds = (i: number) => 1 + ((i * 104729) % (MN - 1));
const roots = new Map<number, Uint8Array>();
for (let i = 0; i < 200; i++) roots.set(olds(i), await store.treeHash(olds(i)));
const tproofs: Uint8Array[][] = [];
const proveTreeMs = await timeOpAsync(200, async (i) => (tproofs[i] = await proveTree(MN, olds(i), store)));
const checkTreeMs = timeOp(200, (i) => checkTree(tproofs[Math.max(i, 0)]!, MN, th, olds(Math.max(i, 0)), roots.get(olds(Math.max(i, 0)))!));
// through tiles (in-memory tile server, every tile authenticated on each read)
const tileCache = new Map<string, Uint8Array>();
for (const t of newTiles(0, MN)) tileCache.set(tilePath(t), await readTileData(t, store));
const fetchTile = async (t: Tile) => tileCache.get(tilePath(t)) ?? tileCache.get(tilePath({ ...t, width: 256 }))!.subarray(0, t.width * 32);
const thr = new TileHashReader(MN, th, fetchTile);
const proveTilesMs = await timeOpAsync(200, (i) => proveRecord(MN, idx(i), thr));
const mrows: [string, string, string][] = [
  ['SHA-256 node hash (baseline)', fmt(sha256Ms), '1× sha256'],
  [`append a record (tree of ${MN})`, fmt(appendMs), `${(appendMs / sha256Ms).toFixed(1)}× sha256`],
  ['proveRecord (in-memory store)', fmt(proveMs), `${(proveMs / sha256Ms).toFixed(1)}× sha256`],
  ['checkRecord', fmt(checkRecMs), `${(checkRecMs / sha256Ms).toFixed(1)}× sha256`],
  ['proveTree (consistency)', fmt(proveTreeMs), `${(proveTreeMs / sha256Ms).toFixed(1)}× sha256`],
  ['checkTree', fmt(checkTreeMs), `${(checkTreeMs / sha256Ms).toFixed(1)}× sha256`],
  ['proveRecord via TileHashReader', fmt(proveTilesMs), `${(proveTilesMs / sha256Ms).toFixed(1)}× sha256 (tiles re-authenticated per call)`],
];
table(`Merkle log (RFC 9162), tree of ${MN} records`, mrows);
console.log(`\ntotal bench time ${fmt(now() - started)}`);
