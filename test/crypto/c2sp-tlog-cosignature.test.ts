// C2SP tlog-cosignature (cosignature/v1, Ed25519, type 0x04) on tlog-checkpoint notes, and the
// whole publish → witness → check flow with tlog.ts proofs. Spec example: vectors/c2sp-examples.json.
import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, fromBase64, readU32be, readU64be, toBase64, u32be, u64be, utf8 } from '../../crypto/bytes.js';
import {
  NoteError,
  SIG_COSIGNATURE_V1,
  addCosignature,
  cosignatureMessage,
  formatCheckpoint,
  generateSignerKey,
  keyId,
  newCosigner,
  newSigner,
  newVerifier,
  openNote,
  parseCheckpoint,
  signNote,
  verifyCosignature,
} from '../../crypto/note.js';
import { MemoryHashStore, checkRecord, checkTree, proveRecord, proveTree, recordHash } from '../../crypto/tlog.js';
import c2sp from './vectors/c2sp-examples.json' with { type: 'json' };

const logKeys = generateSignerKey('hz.example/quality-award/log', { seed: new Uint8Array(32).fill(1) });
const witnessKeys = generateSignerKey('hz.example/supervisory-group/w1', { type: SIG_COSIGNATURE_V1, seed: new Uint8Array(32).fill(2) });
const T = 1_767_225_600; // 2026-01-01T00:00:00Z

function expectNoteError(f: () => unknown, code: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(NoteError);
  expect((err as NoteError).code).toBe(code);
}

describe('cosignature/v1 format (spec example)', () => {
  it('the signed message is "cosignature/v1\\ntime <T>\\n" ‖ checkpoint text', () => {
    const note = c2sp.cosigned.note;
    const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
    expect(new TextDecoder().decode(cosignatureMessage(1679315147n, utf8(text)))).toBe(c2sp.cosigned.signedMessageExample);
  });

  it("the example witness line carries key id ‖ uint64 timestamp ‖ 64-byte signature", () => {
    const line = c2sp.cosigned.note.trimEnd().split('\n').pop()!;
    const [, name, b64] = line.split(' ');
    expect(name).toBe(c2sp.cosigned.witnessName);
    const raw = fromBase64(b64!);
    expect(raw.length).toBe(4 + 8 + 64);
    expect(readU64be(raw, 4)).toBe(1679315147n);
    // no verifier keys are published in the spec: the note parses, with both signatures unverified
    expectNoteError(() => openNote(c2sp.cosigned.note, []), 'unverified-note');
  });
});

describe('log → witness → anyone', () => {
  it('checkpoint signed by the log, cosigned by the witness, checked with proofs', async () => {
    const store = new MemoryHashStore();
    for (let i = 0; i < 37; i++) await store.append(utf8(`notice ${i}`));
    const log = newSigner(logKeys.signerKey);
    const logV = newVerifier(logKeys.verifierKey);
    const witness = newCosigner(witnessKeys.signerKey, () => T);
    const witnessV = newVerifier(witnessKeys.verifierKey);

    const old = { size: 20, hash: await store.treeHash(20) };
    const text = formatCheckpoint({ origin: log.name, size: store.size, hash: await store.treeHash() });
    const signed = signNote(text, log);

    // witness: verify the log's signature and consistency with what it cosigned before, then cosign
    const cp = parseCheckpoint(openNote(signed, [logV]).text);
    checkTree(await proveTree(cp.size, old.size, store), cp.size, cp.hash, old.size, old.hash);
    const cosigned = addCosignature(signed, witness, logV);
    expect(cosigned.startsWith(signed)).toBe(true);

    // anyone: the log's signature, the witness's timestamp, an inclusion proof
    expect(openNote(cosigned, [logV]).unverifiedSigs.map((s) => s.name)).toEqual([witness.name]);
    const { timestamp, checkpoint } = verifyCosignature(cosigned, witnessV);
    expect(timestamp).toBe(T);
    expect(checkpoint.size).toBe(37);
    const both = openNote(cosigned, [logV, witnessV]);
    expect(both.sigs.map((s) => s.name)).toEqual([log.name, witness.name]);
    checkRecord(await proveRecord(37, 5, store), 37, checkpoint.hash, 5, recordHash(utf8('notice 5')));

    // cosigning again replaces the witness's earlier line
    const again = addCosignature(cosigned, newCosigner(witnessKeys.signerKey, () => T + 60), logV);
    expect(again.split('\n— ').length).toBe(3);
    expect(verifyCosignature(again, witnessV).timestamp).toBe(T + 60);
  });

  it('refuses a tampered cosignature, a forged timestamp, and keys of the wrong type', () => {
    const log = newSigner(logKeys.signerKey);
    const logV = newVerifier(logKeys.verifierKey);
    const witnessV = newVerifier(witnessKeys.verifierKey);
    const text = formatCheckpoint({ origin: log.name, size: 1, hash: recordHash(utf8('x')) });
    const cosigned = addCosignature(signNote(text, log), newCosigner(witnessKeys.signerKey, () => T), logV);
    const lines = cosigned.split('\n');
    const wl = lines[lines.length - 2]!;
    const raw = fromBase64(wl.split(' ')[2]!);
    const withTs = (ts: bigint): string => {
      const r = concatBytes(raw.subarray(0, 4), u64be(ts), raw.subarray(12));
      return [...lines.slice(0, -2), `— ${witnessV.name} ${toBase64(r)}`, ''].join('\n');
    };
    expectNoteError(() => verifyCosignature(withTs(BigInt(T + 1)), witnessV), 'invalid-signature');
    expectNoteError(() => verifyCosignature(withTs(2n ** 63n), witnessV), 'invalid-signature');
    // a log signature is not a cosignature: the same Ed25519 key under type 0x01 has another key id
    expectNoteError(() => verifyCosignature(signNote(text, log), witnessV), 'unverified-note');
    expectNoteError(() => verifyCosignature(cosigned, logV), 'unknown-algorithm');
    expectNoteError(() => newCosigner(logKeys.signerKey), 'unknown-algorithm');
    expectNoteError(() => addCosignature(cosigned, log, logV), 'unknown-algorithm');
    // the witness refuses to cosign a note the log did not sign, or one that is not a checkpoint
    const stranger = generateSignerKey('someone.example/log');
    expectNoteError(() => addCosignature(signNote(text, newSigner(stranger.signerKey)), newCosigner(witnessKeys.signerKey), logV), 'unverified-note');
    expectNoteError(() => addCosignature(signNote('not\na checkpoint\n', log), newCosigner(witnessKeys.signerKey), logV), 'malformed-checkpoint');
  });

  it('cosignature bytes match an independent construction (keyid ‖ ts ‖ Ed25519(msg))', () => {
    const seed = new Uint8Array(32).fill(2);
    const pub = ed25519.getPublicKey(seed);
    const name = witnessV().name;
    const text = 'o\n1\n' + toBase64(new Uint8Array(32)) + '\n';
    const sig = newCosigner(witnessKeys.signerKey, () => T).sign(utf8(text));
    const msg = utf8(`cosignature/v1\ntime ${T}\n${text}`);
    expect(sig).toEqual(concatBytes(u64be(BigInt(T)), ed25519.sign(msg, seed)));
    expect(readU32be(u32be(keyId(name, 0x04, pub)))).toBe(witnessV().keyId);
  });
});

function witnessV() {
  return newVerifier(witnessKeys.verifierKey);
}
