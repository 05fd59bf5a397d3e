// The witness (C2SP tlog-witness add-checkpoint, src/log/witness.ts) and the log's side of it:
// POST /log/cosignatures, cosigned checkpoints served, ?witness= and LOG_WITNESS_REQUIRED, and the
// pull-mode witness program (scripts/witness.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { utf8 } from '../../crypto/bytes.js';
import { MemoryHashStore, proveTree } from '../../crypto/tlog.js';
import {
  SIG_COSIGNATURE_V1,
  formatCheckpoint,
  generateSignerKey,
  newCosigner,
  newSigner,
  newVerifier,
  signNote,
  verifyCosignature,
} from '../../crypto/note.js';
import { formatAddCheckpoint, handleAddCheckpoint, type WitnessState } from '../../src/log/witness.js';
import { appendRawEntry, refreshCheckpoint, verifierKeyOf } from '../../src/log/index.js';
import { pullOnce, witnessServer } from '../../scripts/witness.js';
import { clientCheckpoint } from './support.js';
import { expectProblem } from '../support/problems.js';

const ORIGIN = 'example.gov.cn/hzqa/log';
const logKey = generateSignerKey(ORIGIN, { seed: new Uint8Array(32).fill(1) });
const witnessKey = generateSignerKey('supervisors.example/w1', { type: SIG_COSIGNATURE_V1, seed: new Uint8Array(32).fill(2) });
const NOW = 1_770_000_000;
const opts = { logVerifier: newVerifier(logKey.verifierKey), cosigner: newCosigner(witnessKey.signerKey, () => NOW), clock: () => NOW };

async function tree(n: number, salt = '') {
  const m = new MemoryHashStore();
  for (let i = 0; i < n; i++) await m.append(utf8(`entry ${i}${salt}`));
  return m;
}
const sign = async (m: MemoryHashStore, n: number, key = logKey.signerKey, origin = ORIGIN) =>
  signNote(formatCheckpoint({ origin, size: n, hash: await m.treeHash(n) }), newSigner(key));

describe('witness add-checkpoint (C2SP tlog-witness)', () => {
  it('cosigns a first checkpoint and then a consistent one; the cosignature verifies', async () => {
    const m = await tree(8);
    const cp5 = await sign(m, 5);
    const r1 = handleAddCheckpoint(null, formatAddCheckpoint(0, [], cp5), opts);
    expect(r1).toMatchObject({ status: 200, contentType: 'text/plain; charset=utf-8', newState: { origin: ORIGIN, size: 5, updatedAt: NOW } });
    expect(r1.body).toMatch(/^— supervisors\.example\/w1 [A-Za-z0-9+/]+=*\n$/);
    expect(verifyCosignature(cp5 + r1.body, newVerifier(witnessKey.verifierKey)).timestamp).toBe(NOW);

    const cp8 = await sign(m, 8);
    const r2 = handleAddCheckpoint(r1.newState!, formatAddCheckpoint(5, await proveTree(8, 5, m), cp8), opts);
    expect(r2.status).toBe(200);
    expect(r2.newState!.size).toBe(8);
    verifyCosignature(cp8 + r2.body, newVerifier(witnessKey.verifierKey));
    // The same checkpoint again is fine (idempotent).
    expect(handleAddCheckpoint(r2.newState!, formatAddCheckpoint(8, [], cp8), opts).status).toBe(200);
  });

  it('refuses a forked log, a shrunk log, a wrong old size, an unknown key and malformed requests', async () => {
    const m = await tree(12);
    const state: WitnessState = { origin: ORIGIN, size: 8, hash: '', updatedAt: 0 };
    state.hash = Buffer.from(await m.treeHash(8)).toString('base64');

    // Forked: a different history of size 12, signed with the same key.
    const fork = await tree(12, '′');
    const forked = handleAddCheckpoint(state, formatAddCheckpoint(8, await proveTree(12, 8, fork), await sign(fork, 12)), opts);
    expect(forked.status).toBe(422);
    expect(forked.newState).toBeUndefined();
    // The right checkpoint with a tampered proof.
    const p = await proveTree(12, 8, m);
    p[0] = p[0]!.slice();
    p[0][0]! ^= 1;
    expect(handleAddCheckpoint(state, formatAddCheckpoint(8, p, await sign(m, 12)), opts).status).toBe(422);
    // Shrunk: a smaller checkpoint after the one cosigned.
    expect(handleAddCheckpoint(state, formatAddCheckpoint(8, [], await sign(m, 6)), opts).status).toBe(422);
    // Wrong old size: 409 with the known size.
    const wrong = handleAddCheckpoint(state, formatAddCheckpoint(5, await proveTree(12, 5, m), await sign(m, 12)), opts);
    expect(wrong).toEqual({ status: 409, body: '8\n', contentType: 'text/x.tlog.size' });
    expect(handleAddCheckpoint(null, formatAddCheckpoint(3, await proveTree(12, 3, m), await sign(m, 12)), opts)).toMatchObject({ status: 409, body: '0\n' });
    // Same size, other root: 409 (tlog-witness).
    expect(handleAddCheckpoint(state, formatAddCheckpoint(8, [], await sign(fork, 8)), opts).status).toBe(409);
    // Unknown log key (same name, other key) → 403; unknown origin → 404.
    const other = generateSignerKey(ORIGIN).signerKey;
    expect(handleAddCheckpoint(state, formatAddCheckpoint(8, p, await sign(m, 12, other)), opts).status).toBe(403);
    expect(handleAddCheckpoint(state, formatAddCheckpoint(8, p, await sign(m, 12, generateSignerKey('other.example/log').signerKey, 'other.example/log')), opts).status).toBe(404);
    // Malformed.
    const good = await sign(m, 12);
    const proof = await proveTree(12, 8, m);
    for (const body of [
      '',
      'garbage',
      `old 08\n\n${good}`,
      `old -1\n\n${good}`,
      `old 8 \n\n${good}`,
      `old 8\nnot base64!\n\n${good}`,
      `old 8\nAAAA\n\n${good}`, // 3-byte hash
      `old 8\n${good}`, // no blank line
      formatAddCheckpoint(8, Array.from({ length: 64 }, () => proof[0]!), good),
      formatAddCheckpoint(13, [], good), // old > size, not the known size
      formatAddCheckpoint(8, proof, 'example.gov.cn/hzqa/log\n12\nnot-a-hash\n\n— x AAAA\n'),
      `old 8\n\n${good.replace('\n\n', '\n')}`,
    ]) {
      expect(handleAddCheckpoint(state, body, opts).status, JSON.stringify(body.slice(0, 40))).toBe(400);
    }
    expect(handleAddCheckpoint(state, new Uint8Array([0x6f, 0xff, 0xfe]), opts).status).toBe(400);
    expect(handleAddCheckpoint(null, formatAddCheckpoint(0, proof, good), opts).status).toBe(400); // proof with old 0
    // And the good one goes through.
    expect(handleAddCheckpoint(state, formatAddCheckpoint(8, proof, good), opts).status).toBe(200);
  });
});

describeEachDb('log cosignatures', (kind) => {
  let t: TestDb;
  let h: TestApp;
  const w = generateSignerKey('supervisors.example/w1', { type: SIG_COSIGNATURE_V1 });
  const stranger = generateSignerKey('stranger.example/w', { type: SIG_COSIGNATURE_V1 });
  const second = generateSignerKey('supervisors.example/w2', { type: SIG_COSIGNATURE_V1 });
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0, WITNESS_KEYS: `${w.verifierKey}, ${second.verifierKey}` } });
    for (let i = 0; i < 5; i++) await appendRawEntry(t.db, { type: 'notice', cycleId: '2026', document: { i } });
  });
  afterAll(async () => t.close());

  const witnessOpts = (key: string) => ({ logVerifier: newVerifier(verifierKeyOf(h.deps.keys.logSignerKey)), cosigner: newCosigner(key) });
  const post = (body: string) => h.request('/log/cosignatures', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });

  it('accepts a configured witness cosignature and serves it with the checkpoint', async () => {
    const { note, checkpoint } = await clientCheckpoint(h);
    expect(checkpoint.size).toBe(5);
    const r = handleAddCheckpoint(null, formatAddCheckpoint(0, [], note), witnessOpts(w.signerKey));
    expect(r.status).toBe(200);
    const res = await post(note + r.body);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(note + r.body);
    const served = await clientCheckpoint(h);
    expect(served.note).toBe(note + r.body);
    expect(verifyCosignature(served.note, newVerifier(w.verifierKey)).checkpoint.size).toBe(5);
    // Posting again keeps the first line (nothing rewritten).
    const again = handleAddCheckpoint(null, formatAddCheckpoint(0, [], note), witnessOpts(w.signerKey));
    expect((await post(note + again.body)).status).toBe(200);
    expect((await clientCheckpoint(h)).note).toBe(note + r.body);
    const list = (await (await h.request('/api/v1/log/checkpoints')).json()) as { checkpoints: { size: number; cosignatures: { witness: string }[] }[] };
    expect(list.checkpoints[0]).toMatchObject({ size: 5, cosignatures: [{ witness: 'supervisors.example/w1' }] });
  });

  it('refuses an unknown witness, a bad cosignature, a checkpoint the log never signed, and junk', async () => {
    const served = await clientCheckpoint(h);
    const checkpoint = served.checkpoint;
    const note = served.note
      .split('\n')
      .filter((l) => !l.startsWith('— supervisors.example/'))
      .join('\n'); // the log's signature only
    const s = handleAddCheckpoint(null, formatAddCheckpoint(0, [], note), witnessOpts(stranger.signerKey));
    await expectProblem(await post(note + s.body), 403, 'forbidden');
    // A configured witness's line with a flipped byte.
    const good = handleAddCheckpoint(null, formatAddCheckpoint(0, [], note), witnessOpts(second.signerKey)).body;
    const [dash, name, b64] = good.trim().split(' ');
    const raw = Buffer.from(b64!, 'base64');
    raw[20]! ^= 1;
    await expectProblem(await post(`${note}${dash} ${name} ${raw.toString('base64')}\n`), 403, 'forbidden');
    // Signed by the log's key, but never issued by the log (a root it never had).
    const forged = signNote(formatCheckpoint({ origin: h.deps.config.LOG_ORIGIN, size: checkpoint.size, hash: new Uint8Array(32).fill(9) }), newSigner(h.deps.keys.logSignerKey));
    const fr = handleAddCheckpoint(null, formatAddCheckpoint(0, [], forged), witnessOpts(w.signerKey));
    await expectProblem(await post(forged + fr.body), 422, 'unprocessable');
    const beyond = signNote(formatCheckpoint({ origin: h.deps.config.LOG_ORIGIN, size: 99, hash: checkpoint.hash }), newSigner(h.deps.keys.logSignerKey));
    await expectProblem(await post(beyond + handleAddCheckpoint(null, formatAddCheckpoint(0, [], beyond), witnessOpts(w.signerKey)).body), 422, 'unprocessable');
    await expectProblem(await post('hello'), 400, 'invalid-request');
    await expectProblem(await h.request('/log/cosignatures'), 405, 'method-not-allowed');
    // A log with no WITNESS_KEYS accepts nothing.
    const closed = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
    await expectProblem(await closed.request('/log/cosignatures', { method: 'POST', body: note + good }), 403, 'forbidden');
  });

  it('?witness= and LOG_WITNESS_REQUIRED serve the latest checkpoint that witness cosigned', async () => {
    await appendRawEntry(t.db, { type: 'notice', cycleId: '2026', document: { i: 'later' } });
    await refreshCheckpoint(h.deps);
    expect((await clientCheckpoint(h)).checkpoint.size).toBe(6);
    const cosigned = await clientCheckpoint(h, '?witness=supervisors.example/w1');
    expect(cosigned.checkpoint.size).toBe(5);
    verifyCosignature(cosigned.note, newVerifier(w.verifierKey));
    await expectProblem(await h.request('/log/checkpoint?witness=supervisors.example/w2'), 404, 'not-found');
    await expectProblem(await h.request('/log/checkpoint?witness=bad+name'), 400, 'invalid-request');

    const strict = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0, LOG_WITNESS_REQUIRED: 'supervisors.example/w1' } });
    strict.deps.keys.logSignerKey = h.deps.keys.logSignerKey;
    expect((await clientCheckpoint(strict)).checkpoint.size).toBe(5);
    // …and the entry proofs are against that checkpoint.
    const e = (await (await strict.request('/api/v1/log/entries/2')).json()) as { checkpoint: { size: number } };
    expect(e.checkpoint.size).toBe(5);
  });

  it('the pull-mode witness program cosigns, keeps its state, and follows the log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'witness-'));
    const cfg = {
      witnessKey: w.signerKey,
      logKey: await (await h.request('/log/key')).text(),
      stateFile: path.join(dir, 'state.json'),
      baseUrl: 'http://log.test',
      fetch: (url: string, init?: RequestInit) => h.request(new URL(url).pathname + new URL(url).search, init),
    };
    expect(await pullOnce(cfg)).toMatchObject({ status: 200, size: 6 });
    expect(JSON.parse(readFileSync(cfg.stateFile, 'utf8'))).toMatchObject({ size: 6 });
    for (let i = 0; i < 300; i++) await appendRawEntry(t.db, { type: 'notice', cycleId: '2026', document: { i: `more ${i}` } });
    expect(await pullOnce(cfg)).toMatchObject({ status: 200, size: 306 }); // with a consistency proof 6 → 306
    const served = await clientCheckpoint(h, '?witness=supervisors.example/w1');
    expect(served.checkpoint.size).toBe(306);
    expect(verifyCosignature(served.note, newVerifier(w.verifierKey)).checkpoint.size).toBe(306);
    // A witness whose state says the log was bigger refuses the smaller log and keeps the evidence.
    const cpAt306 = JSON.parse(readFileSync(cfg.stateFile, 'utf8')) as WitnessState;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(cfg.stateFile, JSON.stringify({ ...cpAt306, size: 400 }));
    expect((await pullOnce(cfg)).status).toBe(422);
    expect(readdirSync(dir).some((f) => f.includes('refused'))).toBe(true);
  });

  it('push mode: the witness program serves POST /add-checkpoint', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'witness-push-'));
    const server = witnessServer({ witnessKey: w.signerKey, logKey: verifierKeyOf(h.deps.keys.logSignerKey), stateFile: path.join(dir, 'state.json') });
    const { note, checkpoint } = await clientCheckpoint(h);
    const add = (body: string) => server.request('/add-checkpoint', { method: 'POST', body });
    const [a, b] = await Promise.all([add(formatAddCheckpoint(0, [], note)), add(formatAddCheckpoint(0, [], note))]); // serialized
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const conflict = a.status === 409 ? a : b;
    expect(conflict.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await conflict.text()).toBe(`${checkpoint.size}\n`);
    const ok = a.status === 200 ? a : b;
    verifyCosignature(note + (await ok.text()), newVerifier(w.verifierKey));
  });
});
