import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createRoute } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { expectProblem } from '../support/problems.js';
import { testApp, type TestApp } from '../support/app.js';
import { newRouter } from '../../src/openapi.js';

describeEachDb('foundation', (kind) => {
  let t: TestDb;
  let h: TestApp;
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { config: { BODY_LIMIT_BYTES: 1024 } });
    // A JSON route of the shape every domain uses, to drive the error plumbing.
    h.app.route(
      '/',
      newRouter()
        .openapi(
          createRoute({
            method: 'post',
            path: '/api/v1/_echo',
            request: { body: { content: { 'application/json': { schema: z.object({ n: z.number().int() }) } } } },
            responses: { 200: { description: 'echo' } },
          }),
          (c) => c.json(c.req.valid('json')),
        )
        .get('/api/v1/_boom', () => {
          throw new Error('secret internals');
        }),
    );
  });
  afterAll(async () => t.close());

  it('GET /healthz is 200 with the database kind once migrations have run', async () => {
    const res = await h.request('/healthz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', db: kind });
    expect(body.migrations).toBeGreaterThanOrEqual(1);
  });

  it('an unknown route is a 404 problem', async () => {
    await expectProblem(await h.request('/nope'), 404, 'not-found');
  });

  it('a wrong method is a 405 problem with Allow', async () => {
    const res = await h.request('/healthz', { method: 'DELETE' });
    await expectProblem(res, 405, 'method-not-allowed');
    expect(res.headers.get('allow')).toContain('GET');
  });

  it('malformed JSON is a 400 problem, a schema violation a 400 naming the field', async () => {
    await expectProblem(
      await h.request('/api/v1/_echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":' }),
      400,
      'malformed-json',
    );
    const body = await expectProblem(
      await h.request('/api/v1/_echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":"x"}' }),
      400,
      'invalid-request',
    );
    expect(body.errors).toEqual([expect.objectContaining({ path: 'n' })]);
    const ok = await h.request('/api/v1/_echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":3}' });
    expect(await ok.json()).toEqual({ n: 3 });
  });

  it('a body over the configured limit is a 413 problem', async () => {
    const res = await h.request('/api/v1/_echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 1, pad: 'x'.repeat(2000) }),
    });
    const body = await expectProblem(res, 413, 'payload-too-large');
    expect(body.limit).toBe(1024);
    expect(body.detail_zh).toBe('提交的内容超过 1 KB 的上限。');
  });

  it('an unexpected error is a 500 with an opaque id that is also logged, without internals', async () => {
    const res = await h.request('/api/v1/_boom');
    const body = await expectProblem(res, 500, 'internal');
    expect(JSON.stringify(body)).not.toContain('secret internals');
    const logged = h.logger.lines.find((l) => l.msg === 'unhandled error');
    expect(logged?.errorId).toBe(body.errorId);
  });

  it('request logs are JSON records without body, query string or address', async () => {
    h.logger.lines.length = 0;
    await h.request('/healthz?token=querysecretZQX', { headers: { 'x-forwarded-for': '10.1.2.3' } });
    await h.request('/api/v1/ballots/b1/cast', { method: 'POST', body: '{"secret":"ballot"}', headers: { 'content-type': 'application/json' } });
    const text = JSON.stringify(h.logger.lines);
    expect(h.logger.lines.some((l) => l.msg === 'request' && l.path === '/healthz')).toBe(true);
    expect(text).not.toContain('querysecretZQX');
    expect(text).not.toContain('10.1.2.3');
    expect(text).not.toContain('/cast');
    expect(text).not.toContain('ballot"');
  });

  it('GET /problems/{slug} explains each problem type', async () => {
    const res = await h.request('/problems/not-found');
    expect(await res.json()).toMatchObject({ status: 404, title_zh: '未找到' });
  });

  it('int8 and count() parse as JS numbers, the same on PGlite and PostgreSQL', async () => {
    const r = await sql<{ big: unknown; n: unknown }>`select 9007199254740991::int8 as big, count(*) as n from meta`.execute(t.db);
    expect(r.rows[0]).toEqual({ big: 9007199254740991, n: 0 });
  });
});

describe('OpenAPI and docs', () => {
  let t: TestDb;
  let h: TestApp;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    h = testApp(t);
  });
  afterAll(async () => t.close());

  it('GET /api/openapi.json describes the API', async () => {
    const res = await h.request('/api/openapi.json');
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/healthz');
  });

  it('GET /api/docs loads Scalar from this app, never a public CDN, under a nonce CSP', async () => {
    const res = await h.request('/api/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/assets/scalar/standalone.js');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)\./);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  });
});
