// The objector's name and contact details, encrypted at rest with AES-256-GCM (WebCrypto, so the same
// code runs on Node and Workers). Each value gets a fresh random 12-byte IV; what is stored is
// iv ‖ ciphertext ‖ tag. The additional data binds a value to its objection and field, so a
// ciphertext copied into another row or column fails to decrypt instead of showing a wrong person.

const IV_BYTES = 12;
const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function aesKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 32) throw new Error('contact key must be 32 bytes (AES-256)');
  let k = keys.get(raw);
  if (!k) {
    k = crypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    keys.set(raw, k);
  }
  return k;
}

export type ContactField = 'name' | 'contact' | 'identity';

const aad = (objectionId: string, field: ContactField) => new TextEncoder().encode(`hzqa-objection-contact/v1\n${objectionId}\n${field}`);

export async function encryptContact(key: Uint8Array, objectionId: string, field: ContactField, value: string): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: aad(objectionId, field) },
      await aesKey(key),
      new TextEncoder().encode(value),
    ),
  );
  const out = new Uint8Array(IV_BYTES + ct.length);
  out.set(iv, 0);
  out.set(ct, IV_BYTES);
  return out;
}

export async function decryptContact(key: Uint8Array, objectionId: string, field: ContactField, stored: Uint8Array): Promise<string> {
  const bytes = new Uint8Array(stored);
  const iv = bytes.subarray(0, IV_BYTES);
  const ct = bytes.subarray(IV_BYTES);
  const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad(objectionId, field) }, await aesKey(key), ct);
  return new TextDecoder().decode(pt);
}
