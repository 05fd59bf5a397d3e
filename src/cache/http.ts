/**
 * Conditional GET (RFC 9110 §13.1.2 If-None-Match, §15.4.5 304 Not Modified) for cached bodies.
 * @module
 */
import type { Context } from 'hono';
import type { CachedBody } from './read-cache.js';

/** Cache-Control of a body that never changes at its URL. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cache-Control of a body that may change: keep it, but ask (with its ETag) before each use. */
export const REVALIDATE = 'no-cache';

/** Whether If-None-Match names `etag` (weak comparison, RFC 9110 §8.8.3.2; `*` matches any). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of ifNoneMatch.split(',')) {
    const t = part.trim();
    if ((t.startsWith('W/') ? t.slice(2) : t) === bare) return true;
  }
  return false;
}

/** What to answer for a cached body: its status, body and headers. */
export interface Answer {
  status: 200 | 304;
  body: Uint8Array<ArrayBuffer> | string | null;
  headers: Record<string, string>;
}

/** 200 with the body, or 304 when If-None-Match names its ETag. */
export function conditionalAnswer(ifNoneMatch: string | undefined, cached: CachedBody, contentType: string, cacheControl: string): Answer {
  const headers = { 'Content-Type': contentType, 'Cache-Control': cacheControl, ETag: cached.etag };
  if (etagMatches(ifNoneMatch, cached.etag)) return { status: 304, body: null, headers };
  return { status: 200, body: cached.body as Uint8Array<ArrayBuffer> | string, headers };
}

/** 200 with the body, or 304 when the client already holds it. */
export function cachedResponse(c: Context, cached: CachedBody, contentType: string, cacheControl: string): Response {
  const a = conditionalAnswer(c.req.header('if-none-match'), cached, contentType, cacheControl);
  return a.body === null ? c.body(null, a.status, a.headers) : c.body(a.body, 200, a.headers);
}
