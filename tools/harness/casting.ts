// A secret ballot brought to its casting phase: n members enrolled, checked in, each holding a token.
import { call, Tablet } from '../../src/protocol/tablet.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from './actors.js';
import type { MemoryApp } from './memory-app.js';

export interface CastingBallot {
  staff: string;
  tablets: Tablet[];
  meetingId: string;
  ballotId: string;
  publicKey: string;
  tokens: { token: string; signature: string }[];
  phase(to: string): Promise<unknown>;
  cast(i: number, choices?: Record<string, 'for' | 'against' | 'abstain'>, address?: string): Promise<Response>;
  castRaw(body: unknown, address?: string): Promise<Response>;
}

export async function castingBallot(h: MemoryApp, n: number, cycleId = '2026'): Promise<CastingBallot> {
  const accounts = await staffAndSupervisor(h);
  const { staff } = accounts;
  const f = fetchOf(h);
  const codes = await cycleWithMembers(h, staff, cycleId, n);
  const tablets = await enrolledTablets(h, codes);
  const meetingId = (await call<{ id: string }>(f, `/api/v1/cycles/${cycleId}/meetings`, { method: 'POST', token: staff, json: { title: '评审组全体会议' } })).id;
  for (const t of tablets) await t.checkIn(meetingId);
  await adoptProcedure(f, accounts, meetingId, tablets[0]!, tablets.length);
  const b = await call<{ id: string }>(f, `/api/v1/cycles/${cycleId}/ballots`, {
    method: 'POST',
    token: staff,
    json: { meetingId, award: 'quality', title: '质量奖', seats: 2, candidates: [{ name: '甲公司' }, { name: '乙集团' }, { name: '丙医院' }] },
  });
  const phase = (to: string) => call(f, `/api/v1/ballots/${b.id}/phase`, { method: 'POST', token: staff, json: { to } });
  const opened = (await phase('issuing')) as { ballot: { publicKey: string } };
  const publicKey = opened.ballot.publicKey;
  const tokens: { token: string; signature: string }[] = [];
  for (const t of tablets) tokens.push(await t.obtainToken(b.id, publicKey));
  await phase('casting');
  const castRaw = (body: unknown, address?: string) =>
    h.request(`/api/v1/ballots/${b.id}/cast`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(address ? { address } : {}) });
  return {
    staff,
    tablets,
    meetingId,
    ballotId: b.id,
    publicKey,
    tokens,
    phase,
    castRaw,
    cast: (i, choices = { c01: 'for', c02: 'against', c03: 'abstain' }, address) => castRaw({ ...tokens[i]!, choices }, address),
  };
}
