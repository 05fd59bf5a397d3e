// First run and account management through the API: the one-time setup key creates the first staff
// account once; staff create accounts, issue and revoke tokens and disable accounts; the local admin key
// of `npm run admin` works on the account routes only.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { makeLocalKeys, LOCAL_ADMIN_HEADER } from '../../src/auth/first-run.js';

describeEachDb('first run and accounts', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let setupKey: string;
  let adminKey: string;
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    const keys = await makeLocalKeys(t.db);
    expect(keys.setupKey).toMatch(/^hzqa_s_/);
    setupKey = keys.setupKey!;
    adminKey = keys.adminKey;
    h.deps.localKeys = keys.hashes;
  });
  afterAll(async () => t.close());

  const json = (method: string, body?: unknown, headers: Record<string, string> = {}) => ({
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  let staffToken = '';
  it('the setup key creates the first staff account once; a wrong key or a second use is refused', async () => {
    expect(await (await h.request('/api/v1/setup')).json()).toEqual({ firstAccountNeeded: true });
    const wrong = await h.request('/api/v1/setup', json('POST', { setupKey: setupKey.slice(0, -2) + 'xx', name: '王工' }));
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { detail_zh: string }).detail_zh).toContain('设置链接无效');
    const [a, b] = await Promise.all([
      h.request('/api/v1/setup', json('POST', { setupKey, name: '王工' })),
      h.request('/api/v1/setup', json('POST', { setupKey, name: '赵工' })),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 403]);
    staffToken = ((await (a.status === 201 ? a : b).json()) as { token: string }).token;
    expect(staffToken).toMatch(/^hzqa_a_/);
    const accounts = await t.db.selectFrom('account').select(['role', 'name']).execute();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!.role).toBe('staff');
    expect(await (await h.request('/api/v1/setup')).json()).toEqual({ firstAccountNeeded: false });
    expect((await h.request('/api/v1/cycles', json('POST', { id: 'c1', name: '周期' }, as(staffToken)))).status).toBe(201);
    // No setup key once a staff account exists (a server started now makes none).
    expect((await makeLocalKeys(t.db)).setupKey).toBeUndefined();
  });

  it('staff create a supervisor, issue and revoke tokens, disable accounts; the last staff account stays', async () => {
    const created = await h.request('/api/v1/accounts', json('POST', { role: 'supervisor', name: '监督小组 李工', email: 'Li@Example.cn' }, as(staffToken)));
    expect(created.status).toBe(201);
    const sup = (await created.json()) as { accountId: number; tokenId: string; token: string };
    expect((await h.request('/api/v1/accounts', json('POST', { role: 'staff', name: 'x', email: 'li@example.cn' }, as(staffToken)))).status).toBe(409);
    const second = (await (await h.request(`/api/v1/accounts/${sup.accountId}/tokens`, json('POST', { days: 30 }, as(staffToken)))).json()) as { tokenId: string; token: string };
    const list = (await (await h.request('/api/v1/accounts', { headers: as(staffToken) })).json()) as { accounts: { id: number; tokens: { id: string; expiresAt: string | null }[] }[] };
    const supRow = list.accounts.find((a) => a.id === sup.accountId)!;
    expect(supRow.tokens.map((x) => x.id)).toEqual([sup.tokenId, second.tokenId]);
    expect(supRow.tokens[1]!.expiresAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(sup.token);
    // A supervisor cannot manage accounts.
    expect((await h.request('/api/v1/accounts', { headers: as(sup.token) })).status).toBe(403);
    // Revoking one token leaves the other working.
    expect((await h.request(`/api/v1/accounts/${sup.accountId}/tokens/${sup.tokenId}/revoke`, json('POST', undefined, as(staffToken)))).status).toBe(200);
    expect((await h.request(`/api/v1/accounts/${sup.accountId}/tokens/${sup.tokenId}/revoke`, json('POST', undefined, as(staffToken)))).status).toBe(404);
    expect((await h.request('/api/v1/objections', { headers: as(sup.token) })).status).toBe(401);
    expect((await h.request('/api/v1/objections', { headers: as(second.token) })).status).toBe(200);
    // Disabling the account stops every token; the last staff account cannot be disabled.
    expect((await h.request(`/api/v1/accounts/${sup.accountId}/disable`, json('POST', undefined, as(staffToken)))).status).toBe(200);
    expect((await h.request('/api/v1/objections', { headers: as(second.token) })).status).toBe(401);
    const me = list.accounts.find((a) => a.id !== sup.accountId)!;
    expect((await h.request(`/api/v1/accounts/${me.id}/disable`, json('POST', undefined, as(staffToken)))).status).toBe(409);
  });

  it('the local admin key acts on the account routes only', async () => {
    const header = { [LOCAL_ADMIN_HEADER]: adminKey };
    const created = await h.request('/api/v1/accounts', json('POST', { role: 'staff', name: '张工' }, header));
    expect(created.status).toBe(201);
    expect((await h.request('/api/v1/accounts', { headers: header })).status).toBe(200);
    // One character changed (to one it is not: a key ending in 'A' once made this the key itself).
    const wrong = adminKey.slice(0, -1) + (adminKey.endsWith('A') ? 'B' : 'A');
    expect(wrong).not.toBe(adminKey);
    expect((await h.request('/api/v1/accounts', { headers: { [LOCAL_ADMIN_HEADER]: wrong } })).status).toBe(401);
    expect((await h.request('/api/v1/cycles', json('POST', { id: 'c2', name: 'x' }, header))).status).toBe(401);
  });
});
