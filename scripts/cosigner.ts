/**
 * npm run cosigner — the supervisory group's co-signer for secret ballots (src/cosigner/), run on the
 * supervisors' own machine with its own key folder. The bureau's server relays requests to it
 * (COSIGNER_URL); it never sees the co-signer's secrets.
 *
 *   npm run cosigner -- --init DIR [--name NAME]
 *       creates DIR (mode 0700) with cosigner-key.json (mode 0600): a fresh 32-byte BLS master secret,
 *       an Ed25519 identity key (C2SP signed-note signer key) and an approval token — all from this
 *       machine's random generator, nothing from the bureau. Prints the verifier key: give it to the
 *       bureau (COSIGNER_KEY) and pin it in the verifier (--cosigner-key).
 *   npm run cosigner -- --dir DIR --key
 *       prints the verifier key again.
 *   npm run cosigner -- --dir DIR --listen PORT [--host 127.0.0.1]
 *       serves the co-signer (state in DIR/state.json, written atomically before each answer).
 *   npm run cosigner -- --dir DIR --url URL --approve BALLOT --by NAME [--yes]
 *       the supervisor's approval, on the supervisors' device: shows the eligible list (members and
 *       their tablets' key fingerprints) and the keys, then approves exactly that list.
 * @module
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline/promises';
import { randomBytes } from '@noble/hashes/utils.js';
import { serve } from '@hono/node-server';
import { generateSignerKey, newSigner } from '../crypto/note.js';
import { fromHex, toHex } from '../crypto/bytes.js';
import { cosignerApp, type CosignerStore } from '../src/cosigner/app.js';
import type { CosignerState } from '../src/cosigner/core.js';
import { keyFingerprint } from '../src/votes/messages.js';

export interface CosignerKeyFile {
  format: 'hzqa-cosigner-key/v1';
  masterSecret: string;
  signerKey: string;
  verifierKey: string;
  approvalToken: string;
}

const KEY_FILE = 'cosigner-key.json';

export function initKeyFolder(dir: string, name = 'hzqa-cosigner'): CosignerKeyFile {
  if (existsSync(join(dir, KEY_FILE))) throw new Error(`${join(dir, KEY_FILE)} exists: refusing to overwrite a co-signer key`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const k = generateSignerKey(name);
  const file: CosignerKeyFile = { format: 'hzqa-cosigner-key/v1', masterSecret: toHex(randomBytes(32)), signerKey: k.signerKey, verifierKey: k.verifierKey, approvalToken: toHex(randomBytes(24)) };
  writeFileSync(join(dir, KEY_FILE), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  chmodSync(join(dir, KEY_FILE), 0o600);
  return file;
}

export function readKeyFolder(dir: string): CosignerKeyFile {
  const f = JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as CosignerKeyFile;
  if (f.format !== 'hzqa-cosigner-key/v1' || !/^[0-9a-f]{64}$/.test(f.masterSecret)) throw new Error(`${join(dir, KEY_FILE)} is not a co-signer key file`);
  return f;
}

export function fileStore(dir: string): CosignerStore {
  const file = join(dir, 'state.json');
  return {
    async load() {
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CosignerState) : { ballots: {} };
    },
    async save(s) {
      const tmp = `${file}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(s, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}

export function cosignerFromFolder(dir: string) {
  const k = readKeyFolder(dir);
  return cosignerApp({ secrets: { masterSecret: fromHex(k.masterSecret), signer: newSigner(k.signerKey) }, verifierKey: k.verifierKey, approvalToken: k.approvalToken, store: fileStore(dir) });
}

async function approveFromCli(dir: string, url: string, ballotId: string, by: string, yes: boolean): Promise<number> {
  const k = readKeyFolder(dir);
  const base = url.replace(/\/+$/, '');
  const r = await fetch(`${base}/ballots/${encodeURIComponent(ballotId)}`);
  if (!r.ok) throw new Error(`GET ${base}/ballots/${ballotId}: ${r.status} ${await r.text()}`);
  const p = (await r.json()) as { status: string; eligible: { memberId: string; name: string; unit: string; deviceKey: string }[]; listHash: string; aggregatePublicKey: string; bureauPublicKey: string; cosignerPublicKey: string };
  console.log(`投票 ${ballotId} 有资格领取凭证的成员(已签到)/ eligible members (checked in): ${p.eligible.length}`);
  for (const m of p.eligible) console.log(`  ${m.name}  ${m.unit}  ${m.memberId}  平板密钥指纹 ${keyFingerprint(m.deviceKey)}`);
  console.log(`  投票公钥指纹 / ballot key fingerprint: ${keyFingerprint(p.aggregatePublicKey)}`);
  if (p.status !== 'proposed') {
    console.log(`already ${p.status}`);
    return 0;
  }
  if (!yes) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const a = (await rl.question('核对无误并批准?/ approve this list? [y/N] ')).trim().toLowerCase();
    rl.close();
    if (a !== 'y' && a !== 'yes') return 1;
  }
  const res = await fetch(`${base}/ballots/${encodeURIComponent(ballotId)}/approval`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${k.approvalToken}` },
    body: JSON.stringify({ listHash: p.listHash, approvedBy: by }),
  });
  if (!res.ok) throw new Error(`approval refused: ${res.status} ${await res.text()}`);
  console.log('approved');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args.set(a.slice(2), '');
    else {
      args.set(a.slice(2), next);
      i++;
    }
  }
  if (args.has('init')) {
    const dir = args.get('init')!;
    if (!dir) throw new Error('--init needs a folder');
    const k = initKeyFolder(dir, args.get('name') || undefined);
    console.log(`co-signer key folder ${dir}`);
    console.log(`verifier key (public; COSIGNER_KEY, --cosigner-key): ${k.verifierKey}`);
    return 0;
  }
  const dir = args.get('dir');
  if (!dir) throw new Error('missing --dir (or --init)');
  if (args.has('key')) {
    console.log(readKeyFolder(dir).verifierKey);
    return 0;
  }
  if (args.has('approve')) {
    const url = args.get('url');
    if (!url) throw new Error('missing --url of the co-signer');
    return approveFromCli(dir, url, args.get('approve')!, args.get('by') || '监督小组', args.has('yes'));
  }
  if (args.has('listen')) {
    const port = Number(args.get('listen'));
    const hostname = args.get('host') || '127.0.0.1';
    const k = readKeyFolder(dir);
    serve({ fetch: cosignerFromFolder(dir).fetch, port, hostname }, (info) => {
      console.log(`co-signer listening on http://${hostname}:${info.port}`);
      console.log(`co-signer key ${k.verifierKey}`);
    });
    return new Promise<number>(() => {});
  }
  throw new Error('nothing to do: --init, --key, --listen or --approve');
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
