// GET /problems/{slug}: what each problem `type` means, so a type URI is dereferenceable.
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { Problem, PROBLEM_TYPES } from '../errors.js';

export const problemRoutes = new Hono<AppEnv>().get('/problems/:slug', (c) => {
  const slug = c.req.param('slug');
  const def = (PROBLEM_TYPES as Record<string, { status: number; title: string; title_zh: string }>)[slug];
  if (!def) throw new Problem('not-found', { en: `No problem type "${slug}".`, zh: `没有名为“${slug}”的问题类型。` });
  return c.json({ type: `/problems/${slug}`, status: def.status, title: def.title, title_zh: def.title_zh });
});
