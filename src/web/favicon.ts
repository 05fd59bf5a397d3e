// GET /favicon.ico: the browser asks for it on every page. A 16×16 icon (the award's red seal with a
// white square), built as bytes here: an ICO holding one 32-bit BMP.
import type { Context } from 'hono';

const SIZE = 16;
const RED = [0x2e, 0x10, 0xc8, 0xff]; // B, G, R, A — #c8102e
const WHITE = [0xff, 0xff, 0xff, 0xff];

function buildIco(): Uint8Array {
  const pixels = SIZE * SIZE * 4;
  const mask = SIZE * 4; // 1 bit per pixel, rows padded to 4 bytes: all zero (opaque)
  const bmp = 40 + pixels + mask;
  const out = new Uint8Array(6 + 16 + bmp);
  const v = new DataView(out.buffer);
  v.setUint16(2, 1, true); // type: icon
  v.setUint16(4, 1, true); // one image
  out[6] = SIZE;
  out[7] = SIZE;
  v.setUint16(10, 1, true); // planes
  v.setUint16(12, 32, true); // bits per pixel
  v.setUint32(14, bmp, true);
  v.setUint32(18, 22, true); // offset of the image
  v.setUint32(22, 40, true); // BITMAPINFOHEADER
  v.setInt32(26, SIZE, true);
  v.setInt32(30, SIZE * 2, true); // colour + mask
  v.setUint16(34, 1, true);
  v.setUint16(36, 32, true);
  v.setUint32(42, pixels + mask, true);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inner = x >= 5 && x <= 10 && y >= 5 && y <= 10;
      out.set(inner ? WHITE : RED, 62 + (y * SIZE + x) * 4);
    }
  }
  return out;
}

const ICO = buildIco();

export const favicon = (c: Context) =>
  c.body(ICO.slice(), 200, { 'Content-Type': 'image/x-icon', 'Cache-Control': 'public, max-age=86400' });
