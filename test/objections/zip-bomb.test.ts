// Archive evidence (DOCX, OFD) is judged from its ZIP central directory before anything is stored:
// bombs by expansion ratio, by total size, by overlapping entries and by nesting are refused with a
// clear 4xx, and no row, file or log entry is left. The bombs are generated here, not kept as files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32, deflateRawSync } from 'node:zlib';
import { describeEachDb, openTestDb, type TestDb } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { staffAndSupervisor } from '../support/actors.js';
import { docx, ofd, publishedNotice, stored, submitObjection } from '../notices/support.js';
import { api } from '../notices/support.js';
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';
import { zipRefusal, ZIP_MAX_RATIO, ZIP_MAX_UNCOMPRESSED_BYTES } from '../../src/objections/zip-limits.js';

interface Entry {
  name: string;
  data: Uint8Array;
  /** Sizes the central directory declares instead of the real ones. */
  declare?: { compressed?: number; uncompressed?: number; offsetOf?: number };
}

/** A ZIP archive with deflated entries (method 8). */
function zipOf(entries: Entry[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const packed = new Uint8Array(deflateRawSync(e.data, { level: 9 }));
    const crc = crc32(e.data);
    const lh = new DataView(new ArrayBuffer(30));
    lh.setUint32(0, 0x04034b50, true);
    lh.setUint16(4, 20, true);
    lh.setUint16(8, 8, true);
    lh.setUint32(14, crc, true);
    lh.setUint32(18, packed.length, true);
    lh.setUint32(22, e.data.length >>> 0, true);
    lh.setUint16(26, name.length, true);
    offsets.push(offset);
    parts.push(new Uint8Array(lh.buffer), name, packed);
    const ch = new DataView(new ArrayBuffer(46));
    ch.setUint32(0, 0x02014b50, true);
    ch.setUint16(4, 20, true);
    ch.setUint16(6, 20, true);
    ch.setUint16(10, 8, true);
    ch.setUint32(16, crc, true);
    ch.setUint32(20, e.declare?.compressed ?? packed.length, true);
    ch.setUint32(24, e.declare?.uncompressed ?? e.data.length, true);
    ch.setUint16(28, name.length, true);
    ch.setUint32(42, e.declare?.offsetOf !== undefined ? offsets[e.declare.offsetOf]! : offset, true);
    centrals.push(new Uint8Array(ch.buffer), name);
    offset += 30 + name.length + packed.length;
  }
  const cdLength = centrals.reduce((s, p) => s + p.length, 0);
  const eocd = new DataView(new ArrayBuffer(22));
  eocd.setUint32(0, 0x06054b50, true);
  eocd.setUint16(8, entries.length, true);
  eocd.setUint16(10, entries.length, true);
  eocd.setUint32(12, cdLength, true);
  eocd.setUint32(16, offset, true);
  const all = [...parts, ...centrals, new Uint8Array(eocd.buffer)];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of all) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);
const docxParts = (): Entry[] => [
  { name: '[Content_Types].xml', data: text('<Types/>') },
  { name: 'word/document.xml', data: text('<w:document/>') },
];

/** 64 MiB of zeros deflates to ~64 KB: a 1000-fold bomb, disguised as DOCX. */
const ratioBomb = () => zipOf([...docxParts(), { name: 'word/media/image1.png', data: new Uint8Array(64 * 1024 * 1024) }]);
/** Within every ratio, but declaring more than the total allowed. */
const sizeBomb = () => zipOf([...docxParts(), { name: 'word/media/big.bin', data: new Uint8Array(1024), declare: { uncompressed: 0, compressed: 0 } }, ...Array.from({ length: 3 }, (_, i) => ({ name: `word/media/part${i}.bin`, data: new Uint8Array(4096), declare: { compressed: 3_000_000, uncompressed: Math.ceil(ZIP_MAX_UNCOMPRESSED_BYTES / 3) + 1 } }))]);
/** Many directory entries pointing at one stored stream (the non-recursive bomb): each ratio is 1. */
const overlapBomb = () => {
  const shared = crypto.getRandomValues(new Uint8Array(60_000));
  const probe = zipOf([{ name: 'x', data: shared }]);
  const packed = probe.length - 22 - 46 - 1 - 30 - 1; // the one entry's compressed size
  return zipOf([...docxParts(), { name: 'word/media/a.bin', data: shared }, ...Array.from({ length: 40 }, (_, i) => ({ name: `word/media/copy${i}.bin`, data: new Uint8Array(0), declare: { offsetOf: 2, compressed: packed, uncompressed: shared.length } }))]);
};
/** An archive inside the document. */
const nested = () => zipOf([...docxParts(), { name: 'word/embeddings/inner.zip', data: zipOf([{ name: 'x.txt', data: text('x') }]) }]);

describe('ZIP central directory limits', () => {
  it('ordinary DOCX and OFD pass; each kind of bomb is refused for its own reason', () => {
    expect(zipRefusal(docx())).toBeNull();
    expect(zipRefusal(ofd())).toBeNull();
    expect(zipRefusal(zipOf([...docxParts(), { name: 'word/media/photo.jpg', data: crypto.getRandomValues(new Uint8Array(60_000)) }]))).toBeNull();
    const bomb = ratioBomb();
    expect(bomb.length).toBeLessThan(200_000);
    expect(zipRefusal(bomb)?.reason).toBe('ratio');
    expect(ZIP_MAX_RATIO).toBeLessThan(1000);
    expect(zipRefusal(sizeBomb())?.reason).toBe('too-large');
    expect(zipRefusal(overlapBomb())?.reason).toBe('overlapping');
    expect(zipRefusal(nested())?.reason).toBe('nested');
    expect(zipRefusal(bomb.slice(0, 1000))?.reason).toBe('malformed');
  });
});

describeEachDb('zip bombs as evidence', (kind) => {
  let t: TestDb;
  let h: TestApp;
  let noticeId: string;
  beforeAll(async () => {
    t = await openTestDb(kind);
    h = testApp(t, { config: { OBJECTION_SUBMIT_RATE_LIMIT: 1000 } });
    const s = await staffAndSupervisor(h);
    await api(h, s.staff)('POST', '/api/v1/cycles', { id: '2026', name: '2026' });
    await api(h, s.staff)('PUT', '/api/v1/cycles/2026/objection-intake', EXAMPLE_INTAKE);
    noticeId = (await publishedNotice(h, s.staff)).id;
  });
  afterAll(async () => t.close());

  it('a bomb disguised as DOCX or OFD gets a 422 naming the file and the reason; nothing is stored', async () => {
    const before = await stored(h);
    for (const [name, data] of [
      ['report.docx', ratioBomb()],
      ['report.docx', sizeBomb()],
      ['report.docx', overlapBomb()],
      ['report.docx', nested()],
    ] as const) {
      const r = await submitObjection(h, noticeId, { files: [{ name: 'evidence.pdf', data: new TextEncoder().encode('%PDF-1.4\n%%EOF') }, { name, data }] });
      expect(r.status, name).toBe(422);
      const body = (await r.json()) as { detail: string; file: number; reason: string };
      expect(body.file).toBe(2);
      expect(body.detail).toMatch(/file 2/);
    }
    expect(await stored(h)).toEqual(before);
    // An ordinary DOCX is still taken.
    expect((await submitObjection(h, noticeId, { files: [{ name: 'ok.docx', data: docx() }] })).status).toBe(201);
  });
}, { timeout: 300_000 });
