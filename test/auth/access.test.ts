// Cloudflare Access: a valid Access JWT (RS256, our audience, our team, not expired) is the account
// with that e-mail; anything else is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { createAccount } from '../../src/auth/accounts.js';

const TEAM = 'https://hzqa.cloudflareaccess.com';
const AUD = 'aud-123';
const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');

async function keyPair() {
  const kp = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
  const jwk = { ...(await crypto.subtle.exportKey('jwk', kp.publicKey)), kid: 'k1' };
  return { kp, jwk };
}

async function jwt(key: CryptoKey, claims: Record<string, unknown>, kid = 'k1') {
  const head = b64url(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(`${head}.${body}`)));
  return `${head}.${body}.${b64url(sig)}`;
}

describe('Cloudflare Access JWT', () => {
  let t: TestDb;
  let h: TestApp;
  let good: Awaited<ReturnType<typeof keyPair>>;
  let other: Awaited<ReturnType<typeof keyPair>>;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    h = testApp(t, { config: { ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD } });
    good = await keyPair();
    other = await keyPair();
    h.deps.accessKeys = async () => [good.jwk];
    await createAccount(h.deps.db, { role: 'staff', name: '王工', email: 'Wang@Example.cn' });
  });
  afterAll(async () => t.close());

  const now = () => Math.floor(h.clock.now().getTime() / 1000);
  const createCycle = (assertion: string) =>
    h.request('/api/v1/cycles', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-access-jwt-assertion': assertion }, body: JSON.stringify({ id: `c${Math.random().toString(36).slice(2, 8)}`, name: 'x' }) });

  it('accepts a valid token for a known account, with that account’s role', async () => {
    const token = await jwt(good.kp.privateKey, { email: 'wang@example.cn', aud: [AUD], iss: TEAM, exp: now() + 600 });
    expect((await createCycle(token)).status).toBe(201);
  });

  it('refuses a wrong audience, issuer, expired token, foreign key, tampered body, or unknown e-mail', async () => {
    const base = { email: 'wang@example.cn', aud: [AUD], iss: TEAM, exp: now() + 600 };
    expect((await createCycle(await jwt(good.kp.privateKey, { ...base, aud: ['other'] }))).status).toBe(401);
    expect((await createCycle(await jwt(good.kp.privateKey, { ...base, iss: 'https://evil.cloudflareaccess.com' }))).status).toBe(401);
    expect((await createCycle(await jwt(good.kp.privateKey, { ...base, exp: now() - 1 }))).status).toBe(401);
    expect((await createCycle(await jwt(other.kp.privateKey, base))).status).toBe(401);
    const valid = await jwt(good.kp.privateKey, base);
    const [hd, , sg] = valid.split('.');
    expect((await createCycle(`${hd}.${b64url(JSON.stringify({ ...base, email: 'boss@example.cn' }))}.${sg}`))).toHaveProperty('status', 401);
    expect((await createCycle(await jwt(good.kp.privateKey, { ...base, email: 'nobody@example.cn' }))).status).toBe(403);
  });
});
