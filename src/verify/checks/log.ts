/**
 * The log itself: the checkpoint under the pinned key, its origin, witness cosignatures, consistency
 * with the state saved last time, every entry well-formed, included and accounted for, every
 * document matching its hash and its type's schema (src/log/documents/).
 *
 * What anchors the history: a signed checkpoint alone proves only that the log key signed it — a
 * bureau holding that key can re-sign a rewritten history. The history is anchored by a saved state
 * the checkpoint is proven to extend (RFC 9162 consistency proof), or by the cosignature of a witness
 * the supervisors trust (a witness cosigns only checkpoints consistent with those it saw before).
 * @module
 */
import { CALENDAR_ENTRY_TYPES } from '../../calendar/entry-types.js';
import { checkRecord, checkTree, nodeHash, recordHash, EMPTY_TREE_HASH } from '../../../crypto/tlog.js';
import { fromBase64, equalBytes, toBase64, utf8Decode } from '../../../crypto/bytes.js';
import { newVerifier, openNote, parseCheckpoint, verifyCosignature, SIG_COSIGNATURE_V1, type Checkpoint } from '../../../crypto/note.js';
import { parseDocument } from '../../log/documents/index.js';
import type { ExportBundle } from '../bundle.js';
import { canonical, sha256Text } from '../canonical.js';
import { Ledger, type LoggedEntry, type Refs } from './ledger.js';
import { T, isHex, short, type Collector, type LogState, type Text, type VerifyOptions } from './types.js';

export function tryBase64(text: string): Uint8Array | null {
  try {
    return fromBase64(text);
  } catch {
    return null;
  }
}

/** checkpoint-signature: the checkpoint opens with the pinned log key; returns it, or null. */
export function checkCheckpointSignature(bundle: ExportBundle, options: VerifyOptions, out: Collector): Checkpoint | null {
  const fails: Text[] = [];
  const info: Text[] = [];
  let checkpoint: Checkpoint | null = null;
  try {
    const opened = openNote(bundle.log.checkpoint, [newVerifier(options.logKey)]);
    checkpoint = parseCheckpoint(opened.text);
    if (checkpoint.origin !== bundle.log.origin) fails.push(T(`origin ${checkpoint.origin} differs from the bundle's ${bundle.log.origin}`, `检查点来源 ${checkpoint.origin} 与数据包所述 ${bundle.log.origin} 不符`));
    if (checkpoint.size !== bundle.log.size) fails.push(T(`signed size ${checkpoint.size} differs from the bundle's ${bundle.log.size}`, `签名的大小 ${checkpoint.size} 与数据包所述 ${bundle.log.size} 不符`));
    info.push(T(`${checkpoint.origin}, size ${checkpoint.size}, root ${toBase64(checkpoint.hash)}`, `${checkpoint.origin}，大小 ${checkpoint.size}，根哈希 ${toBase64(checkpoint.hash)}`));
    if (bundle.log.verifierKey.trim() !== options.logKey.trim())
      info.push(T('note: the bundle states another log key than the pinned one; the pinned key was used', '注意：数据包所述日志公钥与预置公钥不同；已使用预置公钥'));
  } catch (error) {
    checkpoint = null;
    fails.push(T(`the checkpoint does not verify with the pinned log key: ${(error as Error).message}`, `检查点无法用预置日志公钥验证：${(error as Error).message}`));
  }
  out.add('checkpoint-signature', null, fails, T('signature verifies', '签名有效'), { info });
  return fails.length === 0 ? checkpoint : null;
}

/** checkpoint-origin: C2SP tlog-checkpoint — the origin line is the log key's name. */
export function checkCheckpointOrigin(checkpoint: Checkpoint | null, options: VerifyOptions, out: Collector): boolean {
  if (!checkpoint) {
    out.add('checkpoint-origin', null, [], T('', ''), { skip: T('no verified checkpoint', '没有已验证的检查点') });
    return false;
  }
  const keyName = newVerifier(options.logKey).name;
  const fails = checkpoint.origin === keyName ? [] : [T(`the checkpoint's origin ${checkpoint.origin} is not the pinned key's name ${keyName}`, `检查点来源 ${checkpoint.origin} 与预置公钥名称 ${keyName} 不符`)];
  out.add('checkpoint-origin', null, fails, T(`origin ${checkpoint.origin}`, `来源 ${checkpoint.origin}`));
  return fails.length === 0;
}

/** witness-cosignatures: every required witness cosigned this checkpoint; returns who and when. */
export function checkWitnessCosignatures(bundle: ExportBundle, options: VerifyOptions, out: Collector): { witness: string; time: string }[] {
  const fails: Text[] = [];
  const info: Text[] = [];
  const cosignatures: { witness: string; time: string }[] = [];
  const keys = options.witnessKeys ?? [];
  for (const key of keys) {
    try {
      const verifier = newVerifier(key);
      if (verifier.type !== SIG_COSIGNATURE_V1) throw new Error('not a cosignature/v1 (type 0x04) key');
      const { timestamp } = verifyCosignature(bundle.log.checkpoint, verifier);
      const time = new Date(timestamp * 1000).toISOString();
      cosignatures.push({ witness: verifier.name, time });
      info.push(T(`${verifier.name} cosigned at ${time}`, `${verifier.name} 于 ${time} 联署`));
    } catch (error) {
      const name = key.split('+')[0] ?? key;
      fails.push(T(`witness ${name} did not cosign this checkpoint (${(error as Error).message})`, `见证方 ${name} 未联署该检查点（${(error as Error).message}）`));
    }
  }
  out.add('witness-cosignatures', null, fails, T('every required witness cosigned', '所有要求的见证方均已联署'), {
    skip: keys.length === 0 ? T('no witness required: nothing outside the bureau vouches that this history was not rewritten', '未要求见证方：没有局外方证明该历史未被改写') : null,
    remedy: T('run with --witness-key of the supervisory group’s witness', '使用 --witness-key 指定监督小组的见证方公钥'),
    info,
  });
  return fails.length === 0 ? cosignatures : [];
}

/**
 * log-consistency: the checkpoint extends the saved state (RFC 9162 §2.1.4 consistency proof).
 * Returns whether it was proven (a saved state exists and the proof checks).
 */
export function checkLogConsistency(bundle: ExportBundle, state: LogState | null, checkpoint: Checkpoint | null, out: Collector): boolean {
  const fails: Text[] = [];
  const info: Text[] = [];
  let skip: Text | null = null;
  let proven = false;
  if (!checkpoint) skip = T('no verified checkpoint', '没有已验证的检查点');
  else if (!state) skip = T('no saved state (first run): whether this history is the one shown before was not established', '没有已保存的状态（首次运行）：未能确认该历史与此前所见一致');
  else {
    const oldHash = tryBase64(state.hash);
    const consistency = bundle.log.consistency;
    if (state.origin !== checkpoint.origin) fails.push(T(`saved state is of another log (${state.origin})`, `已保存状态属于另一日志（${state.origin}）`));
    else if (!oldHash || oldHash.length !== 32 || !Number.isSafeInteger(state.size) || state.size < 0) fails.push(T('saved state is malformed', '已保存状态格式错误'));
    else if (state.size > checkpoint.size) fails.push(T(`the log shrank: saved size ${state.size}, now ${checkpoint.size}`, `日志变短：已保存大小 ${state.size}，现为 ${checkpoint.size}`));
    else if (state.size === checkpoint.size) {
      if (!equalBytes(oldHash, checkpoint.hash)) fails.push(T(`fork: same size ${checkpoint.size} but another root hash than the saved one`, `分叉：大小同为 ${checkpoint.size}，根哈希与已保存的不同`));
      else info.push(T(`unchanged since the saved state (size ${checkpoint.size})`, `与已保存状态相同（大小 ${checkpoint.size}）`));
    } else if (state.size === 0) info.push(T('saved state was the empty log', '已保存状态为空日志'));
    else if (!consistency || consistency.from !== state.size || consistency.to !== checkpoint.size)
      fails.push(T(`no consistency proof from the saved size ${state.size} to ${checkpoint.size}: the log cannot be shown to have only grown`, `没有从已保存大小 ${state.size} 到 ${checkpoint.size} 的一致性证明：无法证明日志只增未改`));
    else {
      const proof = consistency.proof.map(tryBase64);
      try {
        if (proof.some((p) => !p)) throw new Error('malformed proof');
        checkTree(proof.filter((p): p is Uint8Array => p !== null), checkpoint.size, checkpoint.hash, state.size, oldHash);
        info.push(T(`consistent: ${state.size} → ${checkpoint.size}`, `一致：${state.size} → ${checkpoint.size}`));
      } catch {
        fails.push(T(`fork: the checkpoint of size ${checkpoint.size} does not extend the saved one of size ${state.size}`, `分叉：大小 ${checkpoint.size} 的检查点并未延续已保存的大小 ${state.size} 的检查点`));
      }
    }
    proven = fails.length === 0;
  }
  out.add('log-consistency', null, fails, T('the log only grew', '日志只增未改'), {
    skip,
    info,
    remedy: T('keep the state with --state FILE (accept the first run with --first-run), or require a witness with --witness-key', '使用 --state FILE 保存状态（首次运行用 --first-run 确认），或以 --witness-key 要求见证方联署'),
  });
  return proven;
}

interface ParsedEntry {
  v: number;
  type: string;
  cycle: string | null;
  doc: string;
  refs: Refs;
}

/** The entry bytes as the log writes them (src/log/append.ts), or an error text. */
export function parseEntry(bytes: Uint8Array): ParsedEntry | string {
  let value: unknown;
  let text: string;
  try {
    text = utf8Decode(bytes);
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (canonical(value) !== text) return 'not canonical JSON';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a v1 entry';
  const { v, type, cycle, doc, refs } = value as Record<string, unknown>;
  if (v !== 1 || typeof type !== 'string' || !isHex(doc, 32) || !(cycle === null || typeof cycle === 'string')) return 'not a v1 entry';
  if (typeof refs !== 'object' || refs === null || Array.isArray(refs)) return 'not a v1 entry';
  const refValues: Refs = {};
  for (const [key, ref] of Object.entries(refs)) {
    if (typeof ref !== 'string' && !Number.isSafeInteger(ref)) return 'not a v1 entry';
    refValues[key] = ref as string | number;
  }
  return { v, type, cycle, doc, refs: refValues };
}

/**
 * entry-format, entry-inclusion, document-hashes, document-schemas: reads every entry of the bundle
 * into the ledger the other checks use.
 */
export function readEntries(bundle: ExportBundle, checkpoint: Checkpoint | null, out: Collector): Ledger {
  const format: Text[] = [];
  const inclusion: Text[] = [];
  const hashes: Text[] = [];
  const schemas: Text[] = [];
  const readable: LoggedEntry[] = [];
  const types = new Map<number, string>();
  const unreadable = new Set<number>();
  let previous = -1;
  for (const item of bundle.entries) {
    const at = `#${item.index}`;
    if (item.index <= previous) format.push(T(`entry ${at}: indexes not strictly increasing`, `条目 ${at}：序号未严格递增`));
    previous = Math.max(previous, item.index);
    const bytes = tryBase64(item.entry);
    let entry: ParsedEntry | null = null;
    if (!bytes) format.push(T(`entry ${at}: not base64`, `条目 ${at}：不是 base64`));
    else {
      const parsed = parseEntry(bytes);
      if (typeof parsed === 'string') format.push(T(`entry ${at}: ${parsed}`, `条目 ${at}：格式错误（${parsed}）`));
      else {
        entry = parsed;
        if (parsed.cycle !== bundle.cycleId && !(parsed.cycle === null && CALENDAR_ENTRY_TYPES.includes(parsed.type))) format.push(T(`entry ${at} (${parsed.type}) is of cycle ${parsed.cycle}, not ${bundle.cycleId}`, `条目 ${at}（${parsed.type}）属于周期 ${parsed.cycle}，而非 ${bundle.cycleId}`));
      }
    }
    if (checkpoint && bytes) {
      const label = entry ? ` (${entry.type})` : '';
      if (item.index >= checkpoint.size) inclusion.push(T(`entry ${at} is beyond the checkpoint (size ${checkpoint.size})`, `条目 ${at} 超出检查点（大小 ${checkpoint.size}）`));
      else {
        const proof = item.proof.map(tryBase64);
        try {
          if (proof.some((p) => !p)) throw new Error('malformed proof');
          checkRecord(proof.filter((p): p is Uint8Array => p !== null), checkpoint.size, checkpoint.hash, item.index, recordHash(bytes));
        } catch {
          inclusion.push(T(`entry ${at}${label} is not included in the checkpoint`, `条目 ${at}${label.replace(/^ \((.*)\)$/, '（$1）')} 不包含于检查点`));
        }
      }
    }
    if (!entry) continue;
    types.set(item.index, entry.type);
    const body = bundle.documents[entry.doc];
    const where = `entry ${at} (${entry.type})`;
    const whereZh = `条目 ${at}(${entry.type})`;
    if (body === undefined) {
      hashes.push(T(`${where}: document ${short(entry.doc)} missing`, `${whereZh}：缺少文档 ${short(entry.doc)}`));
      unreadable.add(item.index);
      continue;
    }
    if (sha256Text(body) !== entry.doc) {
      hashes.push(T(`${where}: the document does not match its hash ${short(entry.doc)}`, `${whereZh}：文档与其哈希 ${short(entry.doc)} 不符`));
      unreadable.add(item.index);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
      if (canonical(value) !== body) throw new Error('not canonical');
    } catch {
      hashes.push(T(`${where}: the document is not canonical JSON`, `${whereZh}：文档不是规范 JSON`));
      unreadable.add(item.index);
      continue;
    }
    const typed = parseDocument(entry.type, value);
    if (!typed.ok) {
      schemas.push(T(`${where}: ${typed.error}`, `${whereZh}：${typed.error.startsWith('unknown entry type') ? '未知的条目类型' : `文档格式不符（${typed.error}）`}`));
      unreadable.add(item.index);
      continue;
    }
    readable.push({ index: item.index, cycle: entry.cycle, docHash: entry.doc, refs: entry.refs, ...typed.value } as LoggedEntry);
  }
  const n = bundle.entries.length;
  out.add('entry-format', null, format, T(`${n} entries well-formed`, `${n} 个条目格式正确`), {
    info: bundle.log.pendingEntries ? [T(`${bundle.log.pendingEntries} newer entries of the cycle are not yet in a checkpoint`, `本周期另有 ${bundle.log.pendingEntries} 个较新条目尚未进入检查点`)] : [],
  });
  out.add('entry-inclusion', null, inclusion, T(`${n} inclusion proofs verify`, `${n} 个包含证明均有效`), { skip: checkpoint ? null : T('no verified checkpoint', '没有已验证的检查点') });
  out.add('document-hashes', null, hashes, T('every document matches its entry', '每份文档均与其条目一致'));
  out.add('document-schemas', null, schemas, T(`${readable.length} documents parse under their entry type's schema`, `${readable.length} 份文档均符合其条目类型的格式`));
  return new Ledger(readable, types, unreadable);
}

/** RFC 9162 §2.1.1 Merkle tree hash of a list of leaf hashes. */
export function rootOfLeaves(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_TREE_HASH;
  // Stack of complete subtrees (sizes decreasing powers of two), merged as leaves arrive.
  const stack: { size: number; hash: Uint8Array }[] = [];
  for (const leaf of leaves) {
    let node = { size: 1, hash: leaf };
    for (let top = stack.at(-1); top && top.size === node.size; top = stack.at(-1)) {
      stack.pop();
      node = { size: top.size * 2, hash: nodeHash(top.hash, node.hash) };
    }
    stack.push(node);
  }
  let right = stack.pop();
  for (let left = stack.pop(); left && right; left = stack.pop()) right = { size: left.size + right.size, hash: nodeHash(left.hash, right.hash) };
  return right ? right.hash : EMPTY_TREE_HASH;
}

/**
 * log-completeness: every index below the checkpoint size is in the bundle — the cycle's entries in
 * full, the others' as headers (otherEntries) — none of the others is of this cycle, and the root
 * hash recomputed from all those leaves is the checkpoint's. An entry left out of the bundle, or a
 * row deleted in the bureau's database, shows as a gap.
 */
export function checkLogCompleteness(bundle: ExportBundle, checkpoint: Checkpoint | null, out: Collector): void {
  if (!checkpoint) {
    out.add('log-completeness', null, [], T('', ''), { skip: T('no verified checkpoint', '没有已验证的检查点') });
    return;
  }
  const fails: Text[] = [];
  const leaves = new Map<number, Uint8Array>();
  const put = (index: number, text: string, other: boolean) => {
    const bytes = tryBase64(text);
    if (!bytes || index >= checkpoint.size || leaves.has(index)) return;
    if (other) {
      const parsed = parseEntry(bytes);
      if (typeof parsed === 'string') fails.push(T(`entry #${index} (given as another cycle's): ${parsed}`, `条目 #${index}（作为其他周期条目给出）：${parsed}`));
      else if (parsed.cycle === bundle.cycleId) fails.push(T(`entry #${index} (${parsed.type}) is of this cycle but given only as a header`, `条目 #${index}（${parsed.type}）属于本周期，却仅以条目头给出`));
    }
    leaves.set(index, recordHash(bytes));
  };
  for (const item of bundle.entries) put(item.index, item.entry, false);
  for (const item of bundle.otherEntries ?? []) put(item.index, item.entry, true);
  const missing: number[] = [];
  for (let i = 0; i < checkpoint.size; i++) if (!leaves.has(i)) missing.push(i);
  if (missing.length) {
    const list = missing.slice(0, 20).map((i) => `#${i}`).join(', ') + (missing.length > 20 ? ` … (${missing.length})` : '');
    fails.push(T(`${missing.length} entr${missing.length === 1 ? 'y' : 'ies'} below the checkpoint not in the bundle: ${list}`, `检查点以下有 ${missing.length} 个条目不在数据包中：${list}`));
  } else {
    const root = rootOfLeaves(Array.from({ length: checkpoint.size }, (_, i) => leaves.get(i) ?? EMPTY_TREE_HASH));
    if (!equalBytes(root, checkpoint.hash)) fails.push(T('the root hash of all entries is not the checkpoint’s', '全部条目的根哈希与检查点不符'));
  }
  out.add('log-completeness', null, fails, T(`all ${checkpoint.size} entries below the checkpoint accounted for; their root hash is the checkpoint's`, `检查点以下全部 ${checkpoint.size} 个条目均有着落，其根哈希与检查点一致`));
}
