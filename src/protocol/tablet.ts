// client: what a member's tablet does, over HTTP — used by the tablet page (bundled for the browser),
// by `npm run demo`, and by the tests. The device key never leaves the device; blinding and
// unblinding happen here, never on the server.
import { ed25519 } from '@noble/curves/ed25519.js';
import { blind, finalizeToken, newToken, tokenMessage, verifyToken } from '../../crypto/blind.js';
import { finalizeCoIssuedToken } from '../../crypto/cosign.js';
import { verifyReceipt, choicesHash, type CastReceipt } from '../votes/receipts.js';
import { fromHex, toHex } from '../../crypto/bytes.js';
import { awardFixingMessage, awardFixingRecordMessage, checkInMessage, handsMessage, issueMessage, procedureMessage, procedureRecordMessage, recusalMessage, tallyMessage, type TellerRole } from '../votes/messages.js';
import type { Choices } from '../votes/rules.js';
import type { MyMeetingJson } from '../votes/responses.js';
import type { ChairRecordedJson, LoggedJson, ProcedureJson, ProcedureVotedJson, ResultReferenceJson, TallyConfirmedJson } from '../votes/conduct-responses.js';

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
  /** The receipt signed by the ballot's receipt key, checked on arrival. */
  castReceipt?: CastReceipt;
}

/**
 * A secret ballot's keys as the tablet took them from the public log (its "ballot-key" entry): the
 * key tokens verify under, and for a co-issued ballot the two keys whose sum it is, and the receipt key.
 */
export interface BallotKeys {
  publicKey: string;
  bureauPublicKey?: string;
  cosignerPublicKey?: string;
  receiptKey?: string;
}

type KeyPair = { bureauPublicKey: string; cosignerPublicKey: string };

/**
 * The keys out of a ballot-key document (or a ballot as the API shows it). A member recused (回避)
 * passes the candidates recused from: the token is then issued under that recusal class's keys.
 */
export function ballotKeysOf(
  doc: {
    publicKey: string;
    receiptKey?: string | null;
    coIssuance?: KeyPair | null;
    keyClasses?: { recused: string[]; publicKey: string; coIssuance?: KeyPair }[] | null;
  },
  recused: readonly string[] = [],
): BallotKeys {
  const cls = recused.length ? (doc.keyClasses ?? []).find((k) => k.recused.join(',') === [...recused].sort().join(',')) : undefined;
  if (recused.length && !cls) throw new Error('the log has no key for this recusal class');
  const key = cls ?? doc;
  return {
    publicKey: key.publicKey,
    ...(doc.receiptKey ? { receiptKey: doc.receiptKey } : {}),
    ...(key.coIssuance ? { bureauPublicKey: key.coIssuance.bureauPublicKey, cosignerPublicKey: key.coIssuance.cosignerPublicKey } : {}),
  };
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

  /** Signs in by challenge. Refused (409) while this member's token of a ballot in casting may be uncast. */
  async signIn(): Promise<void> {
    const { challenge, message } = await call<{ challenge: string; message: string }>(this.fetch, '/api/v1/members/challenge', {
      method: 'POST',
      json: { memberId: this.device.memberId },
    });
    const r = await call<{ token: string; expiresAt: string }>(this.fetch, '/api/v1/members/session', {
      method: 'POST',
      json: { memberId: this.device.memberId, challenge, signature: this.sign(fromHex(message)) },
    });
    this.session = r.token;
    this.sessionExpiresAt = r.expiresAt;
  }

  sessionExpiresAt?: string;

  private authed<T>(path: string, init: RequestInit & { json?: unknown } = {}) {
    return call<T>(this.fetch, path, { ...init, token: this.session! });
  }

  meeting() {
    return this.authed<MyMeetingJson>('/api/v1/members/me/meeting');
  }

  checkIn(meetingId: string) {
    return this.authed<{ checkedInAt: string; logIndex: number }>(`/api/v1/meetings/${meetingId}/checkins`, {
      method: 'POST',
      json: { signature: this.sign(checkInMessage(meetingId, this.device.memberId)) },
    });
  }

  /**
   * Issuance: blind a fresh token, have it signed, check the answer against the ballot's keys as
   * published (the caller passes the keys it took from the public log), unblind. For a co-issued
   * ballot each share is checked against its own signer's key before they are added. Safe to retry
   * with the same `pending` value after a dropped connection.
   */
  async obtainToken(ballotId: string, keys: string | BallotKeys, pending?: { token: string; blinded: string; r: string }) {
    const k: BallotKeys = typeof keys === 'string' ? { publicKey: keys } : keys;
    const state = pending ?? (() => {
      const token = newToken();
      const { blinded, r } = blind(tokenMessage(ballotId, token));
      return { token: toHex(token), blinded: toHex(blinded), r: toHex(r) };
    })();
    const answer = await this.authed<{ blindSignature: string; cosignerBlindSignature?: string }>(`/api/v1/ballots/${ballotId}/tokens`, {
      method: 'POST',
      json: { blinded: state.blinded, signature: this.sign(issueMessage(ballotId, this.device.memberId, state.blinded)) },
    });
    const message = tokenMessage(ballotId, fromHex(state.token));
    let signature: Uint8Array;
    if (k.bureauPublicKey && k.cosignerPublicKey) {
      if (!answer.cosignerBlindSignature) throw new Error('the co-signer’s share is missing');
      signature = finalizeCoIssuedToken(message, fromHex(state.blinded), fromHex(state.r), [
        { signer: 'bureau', publicKey: fromHex(k.bureauPublicKey), blindSignature: fromHex(answer.blindSignature) },
        { signer: 'co-signer', publicKey: fromHex(k.cosignerPublicKey), blindSignature: fromHex(answer.cosignerBlindSignature) },
      ]);
    } else {
      signature = finalizeToken(fromHex(k.publicKey), message, fromHex(state.blinded), fromHex(answer.blindSignature), fromHex(state.r));
    }
    if (!verifyToken(fromHex(k.publicKey), message, signature)) throw new Error('token does not verify');
    return { token: state.token, signature: toHex(signature) };
  }

  /**
   * Casting carries no identity: a bare request with no session, no cookie. With the receipt key from
   * the log, the signed receipt is checked before it is kept. `delayMs` is a wait chosen on the tablet
   * before sending (castDelay()), so that the moment of the cast says nothing about the moment the
   * member pressed the button. A 429 (the server's pairing budget) is answered by sending the same cast
   * again after Retry-After, up to `retries` times. A member recused (回避) from some candidates names
   * them (`recused`, the token's key class) and leaves them out of the choices.
   */
  static async cast(
    fetch: Fetch,
    ballotId: string,
    token: { token: string; signature: string },
    choices: Choices,
    receiptKeyOrOptions?: string | CastOptions,
  ): Promise<SecretReceipt> {
    const options: CastOptions = typeof receiptKeyOrOptions === 'string' ? { receiptKey: receiptKeyOrOptions } : (receiptKeyOrOptions ?? {});
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    if (options.delayMs) await sleep(options.delayMs);
    for (let attempt = 0; ; attempt++) {
      let r: { receipt: string; castReceipt?: CastReceipt };
      try {
        r = await call<{ receipt: string; castReceipt?: CastReceipt }>(fetch, `/api/v1/ballots/${ballotId}/cast`, {
          method: 'POST',
          json: { token: token.token, signature: token.signature, choices, ...(options.recused?.length ? { recused: options.recused } : {}) },
          credentials: 'omit',
        });
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 429 || attempt >= (options.retries ?? 0)) throw e;
        const wait = Number(e.problem.retryAfter ?? 1);
        await sleep(Math.min(60, Math.max(1, Number.isFinite(wait) ? wait : 1)) * 1000);
        continue;
      }
      if (options.receiptKey !== undefined) {
        const c = r.castReceipt;
        if (!verifyReceipt(options.receiptKey, c) || c.ballotId !== ballotId || c.token !== token.token || c.choicesHash !== choicesHash(choices))
          throw new Error('the cast receipt is not signed by the ballot’s receipt key for this ballot');
      }
      return { ballotId, token: token.token, signature: token.signature, choices, receipt: r.receipt, ...(r.castReceipt ? { castReceipt: r.castReceipt } : {}) };
    }
  }

  /** 表决办法: my signed 同意/不同意/弃权 on the proposal's hash. */
  voteProcedure(procedure: Pick<ProcedureJson, 'id' | 'documentHash'> & { meetingId: string }, choice: 'for' | 'against' | 'abstain') {
    return this.authed<ProcedureVotedJson>(`/api/v1/procedures/${procedure.id}/votes`, {
      method: 'POST',
      json: { choice, signature: this.sign(procedureMessage(procedure.meetingId, procedure.documentHash, this.device.memberId, choice)) },
    });
  }

  /** Chair: the signed counts of the show of hands on the 表决办法 in the room. */
  recordProcedure(procedure: Pick<ProcedureJson, 'id' | 'documentHash'> & { meetingId: string }, counts: { for: number; against: number; abstain: number }) {
    return this.authed<ChairRecordedJson>(`/api/v1/procedures/${procedure.id}/chair-record`, {
      method: 'POST',
      json: { ...counts, signature: this.sign(procedureRecordMessage(procedure.meetingId, procedure.documentHash, counts)) },
    });
  }

  /** 审定: my signed 同意/不同意/弃权 on the proposal's hash (the 拟授奖组织名单 shown on the tablet). */
  voteAwardFixing(fixing: { id: string; meetingId: string; documentHash: string }, choice: 'for' | 'against' | 'abstain') {
    return this.authed<{ fixingId: string; choice: string }>(`/api/v1/award-fixings/${fixing.id}/votes`, {
      method: 'POST',
      json: { choice, signature: this.sign(awardFixingMessage(fixing.meetingId, fixing.documentHash, this.device.memberId, choice)) },
    });
  }

  /** Chair: the signed counts of the show of hands on the 审定 in the room; a supervisor confirms them. */
  recordAwardFixing(fixing: { id: string; meetingId: string; documentHash: string }, counts: { for: number; against: number; abstain: number }) {
    return this.authed<{ fixingId: string; awaiting: 'supervisor' }>(`/api/v1/award-fixings/${fixing.id}/chair-record`, {
      method: 'POST',
      json: { ...counts, signature: this.sign(awardFixingRecordMessage(fixing.meetingId, fixing.documentHash, counts)) },
    });
  }

  /** 回避 from a candidate: my own, or (chair) another member's. */
  recuse(ballotId: string, candidateId: string, opts: { memberId?: string; reason?: string } = {}) {
    const memberId = opts.memberId ?? this.device.memberId;
    return this.authed<LoggedJson>(`/api/v1/ballots/${ballotId}/recusals`, {
      method: 'POST',
      json: { memberId, candidateId, reason: opts.reason ?? '', signature: this.sign(recusalMessage(ballotId, memberId, candidateId)) },
    });
  }

  /** 计票人/监票人: sign the logged result (its index and document hash) after checking the counts shown. */
  async confirmTally(ballotId: string, role: TellerRole) {
    const ref = await call<ResultReferenceJson>(this.fetch, `/api/v1/ballots/${ballotId}/result-reference`);
    return this.authed<TallyConfirmedJson>(`/api/v1/ballots/${ballotId}/confirmations`, {
      method: 'POST',
      json: { signature: this.sign(tallyMessage(ballotId, ref.resultLogIndex, ref.resultDocHash, role, this.device.memberId)) },
    });
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

export interface CastOptions {
  /** The ballot's receipt key from the log: the signed receipt is checked against it. */
  receiptKey?: string;
  delayMs?: number;
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** 回避: the candidates of the token's recusal class (the member's recusals on this ballot). */
  recused?: readonly string[];
}

/** The largest wait a tablet chooses before sending a cast, in ms. */
export const CAST_DELAY_MAX_MS = 4000;

/** tablet: a uniformly random wait in [0, CAST_DELAY_MAX_MS), from the platform's CSPRNG. */
export function castDelay(max = CAST_DELAY_MAX_MS): number {
  const [x] = crypto.getRandomValues(new Uint32Array(1));
  return Math.floor((x! / 2 ** 32) * max);
}

/** A refusal because a ballot this member holds a token for is in casting (src/votes/casting-hold.ts). */
export const isCastingHold = (e: unknown): e is ApiError => e instanceof ApiError && e.status === 409 && typeof e.problem.castingBallotId === 'string';
