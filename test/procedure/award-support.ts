// A cycle brought to its published 初选授奖组织名单 through the API, for the 审定 and approval tests: three
// members on tablets, a meeting with its 表决办法 adopted, one 质量奖 secret ballot (甲 wins 1 seat against 乙),
// the list published. Plus an objection to the list, answered (or not) as a test needs.
import { expect } from 'vitest';
import { call, Tablet } from '../../src/protocol/tablet.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf } from '../support/actors.js';
import type { TestApp } from '../support/app.js';
import { api, draftNotice, objectionForm, pdf, publish, type ReceiptJson } from '../notices/support.js';

export const WINNER = '杭州甲精密制造有限公司';
export const LOSER = '杭州乙智能装备有限公司';

export async function cycleToInitialWinners(h: TestApp, tokens: { staff: string; supervisor: string }, cycleId: string) {
  const f = fetchOf(h);
  const tablets = await enrolledTablets(h, await cycleWithMembers(h, tokens.staff, cycleId, 3));
  const staffCall = <T>(path: string, json?: unknown) => call<T>(f, path, { method: json === undefined ? 'GET' : 'POST', token: tokens.staff, ...(json !== undefined ? { json } : {}) });
  const meetingId = (await staffCall<{ id: string }>(`/api/v1/cycles/${cycleId}/meetings`, { title: '评审组全体会议' })).id;
  for (const tab of tablets) await tab.checkIn(meetingId);
  await adoptProcedure(f, tokens, meetingId, tablets[0]!, 3);
  const ballot = await staffCall<{ id: string }>(`/api/v1/cycles/${cycleId}/ballots`, { meetingId, award: 'quality', seats: 1, candidates: [{ name: WINNER }, { name: LOSER }] });
  const opened = await staffCall<{ ballot: { publicKey: string } }>(`/api/v1/ballots/${ballot.id}/phase`, { to: 'issuing' });
  const held = [];
  for (const tab of tablets) held.push(await tab.obtainToken(ballot.id, opened.ballot.publicKey));
  await staffCall(`/api/v1/ballots/${ballot.id}/phase`, { to: 'casting' });
  for (const token of held) await Tablet.cast(f, ballot.id, token, { c01: 'for', c02: 'against' });
  for (const to of ['closed', 'tallied']) await staffCall(`/api/v1/ballots/${ballot.id}/phase`, { to });
  const list = await publish(h, tokens.staff, (await draftNotice(h, tokens.staff, { cycleId, type: 'initial-winners', title: '初选授奖组织名单公示', organisations: [] })).id);
  return { tablets, meetingId, ballotId: ballot.id, list };
}

/** An objection to a list against `organisation`, received now. */
export async function object(h: TestApp, noticeId: string, organisation: string): Promise<ReceiptJson> {
  const res = await h.request(`/api/v1/notices/${noticeId}/objections`, { method: 'POST', body: objectionForm({ organisation }) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as ReceiptJson;
}

/** Staff verify it with a member unit, decide, and publish the result. */
export async function answer(h: TestApp, staff: string, cycleId: string, receipt: ReceiptJson, decision: 'upheld' | 'rejected') {
  const s = api(h, staff);
  const path = `/api/v1/objections/${receipt.objectionId}`;
  expect((await s('POST', `${path}/assignment`, { units: ['成员单位2'] })).status).toBe(200);
  expect((await s('POST', `${path}/findings`, { unit: '成员单位2', findings: '经会同成员单位2核查，已查明情况。' })).status).toBe(200);
  expect((await s('POST', `${path}/decision`, { decision, summary: decision === 'upheld' ? '经核查，异议成立。' : '经核查，异议不成立。' })).status).toBe(200);
  const result = await draftNotice(h, staff, { cycleId, type: 'objection-result', title: '异议核查结果公示', organisations: undefined, objectionIds: [receipt.objectionId] });
  return publish(h, staff, result.id);
}

/** A document file as the console sends it. */
export const documentFile = (name: string, text: string) => ({ name, contentBase64: Buffer.from(pdf(text)).toString('base64') });
