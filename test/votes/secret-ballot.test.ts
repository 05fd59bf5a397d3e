import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { ApiError, ballotCounted, call, Tablet, type SecretReceipt } from '../../src/protocol/tablet.js';
import { getDocument, getEntry } from '../../src/log/index.js';
import { blind, newToken, tokenMessage, verifyToken, batchVerify } from '../../crypto/blind.js';
import { fromHex, toHex } from '../../crypto/bytes.js';
import { issueMessage } from '../../src/votes/messages.js';

const rejects = async (p: Promise<unknown>, status: number, match?: RegExp) => {
  const e = await p.then(
    () => null,
    (err) => err,
  );
  expect(e, 'expected a refusal').toBeInstanceOf(ApiError);
  expect((e as ApiError).status).toBe(status);
  if (match) expect(JSON.stringify((e as ApiError).problem)).toMatch(match);
  return e as ApiError;
};

describeEachDb('secret ballot with blind tokens', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let tokens: { staff: string; supervisor: string };
  let tablets: Tablet[];
  let meetingId: string;
  let ballotId: string;
  let publicKey: string;
  const receipts: SecretReceipt[] = [];

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t);
    tokens = await staffAndSupervisor(h);
    const codes = await cycleWithMembers(h, tokens.staff, '2026', 6);
    tablets = await enrolledTablets(h, codes);
    const f = fetchOf(h);
    meetingId = (await call<{ id: string }>(f, '/api/v1/cycles/2026/meetings', { method: 'POST', token: tokens.staff, json: { title: '2026年度评审组全体会议' } })).id;
  });
  afterAll(async () => t.close());

  it('refuses to open the vote without a quorum, then opens it once ≥ 2/3 have checked in', async () => {
    const f = fetchOf(h);
    const b = await call<{ id: string; phase: string; rules: unknown }>(f, '/api/v1/cycles/2026/ballots', {
      method: 'POST',
      token: tokens.staff,
      json: { meetingId, award: 'quality', title: '质量奖', seats: 2, candidates: [{ name: '甲公司' }, { name: '乙集团' }, { name: '丙医院' }] },
    });
    ballotId = b.id;
    expect(b.phase).toBe('prepared');
    expect(b.rules).toEqual({ quorum: { num: 2, den: 3 }, pass: { num: 1, den: 2, strict: true } });
    // 3 of 6 checked in: below 2/3.
    for (const tab of tablets.slice(0, 3)) await tab.checkIn(meetingId);
    await rejects(call(f, `/api/v1/ballots/${ballotId}/phase`, { method: 'POST', token: tokens.staff, json: { to: 'issuing' } }), 409, /quorum|法定人数/i);
    await tablets[3]!.checkIn(meetingId);
    // The meeting adopts its 表决办法 before the first vote.
    await adoptProcedure(f, tokens, meetingId, tablets[0]!, 4);
    // The chair (a member with the chair flag) opens it.
    const opened = await call<{ ballot: { publicKey: string; keyLogIndex: number; present: number } }>(f, `/api/v1/ballots/${ballotId}/phase`, {
      method: 'POST',
      token: tablets[0]!.session!,
      json: { to: 'issuing' },
    });
    publicKey = opened.ballot.publicKey;
    expect(opened.ballot.present).toBe(4);
    // The key and its proof of possession were logged before any token.
    const entry = await getEntry(h.deps.db, opened.ballot.keyLogIndex);
    const doc = JSON.parse((await getDocument(h.deps.db, entry!.docHash))!.body);
    expect(doc).toMatchObject({ ballotId, publicKey, ciphersuite: 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_' });
    expect(doc.eligible.map((e: { name: string }) => e.name).sort()).toEqual(['成员1', '成员2', '成员3', '成员4'].sort());
  });

  it('a member who is not a chair cannot move phases; the public cannot either', async () => {
    const f = fetchOf(h);
    await rejects(call(f, `/api/v1/ballots/${ballotId}/phase`, { method: 'POST', token: tablets[1]!.session!, json: { to: 'casting' } }), 403);
    await rejects(call(f, `/api/v1/ballots/${ballotId}/phase`, { method: 'POST', json: { to: 'casting' } }), 401);
  });

  it('issues one token per checked-in member: a retry gets the same answer, another blinded value is refused', async () => {
    const tab = tablets[1]!;
    const token = newToken();
    const { blinded, r } = blind(tokenMessage(ballotId, token));
    const pending = { token: toHex(token), blinded: toHex(blinded), r: toHex(r) };
    const first = await tab.obtainToken(ballotId, publicKey, pending);
    const again = await tab.obtainToken(ballotId, publicKey, pending);
    expect(again).toEqual(first);
    await rejects(tab.obtainToken(ballotId, publicKey), 409, /already/);
    expect(verifyToken(fromHex(publicKey), tokenMessage(ballotId, token), fromHex(first.signature))).toBe(true);
    // Members 5 and 6 did not check in before the vote opened.
    await tablets[4]!.checkIn(meetingId);
    await rejects(tablets[4]!.obtainToken(ballotId, publicKey), 403, /checked in/);
    await rejects(tablets[5]!.obtainToken(ballotId, publicKey), 403);
    // A signature by another device is refused.
    const other = blind(tokenMessage(ballotId, newToken()));
    await rejects(
      call(fetchOf(h), `/api/v1/ballots/${ballotId}/tokens`, {
        method: 'POST',
        token: tablets[2]!.session!,
        json: { blinded: toHex(other.blinded), signature: tablets[3]!.sign(issueMessage(ballotId, tablets[2]!.device.memberId, toHex(other.blinded))) },
      }),
      403,
    );
    receipts.push({ ballotId, ...first, choices: {} });
  });

  it('parallel duplicate issuance requests have exactly one effect', async () => {
    const tab = tablets[2]!;
    const token = newToken();
    const { blinded, r } = blind(tokenMessage(ballotId, token));
    const pending = { token: toHex(token), blinded: toHex(blinded), r: toHex(r) };
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => tab.obtainToken(ballotId, publicKey, pending)));
    expect(results.every((x) => x.status === 'fulfilled')).toBe(true);
    const rows = await h.deps.db.selectFrom('token_served').selectAll().where('ballot_id', '=', ballotId).where('member_id', '=', tab.device.memberId).execute();
    expect(rows).toHaveLength(1);
    receipts.push({ ballotId, ...(results[0] as PromiseFulfilledResult<{ token: string; signature: string }>).value, choices: {} });
  });

  it('casting: anonymous, verified, over-votes refused without spending, duplicates idempotent', async () => {
    const f = fetchOf(h);
    const first = await tablets[0]!.obtainToken(ballotId, publicKey);
    const fourth = await tablets[3]!.obtainToken(ballotId, publicKey);
    await rejects(Tablet.cast(f, ballotId, first, { c01: 'for', c02: 'against', c03: 'abstain' }), 409, /casting/);
    await call(f, `/api/v1/ballots/${ballotId}/phase`, { method: 'POST', token: tokens.staff, json: { to: 'casting' } });
    await rejects(tablets[0]!.obtainToken(ballotId, publicKey), 409);

    // Over-vote: 3 同意 for 2 seats — refused, and the token is not spent.
    await rejects(Tablet.cast(f, ballotId, first, { c01: 'for', c02: 'for', c03: 'for' }), 422, /over-vote|超额/);
    await rejects(Tablet.cast(f, ballotId, first, { c01: 'for', zz: 'for' }), 422, /unknown candidate/);
    // With identity attached: refused.
    await rejects(
      call(f, `/api/v1/ballots/${ballotId}/cast`, { method: 'POST', token: tablets[0]!.session!, json: { ...first, choices: { c01: 'for', c02: 'for', c03: 'against' } } }),
      400,
    );
    // A forged signature.
    await rejects(Tablet.cast(f, ballotId, { token: toHex(newToken()), signature: first.signature }, { c01: 'for', c02: 'for', c03: 'against' }), 403);

    receipts[0]!.choices = { c01: 'for', c02: 'for', c03: 'against' };
    receipts[1]!.choices = { c01: 'for', c02: 'against', c03: 'for' };
    const mine0 = { ballotId, ...first, choices: { c01: 'for', c02: 'against', c03: 'abstain' } } as SecretReceipt;
    const mine3 = { ballotId, ...fourth, choices: { c01: 'for', c02: 'for', c03: 'abstain' } } as SecretReceipt;
    const casts = [receipts[0]!, receipts[1]!, mine0, mine3];
    for (const r of casts) {
      const res = await h.request(`/api/v1/ballots/${ballotId}/cast`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: r.token, signature: r.signature, choices: r.choices }) });
      expect(res.status).toBe(201);
      r.receipt = ((await res.json()) as { receipt: string }).receipt;
    }
    receipts.push(mine0, mine3);
    // The same (token, choices) again: the same receipt; other choices: refused.
    const again = await h.request(`/api/v1/ballots/${ballotId}/cast`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: mine0.token, signature: mine0.signature, choices: mine0.choices }) });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { receipt: string }).receipt).toBe(mine0.receipt);
    await rejects(Tablet.cast(f, ballotId, mine0, { c01: 'against', c02: 'against', c03: 'against' }), 409, /different/);
    // Nothing about the cast was logged.
    expect(JSON.stringify(h.logger.lines)).not.toContain('/cast');
  });

  it('stores cast ballots with no member id, no time, no address', async () => {
    const cols = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'secret_ballot' and table_schema = current_schema() order by column_name`.execute(t.db);
    // `recused` is the ballot's 回避 class (the candidates its member may not vote on), null for none: no member, no time.
    expect(cols.rows.map((r) => r.column_name)).toEqual(['ballot_id', 'choices', 'recused', 'signature', 'token']);
  });

  it('parallel duplicate casts have exactly one effect', async () => {
    // (A cast is idempotent: the earlier test's ballots are already in; re-send one 8 times at once.)
    const r = receipts[2]!;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.request(`/api/v1/ballots/${ballotId}/cast`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: r.token, signature: r.signature, choices: r.choices }) }),
      ),
    );
    expect(results.every((x) => x.status === 200)).toBe(true);
    const n = await h.deps.db.selectFrom('secret_ballot').select((e) => e.fn.countAll().as('n')).where('ballot_id', '=', ballotId).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(4);
  });

  it('publishes the bulletin once casting closes; every member finds their ballot; anyone can check and recount', async () => {
    const f = fetchOf(h);
    await rejects(call(f, `/api/v1/ballots/${ballotId}/bulletin`), 409);
    await call(f, `/api/v1/ballots/${ballotId}/phase`, { method: 'POST', token: tokens.staff, json: { to: 'closed' } });
    type Bulletin = {
      ballotId: string; award: string; ciphersuite: string; publicKey: string; proofOfPossession: string; keyLogIndex: number; seats: number; rules: unknown;
      issued: number; served: { name: string }[]; ballots: { token: string; message: string; signature: string; choices: Record<string, "for" | "against" | "abstain"> }[];
      tally: Record<string, { for: number; against: number; abstain: number }>; result: unknown; logIndex: number;
    };
    const bulletin = await call<Bulletin>(f, `/api/v1/ballots/${ballotId}/bulletin`);
    expect(bulletin.issued).toBe(4);
    expect(bulletin.served.map((s) => s.name).sort()).toEqual(['成员1', '成员2', '成员3', '成员4']);
    expect(bulletin.ballots.map((b) => b.token)).toEqual([...bulletin.ballots.map((b) => b.token)].sort());
    for (const r of receipts) expect(ballotCounted(bulletin, r)).toBe(true);
    for (const b of bulletin.ballots) expect(b.message).toBe(toHex(tokenMessage(ballotId, fromHex(b.token))));
    expect(batchVerify(fromHex(bulletin.publicKey), bulletin.ballots.map((b) => ({ message: fromHex(b.message), signature: fromHex(b.signature) })))).toEqual({ ok: true });
    expect(bulletin.tally).toEqual({ c01: { for: 4, against: 0, abstain: 0 }, c02: { for: 2, against: 2, abstain: 0 }, c03: { for: 1, against: 1, abstain: 2 } });
    // The bulletin's document is in the log, byte for byte.
    const entry = await getEntry(h.deps.db, bulletin.logIndex);
    const logged = JSON.parse((await getDocument(h.deps.db, entry!.docHash))!.body);
    expect(logged.ballots).toEqual(bulletin.ballots);
    expect(bulletin.result).toBeNull();

    const tallied = await call<{ ballot: { result: { winners: string[]; vacancies: number; runoff: unknown; candidates: { candidateId: string; passed: boolean }[] } } }>(
      f,
      `/api/v1/ballots/${ballotId}/phase`,
      { method: 'POST', token: tokens.staff, json: { to: 'tallied' } },
    );
    // 4 present: passing needs > 2 同意. c01 (4) passes; c02 (2) does not; one seat stays vacant.
    expect(tallied.ballot.result.winners).toEqual(['c01']);
    expect(tallied.ballot.result.vacancies).toBe(1);
    expect(tallied.ballot.result.runoff).toBeNull();
    await rejects(call(f, `/api/v1/ballots/${ballotId}/phase`, { method: 'POST', token: tokens.staff, json: { to: 'tallied' } }), 409);
  });
});
