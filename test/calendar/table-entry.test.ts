// Entering a year's State Council table from its notice text (preview day by day, confirm, publish as a
// log entry); provisional due dates recomputed and re-published as logged corrections; overrides as log
// entries, refused inside a published window.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { getDocument, getEntry } from '../../src/log/index.js';
import { api, draftNotice, publish, setup, submitObjection, type NoticeJson, type ReceiptJson } from '../notices/support.js';
import { expectProblem } from '../support/problems.js';

const text2027 = readFileSync(new URL('./notices/2027.txt', import.meta.url), 'utf8');
const URL2027 = 'https://www.gov.cn/zhengce/content/202611/content_0000000.htm';

describeEachDb('the calendar in the log', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  let supervisor: string;
  let notice: NoticeJson;
  let receipt: ReceiptJson;
  const logged = async (index: number) => {
    const e = (await getEntry(t.db, index))!;
    return { type: e.type, refs: e.refs, doc: JSON.parse((await getDocument(t.db, e.docHash))!.body) as Record<string, unknown> };
  };
  const status = async (r: ReceiptJson) =>
    (await (await h.request('/api/v1/objections/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trackingNo: r.trackingNo, accessCode: r.accessCode }) })).json()) as Record<string, unknown>;

  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-12-23T02:00:00Z', config: { OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    ({ staff, supervisor } = await setup(h));
    notice = await publish(h, staff, (await draftNotice(h, staff)).id);
  });
  afterAll(async () => t.close());

  it('the window is counted with the 2026 table, logged before the notice and named by it', async () => {
    expect(notice.window).toMatchObject({ start: '2026-12-23', end: '2026-12-31' });
    const entries = (notice.window as unknown as { calendarEntries: number[] }).calendarEntries;
    expect(entries).toHaveLength(1);
    expect(entries[0]!).toBeLessThan(notice.logIndex!);
    expect(await logged(entries[0]!)).toMatchObject({ type: 'calendar-table', doc: { year: 2026, source: 'bundled', notice: { number: '国办发明电〔2025〕7号' } } });
  });

  it('a list published on 2026-12-24 needs the 2027 table: refused until it is entered', async () => {
    h.clock.set('2026-12-24T02:00:00Z');
    const d = await draftNotice(h, staff, { title: '2026年度拟进入现场评审组织名单公示', type: 'onsite-review' });
    await expectProblem(await api(h, staff)('POST', `/api/v1/notices/${d.id}/publish`), 422, 'calendar-year-unknown');
    // kept for the last test
    (globalThis as Record<string, unknown>).__draft2027 = d.id;
  });

  it('an objection received 2026-12-31 gets a provisional due date, marked with what it waits for', async () => {
    h.clock.set('2026-12-31T02:00:00Z');
    const res = await submitObjection(h, notice.id, {});
    expect(res.status, await res.clone().text()).toBe(201);
    receipt = (await res.json()) as ReceiptJson;
    // 2027-01-01 is 元旦 by law (第二条); working days after 12-31: 01-04 … 01-08.
    expect(receipt).toMatchObject({ receivedDate: '2026-12-31', dueDate: '2027-01-08', provisional: true, provisionalNote: { zh: '暂按周末和法定节假日计算，待国务院公布2027年安排后重算' } });
    const s = await status(receipt);
    expect(s).toMatchObject({ dueDate: '2027-01-08', dueProvisional: true, dueFirst: null, provisionalNote: { zh: expect.stringContaining('待国务院公布2027年安排后重算') } });
    const page = await (await h.request(`/notices/${notice.id}`)).text();
    expect(page).toContain('暂按周末和法定节假日计算，待国务院公布2027年安排后重算');
  });

  it('staff preview the 2027 notice day by day, then publish it; the provisional due date is recomputed as a logged correction', async () => {
    const s = api(h, staff);
    expect((await api(h, supervisor)('POST', '/api/v1/calendar/tables/preview', { text: text2027, url: URL2027 })).status).toBe(403);
    // A line the parser cannot read is refused as the staff's mistake (400), naming the line, never a 500.
    const garbled = text2027.replace(/一、元旦：[^\n]*/, '一、元旦：1月1日（周五）放假，另有安排。');
    const bad = await expectProblem(await s('POST', '/api/v1/calendar/tables/preview', { text: garbled, url: URL2027 }), 400, 'invalid-request');
    expect(bad).toMatchObject({ line: expect.stringContaining('另有安排'), detail: expect.stringContaining('The notice text cannot be read') });
    const pre = await s('POST', '/api/v1/calendar/tables/preview', { text: text2027, url: URL2027 });
    expect(pre.status, await pre.clone().text()).toBe(200);
    const preview = (await pre.json()) as { year: number; days: { date: string; weekday: string; kind: string; holiday: string }[]; confirm: string };
    expect(preview.year).toBe(2027);
    expect(preview.days[0]).toEqual({ date: '2027-01-01', weekday: '周五', kind: 'off', holiday: '元旦', item: '一' });
    expect(preview.days.filter((d) => d.kind === 'work').map((d) => d.date)).toEqual(['2027-02-14', '2027-02-20', '2027-04-25', '2027-05-08', '2027-09-26', '2027-10-09']);
    // A confirmation of another table is refused.
    await expectProblem(await s('POST', '/api/v1/calendar/tables', { text: text2027.replace('5月8日（周六）上班', '5月9日（周日）上班'), url: URL2027, confirm: preview.confirm }), 409, 'conflict');
    const res = await s('POST', '/api/v1/calendar/tables', { text: text2027, url: URL2027, confirm: preview.confirm });
    expect(res.status, await res.clone().text()).toBe(201);
    const out = (await res.json()) as { logIndex: number; corrections: { trackingNo: string; previous: string; current: string; provisionalNow: boolean; logIndex: number }[] };
    expect(await logged(out.logIndex)).toMatchObject({ type: 'calendar-table', doc: { year: 2027, source: 'entered', notice: { number: '国办发明电〔2026〕99号', url: URL2027 }, enteredBy: expect.any(String) } });
    expect(out.corrections).toEqual([{ trackingNo: receipt.trackingNo, previous: '2027-01-08', current: '2027-01-08', provisionalBefore: true, provisionalNow: false, logIndex: expect.any(Number) }]);
    const c = await logged(out.corrections[0]!.logIndex);
    expect(c).toMatchObject({ type: 'deadline-correction', refs: { receipt: receipt.receiptLogIndex, calendar: out.logIndex }, doc: { previous: { dueDate: '2027-01-08', provisional: true }, current: { dueDate: '2027-01-08', provisional: false, calendarEntries: expect.arrayContaining([out.logIndex]) }, cause: out.logIndex } });
    // The objector's status page shows both.
    expect(await status(receipt)).toMatchObject({ dueDate: '2027-01-08', dueProvisional: false, provisionalNote: null, dueFirst: { dueDate: '2027-01-08', provisional: true } });
    // Entering the same year again is refused.
    await expectProblem(await s('POST', '/api/v1/calendar/tables', { text: text2027, url: URL2027, confirm: preview.confirm }), 409, 'conflict');
  });

  it('a local override is a log entry; it moves a pending due date with a logged correction, and is refused inside a published window', async () => {
    const s = api(h, staff);
    await expectProblem(await s('POST', '/api/v1/calendar/overrides', { date: '2026-12-28', kind: 'off', reason: '试图缩短公示期' }), 409, 'conflict');
    const res = await s('POST', '/api/v1/calendar/overrides', { date: '2027-01-05', kind: 'off', reason: '杭州市本地调整（测试）' });
    expect(res.status, await res.clone().text()).toBe(201);
    const st = await status(receipt);
    expect(st).toMatchObject({ dueDate: '2027-01-11', dueFirst: { dueDate: '2027-01-08', provisional: true } });
    const d = (await (await s('GET', `/api/v1/objections/${receipt.objectionId}`)).json()) as { calendarEntries: number[]; events: { action: string }[] };
    expect(d.events.filter((e) => e.action === 'due-corrected')).toHaveLength(2);
    const kinds = await Promise.all(d.calendarEntries.map(async (i) => (await logged(i)).type));
    expect(kinds.sort()).toEqual(['calendar-override', 'calendar-table', 'calendar-table']);
  });

  it('the list refused on 2026-12-24 can now be published: its window runs into 2027 with the entered table', async () => {
    const id = (globalThis as Record<string, unknown>).__draft2027 as string;
    h.clock.set('2026-12-24T02:00:00Z');
    const n = await publish(h, staff, id);
    // 12-24, 25, 28, 29, 30, 31, then 2027-01-04 (元旦 01-01 to 03 off).
    expect(n.window).toMatchObject({ start: '2026-12-24', end: '2027-01-04' });
  });
});

// The entered table moves a provisional due date: 元旦 2027 one day longer (to Monday 01-04) with a
// make-up Saturday (01-09). Received Thursday 2026-12-31: provisionally due Friday 01-08 (weekends and
// 元旦 01-01 by law); with the table, 01-05 … 01-08 and Saturday 01-09 are the 5 working days.
const longer2027 = text2027.replace('一、元旦：1月1日（周五）至3日（周日）放假，共3天。', '一、元旦：1月1日（周五）至4日（周一）放假调休，共4天。1月9日（周六）上班。');

describeEachDb('an entered table that moves a provisional due date', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let staff: string;
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { now: '2026-12-23T02:00:00Z' });
    ({ staff } = await setup(h));
  });
  afterAll(async () => t.close());

  it('the correction is logged, the public list and the receipts show the new date, the objector sees both', async () => {
    expect(longer2027).not.toBe(text2027);
    const notice = await publish(h, staff, (await draftNotice(h, staff)).id);
    h.clock.set('2026-12-31T02:00:00Z');
    const res = await submitObjection(h, notice.id, {});
    expect(res.status, await res.clone().text()).toBe(201);
    const receipt = (await res.json()) as ReceiptJson;
    expect(receipt).toMatchObject({ dueDate: '2027-01-08', provisional: true });

    const s = api(h, staff);
    const preview = (await (await s('POST', '/api/v1/calendar/tables/preview', { text: longer2027, url: URL2027 })).json()) as { days: { date: string; kind: string }[]; confirm: string };
    expect(preview.days.filter((d) => d.date <= '2027-01-09').map((d) => `${d.date} ${d.kind}`)).toEqual(['2027-01-01 off', '2027-01-02 off', '2027-01-03 off', '2027-01-04 off', '2027-01-09 work']);
    const entered = await s('POST', '/api/v1/calendar/tables', { text: longer2027, url: URL2027, confirm: preview.confirm });
    expect(entered.status, await entered.clone().text()).toBe(201);
    const out = (await entered.json()) as { logIndex: number; corrections: { trackingNo: string; previous: string; current: string; logIndex: number }[] };
    expect(out.corrections).toEqual([{ trackingNo: receipt.trackingNo, previous: '2027-01-08', current: '2027-01-09', provisionalBefore: true, provisionalNow: false, logIndex: expect.any(Number) }]);
    const e = (await getEntry(t.db, out.corrections[0]!.logIndex))!;
    expect(e.type).toBe('deadline-correction');
    expect(JSON.parse((await getDocument(t.db, e.docHash))!.body)).toMatchObject({
      previous: { dueDate: '2027-01-08', provisional: true },
      current: { dueDate: '2027-01-09', provisional: false, calendarEntries: expect.arrayContaining([out.logIndex]) },
      cause: out.logIndex,
    });

    // Re-published: the public receipts, the notice page, and the objector's status (both dates).
    const pub = (await (await h.request(`/api/v1/notices/${notice.id}/receipts`)).json()) as { receipts: { trackingNo: string; dueDate: string; provisionalNote: unknown }[] };
    expect(pub.receipts.find((r) => r.trackingNo === receipt.trackingNo)).toMatchObject({ dueDate: '2027-01-09', provisionalNote: null });
    const page = await (await h.request(`/notices/${notice.id}`)).text();
    expect(page).toContain('2027-01-09');
    expect(page).not.toContain('待国务院公布2027年安排后重算');
    const st = (await (await h.request('/api/v1/objections/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trackingNo: receipt.trackingNo, accessCode: receipt.accessCode }) })).json()) as Record<string, unknown>;
    expect(st).toMatchObject({ dueDate: '2027-01-09', dueProvisional: false, dueFirst: { dueDate: '2027-01-08', provisional: true } });
  });
});
