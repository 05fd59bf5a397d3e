// GET /api/openapi.json (generated from the routes' zod schemas) and GET /api/docs (Scalar). The docs
// page loads Scalar's bundle from this app (/assets/scalar/standalone.js), never from a public CDN,
// with Subresource Integrity from the logged asset manifest (src/assets/manifest.ts) like every page.
import { Hono } from 'hono';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../deps.js';
import { integrityOf, manifestFile } from '../assets/manifest.js';

export const SCALAR_BUNDLE_PATH = '/assets/scalar/standalone.js';

export const DOCS_PATH = '/api/docs';

/**
 * Scalar's own cloud services are not offered: its AI agent ("Ask AI"), MCP generation, and the developer
 * tools' "Share" and "Deploy" would send the API document to Scalar (the CSP blocks them anyway), and
 * telemetry is off. withDefaultFonts: false — Scalar would otherwise fetch its fonts from its own CDN.
 */
const SCALAR_OPTIONS = {
  url: '/api/openapi.json',
  cdn: SCALAR_BUNDLE_PATH,
  pageTitle: '杭州市政府质量奖 API',
  withDefaultFonts: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
  telemetry: false,
} as const;

export const docsRoutes = new Hono<AppEnv>().get(DOCS_PATH, async (c, next) => {
  // The nonce comes from the secure-headers middleware (src/app.ts), which puts it in the CSP.
  const nonce = (c.get as (k: string) => string | undefined)('secureHeadersNonce');
  const res = await Scalar<AppEnv>({ ...SCALAR_OPTIONS, ...(nonce ? { nonce } : {}) })(c, next);
  const assets = c.env.deps.assets;
  if (!res || !assets) return res;
  const file = manifestFile(assets.manifest, SCALAR_BUNDLE_PATH);
  if (!file) throw new Error(`${SCALAR_BUNDLE_PATH} is not in the logged asset manifest #${assets.index}`);
  const page = await res.text();
  const tag = `<script src="${SCALAR_BUNDLE_PATH}"`;
  if (!page.includes(tag)) throw new Error('the API docs page no longer loads its bundle as expected');
  const meta = `<meta name="asset-manifest" content="${assets.index}" data-hash="${assets.docHash}">`;
  const out = page.replace(tag, `${tag} integrity="${integrityOf(file.sha256)}"`).replace(/<head>/i, `<head>${meta}`);
  return c.html(out, res.status as 200);
});
