// This supervisor's device key for a cycle: made and kept in this browser, registered (and so logged as
// supervisor-device, bound to the supervisor's account) when the supervisor registers as attending the
// meeting or first confirms a staff-recorded vote. It signs confirmations only; it never leaves the device.
import { ed25519 } from '@noble/curves/ed25519.js';
import { api } from './dom.js';
import { fromBase64, fromHex, toHex, utf8Decode } from '../../../crypto/bytes.js';
import type { ExportBundle } from '../../verify/index.js';
import type { RegisteredJson } from '../../votes/countersign-routes.js';

/** The registration as the route answers it (kept in this browser). */
export type Registration = RegisteredJson;

const secretKey = (cycleId: string) => `hzqa.supervisor.device.${cycleId}`;
const registrationKey = (cycleId: string) => `hzqa.supervisor.registered.${cycleId}`;

/** The registration this browser holds for the cycle, if it registered its key. */
export function storedRegistration(cycleId: string): Registration | null {
  const text = localStorage.getItem(registrationKey(cycleId));
  return text ? (JSON.parse(text) as Registration) : null;
}

/** Registers this device's key for the cycle (the server answers the same for the same key) and signs with it. */
export async function supervisorDevice(cycleId: string, token: string) {
  const secret = localStorage.getItem(secretKey(cycleId)) ?? toHex(ed25519.utils.randomSecretKey());
  localStorage.setItem(secretKey(cycleId), secret);
  const deviceKey = toHex(ed25519.getPublicKey(fromHex(secret)));
  const registration = await api<Registration>(`/api/v1/cycles/${cycleId}/supervisor-devices`, { method: 'POST', token, json: { deviceKey } });
  localStorage.setItem(registrationKey(cycleId), JSON.stringify(registration));
  return { deviceKey, registration, sign: (message: Uint8Array) => toHex(ed25519.sign(message, fromHex(secret))) };
}

export interface LoggedDevice {
  index: number;
  deviceKey: string;
  fingerprint: string;
  registeredAt: string;
}

/**
 * The supervisor-device entries of the cycle's export (the bundle this page's verifier checked against
 * the pinned log key) that bind a key to `accountId`. Shown to the supervisor, so that a key registered in
 * their name by anyone else — which could sign confirmations as theirs — is seen by the one person who
 * knows which devices are theirs.
 */
export function devicesOf(bundle: ExportBundle, accountId: number): LoggedDevice[] {
  const out: LoggedDevice[] = [];
  for (const e of bundle.entries) {
    const fields = JSON.parse(utf8Decode(fromBase64(e.entry))) as { type: string; doc: string };
    if (fields.type !== 'supervisor-device') continue;
    const body = bundle.documents[fields.doc];
    if (!body) continue;
    const d = JSON.parse(body) as { accountId?: number; deviceKey: string; deviceKeyFingerprint: string; registeredAt: string };
    if (d.accountId === accountId) out.push({ index: e.index, deviceKey: d.deviceKey, fingerprint: d.deviceKeyFingerprint, registeredAt: d.registeredAt });
  }
  return out;
}
