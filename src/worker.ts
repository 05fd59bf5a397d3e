// Cloudflare Workers entry point. Cloudflare counts the evaluation of a script's top level as its
// startup (at every cold start, and limited), so nothing is built there: the app with its routes and
// schemas, the database driver and the migrations (src/platform/worker/handler.ts) are imported on
// the isolate's first event. The bundler keeps them in the one script, evaluated only then.
import type { ExecutionContext } from 'hono';
import type { WorkerEnv } from './platform/worker/handler.js';

export type { WorkerEnv };

type Handler = (typeof import('./platform/worker/handler.js'))['handler'];
let loaded: Handler | undefined;

async function handler(): Promise<Handler> {
  // Module evaluation involves no I/O, so its result may be kept for the isolate's later requests.
  return (loaded ??= (await import('./platform/worker/handler.js')).handler);
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    return (await handler()).fetch(request, env, ctx);
  },
  async scheduled(controller: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    return (await handler()).scheduled(controller, env, ctx);
  },
};
