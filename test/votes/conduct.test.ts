// How the meeting is held: the 表决办法 adopted before the first vote (signed hands, or the chair's
// record confirmed by a supervisor), 回避 on a show of hands and on a secret ballot (the pass rule
// counts the reduced attendance), 计票人/监票人 signing each result, the tally sheet, the minutes logged
// at the close, the meeting screen's display link — and the verifier's named checks, against a bureau
// that writes what it likes into its own log or deletes rows from its own database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { ApiError, call, Tablet } from '../../src/protocol/tablet.js';
import { appendEntry, getDocument, getEntry } from '../../src/log/index.js';
import { verifierKeyOf } from '../../src/log/checkpoint.js';
import { parseBundle, verifyBundle, type ExportBundle } from '../../src/verify/index.js';
import { recusalMessage } from '../../src/votes/messages.js';

const status = (p: Promise<unknown>) => p.then(() => 200, (e) => (e instanceof ApiError ? e.status : 0));
type Row = { candidateId: string; for: number; passed: boolean; present?: number; recused?: number };

for (const kind of DB_KINDS) {
  describe(`meeting conduct [${kind}]`, () => {
    let t: TestDb;
    let h: TestApp;
    let tokens: { staff: string; supervisor: string };
    let tablets: Tablet[];
    let meetingId: string;
    let procedure: { procedureId: string; documentHash: string };
    let handsId: string;
    let secretId: string;
    const f = () => fetchOf(h);
    const staffCall = <T>(path: string, json?: unknown) => call<T>(f(), path, { method: json === undefined ? 'GET' : 'POST', token: tokens.staff, ...(json !== undefined ? { json } : {}) });
    const doc = async (index: number) => JSON.parse((await getDocument(h.deps.db, (await getEntry(h.deps.db, index))!.docHash))!.body);

    beforeAll(async () => {
      t = await openTestDb(kind);
      h = testApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
      tokens = await staffAndSupervisor(h);
      tablets = await enrolledTablets(h, await cycleWithMembers(h, tokens.staff, '2026', 5));
      meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '2026年度评审组全体会议' })).id;
      for (const tab of tablets.slice(0, 4)) await tab.checkIn(meetingId);
    });
    afterAll(async () => t.close());

    it('no vote opens before the meeting adopts its 表决办法; the members adopt it by signed hands', async () => {
      handsId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'innovation', seats: 2, candidates: [{ name: '甲科技' }, { name: '乙制造' }, { name: '丙服务' }] })).id;
      await expect(staffCall(`/api/v1/ballots/${handsId}/phase`, { to: 'voting' })).rejects.toMatchObject({ status: 409, problem: { detail_zh: expect.stringMatching(/表决办法/) } });
      const [m1, m2] = [tablets[1]!.device.memberId, tablets[2]!.device.memberId];
      expect(await status(staffCall(`/api/v1/meetings/${meetingId}/procedure`, { counters: [m1], scrutineers: [m1] }))).toBe(400);
      procedure = await staffCall(`/api/v1/meetings/${meetingId}/procedure`, { counters: [m1], scrutineers: [m2] });
      const ref = { id: procedure.procedureId, meetingId, documentHash: procedure.documentHash };
      // A vote signed over another document is refused; a member not checked in cannot vote.
      expect(await status(tablets[0]!.voteProcedure({ ...ref, documentHash: '0'.repeat(64) }, 'for'))).toBe(403);
      expect(await status(tablets[4]!.voteProcedure(ref, 'for'))).toBe(403);
      for (const tab of tablets.slice(0, 3)) await tab.voteProcedure(ref, 'for');
      await tablets[3]!.voteProcedure(ref, 'abstain');
      // Only staff or the chair close it.
      expect(await status(call(f(), `/api/v1/procedures/${procedure.procedureId}/close`, { method: 'POST', token: tablets[1]!.session! }))).toBe(403);
      const decided = await call<{ adopted: boolean; logIndex: number }>(f(), `/api/v1/procedures/${procedure.procedureId}/close`, { method: 'POST', token: tablets[0]!.session! });
      expect(decided.adopted).toBe(true);
      const d = await doc(decided.logIndex);
      expect(d).toMatchObject({ mode: 'hands', for: 3, abstain: 1, present: 4, adopted: true });
      expect(d.votes).toHaveLength(4);
    });

    it('回避 on a show of hands: the member cannot vote on that candidate, and its pass rule counts 3 present, not 4', async () => {
      const c01 = 'c01';
      // A member declares a conflict with 甲科技; only the chair may recuse someone else.
      expect(await status(tablets[1]!.recuse(handsId, c01, { memberId: tablets[3]!.device.memberId }))).toBe(403);
      await tablets[3]!.recuse(handsId, c01, { reason: '本单位与该组织存在投资关系' });
      const recusals = await call<{ recusals: { memberId: string; candidateId: string; declaredBy: string }[] }>(f(), `/api/v1/ballots/${handsId}/recusals`);
      expect(recusals.recusals).toEqual([expect.objectContaining({ memberId: tablets[3]!.device.memberId, candidateId: c01, declaredBy: 'member' })]);
      await staffCall(`/api/v1/ballots/${handsId}/phase`, { to: 'voting' });
      expect(await status(tablets[2]!.recuse(handsId, 'c02'))).toBe(409); // too late once the vote is open
      expect(await status(tablets[3]!.raiseHands(handsId, { c01: 'for', c02: 'for', c03: 'against' }))).toBe(422);
      await tablets[3]!.raiseHands(handsId, { c02: 'for', c03: 'against' });
      // 甲科技: 2 同意 of 3 members present for it (> 1/2 of 3) — it would fail against 4 (2 is not > 2).
      await tablets[0]!.raiseHands(handsId, { c01: 'for', c02: 'against', c03: 'against' });
      await tablets[1]!.raiseHands(handsId, { c01: 'for', c02: 'against', c03: 'abstain' });
      await tablets[2]!.raiseHands(handsId, { c01: 'against', c02: 'for', c03: 'for' });
      const r = await staffCall<{ ballot: { result: { candidates: Row[]; winners: string[] }; resultLogIndex: number } }>(`/api/v1/ballots/${handsId}/phase`, { to: 'tallied' });
      const rows = Object.fromEntries(r.ballot.result.candidates.map((x) => [x.candidateId, x]));
      expect(rows.c01).toMatchObject({ for: 2, against: 1, abstain: 0, passed: true, present: 3, recused: 1 });
      expect(rows.c02).toMatchObject({ for: 2, passed: false });
      expect(rows.c02!.present).toBeUndefined();
      expect(r.ballot.result.winners).toEqual(['c01']);
      expect((await doc(r.ballot.resultLogIndex)).recusals).toEqual([expect.objectContaining({ candidateId: c01 })]);
    });

    it('计票人 and 监票人 confirm the result on their tablets; nobody else can; the tally sheet shows it all', async () => {
      expect(await status(tablets[0]!.confirmTally(handsId, 'counter'))).toBe(403); // the chair is not a teller
      expect(await status(tablets[2]!.confirmTally(handsId, 'counter'))).toBe(403); // 监票人 signing as 计票人: wrong message
      const c = await tablets[1]!.confirmTally(handsId, 'counter');
      const s = await tablets[2]!.confirmTally(handsId, 'scrutineer');
      expect([c.role, s.role]).toEqual(['counter', 'scrutineer']);
      const sheet = await call<Record<string, any>>(f(), `/api/v1/ballots/${handsId}/tally-sheet`);
      expect(sheet.counts).toEqual({ expected: 5, present: 4, issued: 4, returned: 4, valid: 4, invalid: 0 });
      expect(sheet.confirmations.map((x: { name: string; role: string }) => `${x.role}:${x.name}`)).toEqual(['counter:成员2', 'scrutineer:成员3']);
      expect(sheet.resultDocHash).toBe((await getEntry(h.deps.db, sheet.resultLogIndex))!.docHash);
      expect(sheet.rulesText.zh).toContain('超过出席成员的 1/2');
      expect(sheet.candidates.find((x: Row) => x.candidateId === 'c01')).toMatchObject({ name: '甲科技', present: 3 });
    });

    it('回避 on a secret ballot: the class key refuses a choice on that candidate, and no one can shed the class', async () => {
      secretId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'quality', seats: 1, candidates: [{ name: '丁集团' }, { name: '戊医院' }] })).id;
      // The chair recuses member 2 from 丁集团 (signed on the chair's tablet).
      await tablets[0]!.recuse(secretId, 'c01', { memberId: tablets[1]!.device.memberId, reason: '主持人决定回避' });
      const opened = await staffCall<{ ballot: { publicKey: string; keyClasses: { recused: string[]; publicKey: string; members: number }[] } }>(`/api/v1/ballots/${secretId}/phase`, { to: 'issuing' });
      expect(opened.ballot.keyClasses).toEqual([expect.objectContaining({ recused: ['c01'], members: 1 })]);
      const classKey = opened.ballot.keyClasses[0]!.publicKey;
      const toks = [];
      for (const [i, tab] of tablets.slice(0, 4).entries()) toks.push(await tab.obtainToken(secretId, i === 1 ? classKey : opened.ballot.publicKey));
      // A recused member's token does not verify under the ballot's own key: it cannot come back as an ordinary ballot.
      await expect(tablets[1]!.obtainToken(secretId, opened.ballot.publicKey).catch((e) => e)).resolves.toBeInstanceOf(Error);
      await staffCall(`/api/v1/ballots/${secretId}/phase`, { to: 'casting' });
      expect(await status(Tablet.cast(f(), secretId, toks[1]!, { c01: 'against', c02: 'for' }))).toBe(403); // no class named: signature fails
      expect(await status(Tablet.cast(f(), secretId, toks[1]!, { c01: 'against', c02: 'for' }, { recused: ['c01'] }))).toBe(422); // a choice where recused
      await Tablet.cast(f(), secretId, toks[1]!, { c02: 'for' }, { recused: ['c01'] });
      expect(await status(Tablet.cast(f(), secretId, toks[0]!, { c02: 'against' }, { recused: ['c01'] }))).toBe(403); // an ordinary token claiming a class
      await Tablet.cast(f(), secretId, toks[0]!, { c01: 'for', c02: 'against' });
      await Tablet.cast(f(), secretId, toks[2]!, { c01: 'for', c02: 'against' });
      await Tablet.cast(f(), secretId, toks[3]!, { c01: 'against', c02: 'for' });
      await staffCall(`/api/v1/ballots/${secretId}/phase`, { to: 'closed' });
      const r = await staffCall<{ ballot: { result: { candidates: Row[]; winners: string[] } } }>(`/api/v1/ballots/${secretId}/phase`, { to: 'tallied' });
      const rows = Object.fromEntries(r.ballot.result.candidates.map((x) => [x.candidateId, x]));
      // 丁集团: 2 of 3 present for it → passes; 戊医院: 2 of 4 → does not.
      expect(rows.c01).toMatchObject({ for: 2, against: 1, abstain: 0, passed: true, present: 3 });
      expect(rows.c02).toMatchObject({ for: 2, against: 2, passed: false });
      const bulletin = await call<{ ballots: { recused?: string[] }[] }>(f(), `/api/v1/ballots/${secretId}/bulletin`);
      expect(bulletin.ballots.filter((b) => b.recused)).toEqual([expect.objectContaining({ recused: ['c01'], choices: { c02: 'for' } })]);
    });

    it('the meeting screen needs its display link; the minutes are logged when the meeting closes', async () => {
      expect((await h.request(`/api/v1/meetings/${meetingId}/screen`)).status).toBe(403);
      const link = await staffCall<{ key: string; path: string }>(`/api/v1/meetings/${meetingId}/display`, {});
      expect(link.path).toBe(`/meeting/${meetingId}/screen#k=${link.key}`);
      const live = (await (await h.request(`/api/v1/meetings/${meetingId}/screen`, { headers: { 'x-display-key': link.key } })).json()) as Record<string, any>;
      expect(live).toMatchObject({ checkedIn: 4, membersTotal: 5, quorum: { met: true, needed: 4 } });
      const secret = live.ballots.find((b: { id: string }) => b.id === secretId);
      expect(secret).toMatchObject({ issued: 4, cast: 4, phase: 'tallied', keyFingerprint: expect.stringMatching(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/) });
      expect(JSON.stringify(live)).not.toMatch(/"token"|signature/);
      const closed = await staffCall<{ minutesLogIndex: number }>(`/api/v1/meetings/${meetingId}/close`, {});
      const minutes = await doc(closed.minutesLogIndex);
      expect(minutes).toMatchObject({ meetingId, checkedIn: 4, membersTotal: 5, procedure: { counters: ['成员2'], scrutineers: ['成员3'], adoption: { mode: 'hands', adopted: true } } });
      expect(minutes.votes.map((v: { winners: string[] }) => v.winners)).toEqual([['甲科技'], ['丁集团']]);
    });

    it('the verifier checks the 表决办法, recusals and teller signatures by name, and catches a bureau that forges them', async () => {
      const bundle = async () => (await (await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${tokens.supervisor}` } })).json()) as ExportBundle;
      const run = async () => {
        const r = verifyBundle(parseBundle(await bundle()), { logKey: verifierKeyOf(h.deps.keys.logSignerKey), witnessKeys: [], now: new Date('2026-12-01T00:00:00Z') });
        return Object.fromEntries(['meeting-procedure', 'recusals', 'teller-signatures', 'ballot-result', 'secret-recount', 'hands-recount', 'bulletin-signatures'].map((id) => [id, r.checks.filter((x) => x.id === id).map((x) => x.status)]));
      };
      const honest = await run();
      for (const [id, s] of Object.entries(honest)) expect(s.length > 0 && s.every((x) => x === 'pass'), `${id}: ${s}`).toBe(true);
      // The bureau (holding its own log key and database) logs a confirmation by the chair, who is no teller,
      // signed with a key of its own, and a recusal nobody signed.
      const [hands] = await h.deps.db.selectFrom('ballot').select(['result_log_index', 'meeting_id']).where('id', '=', handsId).execute();
      const resultEntry = (await getEntry(h.deps.db, Number(hands!.result_log_index)))!;
      await h.deps.db.transaction().execute(async (trx) => {
        await appendEntry(
          trx,
          'tally-confirmation',
          { ballotId: handsId, resultLogIndex: resultEntry.index, resultDocHash: resultEntry.docHash, memberId: tablets[0]!.device.memberId, name: '成员1', unit: '成员单位1', role: 'scrutineer', deviceKey: '11'.repeat(32), checkinLogIndex: 0, signature: '22'.repeat(64) },
          { cycleId: '2026', refs: { result: resultEntry.index } },
        );
        const m3 = tablets[2]!.device.memberId;
        await appendEntry(
          trx,
          'recusal',
          { ballotId: secretId, meetingId, memberId: m3, name: '成员3', unit: '成员单位3', candidateId: 'c02', candidateName: '戊医院', declaredBy: 'member', signerMemberId: m3, signerName: '成员3', deviceKey: '11'.repeat(32), signature: tablets[0]!.sign(recusalMessage(secretId, m3, 'c02')), reason: '' },
          { cycleId: '2026' },
        );
      });
      const forged = await run();
      expect(forged['teller-signatures']).toContain('fail');
      expect(forged.recusals).toContain('fail');
    });
  });
}
