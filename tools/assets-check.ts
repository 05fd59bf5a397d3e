/**
 * Tooling (Node): the served-code check of src/verify/checks/assets.ts, run against a live server by the
 * verifier (`npm run verify -- --assets`) and the witness (`npm run witness -- --assets`).
 *
 * Fetches every page that loads code (and the API docs page), the manifest entry they declare (with
 * its inclusion proof), every file the manifest lists and the served manifest itself, and compares.
 * Given `checkout`, a folder holding the logged commit (with its node_modules installed: npm ci), it
 * runs that checkout's own build (scripts/build-assets.ts --out <temporary folder>) and compares the
 * rebuilt files with the logged ones. Every finding names its file.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MANIFEST_PATH, manifestFingerprint, type AssetManifest } from '../src/assets/manifest.js';
import { AssetCheckError, checkPage, checkRebuild, checkServedFile, checkServedManifest, openLoggedManifest, pageAssets, type AssetFinding, type EntryAnswer } from '../src/verify/checks/assets.js';
import { newVerifier } from '../crypto/note.js';
import { AssetManifestDocument as assetManifestSchema } from '../src/log/documents/index.js';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** The pages that load code: every page area's script, and the API docs bundle. */
export const CODE_PAGES = ['/', '/notices', '/objections/status', '/tablet', '/staff', '/supervisor', '/api/docs'] as const;

export interface AssetsReport {
  ok: boolean;
  /** The logged manifest the pages declare, once it verified. */
  manifest: { index: number; docHash: string; fingerprint: string; commit: string; dirty: boolean; files: number } | null;
  findings: AssetFinding[];
  /** Files compared byte for byte with the served ones (and the rebuilt ones, with a checkout). */
  checked: string[];
  rebuilt: boolean;
}

export interface AssetsCheckOptions {
  baseUrl: string;
  logKey: string;
  /** Witnesses whose cosignature the manifest's checkpoint must carry. */
  witnessKeys?: string[];
  /** A checkout of the logged commit to rebuild from. */
  checkout?: string;
  fetch?: Fetch;
}

/** Runs the checkout's own build into a temporary folder and reads the manifest it wrote. */
export function rebuildFrom(checkout: string): AssetManifest {
  const dir = resolve(checkout);
  const tsx = join(dir, 'node_modules', '.bin', 'tsx');
  if (!existsSync(join(dir, 'scripts', 'build-assets.ts'))) throw new Error(`${dir} is not a checkout of this project (no scripts/build-assets.ts)`);
  if (!existsSync(tsx)) throw new Error(`${dir} has no node_modules: run npm ci there first`);
  const out = mkdtempSync(join(tmpdir(), 'hzqa-rebuild-'));
  try {
    // The environment's SOURCE_COMMIT must not speak for the checkout.
    const env = { ...process.env };
    delete env.SOURCE_COMMIT;
    execFileSync(tsx, ['scripts/build-assets.ts', '--out', out], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    return assetManifestSchema.parse(JSON.parse(readFileSync(join(out, ...MANIFEST_PATH.split('/').slice(1)), 'utf8')));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function checkAssets(opts: AssetsCheckOptions): Promise<AssetsReport> {
  const f: Fetch = opts.fetch ?? ((u, i) => fetch(u, i));
  const base = opts.baseUrl.replace(/\/+$/, '');
  const findings: AssetFinding[] = [];
  const checked: string[] = [];
  const report = (manifest: AssetsReport['manifest'], rebuilt = false): AssetsReport => ({ ok: findings.length === 0, manifest, findings, checked, rebuilt });

  // The pages, and the manifest they declare (all must declare the same one).
  const pages: { path: string; html: string }[] = [];
  for (const p of CODE_PAGES) {
    const res = await f(`${base}${p}`, { headers: { accept: 'text/html' } });
    if (!res.ok) {
      findings.push({ file: p, en: `page ${p}: status ${res.status}`, zh: `页面 ${p}:状态 ${res.status}` });
      continue;
    }
    pages.push({ path: p, html: await res.text() });
  }
  const declared = [...new Set(pages.map((p) => pageAssets(p.html).index))];
  const index = declared.find((i): i is number => i !== null);
  if (index === undefined) {
    findings.push({ file: null, en: 'no page declares a logged asset manifest', zh: '没有页面声明已记录的程序清单' });
    return report(null);
  }
  const witnessName = opts.witnessKeys?.length ? newVerifier(opts.witnessKeys[0]!).name : undefined;
  const entryRes = await f(`${base}/api/v1/log/entries/${index}${witnessName ? `?witness=${encodeURIComponent(witnessName)}` : ''}`);
  if (!entryRes.ok) {
    findings.push({ file: MANIFEST_PATH, en: `logged manifest #${index}: status ${entryRes.status}`, zh: `已记录的程序清单 #${index}:状态 ${entryRes.status}` });
    return report(null);
  }
  let logged;
  try {
    logged = openLoggedManifest(index, (await entryRes.json()) as EntryAnswer, opts);
  } catch (e) {
    if (!(e instanceof AssetCheckError)) throw e;
    findings.push(e.finding);
    return report(null);
  }
  const m = logged.manifest;
  const summary = { index, docHash: logged.docHash, fingerprint: manifestFingerprint(logged.docHash), commit: m.commit, dirty: m.dirty, files: m.files.length };
  for (const p of pages) findings.push(...checkPage(p.path, p.html, logged));

  // Every file, as served.
  for (const file of m.files) {
    const res = await f(`${base}${file.path}`);
    const bytes = res.ok ? new Uint8Array(await res.arrayBuffer()) : null;
    const bad = checkServedFile(file, res.status, bytes);
    if (bad) findings.push(bad);
    checked.push(file.path);
  }
  const servedManifest = await f(`${base}${MANIFEST_PATH}`);
  const bad = checkServedManifest(servedManifest.ok ? await servedManifest.json().catch(() => null) : null, logged);
  if (bad) findings.push(bad);

  if (!opts.checkout) return report(summary);
  let rebuilt: AssetManifest;
  try {
    rebuilt = rebuildFrom(opts.checkout);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    findings.push({ file: null, en: `could not rebuild from ${opts.checkout}: ${msg}`, zh: `无法由 ${opts.checkout} 重新构建:${msg}` });
    return report(summary);
  }
  findings.push(...checkRebuild(m, rebuilt));
  return report(summary, true);
}

/** The report as lines (Chinese or English). */
export function formatAssetsReport(r: AssetsReport, lang: 'zh' | 'en' = 'zh'): string {
  const lines: string[] = [];
  const m = r.manifest;
  if (lang === 'zh') {
    lines.push(m ? `程序清单:日志条目 #${m.index},指纹 ${m.fingerprint},源代码提交 ${m.commit}${m.dirty ? '(含未提交修改)' : ''},${m.files} 个文件` : '程序清单:未通过验证');
    lines.push(`已比对服务器提供的文件 ${r.checked.length} 个${r.rebuilt ? ',并已重新构建比对' : ''}`);
    for (const x of r.findings) lines.push(`✗ ${x.zh}`);
    lines.push(r.ok ? '结论:服务器提供的程序与已记录的构建一致。' : `结论:不一致——${[...new Set(r.findings.map((x) => x.file ?? '程序清单'))].join('、')}。`);
  } else {
    lines.push(m ? `Asset manifest: log entry #${m.index}, fingerprint ${m.fingerprint}, source commit ${m.commit}${m.dirty ? ' (with uncommitted changes)' : ''}, ${m.files} files` : 'Asset manifest: not verified');
    lines.push(`Compared ${r.checked.length} served files${r.rebuilt ? ' and a rebuild' : ''}`);
    for (const x of r.findings) lines.push(`✗ ${x.en}`);
    lines.push(r.ok ? 'Verdict: the served code is the logged build.' : `Verdict: FAILED — ${[...new Set(r.findings.map((x) => x.file ?? 'manifest'))].join(', ')}.`);
  }
  return lines.join('\n') + '\n';
}
