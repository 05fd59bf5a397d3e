import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { cycleWithMembers, enrolledTablets, staffAndSupervisor } from '../support/actors.js';
import { getDocument, getEntry } from '../../src/log/index.js';
import { runScheduledJobs } from '../../src/jobs.js';
import { canonicalSubmission, normalizeText, submissionDigest } from '../../src/objections/digest.js';
import { decryptContact } from '../../src/objections/contact.js';
import { removeOrphans } from '../../src/objections/intake.js';
import { sanitizeFileName, sniffEvidenceType, zipEntryNames } from '../../src/objections/evidence.js';
import {
  api,
  DEFAULT_OBJECTION,
  docx,
  jpeg,
  ofd,
  pdf,
  png,
  publish,
  publishedNotice,
  draftNotice,
  rosterUnit,
  stored,
  submitObjection,
  zip,
  objectionForm,
  type NoticeJson,
  type ReceiptJson,
} from '../notices/support.js';
import { expectProblem } from '../support/problems.js';
import { sha256Hex } from '../../src/objections/digest.js';

describe('evidence files (pure)', () => {
  it('types are told by content; DOCX and OFD by their ZIP entries', () => {
    expect(sniffEvidenceType(pdf())).toBe('pdf');
    expect(sniffEvidenceType(png())).toBe('png');
    expect(sniffEvidenceType(jpeg())).toBe('jpeg');
    expect(sniffEvidenceType(docx())).toBe('docx');
    expect(sniffEvidenceType(ofd())).toBe('ofd');
    expect(zipEntryNames(docx())).toEqual(['[Content_Types].xml', 'word/document.xml', '_rels/.rels']);
    expect(sniffEvidenceType(zip({ 'a.txt': 'hello' }))).toBeNull();
    expect(sniffEvidenceType(zip({ 'word/document.xml': 'x' }))).toBeNull(); // no [Content_Types].xml
    expect(sniffEvidenceType(docx().slice(0, 40))).toBeNull(); // truncated: no central directory
    expect(sniffEvidenceType(new TextEncoder().encode('MZ\x90\x00 this is an exe'))).toBeNull();
    expect(sniffEvidenceType(new TextEncoder().encode(' %PDF-1.4'))).toBeNull();
  });

  it('file names lose paths, control and bidi characters, keep at most 100 characters and take the detected extension', () => {
    expect(sanitizeFileName('../../etc/passwd\u0000.exe', 'docx', 'f')).toBe('passwd.docx');
    expect(sanitizeFileName('C:\\Users\\a\\证据\u202e.fdp.pdf', 'pdf', 'f')).toBe('证据.fdp.pdf');
    expect(sanitizeFileName('report.pdf', 'png', 'f')).toBe('report.png');
    expect(sanitizeFileName('\u0001\u0002', 'jpeg', 'evidence-3')).toBe('evidence-3.jpg');
    expect(sanitizeFileName('a'.repeat(500) + '.pdf', 'pdf', 'f')).toBe('a'.repeat(100) + '.pdf');
    expect(sanitizeFileName('x<y>:"z".ofd', 'ofd', 'f')).toBe('x_y___z_.ofd');
  });
});

describeEachDb('objections', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let supervisor: string;
  let tablet: Awaited<ReturnType<typeof enrolledTablets>>[number];
  let notice: NoticeJson;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, {
      now: '2026-03-02T02:00:00Z',
      config: { OBJECTION_SUBMIT_RATE_LIMIT: 1000, OBJECTION_STATUS_RATE_LIMIT: 1000, EVIDENCE_FILE_LIMIT_BYTES: 4096, EVIDENCE_TOTAL_LIMIT_BYTES: 10_000 },
    });
    ({ staff, supervisor } = await staffAndSupervisor(h));
    [tablet] = (await enrolledTablets(h, await cycleWithMembers(h, staff, '2026', 1))) as [typeof tablet];
    notice = await publishedNotice(h, staff); // 2026-03-02 … 2026-03-10
  });
  afterAll(async () => t.close());

  it('a receipt: tracking number, access code once, due date 5 working days after receipt, reproducible digest', async () => {
    h.clock.set('2026-03-02T02:00:00Z');
    const files = [
      { name: 'a.pdf', data: pdf() },
      { name: '../照片.png', data: png() },
      { name: 'scan', data: jpeg() },
      { name: 'x.docx', data: docx() },
      { name: 'x.ofd', data: ofd() },
    ];
    const res = await submitObjection(h, notice.id, { files });
    expect(res.status, await res.clone().text()).toBe(201);
    const r = (await res.json()) as ReceiptJson;
    expect(r.trackingNo).toMatch(/^YY-20260302-[2-9A-Z]{6}$/);
    expect(r.accessCode).toMatch(/^([2-9A-Z]{5}-){3}[2-9A-Z]{5}$/);
    expect(r).toMatchObject({
      noticeId: notice.id,
      receivedAt: '2026-03-02T10:00:00.000+08:00',
      receivedDate: '2026-03-02',
      dueDate: '2026-03-09',
      dueEndsAt: '2026-03-09T23:59:59.999+08:00',
      dueMode: 'after',
      provisional: false,
    });
    expect(r.files.map((f) => [f.mediaType, f.name])).toEqual([
      ['application/pdf', 'a.pdf'],
      ['image/png', '照片.png'],
      ['image/jpeg', 'scan.jpg'],
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'x.docx'],
      ['application/ofd', 'x.ofd'],
    ]);
    // Anyone holding the submission reproduces the digest.
    const submission = {
      noticeId: notice.id,
      kind: 'person' as const,
      name: DEFAULT_OBJECTION.name,
      contact: DEFAULT_OBJECTION.contact,
      organisation: DEFAULT_OBJECTION.organisation,
      facts: DEFAULT_OBJECTION.facts,
      reasons: DEFAULT_OBJECTION.reasons,
      files: files.map((f) => ({ sha256: sha256Hex(f.data), size: f.data.length })),
      identity: { kind: 'person' as const, idNumber: DEFAULT_OBJECTION.idNumber, signature: DEFAULT_OBJECTION.signature },
      letter: null,
      noEvidence: false,
    };
    expect(submissionDigest(submission)).toBe(r.digest);
    expect(canonicalSubmission(submission)).toContain('"facts":"该公司2025年发生一起质量事故。\\n详见附件。"');
    expect(normalizeText(' a\r\nb\r ')).toBe('a\nb');
    // Files are content-addressed.
    for (const f of r.files) expect(await h.objects.has(f.sha256)).toBe(true);
    // Only the hash of the access code is stored.
    const row = await t.db.selectFrom('objection').selectAll().where('tracking_no', '=', r.trackingNo).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(r.accessCode);
  });

  it('the receipt is in the public log: digest, notice, dates, calendar version — no objector, no content', async () => {
    h.clock.set('2026-03-03T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id)).json()) as ReceiptJson;
    const entry = await getEntry(t.db, r.receiptLogIndex);
    expect(entry).toMatchObject({ type: 'objection-receipt', cycleId: '2026', docHash: r.receiptDocumentHash, refs: { notice: notice.logIndex } });
    const doc = await getDocument(t.db, r.receiptDocumentHash);
    const body = JSON.parse(doc!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      trackingNo: r.trackingNo,
      noticeId: notice.id,
      noticeLogIndex: notice.logIndex,
      digest: r.digest,
      receivedDate: '2026-03-03',
      dueDate: '2026-03-10',
      calendarVersion: r.calendarVersion,
    });
    for (const secret of [DEFAULT_OBJECTION.name, '13800000000', '质量事故', '申报条件', DEFAULT_OBJECTION.organisation, r.accessCode]) {
      expect(doc!.body).not.toContain(secret);
      expect(new TextDecoder().decode(entry!.bytes)).not.toContain(secret);
    }
    expect(Object.keys(body)).not.toContain('receivedAt');
    // The public list of receipts says the same, and nothing more.
    const pub = (await (await api(h)('GET', `/api/v1/notices/${notice.id}/receipts`)).json()) as { receipts: Record<string, unknown>[] };
    const mine = pub.receipts.find((x) => x.trackingNo === r.trackingNo)!;
    expect(mine).toMatchObject({ digest: r.digest, receiptLogIndex: r.receiptLogIndex, dueDate: '2026-03-10' });
    expect(JSON.stringify(pub)).not.toContain(DEFAULT_OBJECTION.name);
  });

  it('window edges: the last millisecond of the last day (Beijing) is accepted, the next one refused, nothing stored', async () => {
    h.clock.set('2026-03-10T15:59:59.999Z'); // 2026-03-10 23:59:59.999 +08:00
    const ok = await submitObjection(h, notice.id);
    expect(ok.status).toBe(201);
    const r = (await ok.json()) as ReceiptJson;
    expect(r.receivedDate).toBe('2026-03-10');
    expect(r.dueDate).toBe('2026-03-17');
    const before = await stored(h);
    h.clock.set('2026-03-10T16:00:00.000Z'); // 2026-03-11 00:00 Beijing
    const body = await expectProblem(await submitObjection(h, notice.id, { files: [{ name: 'new.pdf', data: pdf('unique-late') }] }), 409, 'objection-window-closed');
    expect(body.window).toMatchObject({ start: '2026-03-02', end: '2026-03-10', closesAt: '2026-03-10T23:59:59.999+08:00' });
    expect(String(body.detail_zh)).toContain('2026-03-10');
    expect(await stored(h)).toEqual(before);
  });

  it('before publication an objection is refused and nothing is stored', async () => {
    h.clock.set('2026-03-02T02:00:00Z');
    const d = await draftNotice(h, staff);
    const before = await stored(h);
    await expectProblem(await submitObjection(h, d.id, { files: [{ name: 'x.pdf', data: pdf('draft') }] }), 409, 'objection-window-closed');
    await expectProblem(await submitObjection(h, 'n_AAAAAAAAAAAA'), 404, 'not-found');
    expect(await stored(h)).toEqual(before);
  });

  it('every invalid submission is a clear 4xx and leaves no row and no file', async () => {
    h.clock.set('2026-03-03T02:00:00Z');
    const before = await stored(h);
    const unique = (s: string) => pdf(s);
    const cases: [string, Promise<Response>, number, string][] = [
      ['wrong type (text named .pdf)', submitObjection(h, notice.id, { files: [{ name: 'a.pdf', data: new TextEncoder().encode('just text'), type: 'application/pdf' }] }), 415, 'unsupported-media-type'],
      ['a ZIP that is neither DOCX nor OFD', submitObjection(h, notice.id, { files: [{ name: 'a.docx', data: zip({ 'evil.exe': 'MZ' }) }] }), 415, 'unsupported-media-type'],
      ['second file wrong, first fine', submitObjection(h, notice.id, { files: [{ name: 'a.pdf', data: unique('w2') }, { name: 'b.png', data: new Uint8Array([1, 2, 3]) }] }), 415, 'unsupported-media-type'],
      ['file over the per-file limit', submitObjection(h, notice.id, { files: [{ name: 'big.pdf', data: pdf('x'.repeat(5000)) }] }), 413, 'payload-too-large'],
      ['files over the total limit', submitObjection(h, notice.id, { files: [1, 2, 3].map((i) => ({ name: `f${i}.pdf`, data: pdf(`${i}`.repeat(3900)) })) }), 413, 'payload-too-large'],
      ['eleven files', submitObjection(h, notice.id, { files: Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.pdf`, data: unique(`n${i}`) })) }), 400, 'invalid-request'],
      ['an empty file', submitObjection(h, notice.id, { files: [{ name: 'e.pdf', data: new Uint8Array(0) }] }), 400, 'invalid-request'],
      ['missing facts', submitObjection(h, notice.id, { omit: ['facts'], files: [{ name: 'a.pdf', data: unique('mf') }] }), 400, 'invalid-request'],
      ['blank reasons', submitObjection(h, notice.id, { reasons: '  \r\n ', files: [{ name: 'a.pdf', data: unique('br') }] }), 400, 'invalid-request'],
      ['facts too long', submitObjection(h, notice.id, { facts: '事'.repeat(20_001), files: [{ name: 'a.pdf', data: unique('tl') }] }), 400, 'invalid-request'],
      ['declaration not true', submitObjection(h, notice.id, { declaration: 'false', files: [{ name: 'a.pdf', data: unique('dc') }] }), 400, 'invalid-request'],
      ['bad kind', submitObjection(h, notice.id, { kind: 'robot', files: [{ name: 'a.pdf', data: unique('bk') }] }), 400, 'invalid-request'],
      ['unknown field', submitObjection(h, notice.id, { extra: { admin: '1' }, files: [{ name: 'a.pdf', data: unique('uf') }] }), 400, 'invalid-request'],
      ['duplicated field', submitObjection(h, notice.id, { extra: { name: '李四' }, files: [{ name: 'a.pdf', data: unique('df') }] }), 400, 'invalid-request'],
      ['organisation not on the notice', submitObjection(h, notice.id, { organisation: '杭州某不在名单公司', files: [{ name: 'a.pdf', data: unique('on') }] }), 422, 'unprocessable'],
      [
        'JSON instead of multipart',
        h.request(`/api/v1/notices/${notice.id}/objections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEFAULT_OBJECTION) }),
        415,
        'unsupported-media-type',
      ],
      [
        'Content-Length over the limit (refused before reading)',
        h.request(`/api/v1/notices/${notice.id}/objections`, {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(10_000 + 1024 * 1024 + 1) },
          body: 'x',
        }),
        413,
        'payload-too-large',
      ],
      [
        'a body over the limit without Content-Length (refused while reading)',
        h.request(`/api/v1/notices/${notice.id}/objections`, {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
          body: new ReadableStream({
            start(c) {
              for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(64 * 1024));
              c.close();
            },
          }),
          duplex: 'half',
        } as RequestInit),
        413,
        'payload-too-large',
      ],
      ['malformed multipart', h.request(`/api/v1/notices/${notice.id}/objections`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, body: 'garbage' }), 400, 'invalid-request'],
    ];
    for (const [what, pending, status, slug] of cases) {
      const res = await pending;
      const body = (await res.clone().json()) as Record<string, unknown>;
      expect(res.status, `${what}: ${JSON.stringify(body)}`).toBe(status);
      await expectProblem(res, status, slug);
    }
    expect(await stored(h)).toEqual(before);
  });

  it('a refused upload states the sizes and the limit in KB or MB as people read them, never in bytes', async () => {
    h.clock.set('2026-03-03T02:00:00Z');
    const one = await expectProblem(await submitObjection(h, notice.id, { files: [{ name: 'big.pdf', data: pdf('x'.repeat(5000)) }] }), 413, 'payload-too-large');
    expect(one.detail_zh).toMatch(/^第 1 个佐证材料文件为 [45](\.\d)? KB，单个文件不得超过 4 KB。$/);
    expect(one.detail).toMatch(/^Evidence file 1 is [45](\.\d)? KB; each file may be at most 4 KB\.$/);
    const all = await expectProblem(
      await submitObjection(h, notice.id, { files: [1, 2, 3].map((i) => ({ name: `f${i}.pdf`, data: pdf(`${i}`.repeat(3900)) })) }),
      413,
      'payload-too-large',
    );
    // 10,000 bytes is 9.76 KB: the limit is rounded down, so a file shown within it is within it.
    expect(all.detail_zh).toMatch(/^佐证材料合计 1[12](\.\d)? KB，超过 9\.7 KB 的上限。$/);
  });

  it('due dates across holidays: before National Day 2026 and before the Spring Festival 2026', async () => {
    // A list published on Thursday 2026-09-24: 24, 28, 29, 30, Oct 8, 9 and Saturday Oct 10 (调休上班).
    h.clock.set('2026-09-24T02:00:00Z');
    const n = await publishedNotice(h, staff);
    expect(n.window).toMatchObject({ start: '2026-09-24', end: '2026-10-10' });
    h.clock.set('2026-09-30T09:00:00Z'); // Wednesday 17:00 Beijing
    const a = (await (await submitObjection(h, n.id)).json()) as ReceiptJson;
    // After 09-30: Oct 1–7 off, 8, 9, 10 (Saturday, worked), 12, 13.
    expect(a).toMatchObject({ receivedDate: '2026-09-30', dueDate: '2026-10-13', dueEndsAt: '2026-10-13T23:59:59.999+08:00' });
    // The make-up Saturday is the window's last day: objections are taken until its 24:00.
    h.clock.set('2026-10-10T15:59:59.999Z');
    const b = (await (await submitObjection(h, n.id)).json()) as ReceiptJson;
    expect(b).toMatchObject({ receivedDate: '2026-10-10', dueDate: '2026-10-16' });
    h.clock.set('2026-10-10T16:00:00Z');
    await expectProblem(await submitObjection(h, n.id), 409, 'objection-window-closed');

    h.clock.set('2026-02-09T02:00:00Z');
    const sf = await publishedNotice(h, staff);
    h.clock.set('2026-02-13T08:00:00Z'); // Friday before the Spring Festival
    const c = (await (await submitObjection(h, sf.id)).json()) as ReceiptJson;
    // 14 (Saturday, worked), 15–23 off, 24, 25, 26, 27.
    expect(c).toMatchObject({ receivedDate: '2026-02-13', dueDate: '2026-02-27' });
  });

  it('privacy: the objector is visible to staff and supervisors only, and encrypted at rest', async () => {
    h.clock.set('2026-03-04T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id, { name: '王五(隐私)', contact: '联系电话 13912345678' })).json()) as ReceiptJson;
    const path = `/api/v1/objections/${r.objectionId}`;
    await tablet.signIn(); // a fresh member session at this clock
    const member = tablet.session!;
    await expectProblem(await api(h)('GET', path), 401, 'unauthorized');
    await expectProblem(await api(h, member)('GET', path), 403, 'forbidden');
    await expectProblem(await api(h, member)('GET', '/api/v1/objections'), 403, 'forbidden');
    await expectProblem(await api(h)('GET', `${path}/files/1`), 401, 'unauthorized');
    for (const who of [staff, supervisor]) {
      const d = (await (await api(h, who)('GET', path)).json()) as Record<string, unknown>;
      expect(d).toMatchObject({ name: '王五(隐私)', contact: '联系电话 13912345678', trackingNo: r.trackingNo, dueDate: '2026-03-11' });
      const file = await api(h, who)('GET', `${path}/files/1`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(pdf());
    }
    // Supervisors read only.
    await expectProblem(await api(h, supervisor)('POST', `${path}/decision`, { decision: 'rejected', summary: 'x' }), 403, 'forbidden');
    // The columns hold iv ‖ ciphertext, not the text.
    const row = await t.db.selectFrom('objection').select(['id', 'name_enc', 'contact_enc']).where('id', '=', r.objectionId).executeTakeFirstOrThrow();
    const raw = Buffer.from(row.name_enc).toString('latin1') + Buffer.from(row.contact_enc).toString('latin1');
    expect(raw).not.toContain('13912345678');
    expect(Buffer.from(row.name_enc).includes(Buffer.from('王五'))).toBe(false);
    expect(row.name_enc.length).toBe(12 + new TextEncoder().encode('王五(隐私)').length + 16);
    expect(await decryptContact(h.deps.keys.contactKey, row.id, 'name', row.name_enc)).toBe('王五(隐私)');
    // Bound to its row and field: swapped, it does not decrypt.
    await expect(decryptContact(h.deps.keys.contactKey, row.id, 'contact', row.name_enc)).rejects.toThrow();
    // Nothing public carries it.
    const pub = await (await api(h)('GET', `/api/v1/notices/${notice.id}/receipts`)).text();
    expect(pub).not.toContain('王五');
  });

  it('status look-up: right code answers; a wrong code and an unknown number give the same answer', async () => {
    h.clock.set('2026-03-04T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id)).json()) as ReceiptJson;
    const status = (trackingNo: string, accessCode: string) => api(h)('POST', '/api/v1/objections/status', { trackingNo, accessCode });
    const ok = await status(r.trackingNo, r.accessCode.toLowerCase().replaceAll('-', ' '));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ trackingNo: r.trackingNo, status: 'received', dueDate: '2026-03-11', workingDaysLeft: 5, overdue: false, result: null });
    const wrong = await status(r.trackingNo, 'AAAAA-AAAAA-AAAAA-AAAAA');
    const unknown = await status('YY-20260304-ZZZZZZ', r.accessCode);
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('handling: assign member units, findings, decision, then the 异议核查结果 notice (by tracking number, no objector)', async () => {
    h.clock.set('2026-03-05T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id, { name: '赵六', organisation: '杭州丙服务集团' })).json()) as ReceiptJson;
    const s = api(h, staff);
    const path = `/api/v1/objections/${r.objectionId}`;
    // The units are member units of the judging group; each unit's finding is recorded.
    for (const unit of ['市经信局', '市应急管理局']) await rosterUnit(h, staff, unit);
    expect((await s('POST', `${path}/assignment`, { units: ['市经信局', '市应急管理局'] })).status).toBe(200);
    expect((await s('POST', `${path}/findings`, { unit: '市应急管理局', findings: '经会同市应急管理局核查,该事故不属于重大事故。' })).status).toBe(200);
    expect((await s('POST', `${path}/findings`, { unit: '市经信局', findings: '经核查,情况属实,不属于重大事故。' })).status).toBe(200);
    // A result notice needs decided objections.
    const early = await draftNotice(h, staff, { type: 'objection-result', title: '异议核查结果公示', organisations: undefined, objectionIds: [r.objectionId] });
    await expectProblem(await api(h, staff)('POST', `/api/v1/notices/${early.id}/publish`), 409, 'conflict');
    const decided = (await (await s('POST', `${path}/decision`, { decision: 'rejected', summary: '经核查,异议不成立。' })).json()) as Record<string, unknown>;
    expect(decided).toMatchObject({ status: 'decided', decision: 'rejected', assignedUnits: ['市经信局', '市应急管理局'] });
    h.clock.set('2026-03-06T02:00:00Z');
    const result = await publish(h, staff, early.id);
    expect(result.window).toBeNull();
    expect(result.document).toMatchObject({
      type: 'objection-result',
      organisations: [{ name: '杭州丙服务集团' }],
      objections: [{ trackingNo: r.trackingNo, receiptLogIndex: r.receiptLogIndex, decision: 'rejected', summary: '经核查,异议不成立。', dueDate: r.dueDate }],
    });
    expect(JSON.stringify(result.document)).not.toContain('赵六');
    expect((await getEntry(t.db, result.logIndex!))?.refs).toEqual({ 'receipt.0': r.receiptLogIndex });
    // The objector sees the result; the objection is closed.
    const st = (await (await api(h)('POST', '/api/v1/objections/status', { trackingNo: r.trackingNo, accessCode: r.accessCode })).json()) as Record<string, unknown>;
    expect(st).toMatchObject({ status: 'result-published', result: { decision: 'rejected', decisionName: '不成立', noticeId: result.id } });
    await expectProblem(await s('POST', `${path}/decision`, { decision: 'upheld', summary: 'x' }), 409, 'conflict');
    const detail = (await (await s('GET', path)).json()) as { events: { action: string }[]; status: string };
    expect(detail.status).toBe('published');
    expect(detail.events.map((e) => e.action)).toEqual(['received', 'assigned', 'findings', 'findings', 'decided', 'result-published']);
    // Objection results take no objections.
    await expectProblem(await submitObjection(h, result.id), 409, 'notice-not-objectable');
  });

  it('the scheduled job flags overdue objections and closed windows, once', async () => {
    h.clock.set('2026-03-06T02:00:00Z');
    const r = (await (await submitObjection(h, notice.id)).json()) as ReceiptJson;
    expect(r.dueDate).toBe('2026-03-13');
    h.clock.set('2026-03-13T15:59:59.999Z');
    let list = (await (await api(h, supervisor)('GET', `/api/v1/objections?noticeId=${notice.id}`)).json()) as { objections: Record<string, unknown>[] };
    expect(list.objections.find((o) => o.id === r.objectionId)).toMatchObject({ overdue: false, workingDaysLeft: 1 });
    h.clock.set('2026-03-13T16:00:00Z');
    const first = (await runScheduledJobs(h.deps))['objections-deadlines'] as Record<string, number>;
    expect(first.overdueFlagged).toBeGreaterThanOrEqual(1);
    expect(first.windowsClosed).toBeGreaterThanOrEqual(1);
    const second = (await runScheduledJobs(h.deps))['objections-deadlines'] as Record<string, number>;
    expect(second).toMatchObject({ overdueFlagged: 0, windowsClosed: 0 });
    list = (await (await api(h, staff)('GET', '/api/v1/objections?overdue=true')).json()) as { objections: Record<string, unknown>[] };
    expect(list.objections.find((o) => o.id === r.objectionId)).toMatchObject({ overdue: true, workingDaysLeft: 0 });
    const row = await t.db.selectFrom('objection').select('overdue_flagged_at').where('id', '=', r.objectionId).executeTakeFirstOrThrow();
    expect(row.overdue_flagged_at?.toISOString()).toBe('2026-03-13T16:00:00.000Z');
    const d = (await (await api(h, staff)('GET', `/api/v1/objections/${r.objectionId}`)).json()) as { events: { action: string }[] };
    expect(d.events.filter((e) => e.action === 'overdue')).toHaveLength(1);
  });

  it('rate limits per address, counted under a keyed hash of the address', async () => {
    const t2 = await openTestDb(kind);
    try {
      const h2 = testApp(t2, { now: '2026-03-02T02:00:00Z', config: { OBJECTION_SUBMIT_RATE_LIMIT: 2, OBJECTION_STATUS_RATE_LIMIT: 2 } });
      const s = await staffAndSupervisor(h2);
      await api(h2, s.staff)('POST', '/api/v1/cycles', { id: '2026', name: '2026' });
      await api(h2, s.staff)('PUT', '/api/v1/cycles/2026/objection-intake', EXAMPLE_INTAKE);
      const n = await publishedNotice(h2, s.staff);
      // The address is the one the entry point determined (the socket's peer): headers a client sets
      // change nothing — rotating them does not escape the limit.
      const ip = '203.0.113.7';
      const spoof = (n: number) => ({ 'x-forwarded-for': `10.9.9.${n}`, 'cf-connecting-ip': `10.8.8.${n}` });
      expect((await submitObjection(h2, n.id, {}, spoof(1), ip)).status).toBe(201);
      expect((await submitObjection(h2, n.id, {}, spoof(2), ip)).status).toBe(201);
      const limited = await submitObjection(h2, n.id, {}, spoof(3), ip);
      await expectProblem(limited, 429, 'too-many-requests');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      for (let i = 4; i < 10; i++) expect((await submitObjection(h2, n.id, {}, spoof(i), ip)).status).toBe(429);
      expect((await submitObjection(h2, n.id, {}, {}, '198.51.100.1')).status).toBe(201);
      const look = () => h2.request('/api/v1/objections/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trackingNo: 'x', accessCode: 'y' }), address: ip });
      expect((await look()).status).toBe(404);
      expect((await look()).status).toBe(404);
      expect((await look()).status).toBe(429);
      const rows = await t2.db.selectFrom('objection_rate_limit').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain('203.0.113.7');
      expect(JSON.stringify(rows)).not.toContain('198.51.100.1');
      // A new window starts afresh; ended windows are purged by the job.
      h2.clock.set('2026-03-02T03:00:00Z');
      expect((await submitObjection(h2, n.id, {}, {}, ip)).status).toBe(201);
      const job = (await runScheduledJobs(h2.deps))['objections-deadlines'] as Record<string, number>;
      expect(job.rateLimitRowsPurged).toBeGreaterThanOrEqual(3);
    } finally {
      await t2.close();
    }
  });

  it('a failed write removes the evidence files it stored, and only those no objection references', async () => {
    const used = (await t.db.selectFrom('objection_file').select('sha256').executeTakeFirstOrThrow()).sha256;
    await h.objects.put('f'.repeat(64), pdf('orphan'), 'application/pdf');
    await removeOrphans(h.deps, [used, 'f'.repeat(64)]);
    expect(await h.objects.has(used)).toBe(true);
    expect(await h.objects.has('f'.repeat(64))).toBe(false);
  });

  it('the same evidence in two objections is stored once', async () => {
    h.clock.set('2026-03-09T02:00:00Z');
    const before = (await h.objects.list()).length;
    const one = (await (await submitObjection(h, notice.id, { files: [{ name: 'same.pdf', data: pdf('shared') }] })).json()) as ReceiptJson;
    const two = (await (await submitObjection(h, notice.id, { files: [{ name: 'other-name.pdf', data: pdf('shared') }] })).json()) as ReceiptJson;
    expect(one.files[0]!.sha256).toBe(two.files[0]!.sha256);
    expect((await h.objects.list()).length).toBe(before + 1);
    expect(objectionForm()).toBeInstanceOf(FormData);
  });
});
