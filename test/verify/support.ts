// A whole cycle built through the HTTP API in memory, for the export and the verifier: members, a
// meeting with check-ins, a secret ballot with real blind tokens, two shows of hands (one with a
// staff-recorded hand for a member whose tablet failed for the rest of the meeting), the notices of the lists, an objection with its verification result and one
// still pending, and a witness cosignature on the final checkpoint. Plus the tools a dishonest log
// operator would use (relog: rewrite history and re-sign with the log key) for the tampering tests.
import { expect } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor, supervisorConfirmsHands, supervisorConfirmsTally, supervisorDevice } from '../support/actors.js';
import { call, Tablet } from '../../src/protocol/tablet.js';
import { verifierKeyOf } from '../../src/log/index.js';
import { logKeys } from '../../src/log/checkpoint.js';
import { addCosignature, formatCheckpoint, generateSignerKey, newCosigner, newSigner, signNote, SIG_COSIGNATURE_V1 } from '../../crypto/note.js';
import { MemoryHashStore, proveRecord, proveTree } from '../../crypto/tlog.js';
import { fromBase64, toBase64, utf8, utf8Decode } from '../../crypto/bytes.js';
import { canonical, sha256Text } from '../../src/verify/canonical.js';
import type { ExportBundle } from '../../src/verify/bundle.js';
import { api, objectionForm, publish, draftNotice, type NoticeJson, type ReceiptJson } from '../notices/support.js';

export interface BuiltCycle {
  t: TestDb;
  h: TestApp;
  staff: string;
  supervisor: string;
  tablets: Tablet[];
  meetingId: string;
  secretId: string;
  innovationId: string;
  excellenceId: string;
  /** A 创新奖 ballot of 25 seats withdrawn before its vote. */
  withdrawnId: string;
  logKey: string;
  witness: { signerKey: string; verifierKey: string };
  receipts: ReceiptJson[];
  /** "Now" for the verifier: after the answered objection's due date, before the pending one's. */
  now: Date;
}

export async function buildCycle(): Promise<BuiltCycle> {
  const t = await openTestDb('pglite');
  const witness = generateSignerKey('supervisors.example/witness', { type: SIG_COSIGNATURE_V1 });
  const h = testApp(t, {
    now: '2026-03-02T01:00:00Z',
    config: { LOG_CHECKPOINT_INTERVAL_MS: 0, WITNESS_KEYS: witness.verifierKey, OBJECTION_SUBMIT_RATE_LIMIT: 1000, OBJECTION_STATUS_RATE_LIMIT: 1000 },
  });
  const { staff, supervisor } = await staffAndSupervisor(h);
  const tablets = await enrolledTablets(h, await cycleWithMembers(h, staff, '2026', 5));
  const f = fetchOf(h);
  const staffCall = <T>(path: string, json?: unknown) => call<T>(f, path, { method: json === undefined ? 'GET' : 'POST', token: staff, ...(json !== undefined ? { json } : {}) });

  // 公示 of the list for material review, 2026-03-02 … 2026-03-10.
  const listNotice = await publish(h, staff, (await draftNotice(h, staff)).id);

  // The plenary meeting: 4 of 5 check in.
  h.clock.set('2026-03-03T01:00:00Z');
  for (const tab of tablets) await tab.signIn(); // sessions are short-lived
  const meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '2026年度评审组全体会议' })).id;
  for (const tab of tablets.slice(0, 4)) await tab.checkIn(meetingId);
  // A supervisor attends (registers a device for the cycle) and is named 监票人 in the 表决办法.
  const attending = await supervisorDevice(h, supervisor, '2026');
  await adoptProcedure(f, { staff, supervisor }, meetingId, tablets[0]!, 4, { supervisorScrutineers: [attending.accountId] });

  // 质量奖: secret ballot, 2 seats, 4 ballots with real blind tokens.
  const secret = await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', {
    meetingId,
    award: 'quality',
    title: '质量奖',
    seats: 2,
    candidates: [{ name: '甲公司' }, { name: '乙集团' }, { name: '丙医院' }],
  });
  const opened = await staffCall<{ ballot: { publicKey: string } }>(`/api/v1/ballots/${secret.id}/phase`, { to: 'issuing' });
  const tokens = [];
  for (const tab of tablets.slice(0, 4)) tokens.push(await tab.obtainToken(secret.id, opened.ballot.publicKey));
  await staffCall(`/api/v1/ballots/${secret.id}/phase`, { to: 'casting' });
  const choices = [
    { c01: 'for', c02: 'for', c03: 'against' },
    { c01: 'for', c02: 'against', c03: 'for' },
    { c01: 'for', c02: 'for', c03: 'abstain' },
    { c01: 'against', c02: 'for', c03: 'abstain' },
  ] as const;
  for (let i = 0; i < 4; i++) await Tablet.cast(f, secret.id, tokens[i]!, choices[i]!);
  await staffCall(`/api/v1/ballots/${secret.id}/phase`, { to: 'closed' });
  await staffCall(`/api/v1/ballots/${secret.id}/phase`, { to: 'tallied' });

  // 创新奖: a ballot prepared with all 25 seats by mistake is withdrawn before its vote (logged), freeing them.
  const mistaken = await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'innovation', seats: 25, candidates: [{ name: '丁科技' }, { name: '戊制造' }] });
  await staffCall(`/api/v1/ballots/${mistaken.id}/withdraw`, { reason: '名额设置有误，撤回后重新准备' });

  // 创新奖: show of hands, 1 seat; member 4's tablet fails, staff record the hand.
  const innovation = await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'innovation', seats: 1, candidates: [{ name: '丁科技' }, { name: '戊制造' }] });
  await staffCall(`/api/v1/ballots/${innovation.id}/phase`, { to: 'voting' });
  await tablets[0]!.raiseHands(innovation.id, { c01: 'for', c02: 'against' });
  await tablets[1]!.raiseHands(innovation.id, { c01: 'for', c02: 'abstain' });
  await tablets[2]!.raiseHands(innovation.id, { c01: 'against', c02: 'for' });
  await staffCall(`/api/v1/ballots/${innovation.id}/hands/${tablets[3]!.device.memberId}`, { choices: { c01: 'for', c02: 'against' } });
  // A supervisor present confirms the staff-recorded hand on their own device before the tally.
  await supervisorConfirmsHands(h, supervisor, '2026', innovation.id);
  await staffCall(`/api/v1/ballots/${innovation.id}/phase`, { to: 'tallied' });

  // 优胜奖: show of hands, 2 seats; member 4's tablet still fails and member 4 does not vote.
  const excellence = await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'excellence', seats: 2, candidates: [{ name: '己服务' }, { name: '庚物流' }, { name: '辛食品' }] });
  await staffCall(`/api/v1/ballots/${excellence.id}/phase`, { to: 'voting' });
  const hands = [
    { c01: 'for', c02: 'for', c03: 'against' },
    { c01: 'for', c02: 'against', c03: 'for' },
    { c01: 'for', c02: 'for', c03: 'against' },
  ] as const;
  for (let i = 0; i < 3; i++) await tablets[i]!.raiseHands(excellence.id, hands[i]!);
  await staffCall(`/api/v1/ballots/${excellence.id}/phase`, { to: 'tallied' });
  // The supervisor named 监票人 confirms the count with the registered device.
  await supervisorConfirmsTally(h, supervisor, '2026', excellence.id);
  await staffCall(`/api/v1/meetings/${meetingId}/close`, {});

  // Objections on the list: one answered in time, one still pending.
  const receipts: ReceiptJson[] = [];
  const submit = async (organisation: string) => {
    const res = await h.request(`/api/v1/notices/${listNotice.id}/objections`, { method: 'POST', body: objectionForm({ organisation }) });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as ReceiptJson;
  };
  receipts.push(await submit('杭州甲科技有限公司'));
  const s = api(h, staff);
  const path = `/api/v1/objections/${receipts[0]!.objectionId}`;
  // A member unit of the roster verifies it; its finding is logged.
  expect((await s('POST', `${path}/assignment`, { units: ['成员单位1'] })).status).toBe(200);
  expect((await s('POST', `${path}/findings`, { unit: '成员单位1', findings: '经会同成员单位1核查,反映情况不属实。' })).status).toBe(200);
  expect((await s('POST', `${path}/decision`, { decision: 'rejected', summary: '经核查,异议不成立。' })).status).toBe(200);
  h.clock.set('2026-03-05T02:00:00Z');
  const result = await draftNotice(h, staff, { type: 'objection-result', title: '异议核查结果公示', organisations: undefined, objectionIds: [receipts[0]!.objectionId] });
  await publish(h, staff, result.id);
  h.clock.set('2026-03-06T02:00:00Z');
  receipts.push(await submit('杭州丙服务集团'));
  // A local day off on Thursday 03-12, logged now (outside every published window): the pending
  // objection's clock moves from 03-13 to 03-16 with a logged correction, and the list of initial
  // winners published later counts with it (03-09 … 03-18).
  const override = await api(h, staff)('POST', '/api/v1/calendar/overrides', { date: '2026-03-12', kind: 'off', reason: '杭州市本地调整（测试）' });
  expect(override.status, await override.clone().text()).toBe(201);

  // 初选授奖组织名单 from the three results.
  h.clock.set('2026-03-09T02:00:00Z');
  const winners = await draftNotice(h, staff, {
    type: 'initial-winners',
    title: '2026年度杭州市政府质量奖初选授奖组织名单公示',
    organisations: [],
    ballotIds: [secret.id, innovation.id, excellence.id],
  });
  const published: NoticeJson = await publish(h, staff, winners.id);
  expect(published.window).toMatchObject({ start: '2026-03-09', end: '2026-03-18' });

  // The supervisory group's witness cosigns the final checkpoint.
  const note = await (await h.request('/log/checkpoint')).text();
  const cosigned = addCosignature(note, newCosigner(witness.signerKey), logKeys(h.deps.keys.logSignerKey).verifier);
  expect((await h.request('/log/cosignatures', { method: 'POST', body: cosigned })).status).toBe(200);

  return {
    t,
    h,
    staff,
    supervisor,
    tablets,
    meetingId,
    secretId: secret.id,
    innovationId: innovation.id,
    excellenceId: excellence.id,
    withdrawnId: mistaken.id,
    logKey: verifierKeyOf(h.deps.keys.logSignerKey),
    witness,
    receipts,
    now: new Date('2026-03-10T04:00:00Z'),
  };
}

export async function exportBundle(c: BuiltCycle, opts: { token?: string; query?: string } = {}): Promise<ExportBundle> {
  const res = await c.h.request(`/api/v1/cycles/2026/export${opts.query ?? ''}`, { headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {} });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ExportBundle;
}

// ---------------------------------------------------------------- tampering

export type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const clone = <T>(x: T): T => structuredClone(x);

/** The parsed entry and document of log index `index`. */
export function entryAt(b: ExportBundle, index: number) {
  const be = b.entries.find((e) => e.index === index)!;
  const entry = JSON.parse(utf8Decode(fromBase64(be.entry))) as { type: string; cycle: string; doc: string; refs: Record<string, string | number> };
  return { ...entry, index, document: JSON.parse(b.documents[entry.doc]!) as Doc };
}

/** Indexes of the entries of a type (optionally of one ballot). */
export function indexesOf(b: ExportBundle, type: string, ballotId?: string): number[] {
  return b.entries.map((e) => entryAt(b, e.index)).filter((e) => e.type === type && (!ballotId || e.document.ballotId === ballotId)).map((e) => e.index);
}

/** Naive tampering: edit a document in place (its hash, in the entry, no longer matches). */
export function editDocument(b: ExportBundle, index: number, edit: (d: Doc) => void): ExportBundle {
  const out = clone(b);
  const e = entryAt(out, index);
  const d = e.document;
  edit(d);
  out.documents[e.doc] = canonical(d)!;
  return out;
}

export interface LogItem {
  type: string;
  cycle: string | null;
  refs: Record<string, string | number>;
  doc: Doc;
}

/**
 * A dishonest log operator: rewrites the log's history (the whole log must be in the bundle),
 * re-hashes every document and entry, rebuilds the Merkle tree and proofs, and signs a new
 * checkpoint with the real log key. Cosignatures are lost (the witness never saw this tree).
 */
export async function relog(b: ExportBundle, signerKey: string, edit: (items: LogItem[], bundle: ExportBundle) => void, opts: { consistencyFrom?: number } = {}): Promise<ExportBundle> {
  const out = clone(b);
  expect(out.entries.map((e) => e.index)).toEqual(out.entries.map((_, i) => i)); // the whole log is this cycle
  const items: LogItem[] = out.entries.map((e) => {
    const x = entryAt(out, e.index);
    return { type: x.type, cycle: x.cycle, refs: x.refs, doc: x.document };
  });
  edit(items, out);
  const store = new MemoryHashStore();
  const documents: Record<string, string> = {};
  const bytes: Uint8Array[] = [];
  for (const it of items) {
    const body = canonical(it.doc)!;
    const hash = sha256Text(body);
    documents[hash] = body;
    const data = utf8(canonical({ v: 1, type: it.type, cycle: it.cycle, doc: hash, refs: it.refs })!);
    bytes.push(data);
    await store.append(data);
  }
  const size = store.size;
  const root = await store.treeHash();
  out.entries = await Promise.all(bytes.map(async (data, i) => ({ index: i, entry: toBase64(data), proof: (await proveRecord(size, i, store)).map(toBase64) })));
  out.documents = documents;
  out.log.size = size;
  out.log.checkpoint = signNote(formatCheckpoint({ origin: out.log.origin, size, hash: root }), newSigner(signerKey));
  out.log.consistency = opts.consistencyFrom ? { from: opts.consistencyFrom, to: size, proof: (await proveTree(size, opts.consistencyFrom, store)).map(toBase64) } : null;
  return out;
}
