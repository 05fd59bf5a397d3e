// The one check of an RFC 9457 problem answer: status, media type, the problem's slug, and titles and
// details in English and Chinese.
import { expect } from 'vitest';

export async function expectProblem(res: Response, status: number, slug?: string): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (slug) expect(body.type).toBe(`/problems/${slug}`);
  expect(body.status).toBe(status);
  for (const k of ['title', 'title_zh', 'detail', 'detail_zh']) expect(typeof body[k], k).toBe('string');
  expect(String(body.title_zh)).toMatch(/[\u4e00-\u9fff]/);
  expect(String(body.detail_zh)).toMatch(/[\u4e00-\u9fff]/);
  return body;
}
