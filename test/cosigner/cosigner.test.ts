// Co-issued secret ballots: the bureau's server relays to the supervisory group's co-signer, which
// signs only for members on the list a supervisor approved, with the member's device signature, once
// per ballot — and a bureau holding its own keys and database cannot make a token alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import type { TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { ApiError, ballotKeysOf, call, Tablet, type BallotKeys, type SecretReceipt } from '../../src/protocol/tablet.js';
import { checkCountedInLog } from '../../src/protocol/bulletin.js';
import { getDocument, getEntry, listEntries, verifierKeyOf } from '../../src/log/index.js';
import { blind, blindSign, deriveBallotKey, finalizeToken, newToken, tokenMessage, verifyToken } from '../../crypto/blind.js';
import { fromHex, toHex } from '../../crypto/bytes.js';
import { issueMessage } from '../../src/votes/messages.js';
import { KEY_STATEMENT, SERVED_STATEMENT, openStatement } from '../../src/cosigner/statements.js';
import { verifyReceipt } from '../../src/votes/receipts.js';
import { approveAtCosigner, cosignedApp, type TestCosigner } from './support.js';

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

/** A request straight to the co-signer, as a relay (honest or not) would send it. */
async function atCosigner(cosigner: TestCosigner, ballotId: string, body: unknown) {
  const res = await cosigner.request(`/ballots/${ballotId}/blind-signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { title?: string; blindSignature?: string } };
}

const freshBlinded = (ballotId: string) => toHex(blind(tokenMessage(ballotId, newToken())).blinded);

describeEachDb('co-issued secret ballot', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let cosigner: TestCosigner;
  let staff: string;
  let tablets: Tablet[];
  let meetingId: string;
  let ballotId: string;
  let keys: BallotKeys;
  const tokens: { token: string; signature: string }[] = [];
  const receipts: SecretReceipt[] = [];

  beforeAll(async () => {
    t = await openTestDb(kind);
    ({ h, cosigner } = cosignedApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } }));
    const accounts = await staffAndSupervisor(h);
    staff = accounts.staff;
    tablets = await enrolledTablets(h, await cycleWithMembers(h, staff, '2026', 6));
    const f = fetchOf(h);
    meetingId = (await call<{ id: string }>(f, '/api/v1/cycles/2026/meetings', { method: 'POST', token: staff, json: { title: '全体会议' } })).id;
    ballotId = (
      await call<{ id: string }>(f, '/api/v1/cycles/2026/ballots', {
        method: 'POST',
        token: staff,
        json: { meetingId, award: 'quality', seats: 2, candidates: [{ name: '甲公司' }, { name: '乙集团' }, { name: '丙医院' }] },
      })
    ).id;
    for (const tab of tablets.slice(0, 5)) await tab.checkIn(meetingId);
    await adoptProcedure(f, accounts, meetingId, tablets[0]!, 5);
  });
  afterAll(async () => t.close());

  it('enrollment and the roster are public log entries', async () => {
    const registered = await listEntries(h.deps.db, { cycleId: '2026', type: 'member-registered' });
    const enrolled = await listEntries(h.deps.db, { cycleId: '2026', type: 'member-enrolled' });
    expect(registered).toHaveLength(6);
    expect(enrolled).toHaveLength(6);
    const doc = JSON.parse((await getDocument(h.deps.db, enrolled[0]!.docHash))!.body);
    expect(doc).toMatchObject({ memberId: tablets[0]!.device.memberId, unit: '成员单位1', deviceKey: toHex(ed25519.getPublicKey(fromHex(tablets[0]!.device.deviceSecret))) });
    expect(doc.deviceKeyFingerprint).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    expect(typeof doc.enrolledAt).toBe('string');
  });

  it('issuance does not open until a supervisor approved the list on the co-signer; only with the approval token', async () => {
    const f = fetchOf(h);
    const open = () => call<{ ballot: Record<string, unknown> }>(f, `/api/v1/ballots/${ballotId}/phase`, { method: 'POST', token: staff, json: { to: 'issuing' } });
    const waiting = await rejects(open(), 409, /awaitingApproval/);
    expect(waiting.problem.eligible).toBe(5);
    // Not approved yet: the co-signer refuses a properly signed request.
    const B = freshBlinded(ballotId);
    const early = await atCosigner(cosigner, ballotId, { memberId: tablets[0]!.device.memberId, blinded: B, signature: tablets[0]!.sign(issueMessage(ballotId, tablets[0]!.device.memberId, B)) });
    expect([early.status, early.body.title]).toEqual([403, 'not-approved']);
    // The bureau cannot approve: it has no approval token.
    expect((await approveAtCosigner(cosigner, ballotId, 'guessed-by-the-bureau')).res.status).toBe(401);
    const { res, shown } = await approveAtCosigner(cosigner, ballotId);
    expect(res.status).toBe(200);
    expect(shown.eligible.map((m) => m.memberId).sort()).toEqual(tablets.slice(0, 5).map((x) => x.device.memberId).sort());
    const opened = (await open()).ballot as Parameters<typeof ballotKeysOf>[0] & { keyLogIndex: number; proofOfPossession: string | null };
    keys = ballotKeysOf(opened);
    expect(keys.bureauPublicKey).toBe(toHex(deriveBallotKey(h.deps.keys.ballotMasterSecret, ballotId).publicKey));
    expect(keys.cosignerPublicKey).toBeDefined();
    expect(keys.publicKey).not.toBe(keys.bureauPublicKey);
    expect(opened.proofOfPossession).toBeNull();
    // The key entry carries the co-signer's signed approval: both keys, the aggregate, the list.
    const entry = await getEntry(h.deps.db, opened.keyLogIndex);
    const doc = JSON.parse((await getDocument(h.deps.db, entry!.docHash))!.body);
    const approval = openStatement(doc.coIssuance.cosignerApproval, cosigner.key.verifierKey, KEY_STATEMENT);
    expect(approval.aggregatePublicKey).toBe(doc.publicKey);
    expect(approval.eligible).toHaveLength(5);
    expect(doc.receiptKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a member gets a token that verifies under the aggregate key only', async () => {
    const tok = await tablets[0]!.obtainToken(ballotId, keys);
    const m = tokenMessage(ballotId, fromHex(tok.token));
    expect(verifyToken(fromHex(keys.publicKey), m, fromHex(tok.signature))).toBe(true);
    expect(verifyToken(fromHex(keys.bureauPublicKey!), m, fromHex(tok.signature))).toBe(false);
    tokens.push(tok);
    for (const tab of tablets.slice(1, 4)) tokens.push(await tab.obtainToken(ballotId, keys));
  });

  it('refusals at the co-signer: unknown member, second request with another B, wrong device signature, relayed request altered', async () => {
    const me = tablets[0]!.device.memberId;
    // Unknown member: on the roster, enrolled, but not checked in (not on the approved list).
    const outsider = tablets[5]!;
    const B1 = freshBlinded(ballotId);
    const unknown = await atCosigner(cosigner, ballotId, { memberId: outsider.device.memberId, blinded: B1, signature: outsider.sign(issueMessage(ballotId, outsider.device.memberId, B1)) });
    expect([unknown.status, unknown.body.title]).toEqual([403, 'unknown-member']);
    await rejects(outsider.obtainToken(ballotId, keys), 403);
    // A second request with another B, properly signed by the member's own tablet.
    const B2 = freshBlinded(ballotId);
    const again = await atCosigner(cosigner, ballotId, { memberId: me, blinded: B2, signature: tablets[0]!.sign(issueMessage(ballotId, me, B2)) });
    expect([again.status, again.body.title]).toEqual([409, 'already-served']);
    // Wrong device signature: the member 5 has not asked yet; a key the bureau made up signs for them.
    const m5 = tablets[4]!.device.memberId;
    const forged = toHex(ed25519.sign(issueMessage(ballotId, m5, B1), ed25519.utils.randomSecretKey()));
    const wrong = await atCosigner(cosigner, ballotId, { memberId: m5, blinded: B1, signature: forged });
    expect([wrong.status, wrong.body.title]).toEqual([403, 'device-signature']);
    // Relayed request altered: member 5's real signed request for B3, with B (or the member) swapped in transit.
    const B3 = freshBlinded(ballotId);
    const real = tablets[4]!.sign(issueMessage(ballotId, m5, B3));
    const swappedB = await atCosigner(cosigner, ballotId, { memberId: m5, blinded: B1, signature: real });
    expect([swappedB.status, swappedB.body.title]).toEqual([403, 'device-signature']);
    const swappedMember = await atCosigner(cosigner, ballotId, { memberId: tablets[3]!.device.memberId, blinded: B3, signature: real });
    expect([swappedMember.status, swappedMember.body.title]).toEqual([403, 'device-signature']);
    // None of these served member 5: the real request still works, once.
    const ok = await atCosigner(cosigner, ballotId, { memberId: m5, blinded: B3, signature: real });
    expect(ok.status).toBe(200);
    // Through the bureau's relay the same refusals reach the tablet.
    await rejects(tablets[0]!.obtainToken(ballotId, keys), 409);
  });

  it('the bureau alone — its master secret, its database — cannot make a token that casts', async () => {
    const m = tokenMessage(ballotId, newToken());
    const { blinded, r } = blind(m);
    const { secretKey, publicKey } = deriveBallotKey(h.deps.keys.ballotMasterSecret, ballotId);
    const S = finalizeToken(publicKey, m, blinded, blindSign(secretKey, blinded), r);
    const token = toHex(m.slice(m.length - 32));
    const f = fetchOf(h);
    await call(f, `/api/v1/ballots/${ballotId}/phase`, { method: 'POST', token: staff, json: { to: 'casting' } });
    await rejects(Tablet.cast(f, ballotId, { token, signature: toHex(S) }, { c01: 'for', c02: 'against', c03: 'against' }), 403, /does not verify/);
  });

  it('casting opens with the co-signer’s signed served list logged; it signs no more; receipts are signed', async () => {
    const served = await listEntries(h.deps.db, { cycleId: '2026', type: 'cosigner-served' });
    expect(served).toHaveLength(1);
    const doc = JSON.parse((await getDocument(h.deps.db, served[0]!.docHash))!.body);
    const list = openStatement(doc.statement, cosigner.key.verifierKey, SERVED_STATEMENT);
    // Members 1–4 through the bureau and member 5 straight at the co-signer: the co-signer lists 5,
    // the bureau 4 — the verifier reports the difference.
    expect(list.served).toHaveLength(5);
    const B = freshBlinded(ballotId);
    const m5 = tablets[4]!.device.memberId;
    const late = await atCosigner(cosigner, ballotId, { memberId: m5, blinded: B, signature: tablets[4]!.sign(issueMessage(ballotId, m5, B)) });
    expect([late.status, late.body.title]).toEqual([409, 'closed']);
    const f = fetchOf(h);
    const choices = [
      { c01: 'for', c02: 'for', c03: 'against' },
      { c01: 'for', c02: 'against', c03: 'for' },
      { c01: 'abstain', c02: 'for', c03: 'against' },
      { c01: 'against', c02: 'against', c03: 'against' },
    ] as const;
    for (let i = 0; i < tokens.length; i++) receipts.push(await Tablet.cast(f, ballotId, tokens[i]!, choices[i]!, keys.receiptKey));
    for (const r of receipts) expect(verifyReceipt(keys.receiptKey!, r.castReceipt)).toBe(true);
    expect(verifyReceipt(keys.receiptKey!, { ...receipts[0]!.castReceipt!, choicesHash: receipts[1]!.castReceipt!.choicesHash })).toBe(false);
  });

  it('the tablet finds its ballot in the logged bulletin (inclusion proof against a signed checkpoint), and the live route serves that document', async () => {
    const f = fetchOf(h);
    for (const to of ['closed', 'tallied']) await call(f, `/api/v1/ballots/${ballotId}/phase`, { method: 'POST', token: staff, json: { to } });
    const logKey = verifierKeyOf(h.deps.keys.logSignerKey);
    for (const r of receipts) expect(await checkCountedInLog(f, { logKey, publicKey: keys.publicKey, receipt: r })).toMatchObject({ counted: true });
    // The operator changes a stored choice after the bulletin was logged: the live route still serves the logged document.
    await h.deps.db.updateTable('secret_ballot').set({ choices: '{"c01":"against","c02":"against","c03":"against"}' }).where('token', '=', receipts[0]!.token).execute();
    const live = await call<{ ballots: { token: string; choices: Record<string, string> }[] }>(f, `/api/v1/ballots/${ballotId}/bulletin`);
    expect(live.ballots.find((b) => b.token === receipts[0]!.token)!.choices).toEqual(receipts[0]!.choices);
  });
});
