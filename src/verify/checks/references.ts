/**
 * Links between entries: refs in an entry name entries of the right type that say the same as the
 * document; every ballot entry belongs to a prepared ballot, every meeting entry to an opened
 * meeting; a tallied ballot has each stage its kind requires; a named record's check-ins are logged.
 * And times: publication stamps never go back in log order.
 * @module
 */
import type { ExportBundle } from '../bundle.js';
import type { Ledger, LoggedEntry } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

/** entry-references */
export function checkEntryReferences(ledger: Ledger, bundle: ExportBundle, out: Collector): void {
  const fails: Text[] = [];
  const want = (from: LoggedEntry, what: string, target: unknown, types: readonly string[]): LoggedEntry | undefined => {
    const label = `entry #${from.index} (${from.type})`;
    const labelZh = `条目 #${from.index}(${from.type})`;
    if (typeof target !== 'number' || !Number.isSafeInteger(target)) {
      fails.push(T(`${label}: ${what} is not an entry index`, `${labelZh}：${what} 不是条目序号`));
      return undefined;
    }
    const type = ledger.types.get(target);
    if (type === undefined) {
      fails.push(T(`${label}: ${what} → entry #${target}, which is not in the bundle`, `${labelZh}：${what} 指向条目 #${target}，数据包中没有该条目`));
      return undefined;
    }
    if (!types.includes(type)) fails.push(T(`${label}: ${what} → entry #${target} is a ${type}, not a ${types.join('/')}`, `${labelZh}：${what} 指向的条目 #${target} 类型为 ${type}，而非 ${types.join('/')}`));
    return ledger.at(target);
  };
  const same = (from: LoggedEntry, what: string, inRefs: unknown, inDocument: unknown) => {
    if (inRefs !== inDocument) fails.push(T(`entry #${from.index} (${from.type}): refs.${what} (${String(inRefs)}) ≠ the document's (${String(inDocument)})`, `条目 #${from.index}（${from.type}）：refs.${what}（${String(inRefs)}）与文档（${String(inDocument)}）不符`));
  };
  const prepared = ledger.byBallot('ballot-prepared');
  const meetings = new Set(ledger.ofType('meeting-open').map((e) => e.doc.meetingId));

  for (const entry of ledger.entries) {
    switch (entry.type) {
      case 'ballot-bulletin':
        want(entry, 'refs.keyLogIndex', entry.refs.keyLogIndex, ['ballot-key']);
        same(entry, 'keyLogIndex', entry.refs.keyLogIndex, entry.doc.keyLogIndex);
        break;
      case 'ballot-result':
        if (entry.doc.kind === 'secret') {
          want(entry, 'refs.bulletinLogIndex', entry.refs.bulletinLogIndex, ['ballot-bulletin']);
          same(entry, 'bulletinLogIndex', entry.refs.bulletinLogIndex, entry.doc.bulletinLogIndex);
        }
        break;
      case 'objection-receipt':
        if (entry.refs.notice !== undefined || entry.doc.noticeLogIndex !== null) want(entry, 'refs.notice', entry.refs.notice, ['notice']);
        same(entry, 'notice', entry.refs.notice ?? null, entry.doc.noticeLogIndex);
        break;
      case 'notice': {
        const corrects = entry.doc.corrects;
        if (entry.refs.corrects !== undefined || corrects) {
          const target = want(entry, 'refs.corrects', entry.refs.corrects, ['notice']);
          if (corrects) {
            same(entry, 'corrects', entry.refs.corrects, corrects.logIndex);
            if (target && (target.docHash !== corrects.documentHash || (target.type === 'notice' && target.doc.id !== corrects.id)))
              fails.push(T(`notice #${entry.index} corrects #${target.index}, but names another document or notice id`, `公告 #${entry.index} 更正 #${target.index}，但所述文档或公告编号不符`));
          }
        }
        for (const [key, value] of Object.entries(entry.refs)) {
          const match = /^(result|bulletin|receipt)\.(\d+)$/.exec(key);
          if (!match) continue;
          const kind = match[1];
          const position = Number(match[2]);
          want(entry, `refs.${key}`, value, [kind === 'result' ? 'ballot-result' : kind === 'bulletin' ? 'ballot-bulletin' : 'objection-receipt']);
          const stated = kind === 'result' ? entry.doc.ballots?.[position]?.resultLogIndex : kind === 'bulletin' ? entry.doc.ballots?.[position]?.bulletinLogIndex : entry.doc.objections?.[position]?.receiptLogIndex;
          same(entry, key, value, stated);
        }
        break;
      }
      default:
        break;
    }
    if ('ballotId' in entry.doc && entry.type.startsWith('ballot-') && entry.type !== 'ballot-prepared' && !prepared.has(entry.doc.ballotId))
      fails.push(T(`entry #${entry.index} (${entry.type}) is of ballot ${entry.doc.ballotId}, whose ballot-prepared entry is not in the bundle`, `条目 #${entry.index}（${entry.type}）所属投票 ${entry.doc.ballotId} 的 ballot-prepared 条目不在数据包中`));
    if ((entry.type === 'checkin' || entry.type === 'ballot-prepared' || entry.type === 'meeting-close') && !meetings.has(entry.doc.meetingId))
      fails.push(T(`entry #${entry.index} (${entry.type}) names meeting ${entry.doc.meetingId}, whose meeting-open entry is not in the bundle`, `条目 #${entry.index}（${entry.type}）所述会议 ${entry.doc.meetingId} 的 meeting-open 条目不在数据包中`));
  }

  // Every tallied ballot has each entry its kind requires.
  if (!ledger.someUnreadable) {
    const keys = ledger.byBallot('ballot-key');
    const votings = ledger.byBallot('ballot-voting');
    const castings = ledger.byBallot('ballot-phase');
    const bulletins = ledger.byBallot('ballot-bulletin');
    for (const [ballotId, results] of ledger.byBallot('ballot-result')) {
      const kind = results[0]?.doc.kind;
      const need: [string, Map<string, unknown>][] = kind === 'secret' ? [['ballot-key', keys], ['ballot-phase (casting)', castings], ['ballot-bulletin', bulletins]] : [['ballot-voting', votings]];
      for (const [name, stage] of need) if (!stage.has(ballotId)) fails.push(T(`ballot ${ballotId} has a result but no ${name} entry in the bundle`, `投票 ${ballotId} 有结果，但数据包中没有其 ${name} 条目`));
    }
  }

  for (const item of bundle.handsRecords) {
    const votes = recordVotes(item.record);
    for (const vote of votes) {
      if (vote.checkinLogIndex === null) continue;
      if (ledger.types.get(vote.checkinLogIndex) !== 'checkin')
        fails.push(T(`record of ${item.ballotId}: ${vote.name}'s check-in #${vote.checkinLogIndex} is not in the bundle`, `${item.ballotId} 的记录：${vote.name} 的签到条目 #${vote.checkinLogIndex} 不在数据包中`));
    }
  }
  out.add('entry-references', null, fails, T('every reference resolves to an entry of the right type', '每个引用均指向类型正确的条目'));
}

/** The (name, check-in index) of each vote of a named record, read leniently (hands.ts parses it fully). */
function recordVotes(record: unknown): { name: string; checkinLogIndex: number | null }[] {
  if (typeof record !== 'object' || record === null || !('votes' in record) || !Array.isArray(record.votes)) return [];
  return record.votes.flatMap((vote: unknown) => {
    if (typeof vote !== 'object' || vote === null) return [];
    const name = 'name' in vote && typeof vote.name === 'string' ? vote.name : '?';
    const index = 'checkinLogIndex' in vote && typeof vote.checkinLogIndex === 'number' ? vote.checkinLogIndex : null;
    return [{ name, checkinLogIndex: index }];
  });
}

/**
 * entry-times: the publication stamp of each notice, and the received date of each objection, never
 * go back in log order — a result stamped 11-06 but logged after a notice of 11-12 was back-dated.
 */
export function checkEntryTimes(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  let latestDay = '';
  let latestIndex = -1;
  let latestInstant = Number.NEGATIVE_INFINITY;
  let count = 0;
  for (const entry of ledger.entries) {
    let instant: number | null = null;
    let day: string | null = null;
    if (entry.type === 'notice') {
      instant = Date.parse(entry.doc.publishedAt);
      day = entry.doc.publishedAt.slice(0, 10);
      if (Number.isNaN(instant) || !/^\d{4}-\d{2}-\d{2}T.*\+08:00$/.test(entry.doc.publishedAt)) {
        fails.push(T(`notice #${entry.index}: publishedAt ${entry.doc.publishedAt} is not a Beijing time`, `公告 #${entry.index}：发布时间 ${entry.doc.publishedAt} 不是北京时间`));
        continue;
      }
    } else if (entry.type === 'objection-receipt') day = entry.doc.receivedDate;
    if (day === null) continue;
    count++;
    if (day < latestDay || (instant !== null && instant < latestInstant))
      fails.push(T(`entry #${entry.index} (${entry.type}) is dated ${day} but logged after #${latestIndex} of ${latestDay}`, `条目 #${entry.index}（${entry.type}）日期为 ${day}，却记录于 ${latestDay} 的 #${latestIndex} 之后`));
    if (day >= latestDay) {
      latestDay = day;
      latestIndex = entry.index;
    }
    if (instant !== null && instant > latestInstant) latestInstant = instant;
  }
  out.add('entry-times', null, fails, T(`${count} dated entries in time order`, `${count} 个带日期的条目按时间顺序记录`));
}
