/**
 * The deployed build: every file served to browsers with its SHA-256.
 * @module
 */
import * as z from 'zod';
import { count, hex } from './shared.js';

const assetFile = z.strictObject({
  path: z.string().regex(/^\/assets\/[A-Za-z0-9._/-]+$/).refine((p) => !p.split('/').includes('..'), 'no .. segments'),
  sha256: hex(32),
  size: count,
});

/**
 * A deployed build (src/assets/manifest.ts): every file served to browsers with its SHA-256, the
 * source commit (`dirty`: built with uncommitted changes), the pinned esbuild. Cycle null.
 */
export const AssetManifestDocument = z.strictObject({
  v: z.literal(1),
  commit: z.union([z.string().regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/), z.literal('unknown')]),
  dirty: z.boolean(),
  esbuild: z.string().regex(/^\d+\.\d+\.\d+$/),
  files: z
    .array(assetFile)
    .min(1)
    .refine((fs) => fs.every((f, i) => i === 0 || fs[i - 1]!.path < f.path), 'files sorted by path, each once'),
});
