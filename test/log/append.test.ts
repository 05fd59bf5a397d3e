// The public log's append path: canonical JSON, the byte-exact entry format, documents, dense
// indexes under concurrency, rollbacks, and the proofs of what was appended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { toHex, utf8, utf8Decode, fromBase64 } from '../../crypto/bytes.js';
import { MemoryHashStore, checkRecord, checkTree, recordHash } from '../../crypto/tlog.js';
import { appendRawEntry, canonicalJson, getDocument, getEntry, headSize, listEntries, refreshCheckpoint } from '../../src/log/index.js';
import { b64s, clientCheckpoint } from './support.js';
import { expectProblem } from '../support/problems.js';

describe('canonicalJson', () => {
  it('sorts keys (UTF-16 order), drops whitespace, keeps strings exact', () => {
    expect(canonicalJson({ b: 1, a: [true, false, null, 'x'], '': { z: -0, y: 'é\n"' }, B: -7 })).toBe(
      '{"":{"y":"é\\n\\"","z":0},"B":-7,"a":[true,false,null,"x"],"b":1}',
    );
    expect(canonicalJson({ '\u{1F600}': 1, '\uFFFF': 2 })).toBe('{"\u{1F600}":1,"\uFFFF":2}'); // surrogates sort below U+FFFF
    expect(canonicalJson(Object.assign(Object.create(null), { k: 'v' }))).toBe('{"k":"v"}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
  });

  it('refuses everything that is not strings, safe integers, booleans, null, arrays and plain objects', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: unknown[] = [1.5, NaN, Infinity, 2 ** 53, undefined, { a: undefined }, new Date(), new Map(), 10n, () => 1, Symbol('s'), [1, , 3], cyclic, new (class X {})(), { [Symbol('k')]: 1 }];
    for (const v of bad) expect(() => canonicalJson(v), String(v)).toThrow(TypeError);
  });
});

describeEachDb('public log append', (kind) => {
  let t: TestDb;
  let h: TestApp;
  beforeAll(async () => {
    t = await openTestDb(kind, { max: 10 });
    h = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
  });
  afterAll(async () => t.close());

  it('stores the document in full and the entry in the byte-exact format', async () => {
    const doc = { title: '拟进入材料评审组织名单', orgs: ['甲', '乙'], window: { from: '2026-03-02', to: '2026-03-10' } };
    const r = await appendRawEntry(t.db, { type: 'notice', cycleId: '2026', document: doc });
    const body = canonicalJson(doc);
    expect(r.docHash).toBe(toHex(sha256(utf8(body))));
    const e = (await getEntry(t.db, r.index))!;
    expect(utf8Decode(e.bytes)).toBe(`{"cycle":"2026","doc":"${r.docHash}","refs":{},"type":"notice","v":1}`);
    expect(e).toMatchObject({ index: r.index, type: 'notice', cycleId: '2026', docHash: r.docHash, refs: {} });
    expect(await getDocument(t.db, r.docHash)).toEqual({ hash: r.docHash, type: 'notice', body });

    // A correction is a new entry pointing at the corrected one; nothing is rewritten.
    const c = await appendRawEntry(t.db, { type: 'notice.correction', cycleId: '2026', document: { ...doc, orgs: ['甲'] }, refs: { corrects: r.index, reason: '笔误' } });
    expect(utf8Decode((await getEntry(t.db, c.index))!.bytes)).toBe(
      `{"cycle":"2026","doc":"${c.docHash}","refs":{"corrects":${r.index},"reason":"笔误"},"type":"notice.correction","v":1}`,
    );
    const n = await appendRawEntry(t.db, { type: 'log.genesis', cycleId: null, document: { hello: 'world' } });
    expect(utf8Decode((await getEntry(t.db, n.index))!.bytes)).toMatch(/^\{"cycle":null,/);
    expect((await listEntries(t.db, { cycleId: '2026' })).map((x) => x.index)).toEqual([r.index, c.index]);
    expect((await listEntries(t.db, { type: 'notice.correction' })).map((x) => x.index)).toEqual([c.index]);

    // The JSON helpers serve the same.
    const res = await h.request(`/api/v1/log/documents/${r.docHash}`);
    expect(await res.json()).toEqual({ hash: r.docHash, type: 'notice', document: doc, body });
    await expectProblem(await h.request(`/api/v1/log/documents/${'0'.repeat(64)}`), 404, 'not-found');
    await expectProblem(await h.request('/api/v1/log/documents/XYZ'), 400, 'invalid-request');
  });

  it('refuses bad input before touching the log: oversized entries, bad types, corrections of nothing', async () => {
    const size = await headSize(t.db);
    await expect(appendRawEntry(t.db, { type: 'notice', cycleId: null, document: {}, refs: { big: 'x'.repeat(65_500) } })).rejects.toMatchObject({ status: 413 });
    await expect(appendRawEntry(t.db, { type: 'no spaces', cycleId: null, document: {} })).rejects.toMatchObject({ status: 400 });
    await expect(appendRawEntry(t.db, { type: 'notice', cycleId: null, document: { x: 0.5 } })).rejects.toMatchObject({ status: 400 });
    await expect(appendRawEntry(t.db, { type: 'notice', cycleId: null, document: {}, refs: { corrects: size + 5 } })).rejects.toMatchObject({ status: 422 });
    expect(await headSize(t.db)).toBe(size);
  });

  it('a rolled-back transaction leaves no entry, no document, no stored hash and no hole', async () => {
    const before = await headSize(t.db);
    const hashesBefore = Number((await t.db.selectFrom('log_hash').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    let taken = -1;
    let docHash = '';
    await expect(
      t.db.transaction().execute(async (trx) => {
        const r = await appendRawEntry(trx, { type: 'notice', cycleId: '2026', document: { rolledBack: true } });
        taken = r.index;
        docHash = r.docHash;
        expect(await getEntry(trx, r.index)).not.toBeNull(); // visible inside
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(taken).toBe(before);
    expect(await getEntry(t.db, taken)).toBeNull();
    expect(await getDocument(t.db, docHash)).toBeNull();
    expect(await headSize(t.db)).toBe(before);
    expect(Number((await t.db.selectFrom('log_hash').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(hashesBefore);
    const next = await appendRawEntry(t.db, { type: 'notice', cycleId: '2026', document: { rolledBack: false } });
    expect(next.index).toBe(before);
  });

  it('the log is append-only in the database itself', async () => {
    await expect(t.db.updateTable('log_entry').set({ type: 'x' }).where('idx', '=', 0).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('log_hash').where('idx', '=', 0).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('log_document').execute()).rejects.toThrow(/append-only/);
  });

  it('200 concurrent appends get dense indexes; every proof checks against the signed checkpoints', async () => {
    const start = await headSize(t.db);
    const first = await refreshCheckpoint(h.deps);
    expect(first.size).toBe(start);
    const N = 200;
    const checkpoints: Promise<unknown>[] = [];
    const results: number[] = [];
    for (let wave = 0; wave < 4; wave++) {
      const indexes = await Promise.all(
        Array.from({ length: N / 4 }, async (_, k) => {
          const i = wave * (N / 4) + k;
          const r = await appendRawEntry(t.db, { type: 'ballot.key', cycleId: '2026', document: { ballot: `b${i}`, publicKey: toHex(sha256(utf8(String(i)))) } });
          if (i % 10 === 0) checkpoints.push(refreshCheckpoint(h.deps)); // signers race the appenders
          return r.index;
        }),
      );
      results.push(...indexes);
      await refreshCheckpoint(h.deps);
    }
    await Promise.all(checkpoints);
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => start + i));

    const { checkpoint } = await clientCheckpoint(h);
    expect(checkpoint.size).toBe(start + N);

    // The same tree, rebuilt from the served entries, has the signed root.
    const mem = new MemoryHashStore();
    for (let i = 0; i < start + N; i++) await mem.append((await getEntry(t.db, i))!.bytes);
    expect(toHex(await mem.treeHash())).toBe(toHex(checkpoint.hash));

    for (let i = 0; i < start + N; i++) {
      const res = await h.request(`/api/v1/log/entries/${i}`);
      const e = (await res.json()) as { entry: string; proof: string[]; checkpoint: { size: number; root: string; note: string }; docHash: string; document: unknown };
      expect(e.checkpoint.size).toBe(start + N);
      checkRecord(b64s(e.proof), e.checkpoint.size, fromBase64(e.checkpoint.root), i, recordHash(fromBase64(e.entry)));
      expect(toHex(sha256(utf8(canonicalJson(e.document))))).toBe(e.docHash);
    }

    // Consistency between every pair of checkpoints signed along the way.
    const list = (await (await h.request('/api/v1/log/checkpoints?limit=100')).json()) as { checkpoints: { size: number; root: string }[] };
    const cps = list.checkpoints.filter((c) => c.size > 0);
    expect(cps.length).toBeGreaterThanOrEqual(4);
    for (const a of cps)
      for (const b of cps) {
        if (a.size > b.size) continue;
        const res = await h.request(`/api/v1/log/consistency?from=${a.size}&to=${b.size}`);
        const p = (await res.json()) as { proof: string[] };
        checkTree(b64s(p.proof), b.size, fromBase64(b.root), a.size, fromBase64(a.root));
      }
  });

  it('JSON helpers: bad params are 400, beyond the tree 404 / 422', async () => {
    const size = await headSize(t.db);
    await expectProblem(await h.request(`/api/v1/log/entries/${size + 10}`), 404, 'not-found');
    await expectProblem(await h.request('/api/v1/log/entries/-1'), 400, 'invalid-request');
    await expectProblem(await h.request('/api/v1/log/entries/01'), 400, 'invalid-request');
    await expectProblem(await h.request('/api/v1/log/consistency?from=2'), 400, 'invalid-request');
    await expectProblem(await h.request('/api/v1/log/consistency?from=5&to=2'), 400, 'invalid-request');
    await expectProblem(await h.request('/api/v1/log/consistency?from=x&to=2'), 400, 'invalid-request');
    await expectProblem(await h.request(`/api/v1/log/consistency?from=1&to=${size + 1}`), 422, 'unprocessable');
    await expectProblem(await h.request('/api/v1/log/checkpoints?limit=0'), 400, 'invalid-request');
  });

  it('rate-limits checkpoints: at most one per LOG_CHECKPOINT_INTERVAL_MS, and an entry waits for it', async () => {
    const slow = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 2000 } });
    slow.deps.keys.logSignerKey = h.deps.keys.logSignerKey; // the same log
    const a = await refreshCheckpoint(slow.deps);
    await appendRawEntry(t.db, { type: 'notice', cycleId: null, document: { n: 'early' } });
    slow.clock.current = new Date(slow.clock.current.getTime() + 10_000);
    const b = await refreshCheckpoint(slow.deps); // grew, and the last one is old: signs
    expect(b.size).toBe(a.size + 1);
    const r = await appendRawEntry(t.db, { type: 'notice', cycleId: null, document: { n: 'late' } });
    expect((await refreshCheckpoint(slow.deps)).size).toBe(b.size); // within 2 s: no new checkpoint
    const res = await slow.request(`/api/v1/log/entries/${r.index}`);
    const e = (await res.json()) as { proof: unknown; checkpoint: { size: number } };
    expect(e.proof).toBeNull();
    expect(res.headers.get('retry-after')).toBe('2');
    slow.clock.current = new Date(slow.clock.current.getTime() + 2000);
    const c = await refreshCheckpoint(slow.deps);
    expect(c.size).toBe(r.index + 1);
  });
});
