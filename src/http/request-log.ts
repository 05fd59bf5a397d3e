// The one request log line: method, path, status and duration only — no query string, body,
// address or user agent. Casts are never logged at all (src/app.ts decides).
import type { Logger } from '../deps.js';
import { rawPath } from './raw-path.js';

export function logRequest(logger: Logger, requestId: string, method: string, url: string, status: number, started: number): void {
  logger.log('info', 'request', { requestId, method, path: rawPath(url), status, ms: Date.now() - started });
}
