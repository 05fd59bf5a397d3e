/**
 * Canonical JSON as the log hashes it (written here independently of the server's src/log/append.ts,
 * from the same specification, so that a bug there shows up here as a mismatch rather than being
 * shared): object keys sorted by UTF-16 code units (RFC 8785 JCS order), no whitespace, strings as
 * ECMAScript JSON.stringify writes them, only safe integers as numbers. Returns null for a value
 * outside that domain (a float, undefined, a non-plain object…).
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../../crypto/bytes.js';

export function canonical(value: unknown): string | null {
  try {
    return write(value, 0);
  } catch {
    return null;
  }
}

function write(v: unknown, depth: number): string {
  if (depth > 64) throw new Error('too deep');
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error('not a safe integer');
    return String(v === 0 ? 0 : v);
  }
  if (Array.isArray(v)) return '[' + v.map((x) => write(x, depth + 1)).join(',') + ']';
  if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const o = v as Record<string, unknown>;
    return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + write(o[k], depth + 1)).join(',') + '}';
  }
  throw new Error('unsupported value');
}

/** Lowercase hex SHA-256 of a text's UTF-8 bytes. */
export const sha256Text = (text: string): string => toHex(sha256(utf8(text)));

/** Deep equality by canonical form (null-safe: values outside the domain are never equal). */
export function sameJson(a: unknown, b: unknown): boolean {
  const x = canonical(a);
  return x !== null && x === canonical(b);
}
