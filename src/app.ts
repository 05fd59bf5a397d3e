// The one Hono app. It knows no runtime: src/node.ts and src/worker.ts hand it its dependencies
// as the `deps` binding on every request (c.env.deps).
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { PatternRouter } from 'hono/router/pattern-router';
import type { Context } from 'hono';
import type { AppEnv } from './deps.js';
import { Problem, PROBLEM_TYPES, problemResponse, toProblem } from './errors.js';
import { healthRoutes } from './health/routes.js';
import { DOCS_PATH, docsRoutes } from './docs/routes.js';
import { problemRoutes } from './problems/routes.js';
import { calendarRoutes } from './calendar/routes.js';
import { calendarOverrideRoutes } from './calendar/override-routes.js';
import { calendarTableRoutes } from './calendar/table-routes.js';
import { intakeRoutes } from './notices/intake-routes.js';
import { authenticate } from './auth/guard.js';
import { cycleRoutes } from './cycles/routes.js';
import { memberRoutes } from './members/routes.js';
import { noticeRoutes } from './notices/routes.js';
import { objectionRoutes } from './objections/routes.js';
import { voteRoutes } from './votes/routes.js';
import { countersignRoutes } from './votes/countersign-routes.js';
import { conductRoutes } from './votes/conduct-routes.js';
import { withdrawRoutes } from './votes/withdraw-routes.js';
import { registerRoutes } from './register/routes.js';
import { awardRoutes } from './award/routes.js';
import { logApiRoutes, logFileRoutes, logPrefixMiddleware } from './log/routes.js';
import { exportRoutes } from './export/routes.js';
import { archiveRoutes } from './export/archive-routes.js';
import { webRoutes } from './web/routes.js';
import { refuseUnsafeText } from './http/safe-text.js';
import { limitText } from './http/sizes.js';
import { accountRoutes } from './auth/account-routes.js';
import { localAdmin } from './auth/first-run.js';
import { readCache } from './cache/read-cache.js';
import { BASE_CSP, strictSecurityHeaders } from './http/security-headers.js';
import { rawPath } from './http/raw-path.js';
import { publicRead, publicReadNow } from './cache/public-lane.js';
import { logRequest } from './http/request-log.js';

/** Scripts, styles and fonts under /assets/* (served before the app on Node; public/_headers on Workers). */
export const assetHeaders = strictSecurityHeaders;

/** The API docs page: Scalar starts from one inline script (allowed by nonce) and injects its styles. */
const docsHeaders = secureHeaders({
  contentSecurityPolicy: { ...BASE_CSP, scriptSrc: ["'self'", NONCE], styleSrc: ["'self'", "'unsafe-inline'"], fontSrc: ["'self'", 'data:'] },
  referrerPolicy: 'no-referrer',
});

/** Requests never logged at all: a ballot's cast must leave no trace tied to time or origin. */
const UNLOGGED = [/^\/api\/v1\/ballots\/[^/]+\/cast$/];

/** The path as the router sees it (percent-decoded), so `/c%61st` is recognised as a cast too. */
function routedPath(url: string): string {
  const raw = rawPath(url);
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const isUnlogged = (url: string) => UNLOGGED.some((re) => re.test(routedPath(url)));


/** Bodies with a limit of their own (multipart evidence uploads), checked in their route. */
const OWN_BODY_LIMIT = [/^\/api\/v1\/notices\/[^/]+\/objections$/];

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createApp() {
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    const started = Date.now();
    // The public's frequent reads, answered from memory without the rest of the chain (or null).
    const quick = await publicRead(c, requestId);
    if (quick) {
      logRequest(c.env.deps.logger, requestId, c.req.method, c.req.url, quick.status, started);
      return quick;
    }
    // Set before the response exists, so that it is built with the header (not copied to add it).
    c.header('X-Request-Id', requestId);
    await next();
    if (!c.res.headers.has('X-Request-Id')) c.res.headers.set('X-Request-Id', requestId);
    if (isUnlogged(c.req.url)) return;
    logRequest(c.env.deps.logger, requestId, c.req.method, c.req.url, c.res.status, started);
  });

  app.use('*', async (c, next) => (c.req.path === DOCS_PATH ? docsHeaders : strictSecurityHeaders)(c, next));

  // Anything answered to a signed-in caller (member, staff, supervisor, Access) is private: no cache —
  // the browser's, a proxy's or a CDN's — may keep it, whatever the status.
  app.use('*', async (c, next) => {
    await next();
    const p = c.get('principal');
    if ((p && p.role !== 'public') || c.req.header('authorization') || c.req.header('cf-access-jwt-assertion')) c.header('Cache-Control', 'no-store');
  });

  app.use('*', async (c, next) => {
    // Only methods that carry a body: reading the body of a GET would build a full Request for nothing.
    if (!BODY_METHODS.has(c.req.method)) return next();
    const path = c.req.path;
    if (OWN_BODY_LIMIT.some((re) => re.test(path))) return next();
    const maxSize = c.env.deps.config.BODY_LIMIT_BYTES;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw payloadTooLarge(maxSize);
      },
    })(c, next);
  });

  // Whatever may write may have grown the log: this process's next public read reads its size again.
  app.use('*', async (c, next) => {
    if (!BODY_METHODS.has(c.req.method)) return next();
    try {
      await next();
    } finally {
      readCache(c.env.deps).logMayHaveGrown();
    }
  });

  app.use('*', authenticate);
  app.use('/api/v1/accounts/*', localAdmin);
  app.use('/api/v1/accounts', localAdmin);
  app.use('*', refuseUnsafeText);

  app.route('/', healthRoutes);
  app.route('/', problemRoutes);
  app.route('/', docsRoutes);
  app.route('/', calendarRoutes);
  app.route('/', calendarOverrideRoutes);
  app.route('/', calendarTableRoutes);
  app.route('/', intakeRoutes);
  app.route('/', cycleRoutes);
  app.route('/', memberRoutes);
  app.route('/', voteRoutes);
  app.route('/', countersignRoutes);
  app.route('/', conductRoutes);
  app.route('/', withdrawRoutes);
  app.route('/', registerRoutes);
  app.route('/', awardRoutes);
  app.route('/', logFileRoutes);
  app.route('/', logApiRoutes);
  app.route('/', noticeRoutes);
  app.route('/', objectionRoutes);
  app.route('/', exportRoutes);
  app.route('/', archiveRoutes);
  app.route('/', accountRoutes);
  app.route('/', webRoutes);
  // The log's C2SP files under a configured LOG_PREFIX other than /log (config is per request).
  app.use('*', logPrefixMiddleware);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: '杭州市政府质量奖 投票与公示模块 API',
      version: '0.1.0',
      description:
        'Voting and publicity module of the Hangzhou Municipal Government Quality Award: secret ballot with blind BLS tokens, recorded show of hands, public notices in a Merkle log, objections.',
    },
  });

  app.notFound((c) => {
    const allowed = allowedMethods(app, new URL(c.req.url).pathname);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      return problemResponse(
        c,
        new Problem(
          'method-not-allowed',
          { en: `${c.req.method} is not allowed here; allowed: ${allowed.join(', ')}`, zh: `此处不允许 ${c.req.method}，允许：${allowed.join('、')}` },
          { headers: { Allow: allowed.join(', ') } },
        ),
      );
    }
    return problemResponse(c, new Problem('not-found', { en: 'No such resource.', zh: '请求的资源不存在。' }));
  });

  app.onError((err, c) => toProblemResponse(err, c));
  // What memory holds for the public is answered before the router and the chain (or null).
  const dispatch = app.fetch;
  app.fetch = (request, env, executionCtx) => publicReadNow(request, (env as AppEnv['Bindings'] | undefined)?.deps) ?? dispatch(request, env, executionCtx);
  return app;
}

function payloadTooLarge(maxSize: number) {
  return new Problem('payload-too-large', {
    en: `The request is larger than ${limitText(maxSize).en}.`,
    zh: `提交的内容超过 ${limitText(maxSize).zh} 的上限。`,
  }, { extensions: { limit: maxSize } });
}

export function toProblemResponse(err: unknown, c: Context<AppEnv>): Response {
  const problem = toProblem(err);
  if (problem) return problemResponse(c, problem);
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) {
      return problemResponse(c, new Problem('malformed-json', { en: 'The request body is not valid JSON.', zh: '请求体不是有效的 JSON。' }));
    }
    if (err.status === 413) return problemResponse(c, payloadTooLarge(c.env.deps.config.BODY_LIMIT_BYTES));
    const slug = (Object.keys(PROBLEM_TYPES) as (keyof typeof PROBLEM_TYPES)[]).find((k) => PROBLEM_TYPES[k].status === err.status);
    if (slug && err.status < 500) {
      return problemResponse(c, new Problem(slug, { en: err.message || PROBLEM_TYPES[slug].title, zh: PROBLEM_TYPES[slug].title_zh }));
    }
  }
  const errorId = crypto.randomUUID();
  // A failed cast is logged with its error only: no path, no request id.
  const unlogged = isUnlogged(c.req.url);
  c.env.deps.logger.log('error', 'unhandled error', {
    errorId,
    ...(unlogged ? {} : { requestId: c.get('requestId'), path: new URL(c.req.url).pathname }),
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    ...(unlogged ? {} : { stack: err instanceof Error ? err.stack : undefined }),
  });
  return problemResponse(
    c,
    new Problem('internal', { en: `An unexpected error occurred (id ${errorId}).`, zh: `发生意外错误（编号 ${errorId}）。` }, { extensions: { errorId } }),
  );
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const methodRouters = new WeakMap<object, { size: number; router: PatternRouter<string> }>();

/** The methods that some route answers at this path (for 405 and its Allow header). */
function allowedMethods(app: { routes: { method: string; path: string }[] }, path: string): string[] {
  // Built once per app (again only if routes were added since), not on every 404.
  let cached = methodRouters.get(app);
  if (!cached || cached.size !== app.routes.length) {
    const router = new PatternRouter<string>();
    for (const r of app.routes) if (r.method !== 'ALL') router.add(r.method, r.path, r.method);
    cached = { size: app.routes.length, router };
    methodRouters.set(app, cached);
  }
  const router = cached.router;
  const found = new Set<string>();
  for (const m of METHODS) {
    const [matches] = router.match(m, path);
    for (const [method] of matches) if (method === m) found.add(m);
  }
  if (found.has('GET')) found.add('HEAD');
  return [...found];
}
