/**
 * Native BLS verification through @chainsafe/blst (supranational/blst bindings), Node only: the
 * server's token verifier when installed (src/tokens/verifier.ts) and a supervisor's bulk check of a
 * bulletin (scripts/verify.ts). Loaded by dynamic import, so nothing else depends on it. blst fixes the DST to
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_, the ciphersuite of crypto/blind.ts, so it verifies
 * our unblinded tokens as ordinary min-pk BLS signatures.
 *
 * Same result shape as crypto/blind.ts batchVerify, and the same strictness: a signature that is not
 * exactly the 96-byte compressed encoding of a non-identity subgroup point is bad (blst itself would
 * also accept the 192-byte uncompressed form; we do not).
 * @module
 */
import type { BatchResult } from '../../crypto/blind.js';

type BlstModule = typeof import('@chainsafe/blst');

export interface NativeBlst {
  /** Which binding is loaded. */
  readonly name: string;
  /** One token: CoreVerify with the POP DST. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Random-linear-combination batch (blst's verifyMultipleAggregateSignatures), then one by one to name the bad ones. */
  batchVerify(publicKey: Uint8Array, items: readonly { message: Uint8Array; signature: Uint8Array }[]): BatchResult;
}

/** Loads @chainsafe/blst if installed (it is an optional dependency); null otherwise. */
export async function loadNativeBlst(): Promise<NativeBlst | null> {
  let mod: BlstModule;
  try {
    const m = (await import('@chainsafe/blst')) as BlstModule & { default?: BlstModule };
    mod = m.default ?? m;
    if (typeof mod.verifyMultipleAggregateSignatures !== 'function') return null;
  } catch {
    return null;
  }
  const blst = mod;

  // A ballot's key is the same for every cast: keep a few validated keys by their bytes.
  const keys = new Map<string, InstanceType<BlstModule['PublicKey']> | null>();
  const parsePk = (publicKey: Uint8Array) => {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== 48) return null;
    const id = Buffer.from(publicKey).toString('hex');
    if (keys.has(id)) return keys.get(id)!;
    let pk: InstanceType<BlstModule['PublicKey']> | null;
    try {
      pk = blst.PublicKey.fromBytes(publicKey, true); // KeyValidate: on curve, subgroup, not identity
    } catch {
      pk = null;
    }
    if (keys.size >= 64) keys.clear();
    keys.set(id, pk);
    return pk;
  };
  const parseSig = (signature: Uint8Array) => {
    if (!(signature instanceof Uint8Array) || signature.length !== 96) return null;
    try {
      return blst.Signature.fromBytes(signature, true, true); // subgroup check, refuse infinity
    } catch {
      return null;
    }
  };

  const verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean => {
    const pk = parsePk(publicKey);
    const sig = parseSig(signature);
    if (!pk || !sig) return false;
    try {
      return blst.verify(message, pk, sig);
    } catch {
      return false;
    }
  };

  return {
    name: '@chainsafe/blst',
    verify,
    batchVerify(publicKey, items) {
      const pk = parsePk(publicKey);
      if (!pk) return { ok: false, bad: items.map((_, i) => i) };
      if (items.length === 0) return { ok: true };
      const sets: { msg: Uint8Array; pk: typeof pk; sig: NonNullable<ReturnType<typeof parseSig>> }[] = [];
      let allParsed = true;
      for (const it of items) {
        const sig = parseSig(it.signature);
        if (!sig) {
          allParsed = false;
          break;
        }
        sets.push({ msg: it.message, pk, sig });
      }
      if (allParsed) {
        try {
          if (blst.verifyMultipleAggregateSignatures(sets)) return { ok: true };
        } catch {
          // fall through to one by one
        }
      }
      const bad: number[] = [];
      items.forEach((it, i) => {
        if (!verify(publicKey, it.message, it.signature)) bad.push(i);
      });
      return bad.length ? { ok: false, bad } : { ok: true };
    },
  };
}
