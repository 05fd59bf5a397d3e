// Helpers for the public log tests: an app on a test database, and a client's view of the log
// (checkpoint verified with the served key, tiles fetched over HTTP).
import { expect } from 'vitest';
import { openNote, newVerifier, parseCheckpoint, type Checkpoint } from '../../crypto/note.js';
import { tilePath, type Tile } from '../../crypto/tlog.js';
import { fromBase64 } from '../../crypto/bytes.js';
import type { TestApp } from '../support/app.js';

/** GET <prefix>/checkpoint, verified with the key served at <prefix>/key. */
export async function clientCheckpoint(h: TestApp, query = '', prefix = '/log'): Promise<{ note: string; checkpoint: Checkpoint }> {
  const key = await (await h.request(`${prefix}/key`)).text();
  const res = await h.request(`${prefix}/checkpoint${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  const note = await res.text();
  const opened = openNote(note, [newVerifier(key)]);
  return { note, checkpoint: parseCheckpoint(opened.text) };
}

/** A FetchTile over the HTTP tile endpoints (crypto/tlog.ts TileHashReader), optionally tampering. */
export function httpTiles(h: TestApp, tamper?: (t: Tile, data: Uint8Array) => Uint8Array) {
  return async (t: Tile): Promise<Uint8Array> => {
    const res = await h.request(`/log/${tilePath(t)}`);
    expect(res.status, tilePath(t)).toBe(200);
    const data = new Uint8Array(await res.arrayBuffer());
    return tamper ? tamper(t, data) : data;
  };
}

export const b64s = (xs: string[]) => xs.map(fromBase64);

/** A copy of `data` with one bit flipped. */
export function flipBit(data: Uint8Array, bit = 0): Uint8Array {
  const out = data.slice();
  out[Math.floor(bit / 8) % out.length]! ^= 1 << bit % 8;
  return out;
}
