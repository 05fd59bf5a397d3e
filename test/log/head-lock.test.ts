// The log head lock: it hands the appender the tree's frontier (no second query), and on PostgreSQL a
// transaction that appends releases it without waiting for its WAL flush and is acknowledged only once
// flushed (src/db/group-commit.ts); on PGlite appends stay synchronous.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DB_KINDS, openTestDb, type TestDb } from '../support/db.js';
import { appendRawEntry, headSize } from '../../src/log/index.js';
import { appendRawEntries, frontierIndexes, readEntryBytes } from '../../src/log/append.js';
import { dbHashReader, toBytes } from '../../src/log/storage.js';
import { MemoryHashStore, storedHashIndex } from '../../crypto/tlog.js';
import { toHex } from '../../crypto/bytes.js';

const doc = (i: number) => ({ type: 'test', cycleId: null, document: { i, text: '拟进入现场评审组织名单' } });

/** pg_lsn text (X/Y, hexadecimal) as a number of bytes. */
const lsn = (text: string) => {
  const [hi, lo] = text.split('/');
  return parseInt(hi!, 16) * 2 ** 32 + parseInt(lo!, 16);
};

for (const kind of DB_KINDS) {
  describe(`log appends and the WAL flush [${kind}]`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(kind, { max: 10 });
    });
    afterAll(async () => t.close());

    it('40 concurrent facts, each one transaction: indexes dense, and each acknowledged only once its commit is flushed', async () => {
      const start = await headSize(t.db);
      const seen = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          let inside = { setting: '', lsn: '' };
          const { index } = await t.db.transaction().execute(async (trx) => {
            // The fact's own state write would be here, in the same transaction.
            const r = await appendRawEntry(trx, doc(i));
            const row = (await sql<{ s: string; l: string }>`select current_setting('synchronous_commit') as s, pg_current_wal_insert_lsn()::text as l`.execute(trx)).rows[0]!;
            inside = { setting: row.s, lsn: row.l };
            return r;
          });
          // Acknowledged: the WAL must be on disk at least up to where this transaction had written.
          const flushed = kind === 'postgres' ? (await sql<{ f: string }>`select pg_current_wal_flush_lsn()::text as f`.execute(t.db)).rows[0]!.f : null;
          return { index, ...inside, flushed };
        }),
      );
      expect(seen.map((s) => s.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => start + i));
      if (kind === 'postgres') {
        // The head lock was not held across the flush …
        expect(new Set(seen.map((s) => s.setting))).toEqual(new Set(['off']));
        // … and yet nothing was acknowledged before it was durable.
        const early = seen.filter((s) => lsn(s.flushed!) < lsn(s.lsn));
        expect(early.map((s) => `${s.index}: flushed ${s.flushed} < ${s.lsn}`)).toEqual([]);
      } else {
        expect(new Set(seen.map((s) => s.setting))).toEqual(new Set(['on']));
      }
    });

    it('the frontier kept with the head is the stored hashes it names; cleared or cut short, the next append reads them again', async () => {
      const frontierOf = async () => {
        const row = await t.db.selectFrom('log_head').select(['size', 'frontier']).executeTakeFirstOrThrow();
        const stored = await dbHashReader(t.db).readHashes(frontierIndexes(Number(row.size)));
        return { kept: row.frontier ? Array.from(toBytes(row.frontier)) : null, stored: stored.flatMap((h) => Array.from(h)) };
      };
      // Every size 1..70 (each shape of trailing ones), one append at a time and in a bulk append.
      for (let i = 0; i < 40; i++) {
        await appendRawEntry(t.db, doc(1000 + i));
        const f = await frontierOf();
        expect(f.kept).toEqual(f.stored);
      }
      await appendRawEntries(t.db, Array.from({ length: 30 }, (_, i) => doc(2000 + i)));
      let f = await frontierOf();
      expect(f.kept).toEqual(f.stored);
      // A log written before the frontier was kept, and one whose frontier is cut short: read, then kept again.
      for (const damaged of [null, new Uint8Array(31)]) {
        await t.db.updateTable('log_head').set({ frontier: damaged }).where('id', '=', 1).execute();
        await appendRawEntry(t.db, doc(3000));
        f = await frontierOf();
        expect(f.kept).toEqual(f.stored);
      }
      // And every hash written from it is the one a fresh tree of the same records has, index by index.
      const size = await headSize(t.db);
      const fresh = new MemoryHashStore();
      for (const bytes of await readEntryBytes(t.db, 0, size)) await fresh.append(bytes);
      const all = Array.from({ length: storedHashIndex(0, size - 1) + 1 }, (_, i) => i);
      const stored = await dbHashReader(t.db).readHashes(all);
      expect(stored.map((h) => toHex(h))).toEqual(fresh.hashes.slice(0, all.length).map((h) => toHex(h)));
    });

    it('60 concurrent facts, a third rolled back after appending, some appending twice: dense, each committed fact has exactly its entries, every hash a fresh tree\'s', async () => {
      await sql`create table if not exists test_fact (id int primary key, log_indexes text not null)`.execute(t.db);
      const start = await headSize(t.db);
      // Rolled back: every third fact, after its append(s) and while later ones wait for the lock
      // expecting the head it would have left.
      const rolledBack = (i: number) => i % 3 === 1;
      const twice = (i: number) => i % 4 === 0;
      const outcomes = await Promise.all(
        Array.from({ length: 60 }, async (_, i) =>
          t.db
            .transaction()
            .execute(async (trx) => {
              const indexes = [(await appendRawEntry(trx, doc(5000 + i))).index];
              if (twice(i)) indexes.push((await appendRawEntry(trx, doc(6000 + i))).index);
              await sql`insert into test_fact (id, log_indexes) values (${i}, ${indexes.join(',')})`.execute(trx);
              if (rolledBack(i)) throw new Error(`fact ${i} failed`);
              return indexes;
            })
            .then(
              (indexes) => ({ i, indexes }),
              (e: unknown) => {
                expect(String(e)).toContain(`fact ${i} failed`);
                return { i, indexes: null };
              },
            ),
        ),
      );
      const committed = outcomes.filter((o) => o.indexes !== null);
      expect(committed.map((o) => o.i)).toEqual(Array.from({ length: 60 }, (_, i) => i).filter((i) => !rolledBack(i)));
      const size = await headSize(t.db);
      // Dense: exactly the committed appends, no hole, no index twice.
      const claimed = committed.flatMap((o) => o.indexes!).sort((a, b) => a - b);
      expect(claimed).toEqual(Array.from({ length: size - start }, (_, k) => start + k));
      // Each committed fact's state names exactly the entries that carry it; no rolled-back fact left an entry.
      const facts = await sql<{ id: number; log_indexes: string }>`select id, log_indexes from test_fact`.execute(t.db);
      expect(facts.rows.map((r) => [r.id, r.log_indexes]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(committed.map((o) => [o.i, o.indexes!.join(',')]));
      const entries = await readEntryBytes(t.db, start, size);
      const docs = await t.db.selectFrom('log_document').select(['hash', 'body']).execute();
      const bodyOf = new Map(docs.map((d) => [d.hash, JSON.parse(d.body) as { i: number }]));
      const carried = entries.map((bytes) => bodyOf.get((JSON.parse(new TextDecoder().decode(bytes)) as { doc: string }).doc)!.i);
      const expectedCarried = new Map(committed.flatMap((o) => o.indexes!.map((x, k) => [x, (k === 0 ? 5000 : 6000) + o.i] as const)));
      expect(carried).toEqual(Array.from({ length: size - start }, (_, k) => expectedCarried.get(start + k)));
      // The tree: every stored hash is the one a fresh tree of the same records has, and the kept frontier is the tree's.
      const fresh = new MemoryHashStore();
      for (const bytes of await readEntryBytes(t.db, 0, size)) await fresh.append(bytes);
      const all = Array.from({ length: storedHashIndex(0, size - 1) + 1 }, (_, i) => i);
      const stored = await dbHashReader(t.db).readHashes(all);
      expect(stored.map((h) => toHex(h))).toEqual(fresh.hashes.slice(0, all.length).map((h) => toHex(h)));
      const row = await t.db.selectFrom('log_head').select('frontier').executeTakeFirstOrThrow();
      expect(toHex(toBytes(row.frontier!))).toEqual(frontierIndexes(size).map((x) => toHex(fresh.hashes[x]!)).join(''));
    });

    it.skipIf(kind === 'pglite')('a transaction waiting for its turn to append while holding a row the lock holder needs: the database sees the cycle and breaks it, nothing hangs', async () => {
      await sql`create table if not exists test_row (id int primary key, n int not null)`.execute(t.db);
      await sql`insert into test_row (id, n) values (1, 0) on conflict (id) do nothing`.execute(t.db);
      const before = await headSize(t.db);
      let holderAppended!: () => void;
      const appended = new Promise<void>((r) => (holderAppended = r));
      let rowTaken!: () => void;
      const taken = new Promise<void>((r) => (rowTaken = r));
      const settle = <T,>(p: Promise<T>) => p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e: String(e) }));
      // The holder: appends (takes the lock), then wants the row.
      const holder = settle(
        t.db.transaction().execute(async (trx) => {
          await appendRawEntry(trx, doc(7000));
          holderAppended();
          await taken;
          await sql`update test_row set n = n + 1 where id = 1`.execute(trx);
        }),
      );
      await appended;
      // Another append waits for the lock in the database (it has the turn)…
      const waiting = settle(appendRawEntry(t.db, doc(7001)));
      // … and a third transaction takes the row, then wants to append: it waits for its turn, then
      // for the lock, while the holder waits for its row.
      const rowHolder = settle(
        t.db.transaction().execute(async (trx) => {
          await sql`update test_row set n = n + 1 where id = 1`.execute(trx);
          rowTaken();
          await appendRawEntry(trx, doc(7002));
        }),
      );
      const [h, w, r] = await Promise.all([holder, waiting, rowHolder]);
      // The database's deadlock detection aborts a transaction of the cycle (at times the one waiting
      // in the database too); the others commit, and the log holds exactly their entries.
      const failed = [h, w, r].filter((x) => !x.ok);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      for (const f of failed) expect(f).toMatchObject({ ok: false, e: expect.stringMatching(/deadlock/) });
      const size = await headSize(t.db);
      expect(size).toBe(before + 3 - failed.length);
      const carried = (await readEntryBytes(t.db, before, size)).map((b) => (JSON.parse(new TextDecoder().decode(b)) as { doc: string }).doc);
      const docOf = async (i: number) => (await t.db.selectFrom('log_document').select('hash').where('body', '=', JSON.stringify({ i, text: '拟进入现场评审组织名单' })).executeTakeFirst())?.hash;
      const committed = [h.ok && 7000, w.ok && 7001, r.ok && 7002].filter((x): x is number => typeof x === 'number');
      expect(new Set(carried)).toEqual(new Set(await Promise.all(committed.map(docOf))));
    }, 30_000);

    it('a commit that fails after its append (a deferred constraint) is the error the caller gets: nothing appended, the next append dense', async () => {
      await sql`create table if not exists test_parent (id int primary key)`.execute(t.db);
      await sql`create table if not exists test_child (parent int references test_parent (id) deferrable initially deferred)`.execute(t.db);
      const before = await headSize(t.db);
      await expect(
        t.db.transaction().execute(async (trx) => {
          await sql`insert into test_child (parent) values (404)`.execute(trx);
          return appendRawEntry(trx, doc(-3));
        }),
      ).rejects.toThrow(/foreign key/);
      expect(await headSize(t.db)).toBe(before);
      expect((await appendRawEntry(t.db, doc(-4))).index).toBe(before);
      expect(await headSize(t.db)).toBe(before + 1);
    });

    it('a transaction without an append, or one rolled back after its append, commits as usual', async () => {
      const before = await headSize(t.db);
      await expect(
        t.db.transaction().execute(async (trx) => {
          await appendRawEntry(trx, doc(-1));
          throw new Error('the fact failed');
        }),
      ).rejects.toThrow('the fact failed');
      expect(await headSize(t.db)).toBe(before);
      const setting = await t.db.transaction().execute(async (trx) => (await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(trx)).rows[0]!.s);
      expect(setting).toBe('on');
      await appendRawEntry(t.db, doc(-2));
      expect(await headSize(t.db)).toBe(before + 1);
    });
  });
}
