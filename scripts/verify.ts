/**
 * npm run verify — the supervisory group's independent verifier.
 *
 *   npm run verify -- (--url URL --cycle ID | --bundle FILE) --log-key KEY [--witness-key KEY]…
 *                     [--state FILE] [--first-run] [--token SUPERVISOR_TOKEN] [--json] [--lang zh|en]
 *
 * Reads only what is published (GET /api/v1/cycles/{id}/export, or a bundle saved from it), trusts
 * only the pinned log key (and the witness keys it requires), and checks everything else itself with
 * src/verify/checks.ts verifyBundle — the same function the supervisors' page runs in the browser.
 * Native blst (@chainsafe/blst) verifies the bulletins when installed; pure JS otherwise.
 *
 * --log-key / --witness-key take the verifier key text (name+keyid+base64), or @FILE to read it.
 * --state FILE keeps the last verified checkpoint: the next run checks that the log only grew
 * (fetching the consistency proof from the server with --url; with --bundle, the bundle must carry
 * it — export with ?from=<saved size> — or log-consistency fails). The file is written only after a
 * run whose checkpoint verified and was anchored: proven consistent with the saved state, or
 * cosigned by every --witness-key; on a first run (no state file yet) only with --first-run.
 * With --url, what the server serves live (notices, bulletins, objection receipts) is compared with
 * the log (check live-agrees).
 *
 * --as-of DATE judges overdue objections as of that date (default: now, or the demonstration's own time
 * when the log declares a simulated clock: check simulated-clock); --pure-js skips native blst.
 *
 * --cosigner-key KEY pins the supervisory group's co-signer (npm run cosigner): every secret ballot must
 * then be co-issued with it (its approval and served list signed by that key). --receipts FILE… checks
 * cast receipts kept by tablets (each file: one receipt, a list of them, or a tablet's saved ballot with
 * its castReceipt): each ballot must be in the logged bulletin with the same choices.
 *
 * --assets (with --url; --cycle then optional) checks the code the server hands to browsers
 * (tools/assets-check.ts): the asset manifest its pages declare is opened from the log (against the
 * pinned log key, and cosigned by each --witness-key), every page loads only the manifest's files
 * with its integrity values, and every file served is byte-identical to the logged one.
 * --checkout DIR also rebuilds the assets from DIR, a checkout of the logged commit (npm ci done),
 * and compares the files. Any difference fails, naming the file.
 *
 * Exit status: 0 everything holds and the history is anchored; 1 something does not (each failed
 * check is named); 2 the verifier could not run (bad arguments, unreachable URL, malformed bundle or
 * state); 3 the checks hold but the history is not anchored — no saved state and no witness
 * cosignature, so a history rewritten and re-signed with the log key could not be told apart (give
 * --first-run to accept this run as the first and save its state: then 0).
 */
import { readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newVerifier, SIG_COSIGNATURE_V1 } from '../crypto/note.js';
import { BundleFormatError, formatReport, parseBundle, PURE_BLS, verifyBundle, type BlsBackend, type ExportBundle, type Lang, type LiveView, type LogState } from '../src/verify/index.js';
import { loadNativeBlst } from '../tools/blst.js';
import { checkAssets, formatAssetsReport } from '../tools/assets-check.js';

class UsageError extends Error {}
class RunError extends Error {}

const USAGE = `usage: npm run verify -- (--url URL --cycle ID | --bundle FILE) --log-key KEY [--witness-key KEY]...
                        [--state FILE] [--first-run] [--token SUPERVISOR_TOKEN] [--json] [--lang zh|en]
                        [--as-of DATE] [--pure-js] [--cosigner-key KEY] [--receipts FILE...]
       npm run verify -- --url URL --assets [--checkout DIR] [--cycle ID] --log-key KEY [--witness-key KEY]...
exit: 0 all checks hold, 1 a check failed, 2 could not run, 3 checks hold but the history is not anchored
      (no saved state, no witness: give --first-run to accept and save it)`;

interface Args {
  url?: string;
  cycle?: string;
  bundle?: string;
  logKey: string;
  witnessKeys: string[];
  state?: string;
  token?: string;
  json: boolean;
  lang: Lang;
  pureJs: boolean;
  firstRun: boolean;
  asOf?: Date;
  assets: boolean;
  checkout?: string;
  cosignerKey?: string;
  receiptFiles: string[];
}

function keyText(v: string): string {
  if (v.startsWith('@')) {
    try {
      return readFileSync(v.slice(1), 'utf8').trim();
    } catch (e) {
      throw new UsageError(`cannot read key file ${v.slice(1)}: ${(e as Error).message}`);
    }
  }
  return v.trim();
}

export function parseArgs(argv: string[]): Args {
  const a: Partial<Args> & { witnessKeys: string[]; receiptFiles: string[] } = { witnessKeys: [], receiptFiles: [], json: false, lang: 'zh', pureJs: false, assets: false, firstRun: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--url': a.url = value().replace(/\/+$/, ''); break;
      case '--cycle': a.cycle = value(); break;
      case '--bundle': a.bundle = value(); break;
      case '--log-key': a.logKey = keyText(value()); break;
      case '--witness-key': a.witnessKeys.push(keyText(value())); break;
      case '--state': a.state = value(); break;
      case '--token': a.token = value(); break;
      case '--json': a.json = true; break;
      case '--pure-js': a.pureJs = true; break;
      case '--cosigner-key': a.cosignerKey = keyText(value()); break;
      case '--receipts': {
        if (inline !== undefined) a.receiptFiles.push(inline);
        while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) a.receiptFiles.push(argv[++i]!);
        if (a.receiptFiles.length === 0) throw new UsageError('--receipts needs at least one file');
        break;
      }
      case '--assets': a.assets = true; break;
      case '--checkout': a.checkout = value(); break;
      case '--first-run': a.firstRun = true; break;
      case '--as-of': {
        const v = value();
        const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T23:59:59.999+08:00` : v);
        if (Number.isNaN(d.getTime())) throw new UsageError('--as-of must be a date (YYYY-MM-DD, Beijing) or an ISO 8601 instant');
        a.asOf = d;
        break;
      }
      case '--lang': {
        const l = value();
        if (l !== 'zh' && l !== 'en') throw new UsageError('--lang is zh or en');
        a.lang = l;
        break;
      }
      case '--help': case '-h': throw new UsageError('');
      default: throw new UsageError(`unknown argument ${arg}`);
    }
  }
  if (!a.logKey) throw new UsageError('--log-key is required (the log verifier key you pinned)');
  if (!!a.bundle === !!a.url) throw new UsageError('give either --bundle FILE or --url URL --cycle ID');
  if (a.url && !a.cycle && !a.assets) throw new UsageError('--url needs --cycle ID (or --assets)');
  if (a.assets && !a.url) throw new UsageError('--assets needs --url URL (it fetches what the server serves)');
  if (a.checkout && !a.assets) throw new UsageError('--checkout goes with --assets');
  if (a.url && !/^https?:\/\/[^\s]+$/.test(a.url)) throw new UsageError('--url must be an http(s) URL');
  try {
    newVerifier(a.logKey);
  } catch (e) {
    throw new UsageError(`--log-key is not a verifier key: ${(e as Error).message}`);
  }
  if (a.cosignerKey !== undefined) {
    try {
      newVerifier(a.cosignerKey);
    } catch (e) {
      throw new UsageError(`--cosigner-key is not a verifier key: ${(e as Error).message}`);
    }
  }
  for (const k of a.witnessKeys) {
    let type: number;
    try {
      type = newVerifier(k).type;
    } catch (e) {
      throw new UsageError(`--witness-key is not a verifier key: ${(e as Error).message}`);
    }
    if (type !== SIG_COSIGNATURE_V1) throw new UsageError('--witness-key must be a cosignature/v1 (type 0x04) verifier key');
  }
  return a as Args;
}

async function getJson(url: string, token?: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  } catch (e) {
    throw new RunError(`cannot reach ${url}: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new RunError(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RunError(`${url} did not answer JSON`);
  }
}

/** Receipts from files: one receipt, an array, or a saved ballot ({ castReceipt }). */
export function readReceipts(files: string[]): unknown[] {
  const out: unknown[] = [];
  for (const f of files) {
    let v: unknown;
    try {
      v = JSON.parse(readFileSync(f, 'utf8'));
    } catch (e) {
      throw new RunError(`cannot read receipt file ${f}: ${(e as Error).message}`);
    }
    for (const x of Array.isArray(v) ? v : [v]) out.push(typeof x === 'object' && x !== null && 'castReceipt' in x ? (x as { castReceipt: unknown }).castReceipt : x);
  }
  return out;
}

function readState(path: string | undefined): LogState | null {
  if (!path || !existsSync(path)) return null;
  let s: unknown;
  try {
    s = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new RunError(`state file ${path} is not JSON: ${(e as Error).message}`);
  }
  const o = s as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || typeof o.origin !== 'string' || !Number.isSafeInteger(o.size) || typeof o.hash !== 'string')
    throw new RunError(`state file ${path} is malformed (want { origin, size, hash })`);
  return o as unknown as LogState;
}

async function loadBundle(args: Args, state: LogState | null): Promise<ExportBundle> {
  let raw: unknown;
  if (args.bundle) {
    let text: string;
    try {
      text = readFileSync(args.bundle, 'utf8');
    } catch (e) {
      throw new RunError(`cannot read ${args.bundle}: ${(e as Error).message}`);
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new RunError(`${args.bundle} is not JSON: ${(e as Error).message}`);
    }
  } else {
    raw = await getJson(`${args.url}/api/v1/cycles/${encodeURIComponent(args.cycle!)}/export`, args.token);
  }
  const bundle = parseBundle(raw);
  if (args.bundle && args.cycle && bundle.cycleId !== args.cycle) throw new RunError(`the bundle is of cycle ${bundle.cycleId}, not ${args.cycle}`);
  if (args.url && state && state.size > 0 && state.size < bundle.log.size && (!bundle.log.consistency || bundle.log.consistency.from !== state.size)) {
    const c = (await getJson(`${args.url}/api/v1/log/consistency?from=${state.size}&to=${bundle.log.size}`)) as { from: number; to: number; proof: string[] };
    if (!c || !Array.isArray(c.proof)) throw new RunError('the consistency proof answer is malformed');
    bundle.log.consistency = { from: c.from, to: c.to, proof: c.proof };
  }
  return bundle;
}

/** --url: what the server serves now, for live-agrees (public endpoints only). */
async function readLive(args: Args, bundle: ExportBundle): Promise<LiveView> {
  const base = args.url!;
  const cycle = encodeURIComponent(bundle.cycleId);
  const listed = (await getJson(`${base}/api/v1/notices?cycleId=${cycle}&limit=500`)) as { notices?: { id: string; logIndex: number | null; documentHash: string | null; document: unknown }[] };
  const notices = (listed.notices ?? []).filter((n) => n.logIndex !== null);
  const receipts: LiveView['receipts'] = [];
  for (const n of notices) {
    const r = (await getJson(`${base}/api/v1/notices/${encodeURIComponent(n.id)}/receipts`)) as { receipts?: LiveView['receipts'] };
    receipts.push(...(r.receipts ?? []));
  }
  const bulletins: LiveView['bulletins'] = [];
  const ballotIds = new Set<string>();
  for (const e of bundle.entries) {
    const parsed = parseEntryType(e.entry);
    if (parsed?.type !== 'ballot-bulletin') continue;
    const body = bundle.documents[parsed.doc];
    const ballotId = body ? (JSON.parse(body) as { ballotId?: unknown }).ballotId : undefined;
    if (typeof ballotId === 'string') ballotIds.add(ballotId);
  }
  for (const ballotId of ballotIds) {
    const b = (await getJson(`${base}/api/v1/ballots/${encodeURIComponent(ballotId)}/bulletin`)) as { logIndex: number | null; ballots: { token: string; choices: unknown }[] };
    bulletins.push({ ballotId, logIndex: b.logIndex, ballots: b.ballots.map((x) => ({ token: x.token, choices: x.choices })) });
  }
  return { notices, bulletins, receipts };
}

function parseEntryType(base64: string): { type: string; doc: string } | null {
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as { type: string; doc: string };
  } catch {
    return null;
  }
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`verify: ${e.message}\n`);
      process.stderr.write(USAGE + '\n');
      return 2;
    }
    throw e;
  }
  try {
    let assetsOk = true;
    if (args.assets) {
      const r = await checkAssets({ baseUrl: args.url!, logKey: args.logKey, witnessKeys: args.witnessKeys, ...(args.checkout ? { checkout: args.checkout } : {}) });
      process.stdout.write(args.json ? JSON.stringify({ assets: r }, null, 2) + '\n' : formatAssetsReport(r, args.lang));
      assetsOk = r.ok;
      if (!args.cycle) return assetsOk ? 0 : 1;
    }
    const state = readState(args.state);
    const bundle = await loadBundle(args, state);
    let bls: BlsBackend = PURE_BLS;
    if (!args.pureJs) {
      const native = await loadNativeBlst();
      if (native) bls = { name: `${native.name} (native)`, batchVerify: (pk, items) => native.batchVerify(pk, items) };
    }
    const live = args.url ? await readLive(args, bundle) : null;
    const receipts = readReceipts(args.receiptFiles);
    const report = verifyBundle(bundle, {
      logKey: args.logKey,
      witnessKeys: args.witnessKeys,
      state,
      now: new Date(),
      ...(args.asOf ? { asOf: args.asOf } : {}),
      bls,
      live,
      firstRun: args.firstRun,
      ...(args.cosignerKey ? { cosignerKey: args.cosignerKey } : {}),
      ...(receipts.length ? { receipts } : {}),
    });
    if (args.state && report.newState) {
      const tmp = `${args.state}.tmp`;
      writeFileSync(tmp, JSON.stringify(report.newState, null, 2) + '\n');
      renameSync(tmp, args.state);
    }
    process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report, args.lang));
    if (!report.ok || !assetsOk) return 1;
    return report.anchored || (args.firstRun && state === null) ? 0 : 3;
  } catch (e) {
    if (e instanceof RunError || e instanceof BundleFormatError) {
      process.stderr.write(`verify: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`verify: could not run: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 2;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`verify: ${String(e)}\n`);
      process.exit(2);
    },
  );
}
