/**
 * The supervisory group's witness for the public log (C2SP tlog-witness, cosignature/v1 per C2SP
 * tlog-cosignature). The checks are src/log/witness.ts (handleAddCheckpoint, pure); this file adds
 * the state file, HTTP and the command line.
 *
 *   npm run witness -- --generate-key NAME
 *       prints a new witness signer key (keep secret) and its verifier key (give it to the log
 *       operator for WITNESS_KEYS), type 0x04 cosignature/v1.
 *   npm run witness -- --url <log base URL> --key <signer key text | @file> --log-key <log verifier
 *       key text | @file> --state <file> [--prefix /log] [--interval <seconds>]
 *       pull mode: fetches the log's latest checkpoint (GET /api/v1/log/checkpoints?limit=1) and a
 *       consistency proof from the size in the state file (GET /api/v1/log/consistency), runs the
 *       add-checkpoint checks locally, saves the new state (atomically, before anything else), then
 *       POSTs the checkpoint with the cosignature line to <url><prefix>/cosignatures. A refused
 *       checkpoint (forked or shrunk log) is kept next to the state file as evidence. Once, or every
 *       --interval seconds.
 *       --assets [--checkout DIR]: before cosigning, checks the code the log's server hands to
 *       browsers (tools/assets-check.ts): the asset manifest its pages declare is in the log, every
 *       page loads only its files with its integrity values, every served file is byte-identical
 *       (and, with a checkout of the logged commit, so is a rebuild). On any difference the witness
 *       does not cosign, prints each file that differs and exits 1.
 *   npm run witness -- --listen <port> --key … --log-key … --state <file>
 *       push mode: serves POST /add-checkpoint (tlog-witness) for a log that pushes; one request at
 *       a time, state saved before answering.
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { SIG_COSIGNATURE_V1, generateSignerKey, newCosigner, newVerifier, parseCheckpoint } from '../crypto/note.js';
import { fromBase64 } from '../crypto/bytes.js';
import { formatAddCheckpoint, handleAddCheckpoint, type WitnessState } from '../src/log/witness.js';
import { checkAssets, formatAssetsReport, type AssetsReport } from '../tools/assets-check.js';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface WitnessConfig {
  /** Witness signer key text (type 0x04). */
  witnessKey: string;
  /** Log verifier key text (type 0x01). */
  logKey: string;
  stateFile: string;
}

export function loadState(file: string): WitnessState | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as WitnessState;
}

/** Writes the state atomically (temporary file, then rename). */
export function saveState(file: string, state: WitnessState): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, file);
}

function options(cfg: WitnessConfig) {
  return { logVerifier: newVerifier(cfg.logKey), cosigner: newCosigner(cfg.witnessKey) };
}

/** One pull: fetch, check, persist, cosign, post. */
export async function pullOnce(
  cfg: WitnessConfig & { baseUrl: string; prefix?: string; fetch?: Fetch; assets?: { checkout?: string } },
): Promise<{ status: number; size?: number; message: string; assets?: AssetsReport }> {
  const f: Fetch = cfg.fetch ?? ((u, i) => fetch(u, i));
  const base = cfg.baseUrl.replace(/\/+$/, '');
  const prefix = cfg.prefix ?? '/log';
  const opts = options(cfg);
  const list = await f(`${base}/api/v1/log/checkpoints?limit=1`);
  if (!list.ok) return { status: list.status, message: `GET checkpoints: ${list.status} ${await list.text()}` };
  const latest = ((await list.json()) as { checkpoints: { note: string }[] }).checkpoints[0];
  if (!latest) return { status: 404, message: 'the log has no checkpoint yet' };
  // Our own earlier cosignature lines are dropped: the answer carries a fresh one.
  const note = latest.note
    .split('\n')
    .filter((l) => !l.startsWith(`— ${opts.cosigner.name} `))
    .join('\n');
  const split = note.lastIndexOf('\n\n');
  const size = parseCheckpoint(note.slice(0, split + 1)).size;
  const state = loadState(cfg.stateFile);
  const old = state && state.origin === opts.logVerifier.name ? state.size : 0;
  let proof: Uint8Array[] = [];
  if (old > 0 && old < size) {
    const res = await f(`${base}/api/v1/log/consistency?from=${old}&to=${size}`);
    if (!res.ok) return { status: res.status, message: `GET consistency: ${res.status} ${await res.text()}` };
    proof = ((await res.json()) as { proof: string[] }).proof.map(fromBase64);
  }
  // The served code must be the logged build before this witness vouches for anything.
  let assets: AssetsReport | undefined;
  if (cfg.assets) {
    assets = await checkAssets({ baseUrl: base, logKey: cfg.logKey, fetch: f, ...(cfg.assets.checkout ? { checkout: cfg.assets.checkout } : {}) });
    if (!assets.ok) {
      const files = [...new Set(assets.findings.map((x) => x.file ?? 'manifest'))].join(', ');
      return { status: 409, size, message: `not cosigned: the served code differs from the logged build: ${files}\n${formatAssetsReport(assets, 'en')}`, assets };
    }
  }
  const request = formatAddCheckpoint(old, proof, note);
  const r = handleAddCheckpoint(state, request, opts);
  if (r.status !== 200 || !r.newState) {
    if (r.status === 422) writeFileSync(`${cfg.stateFile}.refused-${Date.now()}.txt`, request);
    return { status: r.status, size, message: `refused: ${r.status} ${r.body.trim()}` };
  }
  saveState(cfg.stateFile, r.newState);
  const post = await f(`${base}${prefix}/cosignatures`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: note + r.body });
  if (!post.ok) return { status: post.status, size, message: `cosigned size ${size}, but the log refused it: ${post.status} ${await post.text()}` };
  return { status: 200, size, message: `cosigned size ${size}${assets ? ` (served code: logged build #${assets.manifest!.index}, ${assets.manifest!.fingerprint})` : ''}`, ...(assets ? { assets } : {}) };
}

/** Push mode: POST /add-checkpoint, one exchange at a time. */
export function witnessServer(cfg: WitnessConfig) {
  const opts = options(cfg);
  let queue: Promise<unknown> = Promise.resolve();
  const app = new Hono();
  app.post('/add-checkpoint', async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.length > 1 << 16) return c.text('request too large\n', 400);
    const run = queue.then(() => {
      const r = handleAddCheckpoint(loadState(cfg.stateFile), body, opts);
      if (r.newState) saveState(cfg.stateFile, r.newState);
      return r;
    });
    queue = run.catch(() => undefined);
    const r = await run;
    return c.body(r.body, r.status, { 'Content-Type': r.contentType });
  });
  return app;
}

function keyArg(v: string | undefined, what: string): string {
  if (!v) throw new Error(`missing ${what}`);
  return (v.startsWith('@') ? readFileSync(v.slice(1), 'utf8') : v).trim();
}

async function main(argv: string[]): Promise<number> {
  const args = new Map<string, string>();
  const FLAGS = new Set(['assets']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    if (FLAGS.has(a.slice(2))) {
      args.set(a.slice(2), '');
      continue;
    }
    args.set(a.slice(2), argv[i + 1] ?? '');
    i++;
  }
  if (args.has('generate-key')) {
    const k = generateSignerKey(args.get('generate-key')!, { type: SIG_COSIGNATURE_V1 });
    console.log(`signer key (secret):  ${k.signerKey}`);
    console.log(`verifier key (public): ${k.verifierKey}`);
    return 0;
  }
  const cfg: WitnessConfig = {
    witnessKey: keyArg(args.get('key'), '--key'),
    logKey: keyArg(args.get('log-key'), '--log-key'),
    stateFile: args.get('state') || (() => { throw new Error('missing --state'); })(),
  };
  if (args.has('listen')) {
    const port = Number(args.get('listen'));
    serve({ fetch: witnessServer(cfg).fetch, port }, () => console.log(`witness listening on :${port} (POST /add-checkpoint)`));
    return new Promise<number>(() => {});
  }
  const url = args.get('url');
  if (!url) throw new Error('missing --url (or --listen)');
  const interval = Number(args.get('interval') ?? 0);
  for (;;) {
    const assets = args.has('assets') ? { ...(args.get('checkout') ? { checkout: args.get('checkout')! } : {}) } : undefined;
    if (args.has('checkout') && !assets) throw new Error('--checkout goes with --assets');
    const r = await pullOnce({ ...cfg, baseUrl: url, prefix: args.get('prefix') || '/log', ...(assets ? { assets } : {}) });
    const { assets: report, ...line } = r;
    console.log(JSON.stringify({ time: new Date().toISOString(), ...line, ...(report ? { assetFindings: report.findings.map((x) => x.en) } : {}) }));
    if (!interval) return r.status === 200 ? 0 : 1;
    await new Promise((res) => setTimeout(res, interval * 1000));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(2);
    },
  );
}
