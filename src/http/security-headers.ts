/**
 * The security headers of every answer, computed once: the page policy (no inline script or style
 * at all) and the headers hono's secureHeaders sets by default, as one list. The general middleware
 * sets them on a response after its handler, replacing any of the same name (as secureHeaders does);
 * the public read lane (src/cache/public-lane.ts) builds its responses with them from the start.
 * The API docs page alone needs a per-request nonce and keeps secureHeaders (src/app.ts).
 * @module
 */
import type { MiddlewareHandler } from 'hono';

/** Content-Security-Policy directives shared by every answer. */
export const BASE_CSP = {
  defaultSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/** Pages, the API and assets: scripts and styles from this origin only. */
export const STRICT_CSP = { ...BASE_CSP, scriptSrc: ["'self'"], styleSrc: ["'self'"] };

/** `imgSrc` → `img-src 'self' data:`; directives joined by `; `. */
export function cspText(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([k, v]) => [k.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase()), ...v].join(' '))
    .join('; ');
}

/** Every header, in the order sent. */
export const STRICT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
  'Content-Security-Policy': cspText(STRICT_CSP),
});

const STRICT_LIST = Object.entries(STRICT_HEADERS);

/** Sets STRICT_HEADERS on the response once its handler has built it. */
export const strictSecurityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const headers = c.res.headers;
  for (const [k, v] of STRICT_LIST) headers.set(k, v);
  headers.delete('X-Powered-By');
};
