// client: what a member's tablet does, over HTTP — used by the tablet page (bundled for the browser),
// by `npm run demo`, and by the tests. The device key never leaves the device; blinding and
// unblinding happen here, never on the server.
import { ed25519 } from '@noble/curves/ed25519.js';
import { blind, finalizeToken, newToken, tokenMessage, verifyToken } from '../../crypto/blind.js';
import { fromHex, toHex } from '../../crypto/bytes.js';
import { checkInMessage, handsMessage, issueMessage } from '../votes/messages.js';
import type { Choices } from '../votes/rules.js';

export type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { type?: string; detail?: string; detail_zh?: string; [k: string]: unknown },
  ) {
    super(`${status} ${problem.type ?? ''}: ${problem.detail ?? ''}`);
  }
}

export async function call<T>(fetch: Fetch, path: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const res = await fetch(path, { ...init, headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof body === 'object' ? (body as ApiError['problem']) : { detail: String(body) });
  return body as T;
}

/** What the tablet keeps for a secret ballot: the token is the member's receipt. */
export interface SecretReceipt {
  ballotId: string;
  token: string;
  signature: string;
  choices: Choices;
  receipt?: string;
}

export interface DeviceState {
  memberId: string;
  cycleId: string;
  name: string;
  isChair: boolean;
  deviceSecret: string; // hex; stays on the device
}

export class Tablet {
  session?: string;
  constructor(
    readonly fetch: Fetch,
    readonly device: DeviceState,
  ) {}

  /** Enroll with the one-time code: the device key is generated here and only its public half is sent. */
  static async enroll(fetch: Fetch, code: string): Promise<Tablet> {
    const secret = ed25519.utils.randomSecretKey();
    const r = await call<{ memberId: string; cycleId: string; name: string; isChair: boolean }>(fetch, '/api/v1/members/enroll', {
      method: 'POST',
      json: { code, deviceKey: toHex(ed25519.getPublicKey(secret)) },
    });
    return new Tablet(fetch, { memberId: r.memberId, cycleId: r.cycleId, name: r.name, isChair: r.isChair, deviceSecret: toHex(secret) });
  }

  sign(message: Uint8Array): string {
    return toHex(ed25519.sign(message, fromHex(this.device.deviceSecret)));
  }

  async signIn(): Promise<void> {
    const { challenge, message } = await call<{ challenge: string; message: string }>(this.fetch, '/api/v1/members/challenge', {
      method: 'POST',
      json: { memberId: this.device.memberId },
    });
    const r = await call<{ token: string }>(this.fetch, '/api/v1/members/session', {
      method: 'POST',
      json: { memberId: this.device.memberId, challenge, signature: this.sign(fromHex(message)) },
    });
    this.session = r.token;
  }

  private authed<T>(path: string, init: RequestInit & { json?: unknown } = {}) {
    return call<T>(this.fetch, path, { ...init, token: this.session! });
  }

  meeting() {
    return this.authed<{ meetingId: string; status: string; checkedInAt: string | null; ballots: { id: string; kind: string; phase: string }[] }>('/api/v1/members/me/meeting');
  }

  checkIn(meetingId: string) {
    return this.authed<{ checkedInAt: string; logIndex: number }>(`/api/v1/meetings/${meetingId}/checkins`, {
      method: 'POST',
      json: { signature: this.sign(checkInMessage(meetingId, this.device.memberId)) },
    });
  }

  /**
   * Issuance: blind a fresh token, have it signed, check the answer against the ballot's key as
   * published (the caller passes the key it took from the public log), unblind. Safe to retry with
   * the same `pending` value after a dropped connection.
   */
  async obtainToken(ballotId: string, publicKeyHex: string, pending?: { token: string; blinded: string; r: string }) {
    const state = pending ?? (() => {
      const token = newToken();
      const { blinded, r } = blind(tokenMessage(ballotId, token));
      return { token: toHex(token), blinded: toHex(blinded), r: toHex(r) };
    })();
    const { blindSignature } = await this.authed<{ blindSignature: string }>(`/api/v1/ballots/${ballotId}/tokens`, {
      method: 'POST',
      json: { blinded: state.blinded, signature: this.sign(issueMessage(ballotId, this.device.memberId, state.blinded)) },
    });
    const message = tokenMessage(ballotId, fromHex(state.token));
    const signature = finalizeToken(fromHex(publicKeyHex), message, fromHex(state.blinded), fromHex(blindSignature), fromHex(state.r));
    if (!verifyToken(fromHex(publicKeyHex), message, signature)) throw new Error('token does not verify');
    return { token: state.token, signature: toHex(signature) };
  }

  /** Casting carries no identity: a bare request with no session, no cookie. */
  static async cast(fetch: Fetch, ballotId: string, token: { token: string; signature: string }, choices: Choices): Promise<SecretReceipt> {
    const r = await call<{ receipt: string }>(fetch, `/api/v1/ballots/${ballotId}/cast`, {
      method: 'POST',
      json: { token: token.token, signature: token.signature, choices },
      credentials: 'omit',
    });
    return { ballotId, token: token.token, signature: token.signature, choices, receipt: r.receipt };
  }

  raiseHands(ballotId: string, choices: Choices) {
    return this.authed(`/api/v1/ballots/${ballotId}/hands`, {
      method: 'POST',
      json: { choices, signature: this.sign(handsMessage(ballotId, this.device.memberId, choices)) },
    });
  }
}

/** anyone: is my ballot in the bulletin exactly as I cast it? */
export function ballotCounted(bulletin: { ballots: { token: string; signature: string; choices: Choices }[] }, receipt: SecretReceipt): boolean {
  const mine = bulletin.ballots.find((b) => b.token === receipt.token);
  if (!mine || mine.signature !== receipt.signature) return false;
  const keys = new Set([...Object.keys(mine.choices), ...Object.keys(receipt.choices)]);
  return [...keys].every((k) => mine.choices[k] === receipt.choices[k]);
}
