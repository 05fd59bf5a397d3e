// Inside workerd: the Worker entry serves the same app and reaches PostgreSQL through Hyperdrive.
import { SELF, env, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker, { type WorkerEnv } from '../../src/worker.js';
import { describe, expect, it, vi } from 'vitest';

describe('Worker entry (workerd)', () => {
  it('GET /healthz reaches PostgreSQL through the Hyperdrive binding', async () => {
    const res = await SELF.fetch('http://example.com/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'postgres' });
  });

  it('serves the same routes and problem+json errors as on Node', async () => {
    const missing = await SELF.fetch('http://example.com/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const spec = (await (await SELF.fetch('http://example.com/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toContain('/api/v1/cycles');
    const cycles = await SELF.fetch('http://example.com/api/v1/cycles');
    expect(cycles.status).toBe(200);
    const denied = await SELF.fetch('http://example.com/api/v1/cycles', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(denied.status).toBe(401);
  });

  it('the cron trigger runs the scheduled jobs against PostgreSQL', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const ctx = createExecutionContext();
    await worker.scheduled({ cron: '*/15 * * * *', scheduledTime: Date.now() }, env as unknown as WorkerEnv, ctx);
    await waitOnExecutionContext(ctx);
    spy.mockRestore();
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; report?: Record<string, unknown> }).find((l) => l.msg === 'scheduled jobs');
    // The jobs ran (the deadline job reported) rather than failing on the database.
    expect(logged?.report).toMatchObject({ 'objections-deadlines': expect.not.objectContaining({ error: expect.anything() }) });
  });

  it('logs the deployed asset manifest before serving a page, and the page loads its script by that manifest', async () => {
    // What this deployment serves from its static assets (wrangler.toml [assets]).
    const served = (await (await (env as unknown as WorkerEnv).ASSETS.fetch(new Request('http://example.com/assets/manifest.json'))).json()) as { files: { path: string; sha256: string }[] };
    const page = await (await SELF.fetch('http://example.com/tablet')).text();
    const index = Number(/<meta name="asset-manifest" content="(\d+)"/.exec(page)?.[1]);
    expect(Number.isSafeInteger(index)).toBe(true);
    const hash = /<meta name="asset-manifest" content="\d+" data-hash="([0-9a-f]{64})"/.exec(page)![1]!;
    const logged = await SELF.fetch(`http://example.com/api/v1/log/documents/${hash}`);
    expect(logged.status).toBe(200);
    expect(((await logged.json()) as { document: unknown }).document).toEqual(served);
    const tablet = served.files.find((f) => f.path === '/assets/web/tablet.js')!;
    const sri = `sha256-${btoa(String.fromCharCode(...tablet.sha256.match(/../g)!.map((h) => parseInt(h, 16))))}`;
    expect(page).toContain(`<script type="module" src="/assets/web/tablet.js" integrity="${sri}">`);
  });
});
