/**
 * The short way for the public's most frequent reads:
 *
 *   GET /api/v1/notices/{id}            a published notice's JSON (src/notices/read.ts)
 *   GET /api/v1/log/entries/{index}     an entry with its proof against the latest checkpoint
 *   GET /api/v1/log/documents/{hash}    a document by hash
 *   GET <LOG_PREFIX>/checkpoint         the latest checkpoint
 *   GET <LOG_PREFIX>/tile/…             hash tiles and entry bundles
 *
 * Only what the rest of the chain would answer the same way to anyone: a GET or HEAD with no
 * credentials (no Authorization, no Access assertion: the caller is the public, whose role every
 * one of these routes admits), no query string (so no witness choice and no text to check beyond
 * the path), a path of the exact form the route validates, a default witness policy
 * (LOG_WITNESS_REQUIRED unset), and something to answer (a published notice, an entry, a tile
 * within the published tree). Anything else — a malformed id, a 404, a draft, an error — returns
 * null and goes through the whole chain, which answers it as always. The answer carries the same
 * status, body and headers as the route's, built at once from precomputed security headers.
 *
 * Two steps: before the router (`publicReadNow`, wired in createApp), what memory holds now — an
 * immutable body, or a versioned one at a log version the read cache trusts without a query
 * (READ_CACHE_MAX_AGE_MS, never across a write of this process) — is answered synchronously; a
 * request that would need a query goes on to the app, whose first middleware (`publicRead`) loads
 * it through the read cache and answers it the same way without the rest of the chain.
 * @module
 */
import type { Context } from 'hono';
import type { AppEnv, Deps } from '../deps.js';
import { STRICT_HEADERS } from '../http/security-headers.js';
import { logRequest } from '../http/request-log.js';
import { IMMUTABLE, REVALIDATE, conditionalAnswer, type Answer } from './http.js';
import type { CachedBody } from './read-cache.js';
import { publicNoticeJson, publicNoticeJsonNow } from '../notices/read.js';
import {
  cachedDocumentJson,
  cachedDocumentJsonNow,
  cachedEntryJson,
  cachedEntryJsonNow,
  cachedTile,
  cachedTileNow,
  currentCheckpoint,
  currentCheckpointNow,
  entryRetryAfter,
  type CachedEntry,
} from '../log/read.js';
import { NOTICE_ID } from '../notices/responses.js';
import { DECIMAL_SIZE, HEX_HASH } from '../log/responses.js';
import { TILE_WIDTH, TlogError, parseTilePath, type Tile } from '../../crypto/tlog.js';

const NOTICES = '/api/v1/notices/';
const ENTRIES = '/api/v1/log/entries/';
const DOCUMENTS = '/api/v1/log/documents/';
const NOTE_TYPE = 'text/plain; charset=utf-8';

type Target =
  | { kind: 'notice'; id: string }
  | { kind: 'entry'; index: number }
  | { kind: 'document'; hash: string }
  | { kind: 'checkpoint' }
  | { kind: 'tile'; tile: Tile };

/** The lane's target of a public request, or null (the whole chain answers it). */
function targetOf(req: Request, config: Deps['config']): Target | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const url = req.url;
  const start = url.indexOf('/', url.indexOf('://') + 3);
  if (start < 0 || url.includes('?', start) || url.includes('#', start)) return null;
  const path = url.slice(start);
  const prefix = config.LOG_PREFIX + '/';
  if (!path.startsWith('/api/v1/') && !path.startsWith(prefix)) return null;
  const headers = req.headers;
  if (headers.get('authorization') !== null || headers.get('cf-access-jwt-assertion') !== null) return null;
  // The routes' own validation of the path's parameter, on the raw path: a percent-escape never
  // matches (the chain decodes and validates it).
  if (path.startsWith(NOTICES)) {
    const id = path.slice(NOTICES.length);
    return NOTICE_ID.test(id) ? { kind: 'notice', id } : null;
  }
  if (path.startsWith(ENTRIES)) {
    const index = path.slice(ENTRIES.length);
    return DECIMAL_SIZE.test(index) && config.LOG_WITNESS_REQUIRED === undefined ? { kind: 'entry', index: Number(index) } : null;
  }
  if (path.startsWith(DOCUMENTS)) {
    const hash = path.slice(DOCUMENTS.length);
    return HEX_HASH.test(hash) ? { kind: 'document', hash } : null;
  }
  if (!path.startsWith(prefix)) return null;
  const sub = path.slice(prefix.length);
  if (sub === 'checkpoint') return config.LOG_WITNESS_REQUIRED === undefined ? { kind: 'checkpoint' } : null;
  if (!sub.startsWith('tile/')) return null;
  try {
    return { kind: 'tile', tile: parseTilePath(sub) };
  } catch (e) {
    if (e instanceof TlogError) return null;
    throw e;
  }
}

/** The route's answer for what the lane found (null: nothing, the chain answers 404 or the like). */
function answerOf(target: Target, found: CachedBody | CachedEntry | null, ifNoneMatch: string | null, config: Deps['config']): Answer | null {
  if (!found) return null;
  const inm = ifNoneMatch ?? undefined;
  switch (target.kind) {
    case 'notice':
      return conditionalAnswer(inm, found, 'application/json', REVALIDATE);
    case 'entry':
      return { status: 200, body: (found as CachedEntry).body, headers: { 'Content-Type': 'application/json', ...((found as CachedEntry).proven ? {} : entryRetryAfter(config)) } };
    case 'document':
      return conditionalAnswer(inm, found, 'application/json', IMMUTABLE);
    case 'checkpoint':
      return conditionalAnswer(inm, found, NOTE_TYPE, REVALIDATE);
    case 'tile':
      // A partial tile's bytes never change either, but a client should come back for the full one.
      return conditionalAnswer(inm, found, 'application/octet-stream', target.tile.width === TILE_WIDTH ? IMMUTABLE : REVALIDATE);
  }
}

/** What memory holds for the target now, or null; never queries. */
function foundNow(deps: Deps, t: Target): CachedBody | CachedEntry | null {
  switch (t.kind) {
    case 'notice':
      return publicNoticeJsonNow(deps, t.id, deps.clock.now());
    case 'entry':
      return cachedEntryJsonNow(deps, t.index);
    case 'document':
      return cachedDocumentJsonNow(deps, t.hash);
    case 'checkpoint':
      return currentCheckpointNow(deps);
    case 'tile':
      return cachedTileNow(deps, t.tile);
  }
}

/** What the read cache answers for the target, loading what memory lacks. */
function found(deps: Deps, t: Target): Promise<CachedBody | CachedEntry | null> {
  switch (t.kind) {
    case 'notice':
      return publicNoticeJson(deps, t.id, deps.clock.now());
    case 'entry':
      return cachedEntryJson(deps, t.index);
    case 'document':
      return cachedDocumentJson(deps, t.hash);
    case 'checkpoint':
      return currentCheckpoint(deps);
    case 'tile':
      return cachedTile(deps, t.tile);
  }
}

function respond(req: Request, answer: Answer, requestId: string): Response {
  const headers = { ...STRICT_HEADERS, 'X-Request-Id': requestId, ...answer.headers };
  return new Response(req.method === 'HEAD' ? null : answer.body, { status: answer.status, headers });
}

/**
 * Before the router: the answer if memory holds everything it needs now, logged as the chain logs
 * a request; else null (the app dispatches the request as usual). Synchronous: no query, no wait.
 */
export function publicReadNow(req: Request, deps: Deps | undefined): Response | null {
  if (!deps) return null;
  const started = Date.now();
  let answer: Answer | null;
  let target: Target | null;
  try {
    target = targetOf(req, deps.config);
    answer = target && answerOf(target, foundNow(deps, target), req.headers.get('if-none-match'), deps.config);
  } catch {
    return null;
  }
  if (!answer) return null;
  const requestId = crypto.randomUUID();
  logRequest(deps.logger, requestId, req.method, req.url, answer.status, started);
  return respond(req, answer, requestId);
}

/** The first middleware's answer for the lane's requests, loading what memory lacks; else null. */
export async function publicRead(c: Context<AppEnv>, requestId: string): Promise<Response | null> {
  const req = c.req.raw;
  const deps = c.env.deps;
  let answer: Answer | null;
  try {
    const target = targetOf(req, deps.config);
    answer = target && answerOf(target, await found(deps, target), req.headers.get('if-none-match'), deps.config);
  } catch {
    // The whole chain tries again and answers the failure as always (a problem, logged).
    return null;
  }
  return answer && respond(req, answer, requestId);
}
