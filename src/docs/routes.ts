// GET /api/openapi.json (generated from the routes' zod schemas) and GET /api/docs (Scalar). The docs
// page loads Scalar's bundle from this app (/assets/scalar/standalone.js), never from a public CDN,
// with Subresource Integrity from the logged asset manifest (src/assets/manifest.ts) like every page.
// The page itself is ours (a title, a mount point, the bundle and one call under the CSP nonce): Scalar's
// server-side helpers for hono want Node ≥ 22 and add nothing the bundle does not do.
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { integrityOf, manifestFile } from '../assets/manifest.js';

export const SCALAR_BUNDLE_PATH = '/assets/scalar/standalone.js';

export const DOCS_PATH = '/api/docs';

const PAGE_TITLE = '杭州市政府质量奖 API';

/**
 * Scalar's own cloud services are not offered: its AI agent ("Ask AI") and the developer tools' "Share" and
 * "Deploy" would send the API document to Scalar (the CSP blocks them anyway), and telemetry is off.
 * withDefaultFonts: false — Scalar would otherwise fetch its fonts from its own CDN.
 */
const SCALAR_OPTIONS = {
  url: '/api/openapi.json',
  withDefaultFonts: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
  telemetry: false,
} as const;

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** JSON inside a <script>: `<` escaped so that no "</script>" can end it early. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

export function docsPage(opts: { nonce?: string; integrity?: string; manifest?: { index: number; docHash: string } }): string {
  const nonce = opts.nonce ? ` nonce="${attr(opts.nonce)}"` : '';
  const integrity = opts.integrity ? ` integrity="${attr(opts.integrity)}"` : '';
  const meta = opts.manifest
    ? `<meta name="asset-manifest" content="${opts.manifest.index}" data-hash="${attr(opts.manifest.docHash)}">`
    : '';
  return `<!doctype html>
<html lang="en">
<head>${meta}
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${PAGE_TITLE}</title>
</head>
<body>
<div id="app"></div>
<script src="${SCALAR_BUNDLE_PATH}"${integrity}${nonce}></script>
<script${nonce}>Scalar.createApiReference('#app', ${scriptJson(SCALAR_OPTIONS)})</script>
</body>
</html>`;
}

export const docsRoutes = new Hono<AppEnv>().get(DOCS_PATH, (c) => {
  // The nonce comes from the secure-headers middleware (src/app.ts), which puts it in the CSP.
  const nonce = (c.get as (k: string) => string | undefined)('secureHeadersNonce');
  const assets = c.env.deps.assets;
  if (!assets) return c.html(docsPage({ nonce }));
  const file = manifestFile(assets.manifest, SCALAR_BUNDLE_PATH);
  if (!file) throw new Error(`${SCALAR_BUNDLE_PATH} is not in the logged asset manifest #${assets.index}`);
  return c.html(docsPage({ nonce, integrity: integrityOf(file.sha256), manifest: { index: assets.index, docHash: assets.docHash } }));
});
