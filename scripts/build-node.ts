// Builds the Node server as one JavaScript file, dist/node/node.js (src/node.ts and the app; packages
// stay imports from node_modules), which `npm start` runs with plain node, and beside it the token
// check thread, dist/node/token-worker.js (src/platform/node/token-pool.ts starts it from there). Running through the
// TypeScript loader instead costs its own module-hook thread and compiled sources in memory: the
// embedded mode's process held ≈ 440–470 MB under read load through tsx against ≈ 345 MB compiled
// (README, Benchmarks). `npm start` runs it with `--liftoff-only`: V8 then keeps PGlite's PostgreSQL
// (9 MB of WebAssembly) in its baseline compiler's code instead of recompiling its busy functions with
// the optimising compiler on background threads, whose freed working memory stayed in those threads'
// malloc arenas (≈ 120 MB of RSS that never went back). Measured: the same CPU per query and per log
// append within the noise, and a faster start (bench/memory.ts, README).
import * as path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

export async function buildNode() {
  await build({
    entryPoints: { node: path.join(root, 'src/node.ts'), 'token-worker': path.join(root, 'src/platform/node/token-worker.ts') },
    outdir: path.join(root, 'dist/node'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await buildNode();
