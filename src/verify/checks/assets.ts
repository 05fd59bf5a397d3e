/**
 * The served-code check (supervisors: `npm run verify -- --assets`, `npm run witness -- --assets`):
 * the code and styles the bureau's server hands to browsers must be exactly the build it logged.
 *
 *   1. The logged manifest: the entry a page declares (`<meta name="asset-manifest">`) is opened
 *      like any log entry — checkpoint signed by the pinned log key (and cosigned by the required
 *      witnesses), inclusion proof (RFC 9162), entry type `asset-manifest`, document hash.
 *   2. Every page: declares that manifest, and loads each script and stylesheet from the build with
 *      the manifest's integrity value (so the browser itself refuses anything else, W3C SRI).
 *   3. Every file of the manifest, as served: the same SHA-256.
 *   4. Given a checkout of the logged commit, a rebuild gives the same files (tools/assets-check.ts).
 *
 * Every finding names the file (or page) it is about. Pure: no I/O here; tools/assets-check.ts
 * fetches and rebuilds.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64, toHex, utf8Decode } from '../../../crypto/bytes.js';
import { NoteError, newVerifier, openNote, parseCheckpoint } from '../../../crypto/note.js';
import { checkRecord, recordHash } from '../../../crypto/tlog.js';
import { ASSET_MANIFEST_TYPE, MANIFEST_PATH, diffFiles, integrityOf, manifestFile, manifestHash, type AssetFile, type AssetManifest, type PublishedAssets } from '../../assets/manifest.js';
import { AssetManifestDocument as assetManifestSchema } from '../../log/documents/index.js';

/** One thing that does not hold, about one file or page (or the manifest itself: `file` null). */
export interface AssetFinding {
  file: string | null;
  en: string;
  zh: string;
}

const finding = (file: string | null, en: string, zh: string): AssetFinding => ({ file, en, zh });

export class AssetCheckError extends Error {
  constructor(readonly finding: AssetFinding) {
    super(finding.en);
  }
}

/** GET /api/v1/log/entries/{index} as served. */
export interface EntryAnswer {
  index: number;
  entry: string;
  document: unknown;
  checkpoint: { size: number; note: string } | null;
  proof: string[] | null;
}

/**
 * Opens the manifest entry `index` from its entry answer, trusting only `logKey` (and requiring a
 * cosignature by each of `witnessKeys` on the checkpoint its proof is against). Throws
 * AssetCheckError naming what does not hold.
 */
export function openLoggedManifest(index: number, answer: EntryAnswer, opts: { logKey: string; witnessKeys?: string[] }): PublishedAssets & { checkpointSize: number } {
  const fail = (en: string, zh: string): never => {
    throw new AssetCheckError(finding(MANIFEST_PATH, `logged manifest #${index}: ${en}`, `已记录的程序清单 #${index}:${zh}`));
  };
  if (!answer.checkpoint || !answer.proof) return fail('not yet in a checkpoint', '尚未纳入检查点');
  let opened;
  try {
    const log = newVerifier(opts.logKey);
    const witnesses = (opts.witnessKeys ?? []).map((k) => newVerifier(k));
    opened = openNote(answer.checkpoint.note, [log, ...witnesses]);
    const signedBy = new Set(opened.sigs.map((s) => `${s.name}+${s.keyId}`));
    if (!signedBy.has(`${log.name}+${log.keyId}`)) fail('the checkpoint is not signed by the pinned log key', '检查点不是由固定的日志公钥签名');
    for (const w of witnesses) if (!signedBy.has(`${w.name}+${w.keyId}`)) fail(`the checkpoint is not cosigned by witness ${w.name}`, `检查点没有见证方 ${w.name} 的联署签名`);
  } catch (e) {
    if (e instanceof AssetCheckError) throw e;
    return fail(`the checkpoint does not verify (${e instanceof NoteError ? e.code : String(e)})`, '检查点签名验证失败');
  }
  const cp = parseCheckpoint(opened.text);
  let bytes: Uint8Array;
  let entry: { type?: unknown; doc?: unknown };
  try {
    bytes = fromBase64(answer.entry);
    entry = JSON.parse(utf8Decode(bytes)) as { type?: unknown; doc?: unknown };
    checkRecord(answer.proof.map(fromBase64), cp.size, cp.hash, index, recordHash(bytes));
  } catch (e) {
    return fail(`the inclusion proof does not verify (${e instanceof Error ? e.message : String(e)})`, '包含证明验证失败');
  }
  if (entry.type !== ASSET_MANIFEST_TYPE) return fail(`the entry is a ${String(entry.type)}, not an ${ASSET_MANIFEST_TYPE}`, `该条目类型为 ${String(entry.type)},不是程序清单`);
  const parsed = assetManifestSchema.safeParse(answer.document);
  if (!parsed.success) return fail('the document is not an asset manifest', '文档不是程序清单');
  const docHash = manifestHash(parsed.data);
  if (docHash !== entry.doc) return fail('the document served with the entry is not the one it hashes', '随条目提供的文档与条目哈希不符');
  return { index, docHash, manifest: parsed.data, checkpointSize: cp.size };
}

/** What a page declares: the manifest index and hash, and the scripts and stylesheets it loads. */
export interface PageAssets {
  index: number | null;
  hash: string | null;
  loads: { tag: 'script' | 'link'; url: string; integrity: string | null }[];
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    out.set(m[1]!.toLowerCase(), (m[2] ?? m[3] ?? m[4] ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
  }
  return out;
}

/** Reads what a page declares (see PageAssets) from its HTML. */
export function pageAssets(html: string): PageAssets {
  const result: PageAssets = { index: null, hash: null, loads: [] };
  for (const m of html.matchAll(/<(meta|script|link)\b([^>]*)>/gi)) {
    const tag = m[1]!.toLowerCase();
    const a = attributes(m[2]!);
    if (tag === 'meta' && a.get('name') === 'asset-manifest') {
      const n = Number(a.get('content'));
      result.index = /^\d+$/.test(a.get('content') ?? '') && Number.isSafeInteger(n) ? n : null;
      result.hash = a.get('data-hash') ?? null;
    } else if (tag === 'script' && a.has('src')) {
      result.loads.push({ tag: 'script', url: a.get('src')!, integrity: a.get('integrity') ?? null });
    } else if (tag === 'link' && /(^|\s)(stylesheet|modulepreload|preload)(\s|$)/i.test(a.get('rel') ?? '')) {
      result.loads.push({ tag: 'link', url: a.get('href') ?? '', integrity: a.get('integrity') ?? null });
    }
  }
  return result;
}

/** A page must declare the logged manifest and load only its files, each with its integrity value. */
export function checkPage(page: string, html: string, logged: PublishedAssets): AssetFinding[] {
  const out: AssetFinding[] = [];
  const p = pageAssets(html);
  if (p.index !== logged.index) out.push(finding(page, `page ${page} declares manifest #${p.index ?? 'none'}, not #${logged.index}`, `页面 ${page} 声明的程序清单为 #${p.index ?? '无'},而非 #${logged.index}`));
  else if (p.hash !== logged.docHash) out.push(finding(page, `page ${page} declares another manifest hash`, `页面 ${page} 声明的程序清单哈希不同`));
  for (const l of p.loads) {
    const f = manifestFile(logged.manifest, l.url);
    if (!f) out.push(finding(l.url, `page ${page} loads ${l.url}, which is not in the logged build`, `页面 ${page} 加载了 ${l.url},它不在已记录的构建中`));
    else if (l.integrity !== integrityOf(f.sha256))
      out.push(finding(l.url, `page ${page} loads ${l.url} with integrity ${l.integrity ?? 'none'}, not the logged ${integrityOf(f.sha256)}`, `页面 ${page} 加载 ${l.url} 时的完整性值与已记录的不符`));
  }
  return out;
}

/** A file as served (status, bytes) against its manifest line. */
export function checkServedFile(file: AssetFile, status: number, bytes: Uint8Array | null): AssetFinding | null {
  if (status !== 200 || !bytes) return finding(file.path, `${file.path}: served with status ${status}`, `${file.path}:服务器返回状态 ${status}`);
  const got = toHex(sha256(bytes));
  if (got !== file.sha256 || bytes.length !== file.size)
    return finding(file.path, `${file.path}: the served file differs from the logged manifest (sha256 ${got}, logged ${file.sha256})`, `${file.path}:服务器提供的文件与已记录的程序清单不符(sha256 ${got},记录为 ${file.sha256})`);
  return null;
}

/** The served manifest file itself must be the logged document. */
export function checkServedManifest(served: unknown, logged: PublishedAssets): AssetFinding | null {
  const m = assetManifestSchema.safeParse(served);
  if (!m.success || manifestHash(m.data) !== logged.docHash) return finding(MANIFEST_PATH, `${MANIFEST_PATH}: the served manifest is not the logged one (#${logged.index})`, `${MANIFEST_PATH}:服务器提供的程序清单不是已记录的 #${logged.index}`);
  return null;
}

/** A rebuild from a checkout against the logged manifest: same commit, byte-identical files. */
export function checkRebuild(logged: AssetManifest, rebuilt: AssetManifest): AssetFinding[] {
  const out: AssetFinding[] = [];
  if (logged.dirty) out.push(finding(null, 'the logged build was made from uncommitted changes: no checkout reproduces it', '已记录的构建来自未提交的修改,无法由任何检出版本复现'));
  if (rebuilt.commit !== logged.commit) out.push(finding(null, `the checkout is at ${rebuilt.commit}, the logged build at ${logged.commit}`, `检出版本为 ${rebuilt.commit},已记录的构建为 ${logged.commit}`));
  if (rebuilt.dirty) out.push(finding(null, 'the checkout has uncommitted changes', '检出目录有未提交的修改'));
  if (rebuilt.esbuild !== logged.esbuild) out.push(finding(null, `the checkout builds with esbuild ${rebuilt.esbuild}, the logged build used ${logged.esbuild}`, `检出版本使用 esbuild ${rebuilt.esbuild},已记录的构建使用 ${logged.esbuild}`));
  for (const d of diffFiles(logged, rebuilt)) {
    const what = { differs: ['the rebuilt file differs from the logged one', '重新构建的文件与已记录的不同'], missing: ['the rebuild does not produce it', '重新构建未产生该文件'], extra: ['the rebuild produces it but the logged build has no such file', '重新构建产生了已记录构建中没有的文件'] }[d.problem];
    out.push(finding(d.path, `${d.path}: ${what[0]}`, `${d.path}:${what[1]}`));
  }
  return out;
}
