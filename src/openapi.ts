// Sub-apps are OpenAPIHono instances built here, so that every route is declared with zod schemas and
// a validation failure is always the same problem+json.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './deps.js';
import { Problem, zodIssues } from './errors.js';

export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new Problem(
          'invalid-request',
          {
            en: 'The request is invalid: ' + result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
            zh: '请求参数无效：' + result.error.issues.map((i) => `${i.path.join('.') || '（请求体）'}：${i.message}`).join('；'),
          },
          { extensions: { errors: zodIssues(result.error.issues) } },
        );
      }
    },
  });
}

/** The problem+json response, for route declarations. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    status: z.number().int(),
    title: z.string(),
    title_zh: z.string(),
    detail: z.string(),
    detail_zh: z.string(),
    instance: z.string().optional(),
  })
  .passthrough()
  .openapi('Problem');

export const problemContent = { 'application/problem+json': { schema: ProblemSchema } } as const;

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: 'Problem (RFC 9457)', content: problemContent }]));

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

/** A JSON response. */
export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
