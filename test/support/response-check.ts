// Every JSON answer an in-memory test receives is parsed with the response schema its route declares
// for that status (the schemas the API document shows and the pages import as types), so a route
// that answers other than it declares fails the test that called it.
import type { z } from 'zod';

interface Declared {
  method: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, { content?: Record<string, { schema?: z.ZodType }> }>;
}

interface RegistryApp {
  openAPIRegistry: { definitions: { type: string; route?: { method: string; path: string; responses?: Declared['responses'] } }[] };
}

function declaredRoutes(app: unknown): Declared[] {
  const out: Declared[] = [];
  for (const d of (app as RegistryApp).openAPIRegistry.definitions) {
    if (d.type !== 'route' || !d.route?.responses) continue;
    const source = d.route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    out.push({ method: d.route.method.toUpperCase(), pattern: new RegExp(`^${source}$`), params: (d.route.path.match(/\{/g) ?? []).length, responses: d.route.responses });
  }
  return out;
}

export class ResponseSchemaError extends Error {
  override readonly name = 'ResponseSchemaError';
}

/** A checker for the app's routes: throws when a JSON answer does not parse under its declared schema. */
export function responseChecker(app: unknown) {
  let routes: Declared[] | null = null;
  return async (method: string, path: string, res: Response): Promise<void> => {
    if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) return;
    routes ??= declaredRoutes(app);
    const pathname = new URL(path, 'http://test').pathname;
    // A literal path wins over a parameter that would match it too (the router's own order).
    const route = routes.filter((r) => r.method === method.toUpperCase() && r.pattern.test(pathname)).sort((a, b) => a.params - b.params)[0];
    const schema = route?.responses[String(res.status)]?.content?.['application/json']?.schema;
    if (!schema) return;
    const parsed = schema.safeParse(await res.clone().json());
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw new ResponseSchemaError(`${method.toUpperCase()} ${pathname} answered ${res.status} outside its declared schema: ${issues}`);
    }
  };
}
