// `npm run admin`: creates accounts whose tokens work against the server, stored only as hashes.
import { afterAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startNodeServer } from '../../src/platform/node/server.js';
import { parseConfig } from '../../src/config.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-admin-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const admin = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    env: { ...process.env, DATA_DIR: tmp, DATABASE_URL: '' },
    encoding: 'utf8',
  });

describe('npm run admin', () => {
  it('creates staff and supervisor accounts whose tokens authenticate; revoked tokens stop working', async () => {
    const staff = JSON.parse(admin('create-account', '--role', 'staff', '--name', '王工')) as { token: string };
    const supervisor = JSON.parse(admin('create-account', '--role', 'supervisor', '--name', '李工')) as { token: string };
    expect(staff.token).toMatch(/^hzqa_a_/);
    expect(() => admin('create-account', '--role', 'root', '--name', 'x')).toThrow();
    const server = await startNodeServer(parseConfig({ DATA_DIR: tmp }), { port: 0, quiet: true });
    try {
      const post = (token: string, id: string) =>
        fetch(server.url + '/api/v1/cycles', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ id, name: id }) });
      expect((await post(staff.token, 'c1')).status).toBe(201);
      expect((await post(supervisor.token, 'c2')).status).toBe(403);
      const hashes = await server.deps.db.selectFrom('account_token').select('token_hash').execute();
      expect(JSON.stringify(hashes)).not.toContain(staff.token);
    } finally {
      await server.close();
    }
    expect(JSON.parse(admin('revoke-token', '--token', staff.token))).toEqual({ revoked: true });
    const again = await startNodeServer(parseConfig({ DATA_DIR: tmp }), { port: 0, quiet: true });
    try {
      const res = await fetch(again.url + '/api/v1/cycles', { method: 'POST', headers: { authorization: `Bearer ${staff.token}`, 'content-type': 'application/json' }, body: '{"id":"c3","name":"c3"}' });
      expect(res.status).toBe(401);
    } finally {
      await again.close();
    }
  });

  it('has --help, and works while the server holds the embedded database (through the server)', async () => {
    const help = admin('--help');
    expect(help).toContain('create-account --role staff|supervisor');
    expect(help).toContain('disable-account');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-admin-live-'));
    const server = await startNodeServer(parseConfig({ DATA_DIR: dir }), { port: 0, quiet: true });
    // Run without blocking this process: the server answering the command lives here.
    const live = async (...args: string[]) =>
      (await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' }, encoding: 'utf8' })).stdout;
    try {
      expect(server.setupUrl).toBeDefined();
      const created = JSON.parse(await live('create-account', '--role', 'staff', '--name', '王工')) as { account: { id: number }; token: string };
      expect(created.token).toMatch(/^hzqa_a_/);
      const res = await fetch(server.url + '/api/v1/cycles', { method: 'POST', headers: { authorization: `Bearer ${created.token}`, 'content-type': 'application/json' }, body: '{"id":"c1","name":"c1"}' });
      expect(res.status).toBe(201);
      const listed = JSON.parse(await live('list')) as { name: string; tokens: unknown[] }[];
      expect(listed.map((a) => a.name)).toEqual(['王工']);
      expect(JSON.parse(await live('revoke-token', '--token', created.token))).toEqual({ revoked: true });
      const after = await fetch(server.url + '/api/v1/objections', { headers: { authorization: `Bearer ${created.token}` } });
      expect(after.status).toBe(401);
    } finally {
      await server.close();
      // The server gone, its key file is gone too.
      const left = fs.existsSync(path.join(dir, 'admin.json'));
      fs.rmSync(dir, { recursive: true, force: true });
      expect(left).toBe(false);
    }
  }, 120_000);
});
