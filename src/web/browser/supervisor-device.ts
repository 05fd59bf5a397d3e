// This supervisor's device key for a cycle: made and kept in this browser, registered (and so logged as
// supervisor-device, bound to the supervisor's account) when the supervisor registers as attending the
// meeting or first confirms a staff-recorded vote. It signs confirmations only; it never leaves the device.
import { ed25519 } from '@noble/curves/ed25519.js';
import { fromHex, toHex } from '../../../crypto/bytes.js';
import { api } from './dom.js';

export interface Registration {
  accountId: number;
  name: string;
  deviceKey: string;
  fingerprint: string;
  logIndex: number;
}

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
