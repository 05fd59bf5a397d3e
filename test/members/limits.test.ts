// Enrollment codes and sign-in challenges are limited per client address, open challenges per member
// are capped, and used or expired challenges are purged by the scheduled job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { cycleWithMembers, enrolledTablets, staffAndSupervisor } from '../support/actors.js';
import { runScheduledJobs } from '../../src/jobs.js';

const post = (h: TestApp, path: string, json: unknown, address: string) =>
  h.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json), address });

describeEachDb('enrollment codes and sign-in challenges are bounded', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let codes: string[];
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { config: { ENROLL_RATE_LIMIT: 5, CHALLENGE_RATE_LIMIT: 40 } });
    const { staff } = await staffAndSupervisor(h);
    codes = await cycleWithMembers(h, staff, '2026', 2);
  });
  afterAll(async () => t.close());

  it('wrong enrollment codes: 403 up to the limit, then 429 with Retry-After — for the right code too; another address is not affected', async () => {
    const key = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await post(h, '/api/v1/members/enroll', { code: `WRONG${String(i).padStart(4, '2')}`, deviceKey: key }, '198.51.100.9')).status);
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(5)).toEqual(Array(25).fill(429));
    const limited = await post(h, '/api/v1/members/enroll', { code: codes[0], deviceKey: key }, '198.51.100.9');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post(h, '/api/v1/members/enroll', { code: codes[0], deviceKey: key }, '198.51.100.10')).status).toBe(200);
  });

  it('2,000 challenges: per-address limit and at most 5 open per member; the job purges them once expired', async () => {
    const [tablet] = await enrolledTablets(h, [codes[1]!]);
    const memberId = tablet!.device.memberId;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const s = (await post(h, '/api/v1/members/challenge', { memberId }, `203.0.113.${i % 50}`)).status;
      statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    expect(statuses.get(500)).toBeUndefined();
    const rows = async () => Number((await h.deps.db.selectFrom('member_challenge').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    // The tablet's own sign-in used one; at most 5 more are open.
    expect(await rows()).toBeLessThanOrEqual(6);
    expect(statuses.get(429)).toBeGreaterThan(1900);
    // One address: 40 a window.
    const one: number[] = [];
    for (let i = 0; i < 45; i++) one.push((await post(h, '/api/v1/members/challenge', { memberId: 'm_AAAAAAAAAAAA' }, '192.0.2.77')).status);
    expect(one.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    h.clock.set(new Date(h.clock.now().getTime() + 10 * 60_000).toISOString());
    const report = (await runScheduledJobs(h.deps))['member-auth-purge'] as { challengesPurged: number };
    expect(report.challengesPurged).toBeGreaterThanOrEqual(1);
    expect(await rows()).toBe(0);
  });
}, { timeout: 300_000 });
