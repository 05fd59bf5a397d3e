// client: "was my ballot counted as I cast it?" — answered from the bulletin whose hash is in the
// public log, never from a list the server rebuilds on request. Runs on the tablet (bundled for the
// browser), in `npm run demo` and in the tests.
//
//   1. the ballot's bulletin entry index (GET /api/v1/ballots/{id}; only a pointer, checked below);
//   2. the entry, its document and its inclusion proof (GET /api/v1/log/entries/{index}), against a
//      checkpoint signed by the pinned log key — and cosigned by the pinned witness key when the
//      deployment requires a witness (RFC 9162 inclusion proof, crypto/tlog.ts checkRecord);
//   3. the entry is this ballot's "ballot-bulletin" and the document hashes to the entry's doc hash;
//   4. the member's ballot is in it with the same token, signature and choices;
//   5. the bulletin is sound: under the ballot key the tablet took from the log at issuance, every
//      token verifies (batch), no token twice, no more ballots than members served — a ballot added
//      without a valid token changes the count, so the member's vote is not counted as cast either.
import { batchVerify, tokenMessage } from '../../crypto/blind.js';
import { fromBase64, fromHex, utf8Decode } from '../../crypto/bytes.js';
import { newVerifier, openNote, parseCheckpoint, verifyCosignature } from '../../crypto/note.js';
import { checkRecord, recordHash } from '../../crypto/tlog.js';
import { canonicalJson, documentHash } from '../../crypto/canonical-json.js';
import { ballotCounted, call, type Fetch, type SecretReceipt } from './tablet.js';
import type { Choices } from '../votes/rules.js';

/** `pending`: the bulletin is logged but not yet in a signed (and, where required, cosigned) checkpoint — ask again. */
export type CountedReason = 'counted' | 'pending' | 'missing-or-altered' | 'unsound' | 'proof-failed' | 'wrong-entry';

export interface CountedCheck {
  counted: boolean;
  reason: CountedReason;
  en: string;
  zh: string;
  /** The log index of the bulletin checked. */
  logIndex?: number;
}

interface EntryAnswer {
  entry: string;
  document: unknown;
  checkpoint: { note: string } | null;
  proof: string[] | null;
}

interface BulletinDoc {
  ballotId: string;
  publicKey: string;
  /** 回避: the keys of the recusal classes; a recused member's ballot names its class. */
  keyClasses?: { recused: string[]; publicKey: string }[];
  issued: number;
  ballots: { token: string; signature: string; choices: Choices; recused?: string[] }[];
}

const fail = (reason: CountedReason, en: string, zh: string, logIndex?: number): CountedCheck => ({ counted: false, reason, en, zh, ...(logIndex !== undefined ? { logIndex } : {}) });

/**
 * Checks the member's ballot against the logged bulletin. Throws only when the bulletin is not
 * published yet or the server cannot be reached; every failed check is an answer with counted=false.
 */
export async function checkCountedInLog(
  fetch: Fetch,
  opts: { logKey: string; witnessKey?: string | undefined; publicKey: string; receipt: SecretReceipt },
): Promise<CountedCheck> {
  const { ballotId } = opts.receipt;
  const b = await call<{ bulletinLogIndex: number | null }>(fetch, `/api/v1/ballots/${ballotId}`, { credentials: 'omit' });
  if (b.bulletinLogIndex === null) throw new Error('the bulletin is not published yet');
  const index = b.bulletinLogIndex;
  const witness = opts.witnessKey ? newVerifier(opts.witnessKey) : undefined;
  const e = await call<EntryAnswer>(fetch, `/api/v1/log/entries/${index}${witness ? `?witness=${encodeURIComponent(witness.name)}` : ''}`, { credentials: 'omit' });
  if (!e.checkpoint || !e.proof) return fail('pending', 'the bulletin is not yet in a signed checkpoint', '选票公告尚未纳入已签名的检查点，请稍后再核对', index);
  let bytes: Uint8Array;
  try {
    const opened = openNote(e.checkpoint.note, [newVerifier(opts.logKey)]);
    if (witness) verifyCosignature(e.checkpoint.note, witness);
    const cp = parseCheckpoint(opened.text);
    bytes = fromBase64(e.entry);
    checkRecord(e.proof.map(fromBase64), cp.size, cp.hash, index, recordHash(bytes));
  } catch (err) {
    return fail('proof-failed', `the bulletin's place in the log does not verify: ${err instanceof Error ? err.message : String(err)}`, '选票公告在公开日志中的证明无法验证', index);
  }
  let entry: { type?: string; doc?: string };
  let docHash: string;
  try {
    entry = JSON.parse(utf8Decode(bytes)) as { type?: string; doc?: string };
    docHash = documentHash(canonicalJson(e.document));
  } catch {
    return fail('wrong-entry', 'the logged entry is malformed', '日志条目格式错误', index);
  }
  const doc = e.document as BulletinDoc;
  if (entry.type !== 'ballot-bulletin' || entry.doc !== docHash || doc?.ballotId !== ballotId || !Array.isArray(doc.ballots))
    return fail('wrong-entry', 'the logged entry is not this ballot’s bulletin', '日志条目不是本次投票的选票公告', index);
  // The key this tablet took from the log at issuance: the ballot's, or its recusal class's (回避).
  const classKey = (recused: readonly string[] | undefined) =>
    recused?.length ? doc.keyClasses?.find((k) => k.recused.join(',') === [...recused].sort().join(','))?.publicKey : doc.publicKey;
  if (doc.publicKey !== opts.publicKey && !doc.keyClasses?.some((k) => k.publicKey === opts.publicKey))
    return fail('unsound', 'the bulletin names another ballot key than the one logged at issuance', '选票公告所述公钥与发放时记录的不同', index);
  if (!ballotCounted(doc, opts.receipt)) return fail('missing-or-altered', 'your ballot is missing from the logged bulletin or shows other choices', '已记录的选票公告中没有您的选票，或选项与投出的不同', index);
  // Sound as a whole: a ballot added without a valid token, or twice, spoils the count for everyone.
  const tokens = new Set(doc.ballots.map((x) => x.token));
  if (tokens.size !== doc.ballots.length) return fail('unsound', 'a token appears twice in the bulletin', '选票公告中有重复凭证', index);
  if (doc.ballots.length > doc.issued) return fail('unsound', 'the bulletin has more ballots than members served', '选票公告中的选票多于领取凭证的成员', index);
  // Each ballot under its own class's key, one batch per key.
  const byKey = new Map<string, { message: Uint8Array; signature: Uint8Array }[]>();
  try {
    for (const x of doc.ballots) {
      const key = classKey(x.recused);
      if (!key) return fail('unsound', 'a ballot in the bulletin names a recusal class without a key', '选票公告中有选票所属的回避类别没有公钥', index);
      byKey.set(key, [...(byKey.get(key) ?? []), { message: tokenMessage(ballotId, fromHex(x.token)), signature: fromHex(x.signature) }]);
    }
  } catch {
    return fail('unsound', 'a ballot in the bulletin is malformed', '选票公告中有格式错误的选票', index);
  }
  for (const [key, items] of byKey) {
    if (!batchVerify(fromHex(key), items).ok) return fail('unsound', 'a ballot in the bulletin has no valid token under the ballot key', '选票公告中有选票的凭证无法用本次投票公钥验证', index);
  }
  return { counted: true, reason: 'counted', en: 'your ballot is in the logged bulletin as cast', zh: '您的选票已按投出内容计入', logIndex: index };
}
