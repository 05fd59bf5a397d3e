// What the member's tablet keeps in its localStorage: the device (its Ed25519 key, from enrollment) and,
// for each ballot, enough to retry any step with the same values after a dropped Wi-Fi.
import type { BallotKeys, DeviceState, Fetch } from '../../../protocol/tablet.js';
import type { CastReceipt } from '../../../votes/receipts.js';
import type { Choices } from '../../../votes/rules.js';

const DEVICE_KEY = 'hzqa.tablet.device';
const BALLOT_PREFIX = 'hzqa.tablet.ballot.';

/** Every call of the tablet goes to its own origin. */
export const f: Fetch = (path, init) => fetch(path, init);

/** What this tablet keeps for one ballot (localStorage): enough to retry any step with the same values. */
export interface BallotState {
  pending?: { token: string; blinded: string; r: string };
  token?: { token: string; signature: string };
  choices?: Choices;
  receipt?: string;
  /** The signed cast receipt, kept until the member dismisses it (it holds a hash of the choices, not the choices). */
  castReceipt?: CastReceipt;
  /** The ballot's keys as this tablet took them from the public log. */
  keys?: BallotKeys;
  cast?: boolean;
  /** Set once this tablet saw the ballot past casting: until then it makes no identified request, even after its cast. */
  castingOver?: boolean;
  /** Set once the bulletin showed this ballot as cast; the choices are then forgotten. */
  counted?: boolean;
  /** Fingerprint of the ballot key this tablet took from the public log (compared aloud in the room). */
  keyFingerprint?: string;
  hands?: boolean;
  /** 回避: the candidates this member is recused from on this ballot (the token's class), from the log. */
  recused?: string[];
}

export const loadDevice = (): DeviceState | null => {
  try {
    return JSON.parse(localStorage.getItem(DEVICE_KEY) ?? 'null') as DeviceState | null;
  } catch {
    return null;
  }
};

export function saveDevice(device: DeviceState) {
  localStorage.setItem(DEVICE_KEY, JSON.stringify(device));
}

/** The device key is no longer valid (a new code was issued): it is dropped, the ballot states kept. */
export function dropDevice() {
  localStorage.removeItem(DEVICE_KEY);
}

/** 'Forget this tablet': the device and every ballot state. */
export function forgetTablet() {
  localStorage.removeItem(DEVICE_KEY);
  for (const k of Object.keys(localStorage)) if (k.startsWith(BALLOT_PREFIX)) localStorage.removeItem(k);
}

const stateKey = (memberId: string, ballotId: string) => `${BALLOT_PREFIX}${memberId}.${ballotId}`;

export function loadState(memberId: string, ballotId: string): BallotState {
  try {
    return JSON.parse(localStorage.getItem(stateKey(memberId, ballotId)) ?? '{}') as BallotState;
  } catch {
    return {};
  }
}

export function saveState(memberId: string, ballotId: string, s: BallotState) {
  localStorage.setItem(stateKey(memberId, ballotId), JSON.stringify(s));
}
