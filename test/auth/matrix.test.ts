// Every route has its roles, the roles it declares are the ones the hand-written table (./roles.ts)
// gives it, and every role gets exactly what they allow: the whole matrix, from the app's own route
// table and OpenAPI document, so a new route without roles, or with other roles, fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { cycleWithMembers, enrolledTablets, staffAndSupervisor } from '../support/actors.js';
import { NON_API_ROUTES } from '../../src/auth/guard.js';
import { holds, type Principal, type Role } from '../../src/auth/principal.js';
import { ROLE_TABLE } from './roles.js';

type Op = { method: string; path: string; roles: Role[] };

describe('role matrix', () => {
  let t: TestDb;
  let h: TestApp;
  let ops: Op[];
  const bearer: Record<string, string | null> = { public: null };
  const principals: Record<string, Principal> = {};

  beforeAll(async () => {
    t = await openTestDb('pglite');
    h = testApp(t);
    const accounts = await staffAndSupervisor(h);
    const [chair, member] = await enrolledTablets(h, await cycleWithMembers(h, accounts.staff, '2026', 2));
    bearer.staff = accounts.staff;
    bearer.supervisor = accounts.supervisor;
    bearer.chair = chair!.session!;
    bearer.member = member!.session!;
    principals.public = { role: 'public' };
    principals.staff = { role: 'staff', accountId: 1, name: '' };
    principals.supervisor = { role: 'supervisor', accountId: 2, name: '' };
    principals.chair = { role: 'member', memberId: '', cycleId: '2026', name: '', unit: '', isChair: true, deviceKey: '' };
    principals.member = { role: 'member', memberId: '', cycleId: '2026', name: '', unit: '', isChair: false, deviceKey: '' };
    const doc = (await (await h.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-roles'?: Role[] }>> };
    ops = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) ops.push({ method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, ':$1'), roles: op['x-roles'] as Role[] });
    }
  });
  afterAll(async () => t.close());

  it('every OpenAPI operation declares its roles', () => {
    expect(ops.length).toBeGreaterThan(10);
    for (const op of ops) expect(op.roles, `${op.method} ${op.path}`).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it('every route of the app is either an OpenAPI operation with roles or listed with its roles', () => {
    const known = new Set([...ops.map((o) => `${o.method} ${o.path}`), ...NON_API_ROUTES.map((r) => `${r.method} ${r.path}`)]);
    const routes = h.app.routes.filter((r) => r.method !== 'ALL');
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((k) => !known.has(k));
    expect(missing).toEqual([]);
  });

  it('every route declares exactly the roles the hand-written table gives it', () => {
    const declared = Object.fromEntries([...ops, ...NON_API_ROUTES].map((o) => [`${o.method} ${o.path}`, [...o.roles].sort()]));
    const table = Object.fromEntries(Object.entries(ROLE_TABLE).map(([k, roles]) => [k, [...roles].sort()]));
    expect(declared).toEqual(table);
  });

  it('each role is refused exactly where it is not allowed (401 without identity, 403 with the wrong one)', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      const path = op.path.replace(/:(\w+)/g, (_, name: string) => (name === 'cycleId' ? '2026' : `x_${name}`));
      for (const who of ['public', 'member', 'chair', 'staff', 'supervisor']) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (bearer[who]) headers.authorization = `Bearer ${bearer[who]}`;
        const res = await h.request(path, { method: op.method, headers, ...(op.method === 'GET' ? {} : { body: '{}' }) });
        const body = res.headers.get('content-type')?.includes('json') ? ((await res.json()) as { detail?: string }) : {};
        const guardRefused = res.status === 401 || (res.status === 403 && /needs one of the roles/.test(body.detail ?? ''));
        const allowed = holds(principals[who]!, op.roles);
        if (allowed && guardRefused) failures.push(`${who} refused on ${op.method} ${op.path} (${res.status})`);
        if (!allowed && !guardRefused) failures.push(`${who} let through on ${op.method} ${op.path} (${res.status})`);
        if (!allowed && res.status !== (who === 'public' ? 401 : 403)) failures.push(`${who} got ${res.status} on ${op.method} ${op.path}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a bad, revoked or unknown token is a 401, never treated as public', async () => {
    for (const auth of ['Bearer hzqa_a_unknownunknownunknown', 'Bearer hzqa_m_unknownunknownunknown', 'Basic abc', 'Bearer x']) {
      const res = await h.request('/api/v1/cycles', { headers: { authorization: auth } });
      expect(res.status, auth).toBe(401);
    }
  });
});
