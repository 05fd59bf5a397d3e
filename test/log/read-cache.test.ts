// The public read path from memory: immutable tiles, entry bundles and documents served with no
// query, ETags answered with 304, the checkpoint and notices costing one shared version query and
// reloaded as soon as the log grows — never stale after a commit, even when a query is in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { appendRawEntries as appendEntries, refreshCheckpoint, type AppendInput } from '../../src/log/index.js';
import { ReadCache, etagOf } from '../../src/cache/read-cache.js';
import { Lru } from '../../src/cache/lru.js';
import { etagMatches } from '../../src/cache/http.js';
import { draftNotice, publish, publishedNotice, setup, type NoticeJson } from '../notices/support.js';

/** Counts the queries sent through a Kysely handle. */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const input = (i: number): AppendInput => ({ type: 'notice', cycleId: '2026', document: { n: i }, refs: { seq: i } });

describeEachDb('read path from memory', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let counter: QueryCounter;

  beforeAll(async () => {
    t = await openTestDb(kind);
    counter = new QueryCounter();
    h = testApp({ ...t, db: t.db.withPlugin(counter) }, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
    h.deps.cache = new ReadCache();
    await appendEntries(t.db, Array.from({ length: 300 }, (_, i) => input(i)));
    await refreshCheckpoint(h.deps);
  }, 180_000);
  afterAll(async () => t.close());

  const queries = async (f: () => Promise<Response>) => {
    const before = counter.count;
    const res = await f();
    return { res, queries: counter.count - before };
  };

  it('a full tile: immutable, answered from memory with no query, 304 for its ETag', async () => {
    const first = await h.request('/log/tile/0/000');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = first.headers.get('etag')!;
    const bytes = new Uint8Array(await first.arrayBuffer());
    expect(bytes.length).toBe(256 * 32);
    expect(etag).toBe(etagOf(bytes));

    const again = await queries(() => h.request('/log/tile/0/000'));
    expect(again.queries).toBe(0);
    expect(new Uint8Array(await again.res.arrayBuffer())).toEqual(bytes);

    const cond = await queries(() => h.request('/log/tile/0/000', { headers: { 'if-none-match': etag } }));
    expect(cond.queries).toBe(0);
    expect(cond.res.status).toBe(304);
    expect(cond.res.headers.get('etag')).toBe(etag);
    expect(cond.res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await cond.res.text()).toBe('');
    // Another tag (or a weak form of this one) is compared as RFC 9110 says.
    expect((await h.request('/log/tile/0/000', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect((await h.request('/log/tile/0/000', { headers: { 'if-none-match': `"x", W/${etag}` } })).status).toBe(304);
  });

  it('an entry bundle likewise; a partial tile and bundle are no-cache with ETags', async () => {
    const bundle = await h.request('/log/tile/entries/000');
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await queries(() => h.request('/log/tile/entries/000'))).queries).toBe(0);

    const partial = await h.request('/log/tile/0/001.p/44');
    expect(partial.status).toBe(200);
    expect(partial.headers.get('cache-control')).toBe('no-cache');
    const etag = partial.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    const cond = await h.request('/log/tile/0/001.p/44', { headers: { 'if-none-match': etag } });
    expect(cond.status).toBe(304);
    expect(cond.headers.get('cache-control')).toBe('no-cache');
    const pbundle = await h.request('/log/tile/entries/001.p/44');
    expect(pbundle.headers.get('cache-control')).toBe('no-cache');
    expect(pbundle.headers.get('etag')).toBeTruthy();
  });

  it('a tile beyond the published tree is not kept: it is served once a checkpoint covers it', async () => {
    expect((await h.request('/log/tile/0/001')).status).toBe(404);
    await appendEntries(t.db, Array.from({ length: 212 }, (_, i) => input(300 + i)));
    expect((await h.request('/log/tile/0/001')).status).toBe(404); // not in a checkpoint yet
    await refreshCheckpoint(h.deps);
    const res = await h.request('/log/tile/0/001');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('a document by hash: immutable, from memory, 304', async () => {
    const { docHash } = (await appendEntries(t.db, [input(9999)]))[0]!;
    const url = `/api/v1/log/documents/${docHash}`;
    const first = await h.request(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await first.json()).toEqual({ hash: docHash, type: 'notice', document: { n: 9999 }, body: '{"n":9999}' });
    const again = await queries(() => h.request(url));
    expect(again.queries).toBe(0);
    expect(again.res.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await h.request(url, { headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(304);
    expect((await h.request(`/api/v1/log/documents/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('the checkpoint: one version query while the log is unchanged, new as soon as it grows; 304 by ETag', async () => {
    await refreshCheckpoint(h.deps);
    const first = await h.request('/log/checkpoint');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag')!;
    const note = await first.text();
    const again = await queries(() => h.request('/log/checkpoint'));
    expect(again.queries).toBe(1);
    expect(await again.res.text()).toBe(note);
    expect((await h.request('/log/checkpoint', { headers: { 'if-none-match': etag } })).status).toBe(304);

    await appendEntries(t.db, [input(10_000)]); // another writer, not through this app
    const grown = await h.request('/log/checkpoint', { headers: { 'if-none-match': etag } });
    expect(grown.status).toBe(200); // LOG_CHECKPOINT_INTERVAL_MS 0: signed at once
    expect(await grown.text()).not.toBe(note);
  });

  it('an entry with its proof: from memory while the checkpoint is unchanged, against the new one as soon as the log grows', async () => {
    await refreshCheckpoint(h.deps);
    type EntryJson = { index: number; checkpoint: { size: number } | null; proof: string[] | null };
    const first = await h.request('/api/v1/log/entries/5');
    expect(first.status).toBe(200);
    const body = (await first.json()) as EntryJson;
    expect(body.proof).not.toBeNull();
    const again = await queries(() => h.request('/api/v1/log/entries/5'));
    expect(again.queries).toBe(1); // the version alone
    expect(await again.res.json()).toEqual(body);

    // Another writer grows the log: the next answer proves the entry against the new checkpoint.
    const size = body.checkpoint!.size;
    await appendEntries(t.db, [input(30_000)]);
    const grown = (await (await h.request('/api/v1/log/entries/5')).json()) as EntryJson;
    expect(grown.checkpoint!.size).toBe(size + 1);
    expect(grown.proof).not.toEqual(body.proof);

    // An entry not yet in the log is not kept: it is answered once appended, without a proof (and a
    // Retry-After) while no checkpoint covers it, with one as soon as one does.
    expect((await h.request(`/api/v1/log/entries/${size + 1}`)).status).toBe(404);
    const saved = h.deps.config;
    h.deps.config = { ...saved, LOG_CHECKPOINT_INTERVAL_MS: 3_600_000 };
    try {
      await appendEntries(t.db, [input(30_001)]);
      const pending = await h.request(`/api/v1/log/entries/${size + 1}`);
      expect(pending.status).toBe(200);
      expect(pending.headers.get('retry-after')).toBe('3600');
      expect(((await pending.json()) as EntryJson).proof).toBeNull();
    } finally {
      h.deps.config = saved;
    }
    const proven = await h.request(`/api/v1/log/entries/${size + 1}`);
    expect(proven.headers.get('retry-after')).toBeNull();
    expect(((await proven.json()) as EntryJson).proof).not.toBeNull();
  });

  it('the public lane answers exactly as the whole chain (a query string takes the chain), and logs the request', async () => {
    await refreshCheckpoint(h.deps);
    const { docHash } = (await appendEntries(t.db, [input(40_000)]))[0]!;
    await refreshCheckpoint(h.deps);
    const paths = ['/log/checkpoint', '/log/tile/0/000', '/log/tile/entries/000', '/log/tile/0/001.p/44', `/api/v1/log/documents/${docHash}`, '/api/v1/log/entries/7'];
    for (const p of paths) await expectSameAnswers(h, p);
    const lane = await h.request('/log/tile/0/000');
    const logged = h.logger.lines.find((l) => l.msg === 'request' && l.requestId === lane.headers.get('x-request-id'));
    expect(logged).toMatchObject({ method: 'GET', path: '/log/tile/0/000', status: 200 });
  });
});

/** The same status, body and headers (but the request id) with and without a query string, for GET, HEAD and a conditional GET. */
async function expectSameAnswers(h: TestApp, path: string) {
  const strip = (r: Response) => [...r.headers].filter(([k]) => k !== 'x-request-id' && k !== 'date').sort();
  for (const init of [{}, { method: 'HEAD' }] as RequestInit[]) {
    // The first read may load (the middleware's lane), the second comes from memory (before the router).
    const lane = await h.request(path, init);
    const again = await h.request(path, init);
    const chain = await h.request(`${path}?via=chain`, init);
    expect(lane.status, path).toBe(200);
    expect(chain.status, path).toBe(lane.status);
    expect(again.status, path).toBe(lane.status);
    expect(strip(lane), path).toEqual(strip(chain));
    expect(strip(again), path).toEqual(strip(chain));
    const body = new Uint8Array(await chain.arrayBuffer());
    expect(new Uint8Array(await lane.arrayBuffer()), path).toEqual(body);
    expect(new Uint8Array(await again.arrayBuffer()), path).toEqual(body);
    const etag = lane.headers.get('etag');
    if (etag && !init.method) {
      const cond = await h.request(path, { headers: { 'if-none-match': etag } });
      const condChain = await h.request(`${path}?via=chain`, { headers: { 'if-none-match': etag } });
      expect(cond.status, path).toBe(304);
      expect(strip(cond), path).toEqual(strip(condChain));
    }
  }
}

describeEachDb('notices from memory until the log grows', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let counter: QueryCounter;
  let staff: string;

  beforeAll(async () => {
    t = await openTestDb(kind);
    counter = new QueryCounter();
    h = testApp({ ...t, db: t.db.withPlugin(counter) });
    h.deps.cache = new ReadCache();
    staff = (await setup(h)).staff;
  }, 180_000);
  afterAll(async () => t.close());

  it('JSON: one query per request, an ETag and 304; a correction shows at once', async () => {
    const n = await publishedNotice(h, staff);
    const url = `/api/v1/notices/${n.id}`;
    const first = await h.request(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag')!;
    expect(((await first.json()) as NoticeJson).correctedBy).toEqual([]);
    const before = counter.count;
    const again = await h.request(url);
    expect(counter.count - before).toBe(1);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await h.request(url, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const correction = await publish(h, staff, (await draftNotice(h, staff, { corrects: n.id, title: '更正：' + n.title })).id);
    const after = await h.request(url, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as NoticeJson).correctedBy).toEqual([correction.id]);
    // The public lane (no query string) and the whole chain answer alike.
    await expectSameAnswers(h, url);
    // The HTML page too.
    const page = await h.request(`/notices/${n.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(correction.id);
  });

  it('open and closed follow the clock, not the cache', async () => {
    const n = await publishedNotice(h, staff);
    const url = `/api/v1/notices/${n.id}`;
    const open = (await (await h.request(url)).json()) as NoticeJson;
    expect(open.open).toBe(true);
    const saved = h.clock.current;
    h.clock.current = new Date(Date.parse(open.window!.closesAt) + 1);
    const closed = (await (await h.request(url)).json()) as NoticeJson;
    h.clock.current = saved;
    expect(closed).toMatchObject({ open: false, closed: true });
  });

  it('a draft is never served to the public from the cache, and staff read it fresh', async () => {
    const d = await draftNotice(h, staff);
    expect((await h.request(`/api/v1/notices/${d.id}`)).status).toBe(404);
    const patched = await h.request(`/api/v1/notices/${d.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
      body: JSON.stringify({ title: '改过的标题' }),
    });
    expect(patched.status).toBe(200);
    const read = await h.request(`/api/v1/notices/${d.id}`, { headers: { authorization: `Bearer ${staff}` } });
    expect(((await read.json()) as NoticeJson).title).toBe('改过的标题');
    expect((await h.request(`/api/v1/notices/${d.id}`)).status).toBe(404);
  });
});

describeEachDb('the log version trusted for maxAgeMs: no query per request, never stale after this process writes', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let other: TestApp;
  let counter: QueryCounter;
  let staff: string;
  let clockMs = 0;
  const MAX_AGE = 60_000;

  beforeAll(async () => {
    t = await openTestDb(kind);
    counter = new QueryCounter();
    h = testApp({ ...t, db: t.db.withPlugin(counter) });
    h.deps.cache = new ReadCache({ maxAgeMs: MAX_AGE, now: () => clockMs });
    // A second server on the same database, with a cache of its own.
    other = testApp(t);
    other.deps.cache = new ReadCache({ maxAgeMs: MAX_AGE });
    staff = (await setup(h)).staff;
  }, 180_000);
  afterAll(async () => t.close());

  const correctedBy = async (id: string) => ((await (await h.request(`/api/v1/notices/${id}`)).json()) as NoticeJson).correctedBy;

  it('a notice read again costs no query; a correction published here shows at once', async () => {
    const n = await publishedNotice(h, staff);
    expect(await correctedBy(n.id)).toEqual([]);
    const before = counter.count;
    const again = await h.request(`/api/v1/notices/${n.id}`);
    expect(again.status).toBe(200);
    expect(counter.count - before).toBe(0);

    await expectSameAnswers(h, `/api/v1/notices/${n.id}`);

    const correction = await publish(h, staff, (await draftNotice(h, staff, { corrects: n.id, title: '更正：' + n.title })).id);
    expect(await correctedBy(n.id)).toEqual([correction.id]);
    expect(await (await h.request(`/notices/${n.id}`)).text()).toContain(correction.id);
    await expectSameAnswers(h, `/api/v1/notices/${n.id}`);
  });

  it('a correction published by another server shows once maxAgeMs has passed', async () => {
    const n = await publishedNotice(h, staff);
    expect(await correctedBy(n.id)).toEqual([]);
    const correction = await publish(other, staff, (await draftNotice(other, staff, { corrects: n.id, title: '更正：' + n.title })).id);
    // Within maxAgeMs of the last read, this server may still answer what it read (the documented bound).
    clockMs += MAX_AGE - 1;
    expect(await correctedBy(n.id)).toEqual([]);
    clockMs += 1;
    expect(await correctedBy(n.id)).toEqual([correction.id]);
  });

  it('the checkpoint grows with an append by another writer once maxAgeMs has passed, at once after a write here', async () => {
    h.deps.config = { ...h.deps.config, LOG_CHECKPOINT_INTERVAL_MS: 0 };
    await h.request('/log/checkpoint'); // signs one for what the notices appended, if due
    const first = await (await h.request('/log/checkpoint')).text();
    await appendEntries(t.db, [input(20_000)]); // not through this app
    expect(await (await h.request('/log/checkpoint')).text()).toBe(first);
    clockMs += MAX_AGE;
    const grown = await (await h.request('/log/checkpoint')).text();
    expect(grown).not.toBe(first);
    // A draft saved here (any request that may write) makes the next read query again.
    await draftNotice(h, staff);
    await appendEntries(t.db, [input(20_001)]);
    const again = await (await h.request('/log/checkpoint')).text();
    expect(again).not.toBe(grown);
    await expectSameAnswers(h, '/log/checkpoint');
    await expectSameAnswers(h, '/api/v1/log/entries/1');
  });
});

describeEachDb('the log version is shared but never older than the request', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  }, 180_000);
  afterAll(async () => t.close());

  it('50 concurrent readers cost at most two version queries', async () => {
    const cache = new ReadCache();
    const vs = await Promise.all(Array.from({ length: 50 }, () => cache.version(t.db)));
    expect(cache.versionReads).toBeLessThanOrEqual(2);
    expect(new Set(vs.map((v) => v.key)).size).toBe(1);
  });

  it('a reader arriving after a commit sees it although a query was in flight', async () => {
    const cache = new ReadCache();
    const early = cache.version(t.db); // in flight, may predate the commit below
    await appendEntries(t.db, [input(1)]);
    const late = await cache.version(t.db);
    const head = Number((await t.db.selectFrom('log_head').select('size').executeTakeFirstOrThrow()).size);
    expect(late.head).toBe(head);
    await early;
  });

  it('without coalescing (Workers) each reader queries', async () => {
    const cache = new ReadCache({ coalesce: false });
    await Promise.all(Array.from({ length: 5 }, () => cache.version(t.db)));
    expect(cache.versionReads).toBe(5);
  });
});

describe('bounded LRU and ETag comparison', () => {
  it('keeps at most maxBytes, dropping the least recently used first', () => {
    const lru = new Lru<string>(100);
    lru.set('a', 'a', 40);
    lru.set('b', 'b', 40);
    lru.get('a');
    lru.set('c', 'c', 40); // over budget: b is the least recently used
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('a');
    expect(lru.get('c')).toBe('c');
    expect(lru.bytes).toBe(80);
    lru.set('huge', 'x', 101);
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.bytes).toBe(80);
  });

  it('If-None-Match lists, weak tags and *', () => {
    expect(etagMatches('"a", "b"', '"b"')).toBe(true);
    expect(etagMatches('W/"b"', '"b"')).toBe(true);
    expect(etagMatches('*', '"b"')).toBe(true);
    expect(etagMatches('"bb"', '"b"')).toBe(false);
    expect(etagMatches(undefined, '"b"')).toBe(false);
  });
});
