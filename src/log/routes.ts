/**
 * HTTP face of the public log.
 *
 * C2SP files under LOG_PREFIX (default `/log`), plain routes listed in NON_API_ROUTES, all public:
 *   GET  <prefix>/checkpoint              C2SP tlog-checkpoint signed note with every cosignature
 *                                         collected for it; text/plain; charset=utf-8, no-cache.
 *                                         `?witness=<name>`: the latest checkpoint cosigned by that
 *                                         witness (404 if none); LOG_WITNESS_REQUIRED makes that
 *                                         the default. Signs a new checkpoint first if one is due.
 *   GET  <prefix>/tile/<L>/<N>[.p/<W>]    C2SP tlog-tiles hash tile; application/octet-stream;
 *   GET  <prefix>/tile/entries/<N>[.p/<W>] entry bundle. Full: immutable for a year; partial:
 *                                         no-cache. Malformed or beyond the tree: 404 problem.
 *   GET  <prefix>/key                     the log's verifier key text (Go note format).
 *   POST <prefix>/cosignatures            a checkpoint note carrying witness cosignature/v1 lines;
 *                                         public: authenticated by the witness signature itself
 *                                         (keys in WITNESS_KEYS), and only for a checkpoint this log
 *                                         signed. Answers the checkpoint as now served.
 * The routes are registered at `/log`; another LOG_PREFIX (config is read per request) is served by
 * `logPrefixMiddleware`, a path check mounted after every route, and `/log` then answers 404.
 *
 * JSON helpers (OpenAPI, public) under /api/v1/log: entries/{index} (entry, document, inclusion
 * proof against the latest checkpoint), consistency?from&to, documents/{hash}, checkpoints.
 * @module
 */
import { z } from '@hono/zod-openapi';
import { B64, CheckpointList, CheckpointRef, DECIMAL_SIZE, EntryResponse, HexHash } from './responses.js';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.js';
import { newRouter, problemResponses, jsonResponse } from '../openapi.js';
import { route } from '../auth/guard.js';
import { Problem, problem } from '../errors.js';
import { toBase64 } from '../../crypto/bytes.js';
import { TILE_WIDTH, TlogError, parseTilePath } from '../../crypto/tlog.js';
import { isValidName } from '../../crypto/note.js';
import { getEntry } from './append.js';
import { addCosignatures, latestCheckpoint, logKeys, recentCheckpoints, refreshStoredCheckpoint, servedNote, type StoredCheckpoint } from './checkpoint.js';
import { consistencyProof } from './proofs.js';
import { cachedDocumentJson, cachedEntryJson, cachedTile, currentCheckpoint, entryJson, entryRetryAfter } from './read.js';
import { IMMUTABLE, REVALIDATE, cachedResponse } from '../cache/http.js';
import { etagOf } from '../cache/read-cache.js';

/** The prefix the C2SP routes are registered at. */
export const DEFAULT_LOG_PREFIX = '/log';

const NOTE_TYPE = 'text/plain; charset=utf-8';


function witnessParam(c: Context<AppEnv>): string | undefined {
  const q = c.req.query('witness');
  if (q === undefined) return c.env.deps.config.LOG_WITNESS_REQUIRED;
  if (!isValidName(q)) throw new Problem('invalid-request', { en: 'witness must be a key name', zh: 'witness 须为见证方公钥名称' });
  return q;
}

/** Serves `<prefix>/<sub>` (sub without the leading slash). */
async function serveLogFile(c: Context<AppEnv>, sub: string): Promise<Response> {
  const deps = c.env.deps;
  const method = c.req.method;
  if (sub === 'cosignatures') {
    if (method !== 'POST') throw methodNotAllowed('POST');
    const cp = await addCosignatures(deps, await c.req.text());
    return c.body(servedNote(cp), 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  }
  // HEAD is dispatched here as a GET by Hono, which drops the body.
  if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
  if (sub === 'checkpoint') {
    const witness = witnessParam(c);
    const latest = await currentCheckpoint(deps);
    if (witness === undefined) return cachedResponse(c, latest, NOTE_TYPE, REVALIDATE);
    const cp = await latestCheckpoint(deps.db, witness);
    if (!cp) throw problem('not-found', `No checkpoint cosigned by ${witness} yet.`, `尚无见证方 ${witness} 联署的检查点。`);
    const body = servedNote(cp);
    return cachedResponse(c, { body, etag: etagOf(body) }, NOTE_TYPE, REVALIDATE);
  }
  if (sub === 'key') {
    return c.body(logKeys(deps.keys.logSignerKey).verifierKey, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  }
  if (sub.startsWith('tile/')) {
    let tile;
    try {
      tile = parseTilePath(sub);
    } catch (e) {
      if (e instanceof TlogError) throw problem('not-found', 'Malformed tile path.', '瓦片路径格式错误。');
      throw e;
    }
    const data = await cachedTile(deps, tile);
    if (!data) throw problem('not-found', 'No such tile in the published tree.', '已发布的树中没有该瓦片。');
    // A partial tile's bytes never change either, but a client should come back for the full one.
    return cachedResponse(c, data, 'application/octet-stream', tile.width === TILE_WIDTH ? IMMUTABLE : REVALIDATE);
  }
  throw problem('not-found', 'No such resource.', '请求的资源不存在。');
}

const methodNotAllowed = (allow: string) =>
  new Problem('method-not-allowed', { en: `Allowed: ${allow}`, zh: `允许：${allow}` }, { headers: { Allow: allow } });

const PREFIX_SERVED = async (c: Context<AppEnv>, sub: string) => {
  if (c.env.deps.config.LOG_PREFIX !== DEFAULT_LOG_PREFIX) throw problem('not-found', 'No such resource.', '请求的资源不存在。');
  return serveLogFile(c, sub);
};

/** The C2SP routes at the default prefix. */
export const logFileRoutes = newRouter()
  .get('/log/checkpoint', (c) => PREFIX_SERVED(c, 'checkpoint'))
  .get('/log/key', (c) => PREFIX_SERVED(c, 'key'))
  .get('/log/tile/*', (c) => PREFIX_SERVED(c, c.req.path.slice('/log/'.length)))
  .post('/log/cosignatures', (c) => PREFIX_SERVED(c, 'cosignatures'));

/** Serves the C2SP routes under a configured LOG_PREFIX other than `/log`; mount after every route. */
export const logPrefixMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const prefix = c.env.deps.config.LOG_PREFIX;
  const path = c.req.path;
  if (prefix === DEFAULT_LOG_PREFIX || !path.startsWith(prefix + '/')) return next();
  const sub = path.slice(prefix.length + 1);
  if (sub === 'checkpoint' || sub === 'key' || sub === 'cosignatures' || sub.startsWith('tile/')) return serveLogFile(c, sub);
  return next();
};

// ---------------------------------------------------------------- JSON helpers (OpenAPI)

const Size = z.string().regex(DECIMAL_SIZE, 'a decimal integer').transform(Number);
const WitnessQuery = z.string().optional().openapi({ description: 'witness key name: use the latest checkpoint that witness cosigned (default LOG_WITNESS_REQUIRED)' });



const toInfo = (cp: StoredCheckpoint) => ({
  size: cp.size,
  root: toBase64(cp.rootHash),
  signedAt: cp.signedAt.toISOString(),
  note: servedNote(cp),
  cosignatures: cp.cosignatures.map((x) => ({ witness: x.witness, keyId: x.keyId, line: x.line, cosignedAt: x.cosignedAt.toISOString() })),
});


function parseWitness(w: string | undefined, fallback: string | undefined): string | undefined {
  if (w === undefined) return fallback;
  if (!isValidName(w)) throw new Problem('invalid-request', { en: 'witness must be a key name', zh: 'witness 须为见证方公钥名称' });
  return w;
}

export const logApiRoutes = newRouter()
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/log/entries/{index}',
      roles: ['public'],
      tags: ['log'],
      summary: 'A log entry, its document and its inclusion proof against the latest checkpoint',
      request: { params: z.object({ index: Size }), query: z.object({ witness: WitnessQuery }) },
      responses: { 200: jsonResponse('the entry', EntryResponse), ...problemResponses(400, 404) },
    }),
    async (c) => {
      const deps = c.env.deps;
      const { index } = c.req.valid('param');
      const witness = parseWitness(c.req.valid('query').witness, deps.config.LOG_WITNESS_REQUIRED);
      const notFound = () => problem('not-found', `No log entry ${index}.`, `日志中没有第 ${index} 条。`);
      let body: string | Uint8Array<ArrayBuffer>;
      let proven: boolean;
      if (witness === undefined) {
        const served = await cachedEntryJson(deps, index);
        if (!served) throw notFound();
        ({ body, proven } = served);
      } else {
        const entry = await getEntry(deps.db, index);
        if (!entry) throw notFound();
        const cp = await latestCheckpoint(deps.db, witness);
        body = await entryJson(deps, index, entry, cp);
        proven = !!cp && index < cp.size;
      }
      return c.body(body, 200, { 'Content-Type': 'application/json', ...(proven ? {} : entryRetryAfter(deps.config)) }) as never;
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/log/consistency',
      roles: ['public'],
      tags: ['log'],
      summary: 'RFC 9162 consistency proof between two tree sizes (from ≤ to ≤ the latest checkpoint size)',
      request: { query: z.object({ from: Size, to: Size }) },
      responses: {
        200: jsonResponse('the proof', z.object({ from: z.number().int(), to: z.number().int(), proof: z.array(B64) }).openapi('LogConsistency')),
        ...problemResponses(400, 422),
      },
    }),
    async (c) => {
      const { db } = c.env.deps;
      const { from, to } = c.req.valid('query');
      if (from > to) throw new Problem('invalid-request', { en: 'from must not exceed to', zh: 'from 不得大于 to' });
      const cp = await latestCheckpoint(db);
      if (!cp || to > cp.size)
        throw new Problem('unprocessable', { en: `to exceeds the latest checkpoint size ${cp?.size ?? 0}`, zh: `to 超过最新检查点的大小 ${cp?.size ?? 0}` });
      const proof = await consistencyProof(db, from, to);
      return c.json({ from, to, proof: proof.map(toBase64) }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/log/documents/{hash}',
      roles: ['public'],
      tags: ['log'],
      summary: 'A logged document by its SHA-256 (hex); `body` is its canonical JSON, the hashed bytes',
      request: { params: z.object({ hash: HexHash }) },
      responses: {
        200: jsonResponse('the document', z.object({ hash: HexHash, type: z.string(), document: z.unknown(), body: z.string() }).openapi('LogDocument')),
        ...problemResponses(400, 404),
      },
    }),
    async (c) => {
      const { hash } = c.req.valid('param');
      const doc = await cachedDocumentJson(c.env.deps, hash);
      if (!doc) throw problem('not-found', 'No such document in the log.', '日志中没有该文档。');
      // Addressed by its hash: the answer never changes.
      return cachedResponse(c, doc, 'application/json', IMMUTABLE) as never;
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/log/checkpoints',
      roles: ['public'],
      tags: ['log'],
      summary: 'Recent signed checkpoints with their witness cosignatures, newest first',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
      responses: { 200: jsonResponse('checkpoints', CheckpointList), ...problemResponses(400) },
    }),
    async (c) => {
      const deps = c.env.deps;
      await refreshStoredCheckpoint(deps);
      const cps = await recentCheckpoints(deps.db, c.req.valid('query').limit);
      return c.json({ checkpoints: cps.map(toInfo) }, 200);
    },
  );

