/**
 * The short way for the public's most frequent reads, taken by the app's first middleware before
 * the rest of the chain:
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
 * @module
 */
import type { Context } from 'hono';
import type { AppEnv, Deps } from '../deps.js';
import { STRICT_HEADERS } from '../http/security-headers.js';
import { IMMUTABLE, REVALIDATE, conditionalAnswer, type Answer } from './http.js';
import { publicNoticeJson } from '../notices/read.js';
import { cachedDocumentJson, cachedEntryJson, cachedTile, currentCheckpoint, entryRetryAfter } from '../log/read.js';
import { NOTICE_ID } from '../notices/responses.js';
import { DECIMAL_SIZE, HEX_HASH } from '../log/responses.js';
import { TILE_WIDTH, TlogError, parseTilePath } from '../../crypto/tlog.js';

const NOTICES = '/api/v1/notices/';
const ENTRIES = '/api/v1/log/entries/';
const DOCUMENTS = '/api/v1/log/documents/';

const NOTE_TYPE = 'text/plain; charset=utf-8';

/** The answer of the lane for this request, or null: the whole chain answers it. */
export async function publicRead(c: Context<AppEnv>, requestId: string): Promise<Response | null> {
  const req = c.req.raw;
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const url = req.url;
  const start = url.indexOf('/', url.indexOf('://') + 3);
  if (start < 0 || url.includes('?', start) || url.includes('#', start)) return null;
  const path = url.slice(start);
  if (!path.startsWith('/api/v1/') && !path.startsWith(c.env.deps.config.LOG_PREFIX + '/')) return null;
  const headers = req.headers;
  if (headers.get('authorization') !== null || headers.get('cf-access-jwt-assertion') !== null) return null;
  let answer: Answer | null;
  try {
    answer = await answerFor(c.env.deps, path, headers.get('if-none-match') ?? undefined);
  } catch {
    // The whole chain tries again and answers the failure as always (a problem, logged).
    return null;
  }
  if (!answer) return null;
  return new Response(answer.body, { status: answer.status, headers: { ...STRICT_HEADERS, 'X-Request-Id': requestId, ...answer.headers } });
}

async function answerFor(deps: Deps, path: string, ifNoneMatch: string | undefined): Promise<Answer | null> {
  const { config } = deps;
  // The routes' own validation of the path's parameter, on the raw path: a percent-escape never
  // matches (the chain decodes and validates it).
  if (path.startsWith(NOTICES)) {
    const id = path.slice(NOTICES.length);
    if (!NOTICE_ID.test(id)) return null;
    const served = await publicNoticeJson(deps, id, deps.clock.now());
    return served && conditionalAnswer(ifNoneMatch, served, 'application/json', REVALIDATE);
  }
  if (path.startsWith(ENTRIES)) {
    const index = path.slice(ENTRIES.length);
    if (!DECIMAL_SIZE.test(index) || config.LOG_WITNESS_REQUIRED !== undefined) return null;
    const served = await cachedEntryJson(deps, Number(index));
    if (!served) return null;
    return { status: 200, body: served.body, headers: { 'Content-Type': 'application/json', ...(served.proven ? {} : entryRetryAfter(config)) } };
  }
  if (path.startsWith(DOCUMENTS)) {
    const hash = path.slice(DOCUMENTS.length);
    if (!HEX_HASH.test(hash)) return null;
    const served = await cachedDocumentJson(deps, hash);
    return served && conditionalAnswer(ifNoneMatch, served, 'application/json', IMMUTABLE);
  }
  const prefix = config.LOG_PREFIX + '/';
  if (!path.startsWith(prefix)) return null;
  const sub = path.slice(prefix.length);
  if (sub === 'checkpoint') {
    if (config.LOG_WITNESS_REQUIRED !== undefined) return null;
    return conditionalAnswer(ifNoneMatch, await currentCheckpoint(deps), NOTE_TYPE, REVALIDATE);
  }
  if (sub.startsWith('tile/')) {
    let tile;
    try {
      tile = parseTilePath(sub);
    } catch (e) {
      if (e instanceof TlogError) return null;
      throw e;
    }
    const data = await cachedTile(deps, tile);
    return data && conditionalAnswer(ifNoneMatch, data, 'application/octet-stream', tile.width === TILE_WIDTH ? IMMUTABLE : REVALIDATE);
  }
  return null;
}
