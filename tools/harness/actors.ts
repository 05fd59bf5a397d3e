// The people of a test or a benchmark: staff and supervisor accounts with real tokens, members enrolled
// from simulated tablets, a supervisor's device, the 表决办法 adopted — all through the app's API.
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';
import { createAccount, issueAccountToken } from '../../src/auth/accounts.js';
import { call, Tablet, type Fetch } from '../../src/protocol/tablet.js';
import type { MemoryApp } from './memory-app.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../../crypto/bytes.js';
import { countersignMessage, supervisorTallyMessage } from '../../src/votes/messages.js';
import type { Choices } from '../../src/votes/rules.js';

export async function staffAndSupervisor(h: MemoryApp) {
  const staff = await createAccount(h.deps.db, { role: 'staff', name: '市场监管局 王工' });
  const supervisor = await createAccount(h.deps.db, { role: 'supervisor', name: '监督小组 李工' });
  return { staff: await issueAccountToken(h.deps.db, staff.id), supervisor: await issueAccountToken(h.deps.db, supervisor.id) };
}

export const fetchOf = (h: MemoryApp): Fetch => (path, init) => h.request(path, init);

/** A cycle with `n` registered members (the first is the chair); returns their enrollment codes. */
export async function cycleWithMembers(h: MemoryApp, staffToken: string, cycleId: string, n: number) {
  const f = fetchOf(h);
  await call(f, '/api/v1/cycles', { method: 'POST', token: staffToken, json: { id: cycleId, name: `${cycleId} 年度杭州市政府质量奖` } });
  await call(f, `/api/v1/cycles/${cycleId}/objection-intake`, { method: 'PUT', token: staffToken, json: EXAMPLE_INTAKE });
  const codes: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await call<{ enrollmentCode: string }>(f, `/api/v1/cycles/${cycleId}/members`, {
      method: 'POST',
      token: staffToken,
      json: { name: `成员${i + 1}`, unit: `成员单位${i + 1}`, isChair: i === 0 },
    });
    codes.push(r.enrollmentCode);
  }
  return codes;
}

export async function enrolledTablets(h: MemoryApp, codes: string[]) {
  const tablets: Tablet[] = [];
  for (const code of codes) {
    const t = await Tablet.enroll(fetchOf(h), code);
    await t.signIn();
    tablets.push(t);
  }
  return tablets;
}

/**
 * A supervisor present confirms, on their own device, every staff-recorded hand of a show of hands: the
 * device is registered for the cycle once (logged), then signs each record it is shown.
 */
/** A supervisor's device for the cycle: a key kept per supervisor token, registered (logged) with the server. */
export async function supervisorDevice(h: MemoryApp, supervisorToken: string, cycleId: string) {
  let secret = supervisorDevices.get(supervisorToken);
  if (!secret) {
    secret = ed25519.utils.randomSecretKey();
    supervisorDevices.set(supervisorToken, secret);
  }
  const deviceKey = toHex(ed25519.getPublicKey(secret));
  const r = await call<{ accountId: number; name: string; logIndex: number }>(fetchOf(h), `/api/v1/cycles/${cycleId}/supervisor-devices`, { method: 'POST', token: supervisorToken, json: { deviceKey } });
  const key = secret;
  return { ...r, deviceKey, secret, sign: (message: Uint8Array) => toHex(ed25519.sign(message, key)) };
}

export async function supervisorConfirmsHands(h: MemoryApp, supervisorToken: string, cycleId: string, ballotId: string) {
  const f = fetchOf(h);
  const { deviceKey, secret } = await supervisorDevice(h, supervisorToken, cycleId);
  const record = await call<{ votes: { memberId: string; choices: Choices; recordedBy: string; staffName: string | null; countersignature: unknown }[] }>(f, `/api/v1/ballots/${ballotId}/record`, { token: supervisorToken });
  const confirmed: string[] = [];
  for (const v of record.votes) {
    if (v.recordedBy !== 'staff' || v.countersignature) continue;
    const signature = toHex(ed25519.sign(countersignMessage(ballotId, v.memberId, v.choices, v.staffName ?? ''), secret));
    await call(f, `/api/v1/ballots/${ballotId}/hands/${v.memberId}/confirmation`, { method: 'POST', token: supervisorToken, json: { deviceKey, signature } });
    confirmed.push(v.memberId);
  }
  return { deviceKey, secret, confirmed };
}

/** A supervisor named 监票人 confirms a tallied ballot's logged result with their registered device. */
export async function supervisorConfirmsTally(h: MemoryApp, supervisorToken: string, cycleId: string, ballotId: string) {
  const f = fetchOf(h);
  const device = await supervisorDevice(h, supervisorToken, cycleId);
  const ref = await call<{ resultLogIndex: number; resultDocHash: string }>(f, `/api/v1/ballots/${ballotId}/result-reference`);
  const signature = device.sign(supervisorTallyMessage(ballotId, ref.resultLogIndex, ref.resultDocHash, device.accountId));
  return call<{ logIndex: number; already: boolean; role: string }>(f, `/api/v1/ballots/${ballotId}/supervisor-confirmations`, { method: 'POST', token: supervisorToken, json: { deviceKey: device.deviceKey, signature } });
}
const supervisorDevices = new Map<string, Uint8Array>();

/**
 * The meeting adopts its 表决办法 (default rules unless given) by the chair's signed record of the show
 * of hands, confirmed by a supervisor — before its first vote. `present` members are counted 同意.
 */
export async function adoptProcedure(
  f: Fetch,
  tokens: { staff: string; supervisor: string },
  meetingId: string,
  chair: Tablet,
  present: number,
  opts: { rules?: unknown; counters?: string[]; scrutineers?: string[]; supervisorScrutineers?: number[] } = {},
) {
  const p = await call<{ procedureId: string; documentHash: string; logIndex: number }>(f, `/api/v1/meetings/${meetingId}/procedure`, {
    method: 'POST',
    token: tokens.staff,
    json: { ...(opts.rules ? { rules: opts.rules } : {}), counters: opts.counters ?? [], scrutineers: opts.scrutineers ?? [], ...(opts.supervisorScrutineers ? { supervisorScrutineers: opts.supervisorScrutineers } : {}) },
  });
  await chair.recordProcedure({ id: p.procedureId, meetingId, documentHash: p.documentHash }, { for: present, against: 0, abstain: 0 });
  const d = await call<{ adopted: boolean; logIndex: number }>(f, `/api/v1/procedures/${p.procedureId}/confirm`, { method: 'POST', token: tokens.supervisor });
  return { ...p, decidedLogIndex: d.logIndex };
}
