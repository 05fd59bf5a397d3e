// What a database operator can link. A 12-member secret ballot in which tablets reload at random and
// (like a careless client) try to sign in again on every reload, then cast after a random wait; then
// an inspection of the database as its superuser would do it — system columns (xmin, ctid),
// sequences and timestamped rows — tries to link each ballot to a member. It must link none:
//   - no row naming a member is written while casting is open (so no identified write sits next to a
//     cast in xmin order, in the WAL, or in time);
//   - ballots are committed in batches, each in token order (ctid), never one by one as they came;
//   - no sequence moves and no timestamp is written by a cast.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { fetchOf } from '../support/actors.js';
import { ApiError, Tablet, castDelay } from '../../src/protocol/tablet.js';
import { castingBallot, type CastingBallot } from './support.js';

const N = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  table: string;
  xmin: number;
  ctid: string;
  json: string;
}

async function allRows(t: TestDb): Promise<Row[]> {
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.db);
  const out: Row[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ x: string; ctid: string; j: string }>`select xmin::text as x, ctid::text as ctid, row_to_json(t)::text as j from ${sql.table(table_name)} t`.execute(t.db);
    for (const r of rows.rows) out.push({ table: table_name, xmin: Number(r.x), ctid: r.ctid, json: r.j });
  }
  return out;
}

const sequences = async (t: TestDb) =>
  (await sql<{ s: string; v: string | null }>`select sequencename as s, last_value::text as v from pg_sequences where schemaname = current_schema() order by 1`.execute(t.db)).rows;

async function timestampsAfter(t: TestDb, since: Date) {
  const cols = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type like 'timestamp%'`.execute(t.db);
  const hits: string[] = [];
  for (const c of cols.rows) {
    const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(c.table_name)} where ${sql.ref(c.column_name)} >= ${since}`.execute(t.db);
    if (Number(r.rows[0]!.n) > 0) hits.push(`${c.table_name}.${c.column_name}`);
  }
  return hits;
}

describeEachDb('an operator with the database links no ballot to a member', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let cb: CastingBallot;
  beforeAll(async () => {
    t = await openTestDb(kind);
    // Long enough batches that the 12 casts, sent over about a second, share one or two.
    h = testApp(t, { config: { CAST_BATCH_INTERVAL_MS: 4000 } });
    cb = await castingBallot(h, N);
  }, 600_000);
  afterAll(async () => t.close());

  it('12 tablets reload at random and cast after a random wait; the inspection links none', async () => {
    const before = await allRows(t);
    const castingOpened = Math.max(...before.map((r) => r.xmin));
    const seqBefore = await sequences(t);
    const realStart = new Date();
    const ids = cb.tablets.map((x) => x.device.memberId);
    let refused = 0;
    let reloads = 0;
    const order = [...ids.keys()].sort(() => Math.random() - 0.5);
    await Promise.all(
      order.map(async (i) => {
        const stored = cb.tablets[i]!;
        // Reloads: a new page with the stored device state and session, polling the meeting, and
        // (a careless client) trying to sign in again.
        for (let r = Math.floor(Math.random() * 4); r > 0; r--) {
          reloads++;
          await sleep(Math.random() * 200);
          const page = new Tablet(fetchOf(h), stored.device);
          page.session = stored.session;
          await page.meeting();
          try {
            await page.signIn();
          } catch (e) {
            if (e instanceof ApiError && e.status === 409) refused++;
            else throw e;
          }
        }
        const receipt = await Tablet.cast(fetchOf(h), cb.ballotId, cb.tokens[i]!, { c01: 'for', c02: i % 2 ? 'for' : 'against', c03: 'abstain' }, { delayMs: castDelay(800) });
        expect(receipt.receipt).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
    expect(refused).toBe(reloads);
    const seqAfter = await sequences(t);
    const stamped = await timestampsAfter(t, realStart);
    const after = await allRows(t);
    await cb.phase('closed');

    // 1. No row naming a member was written while casting was open.
    const identified = after.filter((r) => r.xmin > castingOpened && ids.some((id) => r.json.includes(id)));
    expect(identified.map((r) => `${r.table} ${r.json.slice(0, 80)}`)).toEqual([]);
    // 2. The linker: for each ballot, members with an identified write between the previous commit
    //    and the ballot's own — none.
    const ballots = after.filter((r) => r.table === 'secret_ballot');
    expect(ballots).toHaveLength(N);
    const commits = [...new Set(ballots.map((b) => b.xmin))].sort((a, b) => a - b);
    let linked = 0;
    for (const b of ballots) {
      const previous = commits.filter((x) => x < b.xmin).pop() ?? castingOpened;
      const near = after.filter((r) => r.xmin > previous && r.xmin < b.xmin && ids.some((id) => r.json.includes(id)));
      if (near.length > 0) linked++;
    }
    expect(linked).toBe(0);
    // 3. Batches, each inserted in token order: ctid order within a commit is token order.
    expect(commits.length).toBeLessThan(N);
    for (const x of commits) {
      const inBatch = ballots.filter((b) => b.xmin === x).sort((a, b) => cmpCtid(a.ctid, b.ctid));
      const tokens = inBatch.map((b) => (JSON.parse(b.json) as { token: string }).token);
      expect(tokens).toEqual([...tokens].sort());
    }
    // 4. Nothing else moved: no sequence, no timestamp written during casting, no other table written.
    expect(seqAfter).toEqual(seqBefore);
    expect(stamped).toEqual([]);
    const written = new Set(after.filter((r) => r.xmin > castingOpened).map((r) => r.table));
    expect([...written]).toEqual(['secret_ballot']);
  });
}, { timeout: 900_000 });

function cmpCtid(a: string, b: string) {
  const [pa, ia] = a.slice(1, -1).split(',').map(Number);
  const [pb, ib] = b.slice(1, -1).split(',').map(Number);
  return pa! - pb! || ia! - ib!;
}
