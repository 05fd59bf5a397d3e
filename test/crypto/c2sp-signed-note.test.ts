// C2SP signed-note and tlog-checkpoint, with Go sumdb/note's example keys and signatures and the
// specs' examples (vectors/go-sumdb-note.json, vectors/c2sp-examples.json: see "source").
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBase64, fromHex, toBase64 } from '../../crypto/bytes.js';
import {
  NoteError,
  formatCheckpoint,
  generateSignerKey,
  isValidName,
  keyId,
  newSigner,
  newVerifier,
  newVerifierKey,
  openNote,
  parseCheckpoint,
  signNote,
} from '../../crypto/note.js';
import go from './vectors/go-sumdb-note.json' with { type: 'json' };
import c2sp from './vectors/c2sp-examples.json' with { type: 'json' };

function expectNoteError(f: () => unknown, code: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, `expected NoteError ${code}`).toBeInstanceOf(NoteError);
  expect((err as NoteError).code).toBe(code);
}

describe('keys (Go sumdb/note formats)', () => {
  it("Go's PeterNeumann signer and verifier keys", () => {
    const v = newVerifier(go.peter.verifierKey);
    const s = newSigner(go.peter.signerKey);
    expect(v.name).toBe('PeterNeumann');
    expect(v.keyId).toBe(Number.parseInt(go.peter.keyId, 16));
    expect(s.keyId).toBe(v.keyId);
    expect(keyId('PeterNeumann', 1, fromBase64(go.peter.verifierKey.split('+')[2]!).subarray(1))).toBe(v.keyId);
  });

  it('refuses every truncation and every single-character change of the verifier key (as Go tests)', () => {
    const k = go.peter.verifierKey;
    for (let i = 0; i <= k.length; i++)
      for (let j = i + 1; j <= k.length; j++) if (i !== 0 || j !== k.length) expect(() => newVerifier(k.slice(i, j))).toThrow(NoteError);
    for (let i = 0; i < k.length; i++) {
      const changed = k.slice(0, i) + String.fromCharCode(k.charCodeAt(i) + 1) + k.slice(i + 1);
      expect(() => newVerifier(changed), changed).toThrow(NoteError);
    }
    expectNoteError(() => newVerifier(go.badVerifierKeys[0]!), 'malformed-key'); // wrong key length
    expectNoteError(() => newVerifier(go.badVerifierKeys[1]!), 'unknown-algorithm');
  });

  it('refuses every truncation and single-character change of the signer key', () => {
    const k = go.peter.signerKey;
    for (let i = 0; i < k.length; i += 3)
      for (let j = i + 1; j <= k.length; j += 2) if (i !== 0 || j !== k.length) expect(() => newSigner(k.slice(i, j))).toThrow(NoteError);
    for (let i = 0; i < k.length; i++) {
      const changed = k.slice(0, i) + String.fromCharCode(k.charCodeAt(i) + 1) + k.slice(i + 1);
      expect(() => newSigner(changed), changed).toThrow(NoteError);
    }
  });

  it('generateSignerKey: deterministic from a seed, Go text format, validated names', () => {
    const seed = new Uint8Array(32).fill(0);
    const a = generateSignerKey('EnochRoot', { seed });
    expect(a.signerKey).toBe('PRIVATE+KEY+EnochRoot+' + a.verifierKey.split('+')[1] + '+' + toBase64(Uint8Array.of(1, ...seed)));
    const s = newSigner(a.signerKey);
    const v = newVerifier(a.verifierKey);
    const msg = Uint8Array.of(104, 105);
    const sig = s.sign(msg);
    expect(v.verify(msg, sig)).toBe(true);
    sig[0]! ^= 1;
    expect(v.verify(msg, sig)).toBe(false);
    expect(newVerifierKey('EnochRoot', fromBase64(a.verifierKey.split('+')[2]!).subarray(1))).toBe(a.verifierKey);
    for (const bad of ['', 'a b', 'a+b', 'a\u00a0b', 'a\u3000b', 'a\tb', 'a\u2028b', '\ud800'])
      expectNoteError(() => generateSignerKey(bad), 'invalid-name');
    expect(isValidName('example.com/log42')).toBe(true);
    expect(isValidName('杭州.example/质量奖')).toBe(true);
  });
});

describe('signed notes', () => {
  it("reproduces Go's ExampleSign byte for byte and opens ExampleOpen", () => {
    const signed = signNote(go.text, newSigner(go.peter.signerKey));
    expect(signed).toBe(go.signedByPeter);
    const n = openNote(go.signedByPeter, [newVerifier(go.peter.verifierKey)]);
    expect(n.text).toBe(go.text);
    expect(n.sigs).toEqual([{ name: 'PeterNeumann', keyId: 0xc74f20a3, base64: go.peter.sigLine.split(' ')[2]!.trim() }]);
    expect(n.unverifiedSigs).toEqual([]);
  });

  it('the signed-note spec example verifies', () => {
    const n = openNote(c2sp.signedNote.note, [newVerifier(c2sp.signedNote.verifierKey)]);
    expect(n.text).toBe(c2sp.signedNote.text);
  });

  it('unknown signers are kept unverified; a note with no known signature is refused', () => {
    const peter = newVerifier(go.peter.verifierKey);
    const enoch = newVerifier(go.enoch.verifierKey);
    const both = go.text + '\n' + go.peter.sigLine + go.enoch.sigLine;
    let n = openNote(both, [peter]);
    expect(n.sigs.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(n.unverifiedSigs.map((s) => [s.name, s.keyId])).toEqual([['EnochRoot', 0xaf0cfe78]]);
    n = openNote(both, [peter, enoch]);
    expect(n.sigs.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expectNoteError(() => openNote(both, []), 'unverified-note');
    expectNoteError(() => openNote(c2sp.quasimodo, [peter]), 'unverified-note');
    // duplicate identical lines are dropped
    n = openNote(go.text + '\n' + go.peter.sigLine + go.peter.sigLine + go.enoch.sigLine + go.enoch.sigLine, [peter]);
    expect(n.sigs).toHaveLength(1);
    expect(n.unverifiedSigs).toHaveLength(1);
  });

  it("a known signer's bad signature rejects the note; ambiguous keys are refused", () => {
    const peter = newVerifier(go.peter.verifierKey);
    const sig = go.peter.sigLine;
    expectNoteError(() => openNote(go.text + '\n' + sig.slice(0, 60) + 'ABCD' + sig.slice(60), [peter]), 'invalid-signature');
    // same text, different body: signature fails
    expectNoteError(() => openNote(go.text.replace('problem', 'Problem') + '\n' + sig, [peter]), 'invalid-signature');
    const enoch = newVerifier(go.enoch.verifierKey);
    expectNoteError(() => openNote(go.text + '\n' + go.enoch.sigLine, [enoch, peter, enoch]), 'ambiguous-key');
    expect(openNote(go.text + '\n' + sig, [enoch, peter, enoch]).sigs).toHaveLength(1);
  });

  it("refuses Go's malformed notes and more", () => {
    const peter = newVerifier(go.peter.verifierKey);
    for (const m of go.malformedNotes) expectNoteError(() => openNote(m, [peter]), 'malformed-note');
    for (const h of go.malformedNotesHex) expectNoteError(() => openNote(fromHex(h), [peter]), 'malformed-note');
    const sig = go.peter.sigLine;
    const more = [
      go.text + '\n' + sig.replace('— ', '-- '), // not an em dash
      go.text + '\n' + sig.replace('— ', '—'), // no space
      go.text + '\n' + sig.replace('\n', '\r\n'), // CR
      go.text + '\n' + sig.replace('=\n', '\n'), // bad padding
      go.text.replace('\n', '\t\n') + '\n' + sig, // tab in text
      go.text + '\n' + '— PeterNeumann AAAA\n', // too short a signature
      go.text + '\n' + '— PeterNeumann\n', // no signature
      go.text + '\n' + sig.repeat(101), // more than 100 signatures
    ];
    for (const m of more) expectNoteError(() => openNote(m, [peter]), 'malformed-note');
    expect(() => signNote('no newline', newSigner(go.peter.signerKey))).toThrow(NoteError);
    expect(() => signNote('bell\u0007\n', newSigner(go.peter.signerKey))).toThrow(NoteError);
  });

  it('the text is separated at the last blank line (text may contain blank lines)', () => {
    const s = newSigner(go.peter.signerKey);
    const text = 'a\n\nb\n\n\nc\n';
    const n = openNote(signNote(text, s), [newVerifier(go.peter.verifierKey)]);
    expect(n.text).toBe(text);
  });

  it('property: sign then open round-trips any valid text', () => {
    const s = newSigner(go.peter.signerKey);
    const v = newVerifier(go.peter.verifierKey);
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }).filter((l) => !/[\u0000-\u001f]/.test(l)), { minLength: 1, maxLength: 5 }), (lines) => {
        const text = lines.join('\n') + '\n';
        if (text.endsWith('\n\n')) return; // would end in a blank line: ambiguous by design
        expect(openNote(signNote(text, s), [v]).text).toBe(text);
      }),
      { numRuns: 60 },
    );
  });
});

describe('tlog-checkpoint', () => {
  const note = c2sp.checkpoint.note;
  const text = note.slice(0, note.lastIndexOf('\n\n') + 1);

  it('parses the spec example and formats it back byte for byte', () => {
    const c = parseCheckpoint(text);
    expect(c.origin).toBe(c2sp.checkpoint.origin);
    expect(c.size).toBe(c2sp.checkpoint.size);
    expect(toBase64(c.hash)).toBe(c2sp.checkpoint.hash);
    expect(c.extensions).toEqual([]);
    expect(formatCheckpoint(c)).toBe(text);
    // the log's key is not published in the spec: the note is well-formed but unverified
    expectNoteError(() => openNote(note, []), 'unverified-note');
  });

  it('extension lines', () => {
    const t = formatCheckpoint({ origin: 'o', size: 0, hash: new Uint8Array(32), extensions: ['x y', 'z'] });
    expect(t).toBe('o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nx y\nz\n');
    expect(parseCheckpoint(t).extensions).toEqual(['x y', 'z']);
  });

  it('strict parsing', () => {
    const [o, n, h] = text.split('\n');
    const bad = [
      `${o}\n${n}\n${h}`, // no final newline
      `${o}\n${n}\n`, // missing hash
      `\n${n}\n${h}\n`, // empty origin
      `${o}\n0${n}\n${h}\n`, // leading zero
      `${o}\n+${n}\n${h}\n`,
      `${o}\n-1\n${h}\n`,
      `${o}\n1e3\n${h}\n`,
      `${o}\n 1\n${h}\n`,
      `${o}\n18446744073709551615\n${h}\n`, // beyond 2^53 (refused here)
      `${o}\n${n}\n${h!.slice(0, -1)}\n`, // bad base64
      `${o}\n${n}\nAAAA\n`, // not 32 bytes
      `${o}\n${n}\n${h}\n\n`, // empty extension line
      `${o}\n${n}\n${h}\next\r\n`, // control character
    ];
    for (const t of bad) expectNoteError(() => parseCheckpoint(t), 'malformed-checkpoint');
    expect(parseCheckpoint(`${o}\n0\n${h}\n`).size).toBe(0);
    expectNoteError(() => formatCheckpoint({ origin: 'a\nb', size: 1, hash: new Uint8Array(32) }), 'malformed-checkpoint');
    expectNoteError(() => formatCheckpoint({ origin: 'a', size: -1, hash: new Uint8Array(32) }), 'malformed-checkpoint');
    expectNoteError(() => formatCheckpoint({ origin: 'a', size: 1, hash: new Uint8Array(31) }), 'malformed-checkpoint');
    expectNoteError(() => formatCheckpoint({ origin: 'a', size: 1, hash: new Uint8Array(32), extensions: [''] }), 'malformed-checkpoint');
  });
});
