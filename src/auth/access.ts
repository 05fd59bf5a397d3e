// Cloudflare Access: when ACCESS_TEAM_DOMAIN and ACCESS_AUD are configured, a request carrying a valid
// Cf-Access-Jwt-Assertion (RS256, our audience, not expired) is the account with that e-mail.
import { fromBase64, utf8, utf8Decode } from '../../crypto/bytes.js';

export interface AccessClaims {
  email: string;
  aud: string | string[];
  iss: string;
  exp: number;
  nbf?: number;
}

function b64url(s: string): Uint8Array {
  const b64 = s.replaceAll('-', '+').replaceAll('_', '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  // fromBase64 is strict about padding bits; JWT encoders always produce canonical ones.
  return fromBase64(padded);
}

/** Verifies an Access JWT against the team's keys; null when anything is wrong. */
export async function verifyAccessJwt(
  jwt: string,
  keys: JsonWebKey[],
  expected: { teamDomain: string; aud: string; nowSeconds: number },
): Promise<AccessClaims | null> {
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(utf8Decode(b64url(parts[0]!))) as { alg?: string; kid?: string };
    if (header.alg !== 'RS256') return null;
    const claims = JSON.parse(utf8Decode(b64url(parts[1]!))) as AccessClaims;
    const signature = b64url(parts[2]!);
    const candidates = keys.filter((k) => !header.kid || (k as { kid?: string }).kid === header.kid);
    let ok = false;
    for (const jwk of candidates) {
      const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
      if (await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, new Uint8Array(signature), new Uint8Array(utf8(`${parts[0]}.${parts[1]}`)))) {
        ok = true;
        break;
      }
    }
    if (!ok) return null;
    const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!auds.includes(expected.aud)) return null;
    if (claims.iss !== expected.teamDomain.replace(/\/$/, '')) return null;
    if (typeof claims.exp !== 'number' || claims.exp <= expected.nowSeconds) return null;
    if (typeof claims.nbf === 'number' && claims.nbf > expected.nowSeconds + 60) return null;
    if (typeof claims.email !== 'string' || !claims.email) return null;
    return claims;
  } catch {
    return null;
  }
}

/** The Access signing keys cannot be had now (endpoint down, none cached): answered 503 + Retry-After. */
export class AccessUnavailable extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Cloudflare Access signing keys are unavailable');
  }
}

const FRESH_MS = 3600_000;
/** Keys fetched once are used for up to a day while the endpoint is down. */
const STALE_MS = 24 * 3600_000;
const BACKOFF_MIN_MS = 5_000;
const BACKOFF_MAX_MS = 300_000;

/**
 * The team's signing keys, fetched at most once an hour and shared by concurrent requests. When the
 * certificate endpoint fails, the keys already held keep working (for a day), and the next attempt
 * waits a backoff that doubles from 5 s to 5 min — never one outbound fetch per request. With no key
 * held at all, AccessUnavailable (→ 503 with Retry-After).
 */
export function accessKeyFetcher(teamDomain: string, opts: { fetch?: typeof fetch; now?: () => number } = {}): () => Promise<JsonWebKey[]> {
  const get = opts.fetch ?? ((url: string) => fetch(url, { signal: AbortSignal.timeout(5_000) }));
  const now = opts.now ?? (() => Date.now());
  let cached: { keys: JsonWebKey[]; at: number } | undefined;
  let failures = 0;
  let nextAttempt = 0;
  let inFlight: Promise<void> | undefined;
  const usable = () => (cached && now() - cached.at < STALE_MS ? cached.keys : undefined);
  const refresh = async () => {
    try {
      const res = await get(`${teamDomain.replace(/\/$/, '')}/cdn-cgi/access/certs`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { keys?: JsonWebKey[] };
      if (!Array.isArray(body.keys) || body.keys.length === 0) throw new Error('no keys');
      cached = { keys: body.keys, at: now() };
      failures = 0;
    } catch {
      failures++;
      nextAttempt = now() + Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (failures - 1));
    }
  };
  return async () => {
    if (cached && now() - cached.at < FRESH_MS) return cached.keys;
    if (now() >= nextAttempt) {
      inFlight ??= refresh().finally(() => (inFlight = undefined));
      await inFlight;
    }
    const keys = usable();
    if (keys) return keys;
    throw new AccessUnavailable(Math.max(1, Math.ceil((nextAttempt - now()) / 1000)));
  };
}
