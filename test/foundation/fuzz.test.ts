// A fuzz of every operation in the OpenAPI document, in memory (app.request), as the public, as staff
// and as a supervisor: ≥ 10,000 requests with hostile strings (NUL, lone surrogates, bidi controls,
// huge, wrong types) in path parameters, query parameters, JSON values and JSON keys. No response may
// be a 500; a string with NUL, a lone surrogate or a bidi control must be a 400 that names the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { staffAndSupervisor } from '../support/actors.js';
import { unsafeText } from '../../src/http/safe-text.js';

const TOTAL = 10_200;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POISON = ['\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\u202e成员', '\u2066x', '\u0007', '\u009b'];
const ODD = ['', ' ', 'x'.repeat(5000), '成员１', '😀', "'; drop table member; --", '../../etc/passwd', '%00', '__proto__', 'constructor', '2026-02-30', '-1', '1e309', 'null', 'b_AAAAAAAAAAAA', 'm_AAAAAAAAAAAA', 'mt_AAAAAAAAAAAA', '2026', 'ff'.repeat(48)];

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; $ref?: string; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; additionalProperties?: Schema | boolean };
interface Op {
  method: string;
  path: string;
  params: { name: string; in: string; schema?: Schema }[];
  body?: Schema;
}

function operations(doc: { paths: Record<string, Record<string, { parameters?: Op['params']; requestBody?: { content?: Record<string, { schema?: Schema }> } }>> }): Op[] {
  const ops: Op[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body: op.requestBody?.content?.['application/json']?.schema });
    }
  }
  return ops;
}

export function fuzzValue(schema: Schema | undefined, rnd: () => number, resolve: (s: Schema) => Schema, depth = 0, poison = false): unknown {
  const s = schema ? resolve(schema) : {};
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  if (poison || rnd() < 0.08) return pick([...POISON, ...ODD, 42, -1, true, null, [], {}]);
  if (s.enum && rnd() < 0.7) return pick(s.enum);
  const alt = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alt?.length) return fuzzValue(pick(alt), rnd, resolve, depth + 1);
  const type = Array.isArray(s.type) ? pick(s.type) : s.type;
  if (depth > 4) return pick(ODD);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) if (rnd() < 0.9) out[k] = fuzzValue(v, rnd, resolve, depth + 1);
      if (s.additionalProperties || !s.properties || rnd() < 0.1) out[rnd() < 0.5 ? pick(POISON) : pick(ODD).slice(0, 40)] = fuzzValue(undefined, rnd, resolve, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.floor(rnd() * 4) }, () => fuzzValue(s.items, rnd, resolve, depth + 1));
    case 'integer':
    case 'number':
      return pick([0, 1, 7, 25, 26, -3, 1.5, 2 ** 53, '12']);
    case 'boolean':
      return rnd() < 0.5;
    default:
      return rnd() < 0.25 ? pick(POISON) : pick(ODD);
  }
}

describeEachDb('fuzz of every OpenAPI operation', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: { staff: string; supervisor: string };
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    tokens = await staffAndSupervisor(h);
    await h.request('/api/v1/cycles', { method: 'POST', headers: { authorization: `Bearer ${tokens.staff}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: '2026', name: '2026年度' }) });
  });
  afterAll(async () => t.close());

  it(`${TOTAL} requests: no 5xx; every NUL, lone surrogate or bidi control is a 400 naming its field`, async () => {
    const doc = (await (await h.request('/api/openapi.json')).json()) as Parameters<typeof operations>[0] & { components?: { schemas?: Record<string, Schema> } };
    const resolve = (s: Schema): Schema => (s.$ref ? resolve(doc.components!.schemas![s.$ref.split('/').pop()!]!) : s);
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(40);
    const rnd = prng(kind === 'pglite' ? 1 : 2);
    const failures: string[] = [];
    const unnamed: string[] = [];
    let sent = 0;
    for (let n = 0; n < TOTAL; n++) {
      const op = ops[n % ops.length]!;
      // One hostile string per request in a chosen place, so the answer can be checked to name it.
      const places = [...op.params.map((p) => p.name), ...(op.body ? ['body'] : [])];
      const poisoned = rnd() < 0.35 && places.length > 0 ? places[Math.floor(rnd() * places.length)] : undefined;
      let path = op.path;
      const query = new URLSearchParams();
      for (const p of op.params) {
        const v = fuzzValue(p.schema, rnd, resolve, 0, p.name === poisoned);
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\u0000')));
        else if (p.in === 'query' && rnd() < 0.8) query.set(p.name, text);
      }
      const headers: Record<string, string> = {};
      const who = n % 3;
      if (who === 1) headers.authorization = `Bearer ${tokens.staff}`;
      if (who === 2) headers.authorization = `Bearer ${tokens.supervisor}`;
      let body: string | undefined;
      if (op.body) {
        headers['content-type'] = 'application/json';
        const value = poisoned === 'body' ? { ...(fuzzValue(op.body, rnd, resolve) as object), [POISON[n % POISON.length]!]: POISON[(n + 3) % POISON.length] } : fuzzValue(op.body, rnd, resolve);
        body = rnd() < 0.03 ? '{"truncated": ' : JSON.stringify(value);
      }
      const url = path + (query.size ? `?${query}` : '');
      const res = await h.request(url, { method: op.method, headers, ...(body !== undefined ? { body } : {}) });
      sent++;
      const text = await res.text();
      // The fuzz may disable the account or revoke the token it calls with (the account routes take any
      // id): the caller's credentials are then issued afresh and this answer, a 401, is not judged.
      if (who !== 0 && res.status === 401) {
        tokens = await staffAndSupervisor(h);
        continue;
      }
      if (res.status >= 500) failures.push(`${op.method} ${url} ${body?.slice(0, 200) ?? ''} → ${res.status} ${text.slice(0, 200)}`);
      if (poisoned && poisoned !== 'body' && op.params.find((p) => p.name === poisoned)?.in === 'query' && query.has(poisoned) && unsafeText(query.get(poisoned)!)) {
        if (res.status !== 400 || !/"field":"(query\.|path segment)/.test(text)) unnamed.push(`${op.method} ${url} → ${res.status} ${text.slice(0, 160)}`);
      }
    }
    // Fresh credentials for the tests below, whatever the last requests disabled.
    tokens = await staffAndSupervisor(h);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(failures.slice(0, 10), `${failures.length} responses ≥ 500`).toEqual([]);
    expect(unnamed.slice(0, 10), `${unnamed.length} hostile query values not refused by name`).toEqual([]);
  });

  it('the reported cases: NUL in a log query, a lone surrogate in an access code and in a choices key', async () => {
    const nul = await h.request('/log/checkpoint?witness=%00');
    expect(nul.status).toBe(400);
    expect(await nul.text()).toContain('query.witness');
    const lone = await h.request('/api/v1/objections/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"trackingNo":"x","accessCode":"\\ud800"}' });
    expect(lone.status).toBe(400);
    expect(await lone.text()).toContain('body.accessCode');
    const key = await h.request('/api/v1/ballots/b_AAAAAAAAAAAA/hands/m_AAAAAAAAAAAA', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.staff}`, 'content-type': 'application/json' },
      body: '{"choices":{"\\ud800":"for"}}',
    });
    expect(key.status).toBe(400);
    expect(await key.text()).toContain('body.choices (a key)');
    const bidi = await h.request('/api/v1/cycles', { method: 'POST', headers: { authorization: `Bearer ${tokens.staff}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: '2027', name: '2027\u202e年度' }) });
    expect(bidi.status).toBe(400);
    expect(await bidi.text()).toContain('body.name');
  });
}, { timeout: 900_000 });
