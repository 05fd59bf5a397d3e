// Per-address rate limits for the public objection routes (submission and status look-up), counted in
// the database so that every instance (Node processes, Worker isolates) shares them. Fixed windows of
// RATE_LIMIT_WINDOW_SECONDS. The row key is HMAC-SHA256(bucket ‖ address ‖ window start) under a key
// derived from the contact key: the raw address is never stored, and without the server's key the
// hash cannot be reversed by trying all IPv4 addresses.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../crypto/bytes.js';
import type { Deps } from '../deps.js';
import { Problem } from '../errors.js';

export type RateBucket = 'objection-submit' | 'objection-status' | 'member-enroll' | 'member-challenge';

const derived = new WeakMap<Uint8Array, Uint8Array>();
function rateKey(contactKey: Uint8Array): Uint8Array {
  let k = derived.get(contactKey);
  if (!k) {
    k = hmac(sha256, contactKey, new TextEncoder().encode('hzqa-rate-limit/v1'));
    derived.set(contactKey, k);
  }
  return k;
}

export function limitFor(deps: Deps, bucket: RateBucket): number {
  const limits: Record<RateBucket, number> = {
    'objection-submit': deps.config.OBJECTION_SUBMIT_RATE_LIMIT,
    'objection-status': deps.config.OBJECTION_STATUS_RATE_LIMIT,
    'member-enroll': deps.config.ENROLL_RATE_LIMIT,
    'member-challenge': deps.config.CHALLENGE_RATE_LIMIT,
  };
  return limits[bucket];
}

/**
 * Counts one request of `address` in `bucket`; throws a 429 problem (with Retry-After) once the limit
 * of the current window is exceeded. The count is one atomic upsert.
 */
export async function hitRateLimit(deps: Deps, bucket: RateBucket, address: string): Promise<{ count: number; limit: number }> {
  const now = deps.clock.now();
  const windowMs = deps.config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  const keyHash = toHex(hmac(sha256, rateKey(deps.keys.contactKey), new TextEncoder().encode(`${bucket}\n${address}\n${start}`)));
  const limit = limitFor(deps, bucket);
  const row = await deps.db
    .insertInto('objection_rate_limit')
    .values({ key_hash: keyHash, bucket, window_start: new Date(start), expires_at: new Date(start + windowMs), count: 1 })
    .onConflict((oc) => oc.column('key_hash').doUpdateSet((eb) => ({ count: eb('objection_rate_limit.count', '+', 1) })))
    .returning('count')
    .executeTakeFirstOrThrow();
  if (row.count > limit) {
    const retryAfter = Math.max(1, Math.ceil((start + windowMs - now.getTime()) / 1000));
    throw new Problem(
      'too-many-requests',
      {
        en: `Too many requests from this address; at most ${limit} per ${deps.config.RATE_LIMIT_WINDOW_SECONDS} s. Try again in ${retryAfter} s.`,
        zh: `来自该地址的请求过于频繁（每 ${deps.config.RATE_LIMIT_WINDOW_SECONDS} 秒最多 ${limit} 次），请 ${retryAfter} 秒后再试。`,
      },
      { headers: { 'Retry-After': String(retryAfter) }, extensions: { limit, retryAfter } },
    );
  }
  return { count: row.count, limit };
}

/** Removes counters of windows that have ended (run by the scheduled job). */
export async function purgeRateLimits(deps: Deps): Promise<number> {
  const r = await deps.db.deleteFrom('objection_rate_limit').where('expires_at', '<=', deps.clock.now()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
