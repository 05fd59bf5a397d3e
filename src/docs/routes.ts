// GET /api/openapi.json (generated from the routes' zod schemas) and GET /api/docs (Scalar). The docs
// page loads Scalar's bundle from this app (/assets/scalar/standalone.js), never from a public CDN.
import { Hono } from 'hono';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../deps.js';

export const SCALAR_BUNDLE_PATH = '/assets/scalar/standalone.js';

export const DOCS_PATH = '/api/docs';

export const docsRoutes = new Hono<AppEnv>().get(DOCS_PATH, async (c, next) => {
  // The nonce comes from the secure-headers middleware (src/app.ts), which puts it in the CSP.
  const nonce = (c.get as (k: string) => string | undefined)('secureHeadersNonce');
  // withDefaultFonts: false — Scalar would otherwise fetch its fonts from its own CDN.
  return Scalar<AppEnv>({ url: '/api/openapi.json', cdn: SCALAR_BUNDLE_PATH, pageTitle: '杭州市政府质量奖 API', withDefaultFonts: false, ...(nonce ? { nonce } : {}) })(c, next);
});
