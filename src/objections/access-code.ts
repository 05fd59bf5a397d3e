// The objector's access code: given once with the receipt, needed with the tracking number to look up
// the objection's status; only its hash is stored.
import { hashSecret, randomCode } from '../auth/secrets.js';

/** Access codes: 20 characters of an unambiguous alphabet (~99 bits), shown in groups of five. */
export function newAccessCode(): string {
  return randomCode(20).match(/.{5}/g)!.join('-');
}

/** Dashes, spaces and case do not matter when the code is typed back. */
export const normalizeAccessCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

export const hashAccessCode = (code: string) => hashSecret(`hzqa-objection-access/v1\n${normalizeAccessCode(code)}`);
