// GET /api/openapi.json (generated from the routes' zod schemas) and GET /api/docs (Scalar). The docs
// page loads Scalar's bundle from this app (/assets/scalar/standalone.js), never from a public CDN.
import { Hono } from 'hono';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../deps.js';

export const SCALAR_BUNDLE_PATH = '/assets/scalar/standalone.js';

export const docsRoutes = new Hono<AppEnv>().get('/api/docs', async (c, next) => {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  c.header(
    'Content-Security-Policy',
    `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'`,
  );
  return Scalar<AppEnv>({ url: '/api/openapi.json', cdn: SCALAR_BUNDLE_PATH, pageTitle: '杭州市政府质量奖 API', nonce })(c, next);
});
