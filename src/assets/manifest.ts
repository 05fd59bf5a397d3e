/**
 * The asset manifest: what the app serves to browsers (every page script, the stylesheet, their
 * source maps, the API docs bundle), each file with its SHA-256, and the source commit it was built
 * from. It is a public log entry of type `asset-manifest` (cycle null), appended when a build is
 * deployed and before any page refers to it; pages load their script and stylesheet with
 * Subresource Integrity taken from it and declare its log index.
 *
 * Document (canonical JSON, src/log/append.ts):
 *
 *     { v: 1, commit: <40 or 64 lowercase hex | "unknown">, dirty: <bool>, esbuild: "<version>",
 *       files: [ { path: "/assets/…", sha256: <64 hex>, size: <bytes> } … ] }   (files sorted by path)
 *
 * The build (scripts/build-assets.ts) is reproducible: the same commit gives the same bytes on any
 * machine, so anyone with a checkout of `commit` can rebuild and compare (`dirty` says the build
 * came from a working tree with uncommitted changes, which no checkout reproduces).
 *
 * Runs anywhere (server, browser, tooling): no Node imports.
 * @module
 */
import type * as z from 'zod';
import { fromHex, toBase64 } from '../../crypto/bytes.js';
import { canonicalJson, documentHash } from '../../crypto/canonical-json.js';
// Only the type: the schema (src/log/documents/, AssetManifestDocument) stays out of page bundles.
import type { AssetManifestDocument } from '../log/documents/index.js';

/** The log entry type of a deployed build's manifest. */
export const ASSET_MANIFEST_TYPE = 'asset-manifest' as const;

/** Where the build writes the manifest, and where it is served. */
export const MANIFEST_PATH = '/assets/manifest.json';

export type AssetFile = AssetManifest['files'][number];
export type AssetManifest = z.infer<typeof AssetManifestDocument>;

/** The manifest as it is logged: its log index and document hash. */
export interface PublishedAssets {
  index: number;
  docHash: string;
  manifest: AssetManifest;
}

/** Files sorted by path (the manifest's order; `<` is UTF-16 order, as canonical JSON sorts keys). */
export function sortFiles(files: AssetFile[]): AssetFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The manifest's document hash (lowercase hex SHA-256 of its canonical JSON), as in its log entry. */
export function manifestHash(m: AssetManifest): string {
  return documentHash(canonicalJson(m));
}

/**
 * A short fingerprint of a manifest's document hash, compared in the meeting room with the one on
 * each tablet: the first 8 bytes as 4 groups of 4 hex digits, as the ballot key fingerprint.
 */
export function manifestFingerprint(docHash: string): string {
  if (!/^[0-9a-f]{64}$/.test(docHash)) throw new TypeError('manifestFingerprint: docHash must be 64 lowercase hex digits');
  return docHash.slice(0, 16).toUpperCase().match(/.{4}/g)!.join('-');
}

/** The Subresource Integrity value (W3C SRI §3.1) of a file with this SHA-256: "sha256-<base64>". */
export function integrityOf(sha256Hex: string): string {
  return `sha256-${toBase64(fromHex(sha256Hex))}`;
}

/** The file served at `path`, or undefined. */
export function manifestFile(m: AssetManifest, path: string): AssetFile | undefined {
  return m.files.find((f) => f.path === path);
}

/**
 * The differences between two manifests' files, one line per file: changed, missing from `actual`,
 * or not in `expected`. Empty when every file is byte-identical.
 */
export function diffFiles(expected: AssetManifest, actual: AssetManifest): { path: string; problem: 'differs' | 'missing' | 'extra' }[] {
  const out: { path: string; problem: 'differs' | 'missing' | 'extra' }[] = [];
  const have = new Map(actual.files.map((f) => [f.path, f]));
  for (const f of expected.files) {
    const a = have.get(f.path);
    if (!a) out.push({ path: f.path, problem: 'missing' });
    else if (a.sha256 !== f.sha256 || a.size !== f.size) out.push({ path: f.path, problem: 'differs' });
    have.delete(f.path);
  }
  for (const p of have.keys()) out.push({ path: p, problem: 'extra' });
  return out;
}
