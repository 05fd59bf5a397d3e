// Text that may enter the service: one zod refinement for every string a client sends — JSON values
// and keys, query parameters, path segments, form fields. Refused, with a 400 problem naming the field:
//   - NUL and the other C0 controls except tab, LF and CR; DEL and the C1 controls (U+007F–U+009F):
//     PostgreSQL refuses NUL in text, and controls have no place in names, codes or ids;
//   - lone surrogates (a UTF-16 half without its pair): not encodable as UTF-8, so refused by the
//     database and by every hash that encodes text;
//   - bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): they make a
//     text display differently from what it is ("Trojan Source").
import * as z from 'zod';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.js';
import { Problem } from '../errors.js';

// eslint-disable-next-line no-control-regex
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Why this string is refused, or null. */
export function unsafeText(s: string): { en: string; zh: string } | null {
  const bad = FORBIDDEN.exec(s);
  if (bad) {
    const code = `U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return /[\u202a-\u202e\u2066-\u2069]/.test(bad[0])
      ? { en: `contains the bidirectional control ${code}`, zh: `含有双向文本控制字符 ${code}` }
      : { en: `contains the control character ${code}`, zh: `含有控制字符 ${code}` };
  }
  if (LONE_SURROGATE.test(s)) return { en: 'contains a lone surrogate (not valid Unicode text)', zh: '含有孤立代理项（不是有效的 Unicode 文本）' };
  return null;
}

/** The shared refinement: a string without NUL, controls, lone surrogates or bidi controls. */
export const SafeText = z.string().superRefine((s, ctx) => {
  const why = unsafeText(s);
  if (why) ctx.addIssue({ code: 'custom', message: why.en, params: { zh: why.zh } });
});

export function unsafeField(field: string, value: string): Problem | null {
  const r = SafeText.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  const zh = (issue as { params?: { zh?: string } }).params?.zh ?? issue.message;
  return new Problem('invalid-request', { en: `${field}: ${issue.message}.`, zh: `${field}:${zh}。` }, { extensions: { field } });
}

/** Every string in a JSON value, keys too, with its path (body.a.b[2]). */
function* stringsOf(value: unknown, at: string, depth = 0): Generator<[string, string]> {
  if (depth > 64) return;
  if (typeof value === 'string') yield [at, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* stringsOf(v, `${at}[${i}]`, depth + 1);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield [`${at} (a key)`, k];
      yield* stringsOf(v, `${at}.${k}`, depth + 1);
    }
  }
}

function firstUnsafe(entries: Iterable<[string, string]>): Problem | null {
  for (const [field, value] of entries) {
    const p = unsafeField(field, value);
    if (p) return p;
  }
  return null;
}

function* requestStrings(url: URL): Generator<[string, string]> {
  for (const [i, segment] of url.pathname.split('/').entries()) {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      /* a malformed escape is the router's business (404) */
    }
    yield [`path segment ${i}`, decoded];
  }
  for (const [k, v] of url.searchParams) {
    yield ['query (a name)', k];
    yield [`query.${k}`, v];
  }
}

/**
 * Applies SafeText to the path, the query and a JSON body of every request, before any route sees
 * them. (Multipart form fields are checked by the objection form's own schema, which uses SafeText.)
 */
export const refuseUnsafeText: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  let problem = firstUnsafe(requestStrings(url));
  if (!problem && c.req.method !== 'GET' && c.req.method !== 'HEAD' && /^application\/(.+\+)?json/i.test(c.req.header('content-type') ?? '')) {
    let body: unknown;
    try {
      // A clone: routes that read the raw body themselves (the multipart objection form) still can.
      body = await c.req.raw.clone().json();
    } catch {
      body = undefined; // malformed JSON: the route's validator answers it
    }
    if (body !== undefined) problem = firstUnsafe(stringsOf(body, 'body'));
  }
  if (problem) throw problem;
  await next();
};
