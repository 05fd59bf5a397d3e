// Judging-group members: registered by staff per cycle, enrolled once from a tablet with a one-time
// code (the tablet registers an Ed25519 device key it generated), signed in by signing a challenge.
import type { Kysely } from 'kysely';
import { isStrictPublicKey, verifyStrict } from '../../crypto/ed25519-strict.js';
import type { Database } from '../../schema/database.js';
import { fromHex, utf8 } from '../../crypto/bytes.js';
import { Problem, problem } from '../errors.js';
import { hashSecret, randomCode, randomToken } from '../auth/secrets.js';
import { MEMBER_SESSION_PREFIX } from '../auth/guard.js';
import { appendEntry } from '../log/index.js';
import { keyFingerprint } from '../votes/messages.js';
import { OPEN_PHASES } from '../votes/phases.js';

export const ENROLLMENT_CODE_TTL_MS = 7 * 24 * 3600_000;
export const CHALLENGE_TTL_MS = 5 * 60_000;
export const SESSION_TTL_MS = 12 * 3600_000;
export const MAX_OPEN_CHALLENGES = 5;

/** Removes used and expired sign-in challenges and expired sessions (run by the scheduled job). */
export async function purgeMemberAuth(deps: { db: Kysely<Database>; clock: { now(): Date } }) {
  const now = deps.clock.now();
  const challenges = await deps.db.deleteFrom('member_challenge').where((eb) => eb.or([eb('expires_at', '<=', now), eb('used_at', 'is not', null)])).executeTakeFirst();
  const sessions = await deps.db.deleteFrom('member_session').where('expires_at', '<=', now).executeTakeFirst();
  return { challengesPurged: Number(challenges.numDeletedRows), sessionsPurged: Number(sessions.numDeletedRows) };
}

export async function registerMember(
  db: Kysely<Database>,
  m: { cycleId: string; name: string; unit: string; isChair: boolean },
  now: Date,
) {
  const code = randomCode();
  const id = 'm_' + randomToken('', 12);
  const expiresAt = new Date(now.getTime() + ENROLLMENT_CODE_TTL_MS);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('member')
      .values({
        id,
        cycle_id: m.cycleId,
        name: m.name,
        unit: m.unit,
        is_chair: m.isChair,
        enroll_code_hash: hashSecret(code),
        enroll_expires_at: expiresAt,
      })
      .execute();
    // The judging group's roster is public: each member is a log entry (never the code).
    await appendEntry(trx, 'member-registered', { memberId: id, cycleId: m.cycleId, name: m.name, unit: m.unit, isChair: m.isChair, registeredAt: now.toISOString() }, { cycleId: m.cycleId });
  });
  return { id, enrollmentCode: code, expiresAt };
}

/**
 * A new one-time code for a member (lost tablet): the old device key stops working. The re-issue is a
 * public log entry (who, not the code), and is refused while a vote of the member's cycle is open —
 * a tablet enrolled then could not take part anyway: votes are checked against the key logged at
 * check-in.
 */
export async function reissueEnrollment(db: Kysely<Database>, memberId: string, now: Date) {
  const code = randomCode();
  const expiresAt = new Date(now.getTime() + ENROLLMENT_CODE_TTL_MS);
  await db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom('member').select(['id', 'cycle_id', 'name', 'unit']).where('id', '=', memberId).forUpdate().executeTakeFirst();
    if (!member) throw new Problem('not-found', { en: `No member ${memberId}.`, zh: `没有成员 ${memberId}。` });
    const open = await trx
      .selectFrom('ballot')
      .select('id')
      .where('cycle_id', '=', member.cycle_id)
      .where('phase', 'in', OPEN_PHASES)
      .executeTakeFirst();
    if (open) {
      throw new Problem('conflict', {
        en: `Vote ${open.id} is open: a tablet cannot be re-enrolled until it closes.`,
        zh: `投票 ${open.id} 正在进行，结束前不能重新登记平板。`,
      });
    }
    await trx
      .updateTable('member')
      .set({ enroll_code_hash: hashSecret(code), enroll_expires_at: expiresAt, device_key: null, enrolled_at: null })
      .where('id', '=', memberId)
      .execute();
    await trx.deleteFrom('member_session').where('member_id', '=', memberId).execute();
    await appendEntry(trx, 'member-enrollment-reissued', { memberId, cycleId: member.cycle_id, name: member.name, unit: member.unit }, { cycleId: member.cycle_id });
  });
  return { id: memberId, enrollmentCode: code, expiresAt };
}

export function parseDeviceKey(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw problem('invalid-request', 'deviceKey must be 32 bytes of lowercase hex (Ed25519 public key).', 'deviceKey 须为 32 字节小写十六进制(Ed25519 公钥)。');
  const key = fromHex(hex);
  // Canonical and not of small order (crypto/ed25519-strict.ts): under a small-order key one fixed
  // 64-byte value would verify as a signature of every message.
  if (!isStrictPublicKey(key)) {
    throw problem('invalid-request', 'deviceKey is not a usable Ed25519 public key (non-canonical or of small order).', 'deviceKey 不是可用的 Ed25519 公钥(编码不规范或为小阶点)。');
  }
  return key;
}


/** The code works once and before it expires; the update is conditional so two tablets cannot both win. */
/**
 * The code works once and before it expires; the update is conditional so two tablets cannot both win.
 * The enrollment is a public log entry (member, unit, the device key and its fingerprint, when), so a
 * check-in, a token request or a show of hands can be traced to an enrollment made before the meeting.
 */
export async function enroll(db: Kysely<Database>, code: string, deviceKeyHex: string, now: Date) {
  parseDeviceKey(deviceKeyHex);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('member')
      .set({ device_key: deviceKeyHex, enrolled_at: now, enroll_code_hash: null, enroll_expires_at: null })
      .where('enroll_code_hash', '=', hashSecret(code.trim().toUpperCase()))
      .where('enroll_expires_at', '>', now)
      .returning(['id', 'cycle_id', 'name', 'unit', 'is_chair'])
      .executeTakeFirst();
    if (!row) {
      throw new Problem('forbidden', {
        en: 'The enrollment code is wrong, already used or expired.',
        zh: '注册码错误、已使用或已过期。',
      });
    }
    await appendEntry(
      trx,
      'member-enrolled',
      { memberId: row.id, cycleId: row.cycle_id, name: row.name, unit: row.unit, deviceKey: deviceKeyHex, deviceKeyFingerprint: keyFingerprint(deviceKeyHex), enrolledAt: now.toISOString() },
      { cycleId: row.cycle_id },
    );
    return row;
  });
}

export const signInMessage = (memberId: string, challenge: string) => utf8(`hzqa-signin/v1\n${memberId}\n${challenge}\n`);

export async function newChallenge(db: Kysely<Database>, memberId: string, now: Date) {
  const member = await db.selectFrom('member').select(['id', 'device_key']).where('id', '=', memberId).executeTakeFirst();
  // Same answer whether or not the member exists: the challenge is useless without the device key.
  const challenge = randomToken('', 24);
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  if (member?.device_key) {
    // At most MAX_OPEN_CHALLENGES unexpired, unused challenges per member: asking for more is refused.
    const open = await db
      .selectFrom('member_challenge')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('member_id', '=', memberId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirstOrThrow();
    if (Number(open.n) >= MAX_OPEN_CHALLENGES) {
      throw new Problem(
        'too-many-requests',
        { en: `Too many sign-in challenges are open for this member; try again in ${CHALLENGE_TTL_MS / 60_000} minutes.`, zh: `该成员未使用的登录挑战过多，请 ${CHALLENGE_TTL_MS / 60_000} 分钟后再试。` },
        { headers: { 'Retry-After': String(CHALLENGE_TTL_MS / 1000) }, extensions: { retryAfter: CHALLENGE_TTL_MS / 1000 } },
      );
    }
    await db.insertInto('member_challenge').values({ challenge, member_id: memberId, expires_at: expiresAt }).execute();
  }
  return { challenge, expiresAt };
}

export async function signIn(db: Kysely<Database>, memberId: string, challenge: string, signatureHex: string, now: Date) {
  const denied = new Problem('unauthorized', { en: 'Sign-in failed.', zh: '登录失败。' });
  if (!/^[0-9a-f]{128}$/.test(signatureHex)) throw denied;
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('member_challenge')
      .set({ used_at: now })
      .where('challenge', '=', challenge)
      .where('member_id', '=', memberId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('member_id')
      .executeTakeFirst();
    if (!used) throw denied;
    const member = await trx.selectFrom('member').select(['device_key']).where('id', '=', memberId).executeTakeFirstOrThrow();
    if (!member.device_key) throw denied;
    const ok = verifyStrict(fromHex(signatureHex), signInMessage(memberId, challenge), fromHex(member.device_key));
    if (!ok) throw denied;
    const token = randomToken(MEMBER_SESSION_PREFIX);
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await trx.insertInto('member_session').values({ token_hash: hashSecret(token), member_id: memberId, expires_at: expiresAt }).execute();
    return { token, expiresAt };
  });
}

/**
 * The roster in the order staff entered it — the order of its member-registered log entries, which is how
 * the bureau lists its judging group (by office, chair first as a rule); random ids would shuffle it.
 */
export async function listMembers(db: Kysely<Database>, cycleId: string) {
  return db
    .selectFrom('member')
    .select(['id', 'name', 'unit', 'is_chair', 'enrolled_at', 'device_key'])
    .where('cycle_id', '=', cycleId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
