// 回避 on a co-issued secret ballot: each recusal class's key is co-issued exactly like the ballot's
// own key — the bureau proposes its class key with a proof of possession, the supervisory group's
// co-signer answers its own and signs both with the list (each member's recusals included), the
// tablet checks each share against its signer's logged class key, and the verifier checks it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb, type TestDb } from '../support/db.js';
import type { TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { ApiError, ballotKeysOf, call, Tablet } from '../../src/protocol/tablet.js';
import { getDocument, getEntry, verifierKeyOf } from '../../src/log/index.js';
import { blind, blindSign, deriveBallotKey, finalizeToken, newToken, popProve, tokenMessage, verifyToken } from '../../crypto/blind.js';
import { fromHex, toHex } from '../../crypto/bytes.js';
import { classKeyId } from '../../src/votes/messages.js';
import { KEY_STATEMENT, openStatement } from '../../src/cosigner/statements.js';
import { parseBundle, verifyBundle, type ExportBundle } from '../../src/verify/index.js';
import { approveAtCosigner, cosignedApp, type TestCosigner } from './support.js';
import { relog } from '../verify/support.js';

type Opened = Parameters<typeof ballotKeysOf>[0] & { keyLogIndex: number; keyClasses: { recused: string[]; publicKey: string; proofOfPossession: string | null; coIssuance?: Record<string, string> }[] };

const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e) => (e instanceof ApiError ? e.status : -1),
  );

for (const kind of DB_KINDS) {
  describe(`回避 on a co-issued secret ballot [${kind}]`, () => {
    let t: TestDb;
    let h: TestApp;
    let cosigner: TestCosigner;
    let accounts: { staff: string; supervisor: string };
    let tablets: Tablet[];
    let meetingId: string;
    let ballotId: string;
    let opened: Opened;
    const f = () => fetchOf(h);
    const staffCall = <T>(path: string, json?: unknown) => call<T>(f(), path, { method: json === undefined ? 'GET' : 'POST', token: accounts.staff, ...(json !== undefined ? { json } : {}) });

    beforeAll(async () => {
      t = await openTestDb(kind);
      ({ h, cosigner } = cosignedApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } }));
      accounts = await staffAndSupervisor(h);
      tablets = await enrolledTablets(h, await cycleWithMembers(h, accounts.staff, '2026', 5));
      meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '全体会议' })).id;
      for (const tab of tablets) await tab.checkIn(meetingId);
      await adoptProcedure(f(), accounts, meetingId, tablets[0]!, 5);
      ballotId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'quality', seats: 1, candidates: [{ name: '丁集团' }, { name: '戊医院' }] })).id;
      // Member 2 declares a conflict with 丁集团 on the member's own tablet.
      await tablets[1]!.recuse(ballotId, 'c01', { reason: '本单位与该候选组织有隶属关系' });
    });
    afterAll(async () => t.close());

    it('the co-signer is shown the recusal with the list and co-issues a key for the class; the log carries both keys and their sum', async () => {
      await expect(status(staffCall(`/api/v1/ballots/${ballotId}/phase`, { to: 'issuing' }))).resolves.toBe(409); // awaiting approval
      const { res, shown } = await approveAtCosigner(cosigner, ballotId);
      expect(res.status).toBe(200);
      const m2 = tablets[1]!.device.memberId;
      expect((shown.eligible as { memberId: string; recused?: string[] }[]).find((m) => m.memberId === m2)?.recused).toEqual(['c01']);
      opened = (await staffCall<{ ballot: Opened }>(`/api/v1/ballots/${ballotId}/phase`, { to: 'issuing' })).ballot;
      expect(opened.keyClasses).toHaveLength(1);
      const cls = opened.keyClasses[0]!;
      expect(cls.recused).toEqual(['c01']);
      expect(cls.proofOfPossession).toBeNull();
      expect(cls.coIssuance!.bureauPublicKey).toBe(toHex(deriveBallotKey(h.deps.keys.ballotMasterSecret, classKeyId(ballotId, ['c01'])).publicKey));
      expect(cls.publicKey).not.toBe(cls.coIssuance!.bureauPublicKey);
      expect(cls.publicKey).not.toBe(opened.publicKey);
      const entry = await getEntry(h.deps.db, opened.keyLogIndex);
      const doc = JSON.parse((await getDocument(h.deps.db, entry!.docHash))!.body);
      const approval = openStatement(doc.coIssuance.cosignerApproval, cosigner.key.verifierKey, KEY_STATEMENT);
      expect(approval.classes).toEqual([expect.objectContaining({ recused: ['c01'], aggregatePublicKey: cls.publicKey, cosignerPublicKey: cls.coIssuance!.cosignerPublicKey })]);
      expect(doc.keyClasses[0].coIssuance).toEqual(cls.coIssuance);
    });

    it('the recused member’s tablet checks each share against the class’s two keys; the ballot’s own keys do not fit it', async () => {
      const m2 = tablets[1]!;
      const classKeys = ballotKeysOf(opened, ['c01']);
      expect(classKeys.bureauPublicKey).toBe(opened.keyClasses[0]!.coIssuance!.bureauPublicKey);
      // With the ballot's own keys the shares (made under the class keys) are caught and named.
      const pending = (() => {
        const token = newToken();
        const { blinded, r } = blind(tokenMessage(ballotId, token));
        return { token: toHex(token), blinded: toHex(blinded), r: toHex(r) };
      })();
      await expect(m2.obtainToken(ballotId, ballotKeysOf(opened), pending)).rejects.toThrow();
      const tok = await m2.obtainToken(ballotId, classKeys, pending);
      const msg = tokenMessage(ballotId, fromHex(tok.token));
      expect(verifyToken(fromHex(classKeys.publicKey), msg, fromHex(tok.signature))).toBe(true);
      expect(verifyToken(fromHex(classKeys.bureauPublicKey!), msg, fromHex(tok.signature))).toBe(false);
      expect(verifyToken(fromHex(opened.publicKey), msg, fromHex(tok.signature))).toBe(false);
      expect(() => ballotKeysOf(opened, ['c02'])).toThrow(/recusal class/);
      const others = [];
      for (const tab of [tablets[0]!, tablets[2]!, tablets[3]!]) others.push(await tab.obtainToken(ballotId, ballotKeysOf(opened)));

      // The bureau alone, with its master secret, makes a class token: it does not verify under the co-issued class key.
      const m = tokenMessage(ballotId, newToken());
      const { blinded, r } = blind(m);
      const { secretKey, publicKey } = deriveBallotKey(h.deps.keys.ballotMasterSecret, classKeyId(ballotId, ['c01']));
      const minted = { token: toHex(m.slice(m.length - 32)), signature: toHex(finalizeToken(publicKey, m, blinded, blindSign(secretKey, blinded), r)) };

      await staffCall(`/api/v1/ballots/${ballotId}/phase`, { to: 'casting' });
      expect(await status(Tablet.cast(f(), ballotId, minted, { c02: 'for' }, { recused: ['c01'] }))).toBe(403);
      expect(await status(Tablet.cast(f(), ballotId, tok, { c01: 'for', c02: 'against' }, { recused: ['c01'] }))).toBe(422);
      expect(await status(Tablet.cast(f(), ballotId, tok, { c01: 'for', c02: 'against' }))).toBe(403); // the class cannot be shed
      await Tablet.cast(f(), ballotId, tok, { c02: 'for' }, { recused: ['c01'], receiptKey: opened.receiptKey! });
      await Tablet.cast(f(), ballotId, others[0]!, { c01: 'for', c02: 'against' });
      await Tablet.cast(f(), ballotId, others[1]!, { c01: 'for', c02: 'against' });
      await Tablet.cast(f(), ballotId, others[2]!, { c01: 'against', c02: 'for' });
      await staffCall(`/api/v1/ballots/${ballotId}/phase`, { to: 'closed' });
      const r2 = await staffCall<{ ballot: { result: { candidates: { candidateId: string; present?: number; passed: boolean; for: number }[] } } }>(`/api/v1/ballots/${ballotId}/phase`, { to: 'tallied' });
      const rows = Object.fromEntries(r2.ballot.result.candidates.map((x) => [x.candidateId, x]));
      // 丁集团: 2 同意 of 4 present (5 less the recused member) → not more than half; 戊医院: 2 of 5.
      expect(rows.c01).toMatchObject({ for: 2, present: 4, passed: false });
      expect(rows.c02).toMatchObject({ for: 2, passed: false });
    });

    it('the verifier passes the co-issued class with the pinned co-signer key, and fails a class whose key the bureau made alone', async () => {
      const bundle = (await (await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${accounts.supervisor}` } })).json()) as ExportBundle;
      const run = (b: ExportBundle) => verifyBundle(parseBundle(b), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), witnessKeys: [], cosignerKey: cosigner.key.verifierKey, now: new Date('2026-12-01T00:00:00Z') });
      const statusOf = (r: ReturnType<typeof run>, id: string) => r.checks.filter((x) => x.id === id && (x.subject === null || JSON.stringify(x.subject).includes(ballotId))).map((x) => x.status);
      const honest = run(bundle);
      for (const id of ['ballot-co-issued', 'recusals', 'bulletin-signatures', 'secret-recount', 'ballot-result']) expect(statusOf(honest, id), id).toEqual(['pass']);
      // The bureau (its log key, its database) re-logs the ballot key with the class key its own, alone.
      const own = deriveBallotKey(h.deps.keys.ballotMasterSecret, classKeyId(ballotId, ['c01']));
      const forged = await relog(bundle, h.deps.keys.logSignerKey, (items) => {
        const key = items.find((i) => i.type === 'ballot-key' && i.doc.ballotId === ballotId)!;
        key.doc.keyClasses = [{ recused: ['c01'], publicKey: toHex(own.publicKey), proofOfPossession: toHex(popProve(own.secretKey)), members: 1 }];
      });
      expect(statusOf(run(forged), 'ballot-co-issued')).toEqual(['fail']);
    });

    it('a recusal added after the supervisor approved the list cannot open the vote under the approved keys', async () => {
      const b2 = (await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'quality', seats: 1, candidates: [{ name: '己公司' }, { name: '庚学院' }] })).id;
      await expect(status(staffCall(`/api/v1/ballots/${b2}/phase`, { to: 'issuing' }))).resolves.toBe(409);
      expect((await approveAtCosigner(cosigner, b2)).res.status).toBe(200);
      await tablets[2]!.recuse(b2, 'c02');
      await expect(status(staffCall(`/api/v1/ballots/${b2}/phase`, { to: 'issuing' }))).resolves.toBe(409);
      // The co-signer keeps the approved list: the class was never co-issued.
      const shown = (await (await cosigner.request(`/ballots/${b2}`)).json()) as { classes?: unknown[]; status: string };
      expect(shown.status).toBe('approved');
      expect(shown.classes).toBeUndefined();
    });

    it('the co-signer refuses classes that do not match the list, reuse the ballot key, or lack a proof of possession', async () => {
      const id = 'b_cosignclass1';
      const k = deriveBallotKey(h.deps.keys.ballotMasterSecret, id);
      const c = deriveBallotKey(h.deps.keys.ballotMasterSecret, classKeyId(id, ['c01']));
      const eligible = tablets.slice(0, 2).map((tab, i) => ({ memberId: tab.device.memberId, name: `成员${i + 1}`, unit: '', deviceKey: '00'.repeat(32), ...(i === 1 ? { recused: ['c01'] } : {}) }));
      const propose = async (classes: unknown) =>
        cosigner.request(`/ballots/${id}/proposal`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ cycleId: '2026', meetingId, bureauPublicKey: toHex(k.publicKey), bureauProofOfPossession: toHex(popProve(k.secretKey)), eligible, ...(classes ? { classes } : {}) }),
        });
      const titleOf = async (res: Response) => [res.status, ((await res.json()) as { title: string }).title];
      expect(await titleOf(await propose(null))).toEqual([400, 'classes']);
      expect(await titleOf(await propose([{ recused: ['c02'], bureauPublicKey: toHex(c.publicKey), bureauProofOfPossession: toHex(popProve(c.secretKey)) }]))).toEqual([400, 'classes']);
      expect(await titleOf(await propose([{ recused: ['c01'], bureauPublicKey: toHex(k.publicKey), bureauProofOfPossession: toHex(popProve(k.secretKey)) }]))).toEqual([400, 'classes']);
      expect(await titleOf(await propose([{ recused: ['c01'], bureauPublicKey: toHex(c.publicKey), bureauProofOfPossession: toHex(popProve(k.secretKey)) }]))).toEqual([400, 'bureau-pop']);
      expect((await propose([{ recused: ['c01'], bureauPublicKey: toHex(c.publicKey), bureauProofOfPossession: toHex(popProve(c.secretKey)) }])).status).toBe(200);
    });
  });
}
