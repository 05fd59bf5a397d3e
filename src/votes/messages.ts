// What a member's tablet signs with its Ed25519 device key: byte-exact, shared by the tablet pages,
// the server and the supervisors' verifier. Each message names its purpose and version on its first
// line so that a signature for one purpose can never be replayed as another.
//
//   check-in (签到):         "hzqa-checkin/v1\n" meetingId "\n" memberId "\n"
//   token issuance request: "hzqa-issue/v1\n" ballotId "\n" memberId "\n" blindedHex "\n"
//   show-of-hands vote:     "hzqa-hands/v1\n" ballotId "\n" memberId "\n" canonical choices "\n"
//     where canonical choices = candidate ids sorted (code-point order), each "id=for|against|abstain",
//     joined by ",".
//   表决办法 (procedure) vote: "hzqa-procedure/v1\n" meetingId "\n" procedureHash "\n" memberId "\n" for|against|abstain "\n"
//   chair's record of it:   "hzqa-procedure-record/v1\n" meetingId "\n" procedureHash "\n" for "\n" against "\n" abstain "\n"
//   审定 vote:               "hzqa-award-fixing/v1\n" meetingId "\n" proposalHash "\n" memberId "\n" for|against|abstain "\n"
//   chair's record of it:   "hzqa-award-fixing-record/v1\n" meetingId "\n" proposalHash "\n" for "\n" against "\n" abstain "\n"
//   回避 (recusal):          "hzqa-recusal/v1\n" ballotId "\n" memberId "\n" candidateId "\n"
//     signed by the member concerned, or by the chair when the chair recuses the member.
//   计票/监票 confirmation:  "hzqa-tally/v1\n" ballotId "\n" resultLogIndex "\n" resultDocHash "\n" counter|scrutineer "\n" memberId "\n"
//     the result document's SHA-256 (its log entry's doc hash) carries every count the teller saw.
//   supervisor as 监票人:     "hzqa-tally-supervisor/v1\n" ballotId "\n" resultLogIndex "\n" resultDocHash "\n" accountId "\n"
//     signed by the device registered to that supervisor's account for the cycle (supervisor-device).
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

export const procedureMessage = (meetingId: string, procedureHash: string, memberId: string, choice: string) =>
  utf8(`hzqa-procedure/v1\n${meetingId}\n${procedureHash}\n${memberId}\n${choice}\n`);

export const procedureRecordMessage = (meetingId: string, procedureHash: string, counts: { for: number; against: number; abstain: number }) =>
  utf8(`hzqa-procedure-record/v1\n${meetingId}\n${procedureHash}\n${counts.for}\n${counts.against}\n${counts.abstain}\n`);

export const awardFixingMessage = (meetingId: string, proposalHash: string, memberId: string, choice: string) =>
  utf8(`hzqa-award-fixing/v1\n${meetingId}\n${proposalHash}\n${memberId}\n${choice}\n`);

export const awardFixingRecordMessage = (meetingId: string, proposalHash: string, counts: { for: number; against: number; abstain: number }) =>
  utf8(`hzqa-award-fixing-record/v1\n${meetingId}\n${proposalHash}\n${counts.for}\n${counts.against}\n${counts.abstain}\n`);

/**
 * Supervisor's device: the confirmation of the chair's record of the hands on the 审定 — the meeting, the
 * proposal, the counts and the chair's signature over them (so it confirms that one record).
 */
export const awardFixingConfirmMessage = (meetingId: string, proposalHash: string, counts: { for: number; against: number; abstain: number }, chairSignature: string) =>
  utf8(`hzqa-award-fixing-confirm/v1\n${meetingId}\n${proposalHash}\n${counts.for}\n${counts.against}\n${counts.abstain}\n${chairSignature}\n`);

export const recusalMessage = (ballotId: string, memberId: string, candidateId: string) => utf8(`hzqa-recusal/v1\n${ballotId}\n${memberId}\n${candidateId}\n`);

export type TellerRole = 'counter' | 'scrutineer';

export const tallyMessage = (ballotId: string, resultLogIndex: number, resultDocHash: string, role: TellerRole, memberId: string) =>
  utf8(`hzqa-tally/v1\n${ballotId}\n${resultLogIndex}\n${resultDocHash}\n${role}\n${memberId}\n`);

export const supervisorTallyMessage = (ballotId: string, resultLogIndex: number, resultDocHash: string, accountId: number) =>
  utf8(`hzqa-tally-supervisor/v1\n${ballotId}\n${resultLogIndex}\n${resultDocHash}\n${accountId}\n`);

/**
 * The key id of a 回避 recusal class (the key_info both signers derive its keys with): the ballot id
 * alone for none, else "<ballotId>/recused:<id,id…>" with the candidate ids sorted (code-point order).
 */
export const classKeyId = (ballotId: string, recused: readonly string[]) => (recused.length ? `${ballotId}/recused:${[...recused].sort().join(',')}` : ballotId);

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
