// JSON columns are read back through their schemas: a row altered behind the app's back (a corrupt or
// hand-edited ballot) is a clear error naming the column — a 500 with the column in the error log —
// never a value of the wrong shape passed on to the pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { cycleWithMembers, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { call } from '../../src/protocol/tablet.js';
import { CorruptRowError, parseJsonColumn } from '../../src/db/json-column.js';
import { RulesSchema } from '../../src/votes/rules.js';
import { candidateLists } from '../../src/register/queries.js';

describe('parseJsonColumn', () => {
  it('gives the value typed when it matches, and names the column and the field when it does not', () => {
    expect(parseJsonColumn(RulesSchema, '{"quorum":{"num":2,"den":3},"pass":{"num":1,"den":2,"strict":true}}', 'ballot.rules').pass.strict).toBe(true);
    expect(() => parseJsonColumn(RulesSchema, '{"quorum":1}', 'ballot.rules')).toThrow(CorruptRowError);
    expect(() => parseJsonColumn(RulesSchema, '{"quorum":1}', 'ballot.rules')).toThrow(/^ballot\.rules does not match its schema: quorum: /);
    expect(() => parseJsonColumn(RulesSchema, '{"quorum":', 'ballot.rules')).toThrow('ballot.rules is not JSON');
  });
});

describeEachDb('a corrupt JSON column', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let ballotId: string;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    const { staff } = await staffAndSupervisor(h);
    await cycleWithMembers(h, staff, '2026', 3);
    const f = fetchOf(h);
    const meetingId = (await call<{ id: string }>(f, '/api/v1/cycles/2026/meetings', { method: 'POST', token: staff, json: { title: '全体会议' } })).id;
    ballotId = (await call<{ id: string }>(f, '/api/v1/cycles/2026/ballots', { method: 'POST', token: staff, json: { meetingId, award: 'quality', seats: 1, candidates: [{ name: '甲公司' }] } })).id;
  });
  afterAll(async () => t.close());

  it('is refused with the column named, not passed on', async () => {
    expect((await h.request(`/api/v1/ballots/${ballotId}`)).status).toBe(200);
    // A pass rule stored as a bare number, as a hand edit of the table might leave it.
    await t.db.updateTable('ballot').set({ rules: '{"quorum":{"num":2,"den":3},"pass":0.5}' }).where('id', '=', ballotId).execute();
    const res = await h.request(`/api/v1/ballots/${ballotId}`);
    expect(res.status).toBe(500);
    expect((await res.json()) as { type: string }).toMatchObject({ type: '/problems/internal' });
    const logged = h.logger.lines.filter((l) => l.level === 'error').map((l) => String(l.error));
    expect(logged.some((e) => e.startsWith('CorruptRowError: ballot.rules does not match its schema: pass:'))).toBe(true);
  });

  it('a 候选组织建议名单 row whose organisations lost their codes is refused by name, not read as a list', async () => {
    await t.db.insertInto('candidate_list').values({ cycle_id: '2026', award: 'innovation', organisations: JSON.stringify([{ creditCode: '91330100MA2XXXXX1A', name: '甲公司' }]), log_index: 0, fixed_at: new Date() }).execute();
    expect((await candidateLists(t.db, '2026')).map((l) => l.organisations[0]?.name)).toEqual(['甲公司']);
    await t.db.updateTable('candidate_list').set({ organisations: JSON.stringify([{ name: '甲公司' }]) }).where('cycle_id', '=', '2026').execute();
    await expect(candidateLists(t.db, '2026')).rejects.toThrow(/^candidate_list\.organisations does not match its schema: 0\.creditCode: /);
  });
});
