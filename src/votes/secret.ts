// The secret ballot of 质量奖 (三(三)6 无记名投票) with blind BLS tokens (crypto/blind.ts).
//
//   1. issuing (server, member signed in): a checked-in member's tablet sends B = r·H(ballotId ‖ token)
//      signed with its device key; the server checks the member is eligible and not yet served,
//      returns S′ = sk·B and records only *that* the member was served (and a hash of B, so that a
//      retry with the same B gets the same S′ while a different B is refused).
//   2. casting (server, anonymous): the tablet sends (token, S, choices) with no cookie, no auth
//      header, no member id. The server refuses what it can cheaply (phase, format, choices, a known
//      token), verifies S under the ballot's logged key within a bounded budget, and stores
//      (token, S, choices) — no member, no time, no address — in the next batch (cast-queue.ts).
//   3. closed: the bulletin of all ballots, sorted by token, is published and its hash logged.
import * as z from 'zod';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { appendEntry, canonicalJson } from '../log/index.js';
import { blindSignDecoded, decodeSignature, deriveBallotKey, tokenMessage, verifyToken, BlsEncodingError, CIPHERSUITE } from '../../crypto/blind.js';
import { fromHex, toHex, utf8 } from '../../crypto/bytes.js';
import { nobleVerifier, verifyTogether, type TokenVerifier } from '../tokens/verifier.js';
import { checkChoices, tally, type Choices } from './rules.js';
import { ballotColumns, getBallot, getBallotRow, notFoundBallot, servedMembers, type BallotView } from './ballots.js';
import { issueMessage, verifyDeviceSignature } from './messages.js';
import { getCosign, relaySign } from './cosign.js';
import { signReceipt, type CastReceipt } from './receipts.js';
import type { CosignerLink } from '../deps.js';
import { getDocument, getEntry } from '../log/index.js';
import { BallotBulletinDocument, ChoicesSchema } from '../log/documents/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { differentBallot, type CastQueue } from './cast-queue.js';
import { readForCast, readForCastTogether } from './cast-reads.js';
import type { CastBudget } from './cast-budget.js';
import { classKeyId, recusedFrom } from './recusal.js';

type Member = { memberId: string; deviceKey: string };

/** The device key a member checked in with at a meeting (logged with the check-in). */
export async function checkinDeviceKey(db: Kysely<Database> | Transaction<Database>, meetingId: string, memberId: string): Promise<string> {
  const row = await db.selectFrom('checkin').select('device_key').where('meeting_id', '=', meetingId).where('member_id', '=', memberId).executeTakeFirst();
  return row?.device_key ?? '';
}

/**
 * The bureau's share S′_b = sk_b·B and, for a co-issued ballot, the co-signer's share S′_c, relayed
 * (the member's signed request goes to the co-signer unchanged; it checks the signature itself).
 * The relay runs inside the transaction that records the member as served, so the bureau records
 * only members the co-signer served too.
 */
export async function issueToken(
  db: Kysely<Database>,
  masterSecret: Uint8Array,
  ballotId: string,
  member: Member,
  blindedHex: string,
  signatureHex: string,
  cosigner?: CosignerLink,
): Promise<{ blindSignature: string; cosignerBlindSignature?: string }> {
  if (!/^[0-9a-f]{192}$/.test(blindedHex)) {
    throw new Problem('invalid-request', { en: 'blinded must be 96 bytes of lowercase hex (compressed G2).', zh: 'blinded 须为 96 字节小写十六进制（压缩 G2 点）。' });
  }
  const blinded = fromHex(blindedHex);
  let blindedPoint: ReturnType<typeof decodeSignature>;
  try {
    blindedPoint = decodeSignature(blinded, 'blinded');
  } catch (e) {
    if (e instanceof BlsEncodingError) throw new Problem('invalid-request', { en: `blinded: ${e.message}`, zh: `blinded 无效：${e.message}` });
    throw e;
  }
  const blindedHash = toHex(sha256(blinded));
  const { cosignerShare, recused } = await db.transaction().execute(async (trx) => {
    const b = await getBallotRow(trx, ballotId, 'share');
    if (b.kind !== 'secret') throw new Problem('conflict', { en: 'This ballot is a show of hands.', zh: '该表决为举手表决。' });
    if (b.phase !== 'issuing') throw new Problem('conflict', { en: `Tokens are issued only while the ballot is issuing; it is ${b.phase}.`, zh: `仅在发放阶段发放选票凭证；当前为 ${b.phase}。` });
    const eligible = ballotColumns.eligible(b.eligible!);
    if (!eligible.some((e) => e.memberId === member.memberId)) {
      throw new Problem('forbidden', { en: 'Only members checked in when the vote opened take part.', zh: '仅投票开始时已签到的成员可以参加投票。' });
    }
    // The tablet that checked in (its key is in the public log) is the one that may ask: a device
    // enrolled later for the same member — a re-issued code — cannot take the member's token.
    if (!verifyDeviceSignature(await checkinDeviceKey(trx, b.meeting_id, member.memberId), issueMessage(ballotId, member.memberId, blindedHex), signatureHex)) {
      throw new Problem('forbidden', { en: 'The request is not signed by the tablet that checked in.', zh: '请求签名与签到时的设备密钥不符。' });
    }
    await trx.insertInto('token_served').values({ ballot_id: ballotId, member_id: member.memberId, blinded_hash: blindedHash }).onConflict((oc) => oc.doNothing()).execute();
    const served = await trx.selectFrom('token_served').select('blinded_hash').where('ballot_id', '=', ballotId).where('member_id', '=', member.memberId).executeTakeFirstOrThrow();
    if (served.blinded_hash !== blindedHash) {
      throw new Problem('conflict', { en: 'You were already served a token for this ballot.', zh: '您已领取本次投票的选票凭证。' });
    }
    // 回避: a recused member's token comes from the keys of the member's recusal class (logged at opening).
    const recused = await recusedFrom(trx, ballotId, member.memberId);
    if (!(await getCosign(trx, ballotId))) return { cosignerShare: undefined, recused };
    if (!cosigner) throw new Problem('service-unavailable', { en: 'This ballot is co-issued but no co-signer is configured.', zh: '本次投票须联合签发，但未配置联合签发方。' });
    return { cosignerShare: await relaySign(cosigner, ballotId, member.memberId, blindedHex, signatureHex), recused };
  });
  const blindSignature = toHex(blindSignDecoded(ballotSecretKey(masterSecret, classKeyId(ballotId, recused)), blindedPoint));
  return cosignerShare ? { blindSignature, cosignerBlindSignature: cosignerShare } : { blindSignature };
}

const derivedKeys = new WeakMap<Uint8Array, Map<string, Uint8Array>>();

/** The secret key of a ballot or of one of its recusal classes (deriveBallotKey), derived once rather than per issuance. */
function ballotSecretKey(masterSecret: Uint8Array, keyId: string): Uint8Array {
  let keys = derivedKeys.get(masterSecret);
  if (!keys) derivedKeys.set(masterSecret, (keys = new Map()));
  let sk = keys.get(keyId);
  if (!sk) {
    if (keys.size >= 256) keys.clear();
    sk = deriveBallotKey(masterSecret, keyId).secretKey;
    keys.set(keyId, sk);
  }
  return sk;
}

export const ballotReceipt = (ballotId: string, tokenHex: string, signatureHex: string, choices: Choices) =>
  toHex(sha256(utf8(canonicalJson({ ballotId, token: tokenHex, signature: signatureHex, choices }))));

export interface CastContext {
  queue: CastQueue;
  budget: CastBudget;
  /** The client's address, for the pairing budget only: never stored, never logged. */
  address: string;
  /** The token checker chosen at start (src/tokens/verifier.ts). */
  verifier: TokenVerifier;
  /** Read the ballot and check this cast's token together with the casts that arrive with it (Node), or alone. */
  batch: boolean;
  /** Derives the ballot's receipt key (src/votes/receipts.ts). */
  masterSecret: Uint8Array;
}

/**
 * Anonymous: every cheap refusal first (format, ballot, phase, choices, a token already known), then
 * the bounded pairing check, then the batch (src/votes/cast-queue.ts); answered once the batch commits,
 * with a receipt signed by the ballot's receipt key (src/votes/receipts.ts). A member recused (回避)
 * names the candidates of the token's class: the token verifies only under that class's key, so the
 * class cannot be dropped to vote on them, and a choice on them is refused.
 */
export async function castBallot(
  db: Kysely<Database>,
  ctx: CastContext,
  ballotId: string,
  tokenHex: string,
  signatureHex: string,
  choices: Choices,
  recusedInput: readonly string[] = [],
) {
  const recused = [...new Set(recusedInput)].sort();
  if (!/^[0-9a-f]{64}$/.test(tokenHex)) throw new Problem('invalid-request', { en: 'token must be 32 bytes of lowercase hex.', zh: 'token 须为 32 字节小写十六进制。' });
  if (!/^[0-9a-f]{192}$/.test(signatureHex)) throw new Problem('invalid-request', { en: 'signature must be 96 bytes of lowercase hex.', zh: 'signature 须为 96 字节小写十六进制。' });
  // The ballot, and this token's stored cast if there is one (on Node, one read for the casts arriving together).
  const b = ctx.batch ? await readForCastTogether(db, ballotId, tokenHex) : await readForCast(db, ballotId, tokenHex);
  if (!b) throw notFoundBallot(ballotId);
  if (b.kind !== 'secret') throw new Problem('conflict', { en: 'This ballot is a show of hands.', zh: '该表决为举手表决。' });
  if (b.phase !== 'casting' || !b.public_key || ctx.queue.isClosing(ballotId)) {
    const phase = ctx.queue.isClosing(ballotId) ? 'closing' : b.phase;
    throw new Problem('conflict', { en: `Ballots are cast only while the ballot is casting; it is ${phase}.`, zh: `仅在投票阶段接受选票；当前为 ${phase}。` });
  }
  const key = recused.length
    ? ((b.key_classes ? ballotColumns.keyClasses(b.key_classes) : []).find((k) => k.recused.join(',') === recused.join(','))?.publicKey ?? null)
    : b.public_key;
  if (!key) throw new Problem('forbidden', { en: 'No member of this ballot is recused from exactly those candidates.', zh: '本次投票没有对这些候选组织回避的成员。' });
  const candidates = ballotColumns.candidates(b.candidates).map((c) => c.id);
  const check = checkChoices(choices, candidates, b.seats, recused);
  if (!check.ok) throw new Problem('unprocessable', { en: `Invalid ballot: ${check.en}. The token is not spent.`, zh: `选票无效：${check.zh}。选票凭证未被使用。` });
  const stored = canonicalJson(choices);
  const storedRecused = recused.length ? canonicalJson(recused) : null;
  // A token already known (stored, or waiting in this process's batch) needs no pairing: a BLS
  // signature is unique, so the same signature is the verified one and any other is wrong.
  const known =
    ctx.queue.pendingCast(ballotId, tokenHex) ??
    (b.stored_signature !== null ? { signature: b.stored_signature, choices: b.stored_choices!, recused: b.stored_recused } : undefined);
  if (known && known.signature !== signatureHex) throw invalidToken();
  if (known && (known.choices !== stored || (known.recused ?? null) !== storedRecused)) throw differentBallot();
  if (!known) {
    ctx.budget.take(ctx.address);
    let valid = false;
    try {
      // On Node, checked in one batch with the other casts for this key that arrive in the same instant.
      const message = tokenMessage(ballotId, fromHex(tokenHex));
      valid = ctx.batch ? await verifyTogether(ctx.verifier, fromHex(key), message, fromHex(signatureHex)) : ctx.verifier.verify(fromHex(key), message, fromHex(signatureHex));
    } catch (e) {
      if (!(e instanceof BlsEncodingError)) throw e;
    }
    if (!valid) throw invalidToken();
  }
  const outcome = await ctx.queue.submit(db, { ballotId, token: tokenHex, signature: signatureHex, choices: stored, recused: storedRecused });
  if ('problem' in outcome) throw outcome.problem;
  const castReceipt: CastReceipt = await signReceipt(ctx.masterSecret, ballotId, tokenHex, choices);
  return { ballotId, token: tokenHex, receipt: ballotReceipt(ballotId, tokenHex, outcome.signature, choices), castReceipt, created: outcome.created };
}

const invalidToken = () => new Problem('forbidden', { en: 'The token’s signature does not verify under this ballot’s key.', zh: '选票凭证签名无法用本次投票的公钥验证。' });

export interface BulletinBallot {
  token: string;
  message: string;
  signature: string;
  choices: Choices;
  /** 回避: the candidates this ballot's member was recused from (its key class); absent for none. */
  recused?: string[];
}

/** The logged bulletin: everything needed to check every ballot and recount, in token order. */
export async function buildBulletin(db: Kysely<Database> | Transaction<Database>, b: BallotView) {
  const rows = await db.selectFrom('secret_ballot').select(['token', 'signature', 'choices', 'recused']).where('ballot_id', '=', b.id).orderBy('token').execute();
  const ballots: BulletinBallot[] = rows.map((r) => ({
    token: r.token,
    message: toHex(tokenMessage(b.id, fromHex(r.token))),
    signature: r.signature,
    choices: parseJsonColumn(ChoicesSchema, r.choices, 'secret_ballot.choices'),
    ...(r.recused ? { recused: parseJsonColumn(z.array(z.string()), r.recused, 'secret_ballot.recused') } : {}),
  }));
  const served = await servedMembers(db, b.id);
  const candidateIds = b.candidates.map((c) => c.id);
  return {
    ballotId: b.id,
    cycleId: b.cycleId,
    award: b.award,
    ciphersuite: CIPHERSUITE,
    publicKey: b.publicKey!,
    proofOfPossession: b.proofOfPossession!,
    ...(b.keyClasses ? { keyClasses: b.keyClasses } : {}),
    keyLogIndex: b.keyLogIndex!,
    seats: b.seats,
    rules: b.rules,
    candidates: b.candidates,
    membersTotal: b.membersTotal!,
    present: b.eligible!.length,
    issued: served.length,
    served,
    ballots,
    tally: tally(candidateIds, ballots.map((x) => x.choices), (i) => ballots[i]!.recused ?? []),
  };
}

export async function closeSecret(trx: Transaction<Database>, b: BallotView) {
  const bulletin = await buildBulletin(trx, b);
  const entry = await appendEntry(trx, 'ballot-bulletin', bulletin, { cycleId: b.cycleId, refs: { keyLogIndex: bulletin.keyLogIndex } });
  await trx.updateTable('ballot').set({ bulletin_log_index: entry.index }).where('id', '=', b.id).execute();
  return entry;
}

/**
 * The bulletin as logged: once casting closed, the document whose hash is in the log — never a list
 * rebuilt from the ballots table, which an operator could have changed since.
 */
export async function getBulletin(db: Kysely<Database>, ballotId: string) {
  const b = await getBallot(db, ballotId);
  if (b.kind !== 'secret') throw new Problem('not-found', { en: 'A show of hands has no bulletin; see its record.', zh: '举手表决没有选票公告，请查看表决记录。' });
  if (b.bulletinLogIndex === null) {
    throw new Problem('conflict', { en: `The bulletin is published once casting closes; the ballot is ${b.phase}.`, zh: `投票结束后公布选票公告；当前为 ${b.phase}。` });
  }
  const entry = await getEntry(db, b.bulletinLogIndex);
  const doc = entry && (await getDocument(db, entry.docHash));
  if (!entry || !doc || entry.type !== 'ballot-bulletin') throw new Problem('internal', { en: 'The logged bulletin is missing.', zh: '已记录的选票公告缺失。' });
  const bulletin = parseJsonColumn(BallotBulletinDocument, doc.body, 'log_document.body (ballot-bulletin)');
  return { ...bulletin, result: b.result, logIndex: b.bulletinLogIndex, resultLogIndex: b.resultLogIndex };
}
