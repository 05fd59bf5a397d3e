// The supervisory group's co-signer (评审工作监督小组的联合签发方): the rules it enforces, as pure
// functions over its state, so that scripts/cosigner.ts (its own process, its own key folder), the
// tests and the benchmark run the same code. Its secrets — a BLS master secret and an Ed25519 identity
// key — are generated on the supervisors' machine and never derived from anything the bureau holds.
//
//   propose   (relayed by the bureau, before issuance opens) the ballot, the bureau's per-ballot key
//             with its proof of possession, and the eligible list (members checked in, with the device
//             key each checked in with). The co-signer checks the proof and pins the bureau's key
//             for the ballot (crypto/cosign.ts: a key fixed before the first blind signature), and
//             answers its own per-ballot key and proof. Nothing is signed yet.
//   approve   (a supervisor in the room, on the supervisors' device, with the approval token kept in
//             the key folder) the list exactly as shown (its hash). The co-signer signs the
//             "ballot-key" statement: both keys, the aggregate, the list. The bureau logs it before
//             issuance opens.
//   sign      (a member's tablet, possibly relayed by the bureau) B with the member's device signature
//             over "hzqa-issue/v1\n<ballotId>\n<memberId>\n<B hex>\n". Served only if the ballot is
//             approved and open, the member is on the approved list, the signature verifies under the
//             device key on that list, and the member was not served another B (the same B again gets
//             the same answer). The served record is saved before the answer leaves.
//   close     (relayed by the bureau when casting opens) no more signing; the co-signer signs its
//             served list ("served" statement), which the bureau logs.
import { sha256 } from '@noble/hashes/sha2.js';
import { blindSign, decodeSignature, popProve, popVerify, BlsEncodingError } from '../../crypto/blind.js';
import { aggregatePublicKey, deriveCosignerBallotKey } from '../../crypto/cosign.js';
import { fromHex, toHex } from '../../crypto/bytes.js';
import type { Signer } from '../../crypto/note.js';
import { classKeyId, issueMessage, verifyDeviceSignature } from '../votes/messages.js';
import { KEY_STATEMENT, SERVED_STATEMENT, eligibleListHash, signStatement, type EligibleMember, type KeyApproval } from './statements.js';

export interface CosignerBallot {
  ballotId: string;
  cycleId: string;
  meetingId: string;
  bureauPublicKey: string;
  bureauProofOfPossession: string;
  eligible: EligibleMember[];
  /** 回避: the bureau's key of each recusal class (absent when no member present is recused). */
  classes?: ProposedClass[];
  status: 'proposed' | 'approved' | 'closed';
  /** The signed "ballot-key" statement once approved. */
  approval: string | null;
  /** memberId → SHA-256 (hex) of the B served. */
  served: Record<string, string>;
  /** The signed "served" statement once closed. */
  servedStatement: string | null;
}

export interface CosignerState {
  ballots: Record<string, CosignerBallot>;
}

export interface CosignerSecrets {
  /** ≥ 32 bytes; the per-ballot BLS keys are derived from it (crypto/cosign.ts). */
  masterSecret: Uint8Array;
  /** The identity key that signs statements (C2SP signed note, Ed25519). */
  signer: Signer;
}

/** A refusal, with the HTTP status the co-signer answers. */
export class CosignerRefusal extends Error {
  override readonly name = 'CosignerRefusal';
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly code: string,
    readonly en: string,
    readonly zh: string,
  ) {
    super(en);
  }
}

const ID = /^[A-Za-z0-9_-]{1,40}$/;
const refuse = (status: CosignerRefusal['status'], code: string, en: string, zh: string) => new CosignerRefusal(status, code, en, zh);

function ballotKeys(secrets: CosignerSecrets, b: Pick<CosignerBallot, 'ballotId' | 'bureauPublicKey'>, recused: readonly string[] = []) {
  const { secretKey, publicKey } = deriveCosignerBallotKey(secrets.masterSecret, classKeyId(b.ballotId, recused));
  return { secretKey, publicKey: toHex(publicKey), aggregate: toHex(aggregatePublicKey(fromHex(b.bureauPublicKey), publicKey)) };
}

/** 回避: a recusal class as the bureau proposes it — the candidates, and its own key for the class. */
export interface ProposedClass {
  recused: string[];
  bureauPublicKey: string;
  bureauProofOfPossession: string;
}

/** Each class with both keys and their sum, as the approval states them. */
function classKeys(secrets: CosignerSecrets, b: CosignerBallot) {
  return (b.classes ?? []).map((c) => {
    const k = ballotKeys(secrets, { ballotId: b.ballotId, bureauPublicKey: c.bureauPublicKey }, c.recused);
    return {
      recused: c.recused,
      bureauPublicKey: c.bureauPublicKey,
      bureauProofOfPossession: c.bureauProofOfPossession,
      cosignerPublicKey: k.publicKey,
      cosignerProofOfPossession: toHex(popProve(k.secretKey)),
      aggregatePublicKey: k.aggregate,
    };
  });
}

const classesId = (classes: readonly ProposedClass[] | undefined) => (classes ?? []).map((c) => `${c.recused.join(',')}=${c.bureauPublicKey}`).join(' ');

export interface Proposal {
  ballotId: string;
  cycleId: string;
  meetingId: string;
  bureauPublicKey: string;
  bureauProofOfPossession: string;
  eligible: EligibleMember[];
  /** 回避: one per distinct set of candidates some member on the list is recused from. */
  classes?: ProposedClass[];
}

/** What the co-signer says about a ballot (to the bureau and to the supervisor's approval screen). */
export function describe(secrets: CosignerSecrets, b: CosignerBallot) {
  const k = ballotKeys(secrets, b);
  return {
    ballotId: b.ballotId,
    cycleId: b.cycleId,
    meetingId: b.meetingId,
    status: b.status,
    bureauPublicKey: b.bureauPublicKey,
    cosignerPublicKey: k.publicKey,
    cosignerProofOfPossession: toHex(popProve(k.secretKey)),
    aggregatePublicKey: k.aggregate,
    eligible: b.eligible,
    ...(b.classes?.length ? { classes: classKeys(secrets, b) } : {}),
    listHash: eligibleListHash(b.eligible),
    approval: b.approval,
    served: Object.keys(b.served).length,
    servedStatement: b.servedStatement,
  };
}

/** Bureau (relayed): a ballot's key and list, before issuance opens. Mutates `state`. */
export function propose(state: CosignerState, secrets: CosignerSecrets, p: Proposal) {
  if (!ID.test(p.ballotId) || !ID.test(p.meetingId) || typeof p.cycleId !== 'string' || !p.cycleId)
    throw refuse(400, 'malformed', 'Malformed ballot, meeting or cycle id.', '投票、会议或周期编号格式错误。');
  if (!/^[0-9a-f]{96}$/.test(p.bureauPublicKey) || !/^[0-9a-f]{192}$/.test(p.bureauProofOfPossession) || !popVerify(fromHex(p.bureauPublicKey), fromHex(p.bureauProofOfPossession)))
    throw refuse(400, 'bureau-pop', 'The bureau’s key has no valid proof of possession.', '市场监管局的公钥没有有效的持有证明。');
  const ids = new Set(p.eligible.map((m) => m.memberId));
  if (ids.size !== p.eligible.length || p.eligible.length === 0) throw refuse(400, 'malformed', 'The eligible list is empty or names a member twice.', '有资格名单为空或有重复成员。');
  const classes = checkClasses(p);
  const existing = state.ballots[p.ballotId];
  if (existing && existing.status !== 'proposed') {
    // Pinned: once approved, neither the bureau's keys nor the list changes.
    if (existing.bureauPublicKey !== p.bureauPublicKey || eligibleListHash(existing.eligible) !== eligibleListHash(p.eligible) || classesId(existing.classes) !== classesId(classes))
      throw refuse(409, 'pinned', 'This ballot was approved with another key or list; the co-signer does not change it.', '本次投票已按另一公钥或名单批准,联合签发方不予更改。');
    return describe(secrets, existing);
  }
  if (existing && existing.bureauPublicKey !== p.bureauPublicKey)
    throw refuse(409, 'pinned', 'This ballot was proposed with another bureau key; the co-signer keeps the first.', '本次投票已以另一公钥提出,联合签发方保留首次提出的公钥。');
  const b: CosignerBallot = {
    ballotId: p.ballotId,
    cycleId: p.cycleId,
    meetingId: p.meetingId,
    bureauPublicKey: p.bureauPublicKey,
    bureauProofOfPossession: p.bureauProofOfPossession,
    eligible: [...p.eligible].sort((a, c) => (a.memberId < c.memberId ? -1 : 1)),
    ...(classes.length ? { classes } : {}),
    status: 'proposed',
    approval: null,
    served: {},
    servedStatement: null,
  };
  state.ballots[p.ballotId] = b;
  return describe(secrets, b);
}

/**
 * 回避: the proposed classes are exactly the distinct recusal sets on the list, each with its own bureau
 * key (not the ballot's, not another class's) and a valid proof of possession — the same conditions
 * as the ballot's own key, for the same reason (crypto/cosign.ts).
 */
function checkClasses(p: Proposal): ProposedClass[] {
  const want = new Set<string>();
  for (const m of p.eligible) {
    if (m.recused === undefined) continue;
    const sorted = [...m.recused].sort();
    if (m.recused.length === 0 || new Set(sorted).size !== sorted.length || sorted.join(',') !== m.recused.join(','))
      throw refuse(400, 'malformed', 'A member’s recusals must be distinct candidate ids, sorted.', '成员的回避候选须为不重复且已排序的编号。');
    want.add(sorted.join(','));
  }
  const classes = [...(p.classes ?? [])].map((c) => ({ recused: [...c.recused], bureauPublicKey: c.bureauPublicKey, bureauProofOfPossession: c.bureauProofOfPossession }));
  classes.sort((a, c) => (a.recused.join(',') < c.recused.join(',') ? -1 : 1));
  const got = classes.map((c) => c.recused.join(','));
  if (new Set(got).size !== got.length || got.length !== want.size || got.some((k) => !want.has(k)))
    throw refuse(400, 'classes', 'The recusal classes are not exactly those of the members on the list.', '回避类别与名单成员的回避不一致。');
  const keys = new Set([p.bureauPublicKey]);
  for (const c of classes) {
    if (!/^[0-9a-f]{96}$/.test(c.bureauPublicKey) || !/^[0-9a-f]{192}$/.test(c.bureauProofOfPossession) || !popVerify(fromHex(c.bureauPublicKey), fromHex(c.bureauProofOfPossession)))
      throw refuse(400, 'bureau-pop', `The bureau’s key for recusal class [${c.recused.join(',')}] has no valid proof of possession.`, `市场监管局回避类别 [${c.recused.join(',')}] 的公钥没有有效的持有证明。`);
    if (keys.has(c.bureauPublicKey)) throw refuse(400, 'classes', 'Each recusal class needs a key of its own.', '每个回避类别须有各自的公钥。');
    keys.add(c.bureauPublicKey);
  }
  return classes;
}

/** Supervisor in the room: approves the list whose hash they were shown. Mutates `state`. */
export function approve(state: CosignerState, secrets: CosignerSecrets, ballotId: string, listHash: string, approvedBy: string, now: Date): string {
  const b = state.ballots[ballotId];
  if (!b) throw refuse(404, 'unknown-ballot', `No proposal for ballot ${ballotId}.`, `没有投票 ${ballotId} 的待批准名单。`);
  if (b.status !== 'proposed') return b.approval!;
  if (listHash !== eligibleListHash(b.eligible))
    throw refuse(409, 'list-changed', 'The list changed since it was shown; show it again.', '名单在显示后已变化,请重新核对。');
  if (!approvedBy.trim()) throw refuse(400, 'malformed', 'Name the supervisor who approves.', '请填写批准的监督人员。');
  const k = ballotKeys(secrets, b);
  const doc: KeyApproval = {
    ballotId: b.ballotId,
    cycleId: b.cycleId,
    meetingId: b.meetingId,
    bureauPublicKey: b.bureauPublicKey,
    bureauProofOfPossession: b.bureauProofOfPossession,
    cosignerPublicKey: k.publicKey,
    cosignerProofOfPossession: toHex(popProve(k.secretKey)),
    aggregatePublicKey: k.aggregate,
    eligible: b.eligible,
    ...(b.classes?.length ? { classes: classKeys(secrets, b) } : {}),
    listHash,
    approvedBy: approvedBy.trim().slice(0, 100),
    approvedAt: now.toISOString(),
  };
  b.approval = signStatement(KEY_STATEMENT, doc, secrets.signer);
  b.status = 'approved';
  return b.approval;
}

export interface SignRequest {
  ballotId: string;
  memberId: string;
  /** B, 96 bytes hex. */
  blinded: string;
  /** The member's device signature (Ed25519, hex) over issueMessage(ballotId, memberId, blinded). */
  signature: string;
}

/**
 * A member's tablet (maybe relayed): the co-signer's share S′_c = sk_c·B, or a refusal. Mutates
 * `state` (the caller saves it before answering).
 */
export function sign(state: CosignerState, secrets: CosignerSecrets, req: SignRequest): { blindSignature: string; again: boolean } {
  const b = state.ballots[req.ballotId];
  if (!b) throw refuse(404, 'unknown-ballot', `No ballot ${req.ballotId} at the co-signer.`, `联合签发方没有投票 ${req.ballotId}。`);
  if (b.status === 'proposed') throw refuse(403, 'not-approved', 'The eligible list has not been approved by a supervisor.', '有资格名单尚未经监督人员批准。');
  if (b.status === 'closed') throw refuse(409, 'closed', 'Issuance is closed for this ballot.', '本次投票的凭证发放已结束。');
  const member = b.eligible.find((m) => m.memberId === req.memberId);
  if (!member) throw refuse(403, 'unknown-member', 'This member is not on the approved list.', '该成员不在已批准的名单中。');
  if (typeof req.blinded !== 'string' || !/^[0-9a-f]{192}$/.test(req.blinded)) throw refuse(400, 'malformed', 'blinded must be 96 bytes of lowercase hex.', 'blinded 须为 96 字节小写十六进制。');
  if (!verifyDeviceSignature(member.deviceKey, issueMessage(req.ballotId, req.memberId, req.blinded), String(req.signature)))
    throw refuse(403, 'device-signature', 'The request is not signed by the member’s checked-in tablet.', '请求未经该成员签到平板签名。');
  try {
    decodeSignature(fromHex(req.blinded), 'blinded value');
  } catch (e) {
    if (e instanceof BlsEncodingError) throw refuse(400, 'malformed', `blinded: ${e.message}`, `blinded 无效:${e.message}`);
    throw e;
  }
  const h = toHex(sha256(fromHex(req.blinded)));
  const prior = b.served[req.memberId];
  if (prior !== undefined && prior !== h) throw refuse(409, 'already-served', 'This member was already served for this ballot.', '该成员已领取本次投票的凭证。');
  b.served[req.memberId] = h;
  // 回避: a recused member is served under the key of the member's class, as approved.
  const { secretKey } = ballotKeys(secrets, b, member.recused ?? []);
  return { blindSignature: toHex(blindSign(secretKey, fromHex(req.blinded))), again: prior !== undefined };
}

/** Bureau (relayed) when casting opens: stop signing, sign the served list. Mutates `state`. */
export function close(state: CosignerState, secrets: CosignerSecrets, ballotId: string, now: Date): string {
  const b = state.ballots[ballotId];
  if (!b) throw refuse(404, 'unknown-ballot', `No ballot ${ballotId} at the co-signer.`, `联合签发方没有投票 ${ballotId}。`);
  if (b.status === 'proposed') throw refuse(409, 'not-approved', 'The list was never approved.', '名单从未获批准。');
  if (b.status === 'closed') return b.servedStatement!;
  b.status = 'closed';
  b.servedStatement = signStatement(SERVED_STATEMENT, { ballotId, aggregatePublicKey: ballotKeys(secrets, b).aggregate, served: Object.keys(b.served).sort(), closedAt: now.toISOString() }, secrets.signer);
  return b.servedStatement;
}
