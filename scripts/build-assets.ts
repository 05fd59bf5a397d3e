// Tooling: copies the browser assets the app serves itself (no public CDN) into public/assets, and
// bundles the pages' client scripts (src/web/browser/*.ts, with the project's own crypto/) and the
// stylesheet with esbuild into public/assets/web/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'public', 'assets');

/** The page scripts: one bundle per page area. */
export const WEB_ENTRIES = ['tablet', 'notice', 'objection', 'staff', 'supervisor', 'common'] as const;

export async function buildWebAssets(outDir = path.join(out, 'web')): Promise<void> {
  const browserDir = path.join(root, 'src', 'web', 'browser');
  // Built into a temporary folder and swapped in, so a server reading the old files never sees half.
  const tmp = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await build({
    entryPoints: WEB_ENTRIES.map((e) => path.join(browserDir, `${e}.ts`)),
    outdir: tmp,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  await build({
    entryPoints: [path.join(browserDir, 'styles.css')],
    outfile: path.join(tmp, 'styles.css'),
    bundle: true,
    minify: true,
    logLevel: 'warning',
  });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  const old = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(tmp, outDir);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Everything the app serves from public/assets: the API docs bundle and the pages' bundles. */
export async function buildAssets() {
  fs.mkdirSync(path.join(out, 'scalar'), { recursive: true });
  const scalar = path.join(root, 'node_modules', '@scalar', 'api-reference', 'dist', 'browser', 'standalone.js');
  fs.copyFileSync(scalar, path.join(out, 'scalar', 'standalone.js'));
  await buildWebAssets();
  console.log(`assets: ${path.relative(root, out)}`);
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  await buildAssets();
}
