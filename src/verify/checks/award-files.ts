/**
 * award-files: the files the 审定's approval rests on, as the bundle carries them. The city government's
 * decision (四(二)) is public: its document file is in every export; the bureau's submission (提请市政府审议
 * 批准) is for staff and the supervisory group: its file is in their exports only. Each file present is
 * hashed again here (SHA-256 of its bytes) and must be the hash and size the log recorded for it; the
 * decision's file, and in a staff or supervisors' export the submission's, must be present; a file no
 * logged submission or decision names has no place in the bundle.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64, toHex } from '../../../crypto/bytes.js';
import type { ExportBundle } from '../bundle.js';
import type { Ledger } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

export function checkAwardFiles(ledger: Ledger, bundle: ExportBundle, out: Collector): void {
  const fails: Text[] = [];
  const info: Text[] = [];
  const files = bundle.files ?? {};
  const named = new Set<string>();
  let hashed = 0;
  const staffExport = bundle.audience !== 'public';
  const logged = [
    ...ledger.ofType('award-submission').map((e) => ({ index: e.index, file: e.doc.file, what: T(`submission ${e.doc.documentNumber}`, `提请文件 ${e.doc.documentNumber}`), required: staffExport })),
    ...ledger.ofType('government-decision').map((e) => ({ index: e.index, file: e.doc.file, what: T(`decision ${e.doc.documentNumber}`, `市政府决定 ${e.doc.documentNumber}`), required: true })),
  ];
  for (const { index, file, what, required } of logged) {
    named.add(file.sha256);
    const text = files[file.sha256];
    if (text === undefined) {
      if (required) fails.push(T(`${what.en} (#${index}): its file ${file.name} is not in the bundle`, `${what.zh}（#${index}）：导出中没有其文件 ${file.name}`));
      else info.push(T(`${what.en} (#${index}): its file is for staff and the supervisory group; only its logged SHA-256 ${file.sha256} is public`, `${what.zh}（#${index}）：其文件仅供工作人员及监督小组查阅，公开的只有日志中的 SHA-256 ${file.sha256}`));
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(text);
    } catch {
      fails.push(T(`${what.en} (#${index}): its file ${file.name} is not base64`, `${what.zh}（#${index}）：文件 ${file.name} 不是有效的 base64 编码`));
      continue;
    }
    const actual = toHex(sha256(bytes));
    if (actual !== file.sha256) fails.push(T(`${what.en} (#${index}): the bytes of ${file.name} hash to ${actual}, the log recorded ${file.sha256}`, `${what.zh}（#${index}）：文件 ${file.name} 的 SHA-256 为 ${actual}，与日志记录的 ${file.sha256} 不符`));
    else if (bytes.byteLength !== file.size) fails.push(T(`${what.en} (#${index}): ${file.name} has ${bytes.byteLength} bytes, the log recorded ${file.size}`, `${what.zh}（#${index}）：文件 ${file.name} 为 ${bytes.byteLength} 字节，日志记录为 ${file.size} 字节`));
    else {
      hashed++;
      info.push(T(`${what.en} (#${index}): ${file.name}, ${file.size} bytes, SHA-256 ${actual} as logged`, `${what.zh}（#${index}）：${file.name}，${file.size} 字节，SHA-256 ${actual} 与日志一致`));
    }
  }
  for (const hash of Object.keys(files)) if (!named.has(hash)) fails.push(T(`the bundle carries a file ${hash} that no logged submission or decision names`, `导出中的文件 ${hash} 并非已登记的提请文件或市政府决定`));
  out.add('award-files', null, fails, T(`${hashed} file(s) in the bundle hashed again: each as the log recorded it`, `导出中的 ${hashed} 份文件重新计算哈希，均与日志记录一致`), {
    info,
    skip: logged.length === 0 ? T('no submission or decision recorded yet', '尚未登记提请文件或市政府决定') : null,
  });
}
