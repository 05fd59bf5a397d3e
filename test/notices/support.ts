// Shared by test/notices and test/objections: a cycle with staff and supervisor, notices, multipart
// objections, tiny evidence files (PDF, PNG, and stored ZIPs built here for DOCX and OFD).
import { expect } from 'vitest';
import { staffAndSupervisor } from '../support/actors.js';
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';
import type { ObjectionReceiptJson as Receipt } from '../../src/objections/responses.js';
import type { TestApp } from '../support/app.js';

// The one problem check, also reachable from here for the notice and objection tests.
export { expectProblem } from '../support/problems.js';

export async function setup(h: TestApp, cycleId = '2026') {
  const tokens = await staffAndSupervisor(h);
  const res = await h.request('/api/v1/cycles', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.staff}` },
    body: JSON.stringify({ id: cycleId, name: `${cycleId} 年度杭州市政府质量奖` }),
  });
  expect(res.status).toBe(201);
  const intake = await api(h, tokens.staff)('PUT', `/api/v1/cycles/${cycleId}/objection-intake`, EXAMPLE_INTAKE);
  expect(intake.status).toBe(200);
  return tokens;
}

export function api(h: TestApp, token?: string) {
  return async (method: string, path: string, json?: unknown) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    return h.request(path, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  };
}

export const ORGS = [{ name: '杭州甲科技有限公司' }, { name: '杭州乙制造股份有限公司', code: '91330100MA2AAAAA1X' }, { name: '杭州丙服务集团' }];

export async function draftNotice(h: TestApp, staff: string, extra: Record<string, unknown> = {}) {
  const res = await api(h, staff)('POST', '/api/v1/notices', {
    cycleId: '2026',
    type: 'material-review',
    title: '2026年度杭州市政府质量奖拟进入材料评审组织名单公示',
    body: '根据《杭州市政府质量奖管理办法》三（三）7，现将拟进入材料评审的组织名单予以公示。',
    organisations: ORGS,
    ...extra,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as NoticeJson;
}

export async function publish(h: TestApp, staff: string, id: string) {
  const res = await api(h, staff)('POST', `/api/v1/notices/${id}/publish`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as NoticeJson;
}

export async function publishedNotice(h: TestApp, staff: string, extra: Record<string, unknown> = {}) {
  return publish(h, staff, (await draftNotice(h, staff, extra)).id);
}

export interface NoticeJson {
  id: string;
  type: string;
  status: string;
  title: string;
  organisations: { name: string; award?: string }[];
  corrects: string | null;
  correctedBy: string[];
  window: { start: string; end: string; mode: string; closesAt: string; calendarVersion: string } | null;
  open: boolean;
  closed: boolean;
  logIndex: number | null;
  documentHash: string | null;
  document: Record<string, unknown> | null;
}

// ------------------------------------------------------------------ evidence files

export const pdf = (extra = '') => new TextEncoder().encode(`%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n${extra}%%EOF\n`);
export const png = () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
export const jpeg = () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(d: Uint8Array) {
  let c = 0xffffffff;
  for (const b of d) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A stored (uncompressed) ZIP archive with the given entries. */
export function zip(entries: Record<string, string>): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const n = enc.encode(name);
    const data = enc.encode(content);
    const crc = crc32(data);
    const lh = new DataView(new ArrayBuffer(30));
    lh.setUint32(0, 0x04034b50, true);
    lh.setUint16(4, 20, true);
    lh.setUint16(6, 0x0800, true); // UTF-8 names
    lh.setUint32(14, crc, true);
    lh.setUint32(18, data.length, true);
    lh.setUint32(22, data.length, true);
    lh.setUint16(26, n.length, true);
    const local = concat(new Uint8Array(lh.buffer), n, data);
    const ch = new DataView(new ArrayBuffer(46));
    ch.setUint32(0, 0x02014b50, true);
    ch.setUint16(4, 20, true);
    ch.setUint16(6, 20, true);
    ch.setUint16(8, 0x0800, true);
    ch.setUint32(16, crc, true);
    ch.setUint32(20, data.length, true);
    ch.setUint32(24, data.length, true);
    ch.setUint16(28, n.length, true);
    ch.setUint32(42, offset, true);
    centrals.push(concat(new Uint8Array(ch.buffer), n));
    locals.push(local);
    offset += local.length;
  }
  const cd = concat(...centrals);
  const eocd = new DataView(new ArrayBuffer(22));
  eocd.setUint32(0, 0x06054b50, true);
  eocd.setUint16(8, centrals.length, true);
  eocd.setUint16(10, centrals.length, true);
  eocd.setUint32(12, cd.length, true);
  eocd.setUint32(16, offset, true);
  return concat(...locals, cd, new Uint8Array(eocd.buffer));
}

function concat(...parts: Uint8Array[]) {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const docx = () => zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>', '_rels/.rels': '<Relationships/>' });
export const ofd = () => zip({ 'OFD.xml': '<ofd:OFD/>', 'Doc_0/Document.xml': '<ofd:Document/>' });

// ------------------------------------------------------------------ objections

export interface ObjectionInput {
  kind?: string;
  name?: string;
  contact?: string;
  organisation?: string;
  facts?: string;
  reasons?: string;
  declaration?: string;
  idNumber?: string;
  signature?: string;
  creditCode?: string;
  contactPerson?: string;
  noEvidence?: string;
  files?: { name: string; data: Uint8Array; type?: string }[];
  letter?: { name: string; data: Uint8Array; type?: string };
  extra?: Record<string, string>;
  omit?: string[];
}

export const DEFAULT_OBJECTION = {
  kind: 'person',
  name: '张三',
  contact: '13800000000 zhangsan@example.cn',
  organisation: '杭州甲科技有限公司',
  facts: '该公司2025年发生一起质量事故。\r\n详见附件。',
  reasons: '不符合申报条件第4项。',
  declaration: 'true',
  idNumber: '330106199003071236',
  signature: '张三',
};

/** A unit's objection: name, 统一社会信用代码, contact person; its sealed letter goes in `letter`. */
export const UNIT_OBJECTOR = { kind: 'unit', name: '杭州丁检测技术有限公司', creditCode: '91350100M000100Y43', contactPerson: '李四', omit: ['idNumber', 'signature'] };

export function objectionForm(input: ObjectionInput = {}): FormData {
  const form = new FormData();
  // A person signs with the name given, unless a test says otherwise.
  const signed = input.name !== undefined && input.signature === undefined ? { signature: input.name } : {};
  const fields = { ...DEFAULT_OBJECTION, ...signed, ...Object.fromEntries(Object.entries(input).filter(([k, v]) => typeof v === 'string' && k in DEFAULT_OBJECTION)) };
  for (const [k, v] of Object.entries(fields)) if (!input.omit?.includes(k)) form.append(k, v as string);
  for (const k of ['creditCode', 'contactPerson', 'noEvidence'] as const) if (input[k] !== undefined) form.append(k, input[k]);
  for (const [k, v] of Object.entries(input.extra ?? {})) form.append(k, v);
  if (input.letter) form.append('letter', new File([input.letter.data as Uint8Array<ArrayBuffer>], input.letter.name, { type: input.letter.type ?? 'application/octet-stream' }));
  for (const f of input.files ?? [{ name: 'evidence.pdf', data: pdf() }]) {
    form.append('files', new File([f.data as Uint8Array<ArrayBuffer>], f.name, { type: f.type ?? 'application/octet-stream' }));
  }
  return form;
}

export async function submitObjection(h: TestApp, noticeId: string, input: ObjectionInput = {}, headers: Record<string, string> = {}, address?: string) {
  return h.request(`/api/v1/notices/${noticeId}/objections`, { method: 'POST', body: objectionForm(input), headers, ...(address ? { address } : {}) });
}

/** The 201 receipt as the client sees it (the server's own type). */
export type ReceiptJson = Receipt;

/** Counts of what a refused submission must not leave behind. */
export async function stored(h: TestApp) {
  const db = h.deps.db;
  const n = async (t: 'objection' | 'objection_file' | 'objection_event' | 'log_entry') =>
    Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { objections: await n('objection'), files: await n('objection_file'), events: await n('objection_event'), logEntries: await n('log_entry'), objects: (await h.objects.list()).length };
}

/** A member of the cycle's judging group from `unit`: its units are the ones an objection can be assigned to. */
export async function rosterUnit(h: TestApp, staff: string, unit: string, cycleId = '2026') {
  const res = await api(h, staff)('POST', `/api/v1/cycles/${cycleId}/members`, { name: `${unit}代表`, unit, isChair: false });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** Member units verify an objection: each assigned, then its finding recorded (a decision needs both). */
export async function verifiedBy(h: TestApp, staff: string, objectionId: string, findings: Record<string, string>) {
  const s = api(h, staff);
  const path = `/api/v1/objections/${objectionId}`;
  const assigned = await s('POST', `${path}/assignment`, { units: Object.keys(findings) });
  expect(assigned.status, await assigned.clone().text()).toBe(200);
  for (const [unit, text] of Object.entries(findings)) {
    const res = await s('POST', `${path}/findings`, { unit, findings: text });
    expect(res.status, await res.clone().text()).toBe(200);
  }
}
