// The client's address, decided by the entry point that knows how it is reached, never by a header a
// client can set:
//   Node:    the socket's peer address; only when that peer is a configured trusted proxy
//            (TRUSTED_PROXIES), the right-most X-Forwarded-For hop that is not itself a trusted proxy.
//   Workers: CF-Connecting-IP, which Cloudflare sets and a client cannot (it overwrites the header).
// The app reads the result from the `address` binding; in-memory tests pass it the same way.
import type { Context } from 'hono';
import type { AppEnv } from '../deps.js';

/** The address the entry point resolved, or 'unknown' (in-memory calls that set none). */
export function clientAddress(c: Context<AppEnv>): string {
  return c.env.address ?? 'unknown';
}

/** Comma-separated addresses of TRUSTED_PROXIES as a set (IPv4-mapped IPv6 normalised). */
export function parseTrustedProxies(list: string | undefined): Set<string> {
  return new Set((list ?? '').split(',').map((s) => normaliseAddress(s.trim())).filter(Boolean));
}

export function normaliseAddress(a: string): string {
  return a.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/**
 * Node: the address of a request that reached the socket from `peer`. Behind trusted proxies each hop
 * appends the address it saw to X-Forwarded-For, so the right-most untrusted hop is the first one a
 * trusted party vouches for; anything to its left was written by the client.
 */
export function addressFromSocket(peer: string | undefined, forwardedFor: string | undefined, trusted: Set<string>): string {
  let address = normaliseAddress(peer ?? 'unknown');
  if (!trusted.has(address) || !forwardedFor) return address;
  const hops = forwardedFor.split(',').map((h) => normaliseAddress(h.trim())).filter(Boolean);
  while (hops.length > 0) {
    address = hops.pop()!;
    if (!trusted.has(address)) break;
  }
  return address.slice(0, 100);
}

/** Workers: Cloudflare's own header (a client's value is replaced at the edge). */
export function addressOnWorkers(request: Request): string {
  return normaliseAddress(request.headers.get('cf-connecting-ip')?.trim().slice(0, 100) || 'unknown');
}
