// Identified objectors (a person's 居民身份证号码 and signature, a unit's 统一社会信用代码, contact person and
// sealed letter), evidence or an explicit 未提供佐证材料, anonymous objections refused with nothing
// stored, and paper/post/fax objections registered by staff with their receipt date and postmark.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { staffAndSupervisor } from '../support/actors.js';
import { getDocument, getEntry } from '../../src/log/index.js';
import { api, pdf, png, publishedNotice, rosterUnit, setup, verifiedBy, stored, submitObjection, objectionForm, UNIT_OBJECTOR, type NoticeJson, type ReceiptJson } from '../notices/support.js';
import { expectProblem } from '../support/problems.js';

describeEachDb('identified objectors', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let supervisor: string;
  let notice: NoticeJson;
  let n = 0;
  const unique = (tag: string) => pdf(`${tag}-${n++}`);

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-03-02T02:00:00Z', config: { OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    ({ staff, supervisor } = await setup(h));
    notice = await publishedNotice(h, staff); // 2026-03-02 … 2026-03-10
  });
  afterAll(async () => t.close());

  const detail = async (id: string) => (await (await api(h, supervisor)('GET', `/api/v1/objections/${id}`)).json()) as Record<string, unknown>;

  it('a unit objects with its credit code, contact person, sealed letter and evidence; identity encrypted, never public', async () => {
    const res = await submitObjection(h, notice.id, { ...UNIT_OBJECTOR, letter: { name: '盖章异议书.pdf', data: unique('sealed') }, files: [{ name: '证据.png', data: png() }] });
    expect(res.status, await res.clone().text()).toBe(201);
    const r = (await res.json()) as ReceiptJson;
    expect(r).toMatchObject({ channel: 'online', noEvidence: false, letter: { name: '盖章异议书.pdf', mediaType: 'application/pdf' } });
    expect(r.files).toHaveLength(1);
    const d = await detail(r.objectionId);
    expect(d).toMatchObject({ kind: 'unit', identity: { kind: 'unit', creditCode: '91350100M000100Y43', contactPerson: '李四' }, letter: { position: 0 }, noEvidence: false });
    const row = await t.db.selectFrom('objection').selectAll().where('id', '=', r.objectionId).executeTakeFirstOrThrow();
    expect(Buffer.from(row.identity_enc!).includes(Buffer.from('91350100M000100Y43'))).toBe(false);
    const letter = await h.request(`/api/v1/objections/${r.objectionId}/files/0`, { headers: { authorization: `Bearer ${staff}` } });
    expect(letter.status).toBe(200);
    // The public sees neither the code nor the contact person.
    const pub = JSON.stringify(await (await h.request(`/api/v1/notices/${notice.id}/receipts`)).json()) + (await (await h.request(`/notices/${notice.id}`)).text());
    const entry = await getEntry(t.db, r.receiptLogIndex);
    const logged = (await getDocument(t.db, entry!.docHash))!.body;
    for (const s of [pub, logged]) {
      expect(s).not.toContain('91350100M000100Y43');
      expect(s).not.toContain('李四');
    }
    expect(JSON.parse(logged)).toMatchObject({ channel: 'online', objectorKind: 'unit', evidenceFiles: 1, noEvidence: false, calendarEntries: [expect.any(Number)] });
  });

  it('a person objects with ID number and typed signature; or with a signed letter instead of the signature', async () => {
    const typed = await submitObjection(h, notice.id, { files: [{ name: 'a.pdf', data: unique('p1') }] });
    expect(typed.status, await typed.clone().text()).toBe(201);
    const d = await detail(((await typed.json()) as ReceiptJson).objectionId);
    expect(d).toMatchObject({ identity: { kind: 'person', idNumber: '330106199003071236', signature: '张三' } });
    const letter = await submitObjection(h, notice.id, { omit: ['signature'], letter: { name: '签名异议书.jpg', data: unique('p2') }, files: [{ name: 'a.pdf', data: unique('p3') }] });
    expect(letter.status, await letter.clone().text()).toBe(201);
  });

  it('refuses, with nothing stored: anonymous, a bad ID or credit code, no signature, a unit without seal or contact, no evidence', async () => {
    const before = await stored(h);
    const cases: [string, Parameters<typeof submitObjection>[2], RegExp][] = [
      ['anonymous name', { name: '匿名' }, /匿名异议不予受理/],
      ['no ID number', { omit: ['idNumber'] }, /匿名异议不予受理/],
      ['ID check digit wrong', { idNumber: '330106199003071237' }, /居民身份证号码校验码不符/],
      ['ID birth date impossible', { idNumber: '330106199002301236' }, /出生日期无效/],
      ['signature not the name', { signature: '李四' }, /签名须与所填姓名一致/],
      ['no signature and no letter', { omit: ['signature'] }, /请签署本人真实姓名/],
      ['unit without credit code', { ...UNIT_OBJECTOR, creditCode: undefined, letter: { name: 'l.pdf', data: unique('u0') } }, /匿名异议不予受理/],
      ['credit code check wrong', { ...UNIT_OBJECTOR, creditCode: '91350100M000100Y44', letter: { name: 'l.pdf', data: unique('u1') } }, /统一社会信用代码校验码不符/],
      ['unit without sealed letter', { ...UNIT_OBJECTOR }, /加盖公章的异议书扫描件/],
      ['unit without contact person', { ...UNIT_OBJECTOR, contactPerson: undefined, letter: { name: 'l.pdf', data: unique('u2') } }, /须写明联系人/],
      ['no evidence and no statement', { files: [] }, /至少上传一份佐证材料/],
      ['evidence and the statement together', { noEvidence: 'true' }, /不能同时勾选/],
    ];
    for (const [what, input, zh] of cases) {
      const body = await expectProblem(await submitObjection(h, notice.id, { files: [{ name: 'a.pdf', data: unique('r') }], ...input }), 400, 'invalid-request');
      expect(String(body.detail_zh), what).toMatch(zh);
    }
    expect(await stored(h)).toEqual(before);
  });

  it('an explicit 未提供佐证材料 is recorded and printed on the result notice', async () => {
    const res = await submitObjection(h, notice.id, { files: [], noEvidence: 'true', organisation: '杭州丙服务集团' });
    expect(res.status, await res.clone().text()).toBe(201);
    const r = (await res.json()) as ReceiptJson;
    expect(r).toMatchObject({ noEvidence: true, files: [] });
    const s = api(h, staff);
    const path = `/api/v1/objections/${r.objectionId}`;
    // A decision rests on a member unit's finding.
    await rosterUnit(h, staff, '市经信局');
    await verifiedBy(h, staff, r.objectionId, { 市经信局: '经核查，反映情况不属实。' });
    expect((await s('POST', `${path}/decision`, { decision: 'rejected', summary: '经核查，异议不成立。' })).status).toBe(200);
    const draft = (await (await s('POST', '/api/v1/notices', { cycleId: '2026', type: 'objection-result', title: '异议核查结果公示', body: '现将异议核查结果公示如下。', objectionIds: [r.objectionId] })).json()) as { id: string };
    const pub = (await (await s('POST', `/api/v1/notices/${draft.id}/publish`)).json()) as NoticeJson;
    expect((pub.document!.objections as Record<string, unknown>[])[0]).toMatchObject({ trackingNo: r.trackingNo, noEvidence: true });
    expect(await (await h.request(`/notices/${draft.id}`)).text()).toContain('未提供佐证材料');
  });

  describe('paper, post and fax objections registered by staff', () => {
    const register = (token: string | null, reg: Record<string, string>, input: Parameters<typeof objectionForm>[0] = {}) => {
      const form = objectionForm({ files: [{ name: '扫描件.pdf', data: unique('paper') }], letter: { name: '来信扫描.pdf', data: unique('letter') }, omit: ['signature'], ...input });
      for (const [k, v] of Object.entries(reg)) form.append(k, v);
      return h.request(`/api/v1/notices/${notice.id}/objections/registered`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
    };

    it('staff only', async () => {
      expect((await register(null, { channel: 'in-person', receivedDate: '2026-03-03' })).status).toBe(401);
      expect((await register(supervisor, { channel: 'in-person', receivedDate: '2026-03-03' })).status).toBe(403);
    });

    it('a letter posted on the last day (postmark) and received after the window: accepted, its clock runs from receipt', async () => {
      h.clock.set('2026-03-13T02:00:00Z'); // Friday, window closed on 03-10
      const res = await register(staff, { channel: 'post', receivedDate: '2026-03-12', postmarkDate: '2026-03-10' });
      expect(res.status, await res.clone().text()).toBe(201);
      const r = (await res.json()) as ReceiptJson;
      // Received Thursday 03-12; 5 working days after: 03-19.
      expect(r).toMatchObject({ channel: 'post', postmarkDate: '2026-03-10', receivedDate: '2026-03-12', dueDate: '2026-03-19' });
      expect(r.trackingNo).toMatch(/^YY-20260312-/);
      const doc = JSON.parse((await getDocument(t.db, (await getEntry(t.db, r.receiptLogIndex))!.docHash))!.body);
      expect(doc).toMatchObject({ channel: 'post', postmarkDate: '2026-03-10', receivedDate: '2026-03-12', registeredAt: expect.stringMatching(/^2026-03-13T10:00/) });
      const d = await detail(r.objectionId);
      expect(d).toMatchObject({ channel: 'post', postmarkDate: '2026-03-10', registeredBy: expect.stringContaining('staff') });
      // The status look-up works with the receipt's access code, as for an online objection.
      const st = await h.request('/api/v1/objections/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trackingNo: r.trackingNo, accessCode: r.accessCode }) });
      expect(st.status).toBe(200);
    });

    it('refuses a late postmark, a late hand delivery, a future receipt date, a postmark for a fax', async () => {
      h.clock.set('2026-03-13T02:00:00Z');
      const before = await stored(h);
      await expectProblem(await register(staff, { channel: 'post', receivedDate: '2026-03-12', postmarkDate: '2026-03-11' }), 409, 'objection-window-closed');
      await expectProblem(await register(staff, { channel: 'in-person', receivedDate: '2026-03-11' }), 409, 'objection-window-closed');
      await expectProblem(await register(staff, { channel: 'fax', receivedDate: '2026-03-14' }), 400, 'invalid-request');
      await expectProblem(await register(staff, { channel: 'fax', receivedDate: '2026-03-05', postmarkDate: '2026-03-04' }), 400, 'invalid-request');
      await expectProblem(await register(staff, { channel: 'post', receivedDate: '2026-03-05' }), 400, 'invalid-request');
      // Anonymous on paper is refused too.
      await expectProblem(await register(staff, { channel: 'in-person', receivedDate: '2026-03-05' }, { name: '无名氏' }), 400, 'invalid-request');
      expect(await stored(h)).toEqual(before);
    });

    it('a fax received within the window: the receipt date drives the clock', async () => {
      h.clock.set('2026-03-13T02:00:00Z');
      const res = await register(staff, { channel: 'fax', receivedDate: '2026-03-06' });
      expect(res.status, await res.clone().text()).toBe(201);
      // Friday 03-06 + 5 working days (after) = Friday 03-13.
      expect(await res.json()).toMatchObject({ channel: 'fax', receivedDate: '2026-03-06', dueDate: '2026-03-13' });
    });
  });
});
