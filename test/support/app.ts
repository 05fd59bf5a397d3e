// Drives the app in memory with app.request(), on a test database, with a fixed clock when asked
// (tools/harness/memory-app.ts); every JSON answer is checked against its route's declared schema.
import type { AppConfig } from '../../src/config.js';
import { memoryApp, type MemoryApp } from '../../tools/harness/memory-app.js';
import type { TestDb } from './db.js';
import { responseChecker } from './response-check.js';

export { MemoryLogger, MutableClock } from '../../tools/harness/memory-app.js';
export type TestApp = MemoryApp;

export function testApp(t: TestDb, overrides: { config?: Partial<AppConfig>; now?: string } = {}): TestApp {
  const h = memoryApp(t, overrides);
  const checkResponse = responseChecker(h.app);
  const request = h.request;
  h.request = async (path, init) => {
    const res = await request(path, init);
    await checkResponse(init?.method ?? 'GET', path, res);
    return res;
  };
  return h;
}
