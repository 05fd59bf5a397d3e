// Tooling: builds everything the app serves to browsers into public/assets, reproducibly, and
// writes the manifest (src/assets/manifest.ts) next to it.
//
//   npm run build:assets [-- --out DIR]     (DIR defaults to ./public; files go to DIR/assets/…)
//
// What goes in: the pages' client scripts (src/web/browser/<page>.ts, or <page>/main.ts for a page
// split into files; each bundled with the project's own crypto/ into ONE file, so that the Subresource
// Integrity of the page's <script> covers all the code it runs), the stylesheet, their source maps, and the API docs bundle copied
// from node_modules (no public CDN).
//
// Reproducible: byte-identical output from the same commit on any machine and in any folder —
// esbuild at the exact version pinned in package.json (checked), no timestamps, no absolute paths
// (source maps name sources relative to the project root; the working directory is the project
// root), files listed in path order. The manifest records the source commit:
//   1. git, when the project root is a git work tree (a developer's checkout, CI's fresh clone,
//      shallow or detached): HEAD, and `dirty` when tracked or untracked, non-ignored files differ;
//   2. otherwise the SOURCE_COMMIT environment variable (a build from an exported tree);
//   3. otherwise the SOURCE_COMMIT file, which `git archive` fills in (.gitattributes export-subst);
//   4. otherwise "unknown" (the rebuild check can then only be done against a stated commit).
// SOURCE_COMMIT set to something other than git's HEAD is an error, not a silent choice.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { build, version as esbuildVersion, type OutputFile } from 'esbuild';
import { MANIFEST_PATH, manifestFingerprint, manifestHash, sortFiles, type AssetManifest } from '../src/assets/manifest.js';
import { AssetManifestDocument as assetManifestSchema } from '../src/log/documents/index.js';

const projectRoot = path.resolve(import.meta.dirname, '..');

/** The page scripts: one self-contained bundle per page area. */
export const WEB_ENTRIES = ['tablet', 'notice', 'objection', 'staff', 'supervisor', 'common', 'screen'] as const;

const COMMIT_RE = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The source commit of the tree at `root`, and whether the tree differs from it (see the header). */
export function sourceCommit(root: string, env: Record<string, string | undefined> = process.env): { commit: string; dirty: boolean } {
  const stated = env.SOURCE_COMMIT?.trim().toLowerCase() || undefined;
  if (stated !== undefined && !COMMIT_RE.test(stated)) throw new Error(`SOURCE_COMMIT must be a full commit hash, not ${JSON.stringify(env.SOURCE_COMMIT)}`);
  const top = git(root, ['rev-parse', '--show-toplevel']);
  // Only the project's own repository counts: a tree unpacked inside some other repository is not it.
  if (top !== null && fs.realpathSync(top) === fs.realpathSync(root)) {
    const head = git(root, ['rev-parse', 'HEAD']);
    if (head && COMMIT_RE.test(head)) {
      if (stated !== undefined && stated !== head) throw new Error(`SOURCE_COMMIT ${stated} is not this checkout's HEAD ${head}`);
      const status = git(root, ['status', '--porcelain', '--untracked-files=normal']);
      return { commit: head, dirty: status === null || status !== '' };
    }
  }
  if (stated !== undefined) return { commit: stated, dirty: false };
  const file = path.join(root, 'SOURCE_COMMIT');
  if (fs.existsSync(file)) {
    const c = fs.readFileSync(file, 'utf8').trim().toLowerCase();
    if (COMMIT_RE.test(c)) return { commit: c, dirty: false };
  }
  return { commit: 'unknown', dirty: false };
}

/** esbuild as pinned in package.json (an exact version), or the build refuses to run. */
export function pinnedEsbuild(root: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const pinned = pkg.devDependencies?.esbuild;
  if (!pinned || !/^\d+\.\d+\.\d+$/.test(pinned)) throw new Error(`package.json must pin esbuild to an exact version (found ${pinned ?? 'none'})`);
  if (pinned !== esbuildVersion) throw new Error(`esbuild ${esbuildVersion} is installed but package.json pins ${pinned}: run npm ci`);
  return pinned;
}

/** A source map whose sources are named relative to the project root, wherever it was built. */
function rootRelativeMap(text: string, mapDir: string, root: string): string {
  const map = JSON.parse(text) as { sources: string[]; sourceRoot?: string };
  map.sources = map.sources.map((s) => path.relative(root, path.resolve(mapDir, s)).split(path.sep).join('/'));
  delete map.sourceRoot;
  return JSON.stringify(map);
}

/** Builds into `<outRoot>/assets` (swapped in whole, so a server never reads half a build); returns the manifest. */
export async function buildAssets(opts: { outRoot?: string; root?: string; quiet?: boolean } = {}): Promise<AssetManifest> {
  const root = opts.root ?? projectRoot;
  const outRoot = path.resolve(opts.outRoot ?? path.join(root, 'public'));
  const esbuild = pinnedEsbuild(root);
  const { commit, dirty } = sourceCommit(root);
  const browserDir = path.join(root, 'src', 'web', 'browser');
  const webDir = path.join(outRoot, 'assets', 'web');

  const outputs: OutputFile[] = [];
  const scripts = await build({
    absWorkingDir: root,
    entryPoints: WEB_ENTRIES.map((e) => {
      const folder = path.join(browserDir, e, 'main.ts');
      return { in: fs.existsSync(folder) ? folder : path.join(browserDir, `${e}.ts`), out: e };
    }),
    outdir: webDir,
    write: false,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  outputs.push(...scripts.outputFiles);
  const styles = await build({
    absWorkingDir: root,
    entryPoints: [path.join(browserDir, 'styles.css')],
    outfile: path.join(webDir, 'styles.css'),
    write: false,
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    charset: 'utf8',
    logLevel: 'warning',
  });
  outputs.push(...styles.outputFiles);

  // URL path → bytes.
  const files = new Map<string, Uint8Array>();
  const urlOf = (abs: string) => '/' + path.relative(outRoot, abs).split(path.sep).join('/');
  for (const o of outputs) {
    const bytes = o.path.endsWith('.map') ? new TextEncoder().encode(rootRelativeMap(o.text, path.dirname(o.path), root)) : o.contents;
    files.set(urlOf(o.path), bytes);
  }
  const scalar = path.join(root, 'node_modules', '@scalar', 'api-reference', 'dist', 'browser', 'standalone.js');
  files.set('/assets/scalar/standalone.js', new Uint8Array(fs.readFileSync(scalar)));

  const manifest = assetManifestSchema.parse({
    v: 1,
    commit,
    dirty,
    esbuild,
    files: sortFiles(
      [...files].map(([p, bytes]) => ({ path: p, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length })),
    ),
  });
  files.set(MANIFEST_PATH, new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'));

  // Written into a temporary folder and swapped in.
  const assetsDir = path.join(outRoot, 'assets');
  const tmp = `${assetsDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const [p, bytes] of files) {
    const file = path.join(tmp, ...p.split('/').slice(2));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
  }
  const old = `${assetsDir}.old-${process.pid}`;
  if (fs.existsSync(assetsDir)) fs.renameSync(assetsDir, old);
  fs.renameSync(tmp, assetsDir);
  fs.rmSync(old, { recursive: true, force: true });
  if (!opts.quiet) {
    const fp = manifestFingerprint(manifestHash(manifest));
    console.log(`assets: ${path.relative(process.cwd(), assetsDir) || '.'} · ${manifest.files.length} files · commit ${commit}${dirty ? ' (dirty)' : ''} · manifest ${fp}`);
  }
  return manifest;
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--out');
  if (argv.length && (at !== 0 || argv.length !== 2)) {
    console.error('usage: tsx scripts/build-assets.ts [--out DIR]');
    process.exit(2);
  }
  try {
    await buildAssets(at === 0 ? { outRoot: path.resolve(argv[1]!) } : {});
  } catch (e) {
    console.error(`build-assets: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
