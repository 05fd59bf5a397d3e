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

/** Fetches and caches the team's signing keys for an hour. */
export function accessKeyFetcher(teamDomain: string): () => Promise<JsonWebKey[]> {
  let cached: { keys: JsonWebKey[]; at: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < 3600_000) return cached.keys;
    const res = await fetch(`${teamDomain.replace(/\/$/, '')}/cdn-cgi/access/certs`);
    if (!res.ok) throw new Error(`Access certs: HTTP ${res.status}`);
    const body = (await res.json()) as { keys: JsonWebKey[] };
    cached = { keys: body.keys, at: Date.now() };
    return body.keys;
  };
}
