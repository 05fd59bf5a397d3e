/**
 * live-agrees (--url mode): what the server serves right now — notices, bulletins, objection
 * receipts and their states — is what the log holds. A page that shows another text, another
 * bulletin or a due date than the logged one fails, as does a logged notice or receipt the server no
 * longer serves. Not run on a saved bundle (there is nothing live to compare).
 * @module
 */
import { canonical, sha256Text } from '../canonical.js';
import type { Ledger } from './ledger.js';
import { T, type Collector, type LiveView, type Text } from './types.js';
import { effectiveDue } from './objections.js';

/** `covered`: the size of the checkpoint the bundle was verified against (null when it did not verify). */
export function checkLive(ledger: Ledger, live: LiveView | null, covered: number | null, out: Collector): void {
  if (!live) return;
  const fails: Text[] = [];
  const notices = ledger.ofType('notice');
  for (const served of live.notices) {
    if (served.logIndex === null) continue; // a draft
    // Published after the checkpoint this bundle covers: checked by the next run, not failed as missing.
    if (covered !== null && served.logIndex >= covered) continue;
    const logged = ledger.atOfType(served.logIndex, 'notice');
    if (!logged) {
      fails.push(T(`notice ${served.id} is served as log entry #${served.logIndex}, which is no notice of this cycle's log`, `公告 ${served.id} 称为日志条目 #${served.logIndex}，但本周期日志中该条目不是公告`));
      continue;
    }
    const text = canonical(served.document);
    if (logged.doc.id !== served.id || served.documentHash !== logged.docHash || text === null || sha256Text(text) !== logged.docHash)
      fails.push(T(`notice ${served.id}: the text served differs from the logged document #${logged.index}`, `公告 ${served.id}：当前提供的内容与日志文档 #${logged.index} 不同`));
  }
  for (const logged of notices) if (!live.notices.some((n) => n.logIndex === logged.index)) fails.push(T(`notice ${logged.doc.id} (#${logged.index}) is logged but no longer served`, `公告 ${logged.doc.id}（#${logged.index}）已记入日志，但当前未提供`));
  for (const served of live.bulletins) {
    const logged = ledger.atOfType(served.logIndex, 'ballot-bulletin');
    const same = logged && logged.doc.ballotId === served.ballotId && canonical(served.ballots) === canonical(logged.doc.ballots.map((b) => ({ token: b.token, choices: b.choices })));
    if (!same) fails.push(T(`ballot ${served.ballotId}: the bulletin served differs from the logged bulletin`, `投票 ${served.ballotId}：当前提供的选票公告与日志中的不同`));
  }
  const receipts = ledger.ofType('objection-receipt');
  for (const served of live.receipts) {
    const logged = ledger.atOfType(served.receiptLogIndex, 'objection-receipt');
    if (!logged || logged.doc.trackingNo !== served.trackingNo || logged.docHash !== served.receiptDocumentHash || effectiveDue(ledger, logged).dueDate !== served.dueDate) {
      fails.push(T(`objection ${served.trackingNo}: the receipt served differs from the logged receipt #${served.receiptLogIndex}`, `异议 ${served.trackingNo}：当前提供的回执与日志回执 #${served.receiptLogIndex} 不同`));
      continue;
    }
    if (served.resultNoticeId !== null && !notices.some((n) => n.doc.id === served.resultNoticeId && n.doc.objections?.some((o) => o.receiptLogIndex === logged.index)))
      fails.push(T(`objection ${served.trackingNo}: shown as answered by ${served.resultNoticeId}, which the log does not hold as its result`, `异议 ${served.trackingNo}：显示已由 ${served.resultNoticeId} 答复，但日志中没有该核查结果`));
    if (served.resultNoticeId === null && notices.some((n) => n.doc.objections?.some((o) => o.receiptLogIndex === logged.index)))
      fails.push(T(`objection ${served.trackingNo}: shown as unanswered, but its result is logged`, `异议 ${served.trackingNo}：显示为未答复，但日志中已有其核查结果`));
  }
  for (const logged of receipts) if (!live.receipts.some((r) => r.receiptLogIndex === logged.index)) fails.push(T(`objection ${logged.doc.trackingNo} (#${logged.index}) is logged but not served`, `异议 ${logged.doc.trackingNo}（#${logged.index}）已记入日志，但当前未提供`));
  out.add('live-agrees', null, fails, T(`${live.notices.length} notices, ${live.bulletins.length} bulletins and ${live.receipts.length} receipts served as logged`, `当前提供的 ${live.notices.length} 份公告、${live.bulletins.length} 份选票公告及 ${live.receipts.length} 份回执均与日志一致`));
}
