import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataDirLockedError, lockDataDir } from '../../src/platform/node/pglite.js';
import { startNodeServer, type NodeServer } from '../../src/platform/node/server.js';
import { parseConfig } from '../../src/config.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-node-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * Whether, within 2 s, this process's RSS has grown by less than `rssGrowth` bytes since `rss0` and its
 * ArrayBuffers hold less than `buffers` bytes (memory freed by a collection is unmapped off the main thread).
 */
async function settlesBelow(rss0: number, rssGrowth: number, buffers: number) {
  let m = process.memoryUsage();
  for (let i = 0; i < 20 && !(m.rss - rss0 < rssGrowth && m.arrayBuffers < buffers); i++) {
    await new Promise((r) => setTimeout(r, 100));
    m = process.memoryUsage();
  }
  if (m.rss - rss0 < rssGrowth && m.arrayBuffers < buffers) return true;
  console.log(`RSS grew by ${(m.rss - rss0) >> 20} MB; ArrayBuffers ${m.arrayBuffers >> 20} MB`);
  return false;
}

describe('Node entry', () => {
  it('refuses a PGlite folder that another live process holds, and takes over a stale lock', () => {
    const dir = path.join(tmp, 'locked');
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
    // A lock left by a process that is gone (pid far above pid_max) is stale.
    fs.writeFileSync(dir + '.lock', '4194999');
    const again = lockDataDir(dir);
    expect(fs.readFileSync(dir + '.lock', 'utf8')).toBe(String(process.pid));
    again();
    expect(fs.existsSync(dir + '.lock')).toBe(false);
  });

  it('serves /healthz over HTTP on an embedded PGlite in DATA_DIR, keeps its data, and serves its own assets', async () => {
    const config = parseConfig({ DATA_DIR: path.join(tmp, 'data'), PORT: '0' });
    const rss0 = process.memoryUsage().rss;
    let server: NodeServer = await startNodeServer(config, { port: 0, quiet: true });
    try {
      // A first start runs initdb in a second PGlite instance, whose WebAssembly memory and in-memory
      // files (ArrayBuffers) are freed at start: measured here ≈ 240 MB of growth and 8 MB of buffers,
      // against ≈ 600 MB and 224 MB while that instance waited for a full collection.
      expect(await settlesBelow(rss0, 400 * 2 ** 20, 64 * 2 ** 20)).toBe(true);
      const res = await fetch(server.url + '/healthz');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', db: 'pglite' });
      // A second server on the same folder is refused while the first runs.
      await expect(startNodeServer(config, { port: 0, quiet: true })).rejects.toThrow(DataDirLockedError);
      const asset = await fetch(server.url + '/assets/scalar/standalone.js');
      expect(asset.status).toBe(200);
      expect((await asset.text()).length).toBeGreaterThan(100_000);
      const missing = await fetch(server.url + '/assets/none.js');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
    } finally {
      await server.close();
    }
    // Restart on the same folder: migrations already there, demo secrets reused.
    const secrets = fs.readFileSync(path.join(config.DATA_DIR, 'secrets.json'), 'utf8');
    server = await startNodeServer(config, { port: 0, quiet: true });
    try {
      expect((await fetch(server.url + '/healthz')).status).toBe(200);
      expect(fs.readFileSync(path.join(config.DATA_DIR, 'secrets.json'), 'utf8')).toBe(secrets);
      expect(fs.statSync(path.join(config.DATA_DIR, 'secrets.json')).mode & 0o077).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses bad configuration with a message naming the key', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ BALLOT_MASTER_SECRET: 'abcd' })).toThrow(/BALLOT_MASTER_SECRET/);
  });
});
