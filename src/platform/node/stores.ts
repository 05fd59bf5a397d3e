// What the Node server keeps on disk: evidence files, demo keys, and the build's asset manifest.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../config.js';
import { jsonLogger, type Keys, type ObjectStore } from '../../deps.js';
import { generateSignerKey } from '../../../crypto/note.js';
import { fromHex } from '../../../crypto/bytes.js';
import { MANIFEST_PATH, type AssetManifest } from '../../assets/manifest.js';
import { AssetManifestDocument as assetManifestSchema } from '../../log/documents/index.js';

/** Evidence files in a folder, content-addressed: the key is the SHA-256 of the content. */
export class FolderObjectStore implements ObjectStore {
  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }
  private file(key: string) {
    if (!/^[A-Za-z0-9._-]+$/.test(key)) throw new Error('object key: letters, digits, . _ - only');
    return path.join(this.dir, key);
  }
  async put(key: string, data: Uint8Array, contentType: string) {
    const tmp = this.file(key) + `.${process.pid}.tmp`;
    await fsp.writeFile(tmp, data);
    await fsp.writeFile(this.file(key) + '.type', contentType);
    await fsp.rename(tmp, this.file(key));
  }
  async get(key: string) {
    try {
      const data = new Uint8Array(await fsp.readFile(this.file(key)));
      const contentType = await fsp.readFile(this.file(key) + '.type', 'utf8').catch(() => 'application/octet-stream');
      return { data, contentType };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
  async has(key: string) {
    return fs.existsSync(this.file(key));
  }
  async delete(key: string) {
    await fsp.rm(this.file(key), { force: true });
    await fsp.rm(this.file(key) + '.type', { force: true });
  }
  async list() {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => !n.endsWith('.type') && !n.endsWith('.tmp')).sort();
  }
}

/**
 * Keys from config; for a demo without them, generated once and kept in DATA_DIR/secrets.json (0600).
 * Production sets LOG_SIGNER_KEY, BALLOT_MASTER_SECRET and CONTACT_KEY.
 */
export function loadKeys(config: AppConfig, logger = jsonLogger): Keys {
  let stored: Partial<Record<'LOG_SIGNER_KEY' | 'BALLOT_MASTER_SECRET' | 'CONTACT_KEY', string>> = {};
  const file = path.join(config.DATA_DIR, 'secrets.json');
  const missing = !config.LOG_SIGNER_KEY || !config.BALLOT_MASTER_SECRET || !config.CONTACT_KEY;
  if (missing) {
    if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    let changed = false;
    if (!stored.LOG_SIGNER_KEY) {
      stored.LOG_SIGNER_KEY = generateSignerKey(config.LOG_ORIGIN).signerKey;
      changed = true;
    }
    for (const k of ['BALLOT_MASTER_SECRET', 'CONTACT_KEY'] as const) {
      if (!stored[k]) {
        stored[k] = randomBytes(32).toString('hex');
        changed = true;
      }
    }
    if (changed) {
      fs.mkdirSync(config.DATA_DIR, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
      logger.log('warn', 'generated demo secrets; set LOG_SIGNER_KEY, BALLOT_MASTER_SECRET, CONTACT_KEY in production', { file });
    }
  }
  return {
    logSignerKey: config.LOG_SIGNER_KEY ?? stored.LOG_SIGNER_KEY!,
    ballotMasterSecret: fromHex((config.BALLOT_MASTER_SECRET ?? stored.BALLOT_MASTER_SECRET!).toLowerCase()),
    contactKey: fromHex((config.CONTACT_KEY ?? stored.CONTACT_KEY!).toLowerCase()).slice(0, 32),
  };
}

/**
 * The build's manifest from `<publicDir>/assets/manifest.json` (written by scripts/build-assets.ts,
 * which `npm start` runs first). The server refuses to start without it: pages name their scripts
 * by the logged manifest only.
 */
export function readAssetManifest(publicDir: string): AssetManifest {
  const file = path.join(publicDir, ...MANIFEST_PATH.split('/').slice(1));
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`no asset manifest at ${file}: build the assets first (npm run build:assets)`);
  }
  const r = assetManifestSchema.safeParse(JSON.parse(text));
  if (!r.success) throw new Error(`${file} is not an asset manifest: ${r.error.message}`);
  return r.data;
}
