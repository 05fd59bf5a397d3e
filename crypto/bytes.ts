/**
 * Byte helpers shared by crypto/: strict hex (RFC 4648 §8), strict base64 (RFC 4648 §4, standard
 * alphabet, with padding), strict UTF-8 (RFC 3629), big-endian integers, concatenation and a
 * comparison that does not exit early.
 *
 * Written here on purpose: crypto/ must run unchanged in Node, Workers and the browser, and the ES
 * library has no TextEncoder, Buffer or btoa. Every decoder refuses what an encoder would never
 * produce (wrong padding, non-zero pad bits, stray characters, overlong UTF-8, lone surrogates), so
 * each value has exactly one accepted encoding.
 * Runs anywhere; used by client, server and anyone checking what we publish.
 * @module
 */

/** Why a decoder refused its input. */
export type EncodingErrorCode = 'hex' | 'base64' | 'utf8' | 'range';

/** A refused encoding (hex, base64, UTF-8) or an out-of-range integer. */
export class EncodingError extends Error {
  override readonly name = 'EncodingError';
  readonly code: EncodingErrorCode;
  constructor(code: EncodingErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Throws unless `value` is a Uint8Array (optionally of exactly `length` bytes). */
export function assertBytes(value: unknown, length?: number, what = 'value'): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
  if (length !== undefined && value.length !== length)
    throw new RangeError(`${what} must be ${length} bytes, got ${value.length}`);
}

/** a ‖ b ‖ … as a fresh array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * Equality without an early exit on the first differing byte (the length is not secret).
 * Used for hashes and MACs; nothing here compares secrets of secret length.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// ---------------------------------------------------------------- hex (RFC 4648 §8, lowercase)

const HEX = '0123456789abcdef';

/** Lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b >> 4]! + HEX[b & 15]!;
  return s;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

/** Strict lowercase hex: even length, only [0-9a-f]. */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError('hex must be a string');
  if (hex.length % 2 !== 0) throw new EncodingError('hex', 'hex: odd length');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(hex.charCodeAt(2 * i));
    const lo = hexNibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new EncodingError('hex', 'hex: invalid character');
    out[i] = (hi << 4) | lo;
  }
  return out;
}

// ---------------------------------------------------------------- base64 (RFC 4648 §4)

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = /* @__PURE__ */ (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** Standard base64 with '=' padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return s;
}

/**
 * Strict standard base64: length a multiple of 4, only the RFC 4648 §4 alphabet, '=' only as the
 * final one or two characters, and zero pad bits (RFC 4648 §3.5), so the encoding is canonical.
 */
export function fromBase64(s: string): Uint8Array {
  if (typeof s !== 'string') throw new TypeError('base64 must be a string');
  if (s.length % 4 !== 0) throw new EncodingError('base64', 'base64: length is not a multiple of 4');
  let pad = 0;
  if (s.endsWith('==')) pad = 2;
  else if (s.endsWith('=')) pad = 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  const digit = (i: number): number => {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0) throw new EncodingError('base64', 'base64: invalid character');
    return v;
  };
  let o = 0;
  const full = s.length - (pad ? 4 : 0);
  for (let i = 0; i < full; i += 4) {
    const n = (digit(i) << 18) | (digit(i + 1) << 12) | (digit(i + 2) << 6) | digit(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (pad === 2) {
    const a = digit(full), b = digit(full + 1);
    if (b & 15) throw new EncodingError('base64', 'base64: non-zero pad bits');
    out[o++] = (a << 2) | (b >> 4);
  } else if (pad === 1) {
    const a = digit(full), b = digit(full + 1), c = digit(full + 2);
    if (c & 3) throw new EncodingError('base64', 'base64: non-zero pad bits');
    const n = (a << 12) | (b << 6) | c;
    out[o++] = n >> 10;
    out[o++] = (n >> 2) & 255;
  }
  return out;
}

// ---------------------------------------------------------------- UTF-8 (RFC 3629)

/** UTF-8 encoding of a well-formed string; a lone surrogate is refused (it has no UTF-8 form). */
export function utf8(str: string): Uint8Array {
  if (typeof str !== 'string') throw new TypeError('utf8: expected a string');
  const out: number[] = [];
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = str.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff))
        throw new EncodingError('utf8', 'utf8: lone surrogate');
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/**
 * Strict UTF-8 decoding (RFC 3629 §4): refuses overlong forms, surrogates, code points above
 * U+10FFFF and truncated sequences, instead of substituting U+FFFD.
 */
export function utf8Decode(bytes: Uint8Array): string {
  let s = '';
  let chunk: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i]!;
    let cp: number;
    let len: number;
    if (b0 < 0x80) {
      cp = b0;
      len = 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      cp = b0 & 0x1f;
      len = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      cp = b0 & 0x0f;
      len = 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      cp = b0 & 0x07;
      len = 4;
    } else throw new EncodingError('utf8', 'utf8: invalid byte');
    if (i + len > bytes.length) throw new EncodingError('utf8', 'utf8: truncated sequence');
    for (let k = 1; k < len; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) throw new EncodingError('utf8', 'utf8: invalid continuation byte');
      cp = (cp << 6) | (b & 0x3f);
    }
    if ((len === 3 && cp < 0x800) || (len === 4 && (cp < 0x10000 || cp > 0x10ffff)))
      throw new EncodingError('utf8', 'utf8: overlong or out-of-range sequence');
    if (cp >= 0xd800 && cp <= 0xdfff) throw new EncodingError('utf8', 'utf8: encoded surrogate');
    if (cp >= 0x10000) {
      cp -= 0x10000;
      chunk.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else chunk.push(cp);
    if (chunk.length > 4096) {
      s += String.fromCharCode(...chunk);
      chunk = [];
    }
    i += len;
  }
  return s + String.fromCharCode(...chunk);
}

// ---------------------------------------------------------------- big-endian integers

/** uint32 → 4 bytes big-endian. */
export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new EncodingError('range', 'u32be: out of range');
  return Uint8Array.of(Math.floor(n / 0x1000000) % 256, Math.floor(n / 0x10000) % 256, Math.floor(n / 0x100) % 256, n % 256);
}

/** 4 bytes big-endian → uint32. */
export function readU32be(b: Uint8Array, off = 0): number {
  if (off < 0 || off + 4 > b.length) throw new EncodingError('range', 'readU32be: out of range');
  return ((b[off]! * 0x1000000) + (b[off + 1]! << 16) + (b[off + 2]! << 8) + b[off + 3]!);
}

/** uint64 (bigint) → 8 bytes big-endian. */
export function u64be(n: bigint): Uint8Array {
  if (typeof n !== 'bigint' || n < 0n || n > 0xffffffffffffffffn) throw new EncodingError('range', 'u64be: out of range');
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** 8 bytes big-endian → uint64 (bigint). */
export function readU64be(b: Uint8Array, off = 0): bigint {
  if (off < 0 || off + 8 > b.length) throw new EncodingError('range', 'readU64be: out of range');
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(b[off + i]!);
  return n;
}

/** Big-endian bytes → bigint (OS2IP, RFC 8017 §4.2). */
export function bytesToBigInt(b: Uint8Array): bigint {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return n;
}

/** bigint → `length` big-endian bytes (I2OSP, RFC 8017 §4.1). */
export function bigIntToBytes(n: bigint, length: number): Uint8Array {
  if (n < 0n || n >= 1n << BigInt(8 * length)) throw new EncodingError('range', 'I2OSP: integer too large');
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
