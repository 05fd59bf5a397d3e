// Reading a request body with a ceiling: refused (413) by its Content-Length when declared, and while
// reading otherwise, so that an oversized upload is never held in memory whole.
import { Problem, problem } from '../errors.js';
import { limitText } from './sizes.js';

/** The raw body of a request, refused (413) by Content-Length when present and while reading otherwise. */
export async function readLimitedBody(req: Request, maxBytes: number): Promise<Uint8Array> {
  const over = () =>
    problem('payload-too-large', `The upload is larger than ${limitText(maxBytes).en}.`, `上传的内容超过 ${limitText(maxBytes).zh} 的上限。`, { limit: maxBytes });
  const cl = req.headers.get('content-length') ?? undefined;
  if (cl !== undefined) {
    if (!/^\d{1,15}$/.test(cl.trim())) throw new Problem('invalid-request', { en: 'Bad Content-Length.', zh: 'Content-Length 无效。' });
    if (Number(cl) > maxBytes) throw over();
  }
  const body = req.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw over();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const ch of chunks) {
    out.set(ch, off);
    off += ch.byteLength;
  }
  return out;
}
