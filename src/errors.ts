// RFC 9457 problem details. Every error leaves the app as application/problem+json with a stable
// `type` (a path under /problems/), an HTTP status, and its title and detail in Chinese and English.
import type { Context } from 'hono';
import { InvalidDateError } from './calendar/dates.js';
import { CalendarYearUnknownError } from './calendar/workdays.js';
import { NoticeTextError } from './calendar/notice-text.js';

export interface ProblemBody {
  type: string;
  status: number;
  title: string;
  title_zh: string;
  detail: string;
  detail_zh: string;
  instance?: string;
  [extension: string]: unknown;
}

/** The catalogue of problem types: one entry per stable slug. */
export const PROBLEM_TYPES = {
  'not-found': { status: 404, title: 'Not found', title_zh: '未找到' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', title_zh: '不允许的请求方法' },
  'malformed-json': { status: 400, title: 'Malformed JSON', title_zh: 'JSON 格式错误' },
  'invalid-request': { status: 400, title: 'Invalid request', title_zh: '请求参数无效' },
  'payload-too-large': { status: 413, title: 'Payload too large', title_zh: '请求体过大' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', title_zh: '不支持的内容类型' },
  unauthorized: { status: 401, title: 'Authentication required', title_zh: '需要身份认证' },
  forbidden: { status: 403, title: 'Forbidden', title_zh: '无权访问' },
  conflict: { status: 409, title: 'Conflict', title_zh: '状态冲突' },
  'too-many-requests': { status: 429, title: 'Too many requests', title_zh: '请求过于频繁' },
  'calendar-year-unknown': { status: 422, title: 'No official calendar for that year', title_zh: '该年度尚无官方放假安排' },
  'unprocessable': { status: 422, title: 'Request cannot be processed', title_zh: '请求无法处理' },
  'objection-window-closed': { status: 409, title: 'The objection window is not open', title_zh: '不在异议受理期内' },
  'notice-not-objectable': { status: 409, title: 'This notice takes no objections', title_zh: '该公告不受理异议' },
  'service-unavailable': { status: 503, title: 'Service unavailable', title_zh: '服务暂不可用' },
  internal: { status: 500, title: 'Internal server error', title_zh: '服务器内部错误' },
} as const satisfies Record<string, { status: number; title: string; title_zh: string }>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

/** The challenge of every 401: a bearer token (account token or member session). */
export const AUTH_CHALLENGE = 'Bearer realm="hz-quality-award"';

export const problemTypeUri = (slug: string): string => `/problems/${slug}`;

/** Thrown anywhere in a handler; turned into problem+json by the app's error handler. */
export class Problem extends Error {
  readonly slug: string;
  readonly status: number;
  readonly title: string;
  readonly titleZh: string;
  readonly detailZh: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    slug: ProblemSlug | { slug: string; status: number; title: string; title_zh: string },
    detail: { en: string; zh: string },
    options: { status?: number; extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail.en);
    const def = typeof slug === 'string' ? { slug, ...PROBLEM_TYPES[slug] } : slug;
    this.name = 'Problem';
    this.slug = def.slug;
    this.status = options.status ?? def.status;
    this.title = def.title;
    this.titleZh = def.title_zh;
    this.detailZh = detail.zh;
    this.extensions = options.extensions ?? {};
    // A 401 says how to authenticate (RFC 9110 §11.6.1), wherever it is thrown.
    this.headers = this.status === 401 ? { 'WWW-Authenticate': AUTH_CHALLENGE, ...options.headers } : (options.headers ?? {});
  }

  body(instance?: string): ProblemBody {
    return {
      type: problemTypeUri(this.slug),
      status: this.status,
      title: this.title,
      title_zh: this.titleZh,
      detail: this.message,
      detail_zh: this.detailZh,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

/** A problem of one kind, with its detail in English and Chinese and any extension members. */
export function problem(slug: ProblemSlug, en: string, zh: string, extensions?: Record<string, unknown>): Problem {
  return new Problem(slug, { en, zh }, extensions ? { extensions } : {});
}

export function problemResponse(c: Context, problem: Problem): Response {
  const res = c.body(JSON.stringify(problem.body(new URL(c.req.url).pathname)), problem.status as 400, {
    'Content-Type': 'application/problem+json; charset=utf-8',
    ...problem.headers,
  });
  return res;
}

/** A zod error as a list of { path, message } for the problem's `errors` extension. */
export function zodIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function invalid(en: string, zh: string, extensions?: Record<string, unknown>): Problem {
  return problem('invalid-request', en, zh, extensions);
}

/** An invalid request naming the one field at fault, in the `errors` extension as zodIssues gives it. */
export function invalidField(path: string, en: string, zh: string): Problem {
  return problem('invalid-request', en, zh, { errors: [{ path, message: en }] });
}

/**
 * What the client sees for an error: a Problem as it is; the calendar's own errors (pure code, which
 * knows nothing of HTTP) as their problems; anything else null (the app answers 500).
 */
export function toProblem(err: unknown): Problem | null {
  if (err instanceof Problem) return err;
  if (err instanceof InvalidDateError) return invalid(err.message, err.zh, { value: err.input });
  if (err instanceof NoticeTextError) return invalid(err.message, err.zh, err.line === undefined ? undefined : { line: err.line });
  if (err instanceof CalendarYearUnknownError) {
    return new Problem('calendar-year-unknown', { en: err.message, zh: err.zh }, {
      extensions: { year: err.year, coveredYears: err.coveredYears, provisionalAvailable: err.provisionalAvailable },
    });
  }
  return null;
}
