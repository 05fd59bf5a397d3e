// How much pairing work the anonymous cast route may do: a token bucket per client address and one for
// the whole process (or Worker isolate). A token's check costs ~2.6 pairings (≈ 32 ms of pure-JS CPU),
// so without a bound a stranger sending well-formed wrong signatures starves every other request.
// Only casts that passed every cheap check (phase, format, choices, a known token) reach the budget;
// excess is answered 429 with Retry-After, and the tablet sends the same cast again after it.
// Addresses are held in memory only, never stored or logged; the table is bounded.
import { Problem } from '../errors.js';

export interface CastBudgetLimits {
  /** Pairing checks per second for the whole process, after a burst of `burst`. */
  perSecond: number;
  burst: number;
  /** Pairing checks per minute for one address (a meeting room behind one NAT counts as one). */
  perAddressPerMinute: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_ADDRESSES = 10_000;

export class CastBudget {
  private readonly total: Bucket;
  private readonly byAddress = new Map<string, Bucket>();
  constructor(
    readonly limits: CastBudgetLimits,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.total = { tokens: limits.burst, at: this.now() };
  }

  /** Takes one pairing check for `address`, or throws 429 with the seconds until one is free. */
  take(address: string) {
    const t = this.now();
    const perAddress = this.refill(this.addressBucket(address, t), t, this.limits.perAddressPerMinute / 60_000, this.limits.perAddressPerMinute);
    if (perAddress.tokens < 1) throw tooMany((1 - perAddress.tokens) / (this.limits.perAddressPerMinute / 60_000), 'address');
    const total = this.refill(this.total, t, this.limits.perSecond / 1000, this.limits.burst);
    if (total.tokens < 1) throw tooMany((1 - total.tokens) / (this.limits.perSecond / 1000), 'total');
    perAddress.tokens -= 1;
    total.tokens -= 1;
  }

  private addressBucket(address: string, t: number): Bucket {
    let b = this.byAddress.get(address);
    if (!b) {
      if (this.byAddress.size >= MAX_ADDRESSES) this.evictFull(t);
      b = { tokens: this.limits.perAddressPerMinute, at: t };
      this.byAddress.set(address, b);
    }
    return b;
  }

  /** Drops buckets that have refilled completely (they hold no information), oldest first. */
  private evictFull(t: number) {
    const rate = this.limits.perAddressPerMinute / 60_000;
    for (const [k, b] of this.byAddress) {
      if (b.tokens + (t - b.at) * rate >= this.limits.perAddressPerMinute) this.byAddress.delete(k);
    }
    // Still full (a flood from many addresses): forget the oldest half; the total bucket still holds.
    if (this.byAddress.size >= MAX_ADDRESSES) {
      let n = this.byAddress.size / 2;
      for (const k of this.byAddress.keys()) {
        if (n-- <= 0) break;
        this.byAddress.delete(k);
      }
    }
  }

  private refill(b: Bucket, t: number, perMs: number, cap: number): Bucket {
    b.tokens = Math.min(cap, b.tokens + Math.max(0, t - b.at) * perMs);
    b.at = t;
    return b;
  }
}

function tooMany(waitMs: number, scope: 'address' | 'total') {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new Problem(
    'too-many-requests',
    scope === 'address'
      ? { en: `Too many ballots checked for this address; send the same ballot again in ${retryAfter} s.`, zh: `该地址提交的选票过于频繁，请 ${retryAfter} 秒后重新提交同一张选票。` }
      : { en: `The server is checking many ballots; send the same ballot again in ${retryAfter} s.`, zh: `服务器正在核验大量选票，请 ${retryAfter} 秒后重新提交同一张选票。` },
    { headers: { 'Retry-After': String(retryAfter) }, extensions: { retryAfter } },
  );
}

const budgets = new WeakMap<object, CastBudget>();

/** The budget of this process or isolate, one per parsed configuration object. */
export function castBudgetFor(config: { CAST_VERIFY_PER_SECOND: number; CAST_VERIFY_BURST: number; CAST_VERIFY_PER_ADDRESS_PER_MINUTE: number }): CastBudget {
  let b = budgets.get(config);
  if (!b) {
    b = new CastBudget({ perSecond: config.CAST_VERIFY_PER_SECOND, burst: config.CAST_VERIFY_BURST, perAddressPerMinute: config.CAST_VERIFY_PER_ADDRESS_PER_MINUTE });
    budgets.set(config, b);
  }
  return b;
}
