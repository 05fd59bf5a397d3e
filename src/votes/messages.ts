// What a member's tablet signs with its Ed25519 device key: byte-exact, shared by the tablet pages,
// the server and the supervisors' verifier. Each message names its purpose and version on its first
// line so that a signature for one purpose can never be replayed as another.
//
//   check-in (签到):         "hzqa-checkin/v1\n" meetingId "\n" memberId "\n"
//   token issuance request: "hzqa-issue/v1\n" ballotId "\n" memberId "\n" blindedHex "\n"
//   show-of-hands vote:     "hzqa-hands/v1\n" ballotId "\n" memberId "\n" canonical choices "\n"
//     where canonical choices = candidate ids sorted (code-point order), each "id=for|against|abstain",
//     joined by ",".
import { verifyStrict } from '../../crypto/ed25519-strict.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, utf8 } from '../../crypto/bytes.js';
import type { Choices } from './rules.js';

export const checkInMessage = (meetingId: string, memberId: string) => utf8(`hzqa-checkin/v1\n${meetingId}\n${memberId}\n`);

export const issueMessage = (ballotId: string, memberId: string, blindedHex: string) =>
  utf8(`hzqa-issue/v1\n${ballotId}\n${memberId}\n${blindedHex}\n`);

export function canonicalChoices(choices: Choices): string {
  return Object.keys(choices)
    .sort()
    .map((id) => `${id}=${choices[id]}`)
    .join(',');
}

export const handsMessage = (ballotId: string, memberId: string, choices: Choices) =>
  utf8(`hzqa-hands/v1\n${ballotId}\n${memberId}\n${canonicalChoices(choices)}\n`);

/**
 * Supervisor's device: the confirmation of a show of hands that staff recorded for a member whose tablet
 * failed — the ballot, the member, the choices and the staff member who recorded them.
 */
export const countersignMessage = (ballotId: string, memberId: string, choices: Choices, staffName: string) =>
  utf8(`hzqa-hands-countersign/v1\n${ballotId}\n${memberId}\n${canonicalChoices(choices)}\n${staffName}\n`);

/** Anyone: checks a device signature (hex) over a message with a device key (hex), strictly (crypto/ed25519-strict.ts). */
export function verifyDeviceSignature(deviceKeyHex: string, message: Uint8Array, signatureHex: string): boolean {
  if (!/^[0-9a-f]{128}$/.test(signatureHex) || !/^[0-9a-f]{64}$/.test(deviceKeyHex)) return false;
  try {
    return verifyStrict(fromHex(signatureHex), message, fromHex(deviceKeyHex));
  } catch {
    return false;
  }
}

/**
 * A short fingerprint of a ballot's public key, read aloud in the meeting: every tablet shows the key it
 * took from the public log, so a server showing different tablets different keys (to tell their
 * ballots apart) is caught in the room. First 8 bytes of SHA-256 of the 48-byte key, as 4 groups.
 */
export function keyFingerprint(publicKeyHex: string): string {
  const hex = Array.from(sha256(fromHex(publicKeyHex)).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  return hex.match(/.{4}/g)!.join('-');
}
