// Bearer secrets: random, shown once, stored only as SHA-256 hashes.
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../../crypto/bytes.js';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function randomToken(prefix: string, bytes = 32): string {
  const r = crypto.getRandomValues(new Uint8Array(bytes));
  let s = '';
  for (const b of r) s += B64URL[b & 63];
  return prefix + s;
}

/** Short human-typable code (enrollment): 10 chars of an unambiguous alphabet, ~50 bits. */
export function randomCode(length = 10): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const out: string[] = [];
  while (out.length < length) {
    const b = crypto.getRandomValues(new Uint8Array(1))[0]!;
    if (b < alphabet.length * 8) out.push(alphabet[b % alphabet.length]!);
  }
  return out.join('');
}

export function hashSecret(secret: string): string {
  return toHex(sha256(utf8(secret)));
}
