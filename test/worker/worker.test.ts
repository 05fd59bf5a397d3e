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
});
