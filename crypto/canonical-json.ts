/**
 * Canonical JSON (RFC 8785 JCS for the values the log allows), and the document hash the public log
 * commits to. Runs anywhere: the server when it appends (src/log/append.ts), the pages when they check
 * an entry against its document (src/web/browser/), tools.
 *
 *   canonicalJson(value): object keys sorted by UTF-16 code units (RFC 8785 §3.2.3), no whitespace,
 *   strings escaped as ECMAScript JSON.stringify does (RFC 8785 §3.2.2.2); only strings, safe integers,
 *   booleans, null, arrays and plain objects are allowed — no floats, NaN, undefined, holes, Dates,
 *   Maps, symbol keys, cycles, or nesting deeper than 64 (CanonicalJsonError, with the path).
 *   documentHash(text): lowercase hex SHA-256 of the UTF-8 bytes of a canonical text.
 *
 * The supervisors' verifier keeps its own implementation (src/verify/canonical.ts), written separately
 * from the same rules, so that a bug here shows up there as a mismatch.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from './bytes.js';

export class CanonicalJsonError extends TypeError {
  override readonly name = 'CanonicalJsonError';
}

/** Canonical JSON text of `value` (see the module comment); throws CanonicalJsonError otherwise. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, new Set(), '$');
  return out.join('');
}

function write(v: unknown, out: string[], open: Set<object>, at: string): void {
  if (v === null) return void out.push('null');
  switch (typeof v) {
    case 'string':
      return void out.push(JSON.stringify(v));
    case 'boolean':
      return void out.push(v ? 'true' : 'false');
    case 'number':
      if (!Number.isSafeInteger(v)) throw new CanonicalJsonError(`canonical JSON: ${at} is not a safe integer (${v})`);
      return void out.push(String(v === 0 ? 0 : v)); // -0 → 0
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`canonical JSON: ${at} has unsupported type ${typeof v}`);
  }
  const o = v as object;
  if (open.has(o)) throw new CanonicalJsonError(`canonical JSON: ${at} is a cycle`);
  if (open.size >= 64) throw new CanonicalJsonError(`canonical JSON: ${at} nests deeper than 64`);
  open.add(o);
  if (Array.isArray(o)) {
    out.push('[');
    for (let i = 0; i < o.length; i++) {
      if (!(i in o)) throw new CanonicalJsonError(`canonical JSON: ${at}[${i}] is a hole`);
      if (i) out.push(',');
      write(o[i], out, open, `${at}[${i}]`);
    }
    out.push(']');
  } else {
    const proto = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(`canonical JSON: ${at} is not a plain object`);
    if (Object.getOwnPropertySymbols(o).length) throw new CanonicalJsonError(`canonical JSON: ${at} has symbol keys`);
    const keys = Object.keys(o).sort(); // UTF-16 code unit order
    out.push('{');
    keys.forEach((k, i) => {
      if (i) out.push(',');
      out.push(JSON.stringify(k), ':');
      write((o as Record<string, unknown>)[k], out, open, `${at}.${k}`);
    });
    out.push('}');
  }
  open.delete(o);
}

/** Lowercase hex SHA-256 of a canonical JSON text's UTF-8 bytes. */
export function documentHash(canonical: string): string {
  return toHex(sha256(utf8(canonical)));
}
