// HTTP hygiene: security headers on /assets/* (Node, and public/_headers for Cloudflare's asset
// serving), Cache-Control: no-store on every private GET, and an unreachable Cloudflare Access
// certificate endpoint answered 503 with Retry-After — using keys already fetched while they last,
// and fetching again only after a backoff, never once per request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { cycleWithMembers, enrolledTablets, staffAndSupervisor } from '../support/actors.js';
import { startNodeServer, projectRoot } from '../../src/platform/node/server.js';
import { parseConfig } from '../../src/config.js';
import { accessKeyFetcher } from '../../src/auth/access.js';
import { createAccount } from '../../src/auth/accounts.js';

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const TEAM = 'https://hzqa.cloudflareaccess.com';
const AUD = 'aud-123';

describe('security headers on /assets/*', () => {
  it('Node serves every asset with the same security headers as the pages', { timeout: 300_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-assets-'));
    const server = await startNodeServer(parseConfig({ DATA_DIR: dir }), { port: 0, quiet: true });
    try {
      const root = path.join(projectRoot(), 'public', 'assets');
      const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).map((f) => f.split(path.sep).join('/'));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files.slice(0, 5)) {
        const r = await fetch(`${server.url}/assets/${f}`);
        expect(r.status, f).toBe(200);
        expect(r.headers.get('x-content-type-options')).toBe('nosniff');
        expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(r.headers.get('referrer-policy')).toBe('no-referrer');
        expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
        await r.arrayBuffer();
      }
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Cloudflare serves public/ with the same headers (public/_headers)', () => {
    const rules = fs.readFileSync(path.join(projectRoot(), 'public', '_headers'), 'utf8');
    expect(rules).toMatch(/^\/assets\/\*$/m);
    for (const h of ['X-Content-Type-Options: nosniff', "Content-Security-Policy: default-src 'self'", 'Referrer-Policy: no-referrer', 'X-Frame-Options: SAMEORIGIN', 'Cross-Origin-Resource-Policy: same-origin']) {
      expect(rules).toContain(h);
    }
  });
});

describeEachDb('private GETs are never stored by caches', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    const s = await staffAndSupervisor(h);
    const codes = await cycleWithMembers(h, s.staff, '2026', 1);
    const [tablet] = await enrolledTablets(h, codes);
    tokens = { staff: s.staff, supervisor: s.supervisor, member: tablet!.session!, chair: tablet!.session! };
  });
  afterAll(async () => t.close());

  it('every GET that needs a role answers Cache-Control: no-store, whatever its status', async () => {
    const doc = (await (await h.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
    let checked = 0;
    for (const [p, item] of Object.entries(doc.paths)) {
      const roles = item.get?.['x-roles'];
      if (!roles || roles.includes('public')) continue;
      const url = p.replace(/\{[^}]+\}/g, (m) => (m === '{cycleId}' ? '2026' : m === '{memberId}' ? 'm_AAAAAAAAAAAA' : 'x_AAAAAAAAAAAA'));
      const r = await h.request(url, { headers: { authorization: `Bearer ${tokens[roles[0]!]}` } });
      expect(r.headers.get('cache-control'), `${p} (${r.status})`).toContain('no-store');
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });
}, { timeout: 300_000 });

describe('Cloudflare Access certificate endpoint down', () => {
  let t: TestDb;
  let h: TestApp;
  let jwk: JsonWebKey;
  let key: CryptoKey;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    h = testApp(t, { config: { ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD } });
    const kp = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    jwk = { ...(await crypto.subtle.exportKey('jwk', kp.publicKey)), kid: 'k1' } as JsonWebKey;
    key = kp.privateKey;
    await createAccount(h.deps.db, { role: 'staff', name: '王工', email: 'wang@example.cn' });
  });
  afterAll(async () => t.close());

  const token = async () => {
    const head = b64url(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ email: 'wang@example.cn', aud: [AUD], iss: TEAM, exp: Math.floor(h.clock.now().getTime() / 1000) + 600 }));
    const sig = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(`${head}.${body}`)));
    return `${head}.${body}.${b64url(sig)}`;
  };
  const asStaff = async () => h.request('/api/v1/objections', { headers: { 'cf-access-jwt-assertion': await token() } });

  it('unreachable with no keys yet: 503 with Retry-After, and one fetch for 20 requests (backoff)', async () => {
    let now = 1_000_000;
    let calls = 0;
    h.deps.accessKeys = accessKeyFetcher(TEAM, { now: () => now, fetch: async () => { calls++; throw new TypeError('fetch failed'); } });
    for (let i = 0; i < 20; i++) {
      const r = await asStaff();
      expect(r.status).toBe(503);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(calls).toBe(1);
    now += 6_000; // after the first backoff, one more try
    expect((await asStaff()).status).toBe(503);
    expect(calls).toBe(2);
  });

  it('keys fetched once keep working when the endpoint goes down, with one fetch per backoff, not per request', async () => {
    let now = 5_000_000;
    let calls = 0;
    let up = true;
    h.deps.accessKeys = accessKeyFetcher(TEAM, {
      now: () => now,
      fetch: async () => {
        calls++;
        if (!up) return new Response('bad gateway', { status: 502 });
        return Response.json({ keys: [jwk] });
      },
    });
    expect((await asStaff()).status).toBe(200);
    expect(calls).toBe(1);
    up = false;
    now += 2 * 3600_000; // cache expired, endpoint down
    for (let i = 0; i < 20; i++) expect((await asStaff()).status).toBe(200);
    expect(calls).toBe(2);
    up = true;
    now += 10 * 60_000;
    expect((await asStaff()).status).toBe(200);
    expect(calls).toBe(3);
  });
});
