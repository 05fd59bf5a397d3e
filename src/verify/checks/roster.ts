/**
 * The judging group's roster as the log records it (src/members/roster-changes.ts): a correction
 * (member-amended) or removal (member-removed) names a member registered in the cycle and still on it,
 * and comes before the member took part — before any member-enrolled of theirs and before any
 * meeting-open that lists them; and nothing names a removed member after the removal (an enrolment,
 * a meeting roster, a check-in). `rosterUnitsBefore` is the roster's member units as of an entry, for
 * the checks that cite them.
 * @module
 */
import type { Ledger, LoggedEntry } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

/** The member units on the roster just before entry `index`: registrations with corrections and removals applied. */
export function rosterUnitsBefore(ledger: Ledger, index: number): Set<string> {
  const units = new Map<string, string>();
  for (const e of ledger.entries) {
    if (e.index >= index) break;
    if (e.type === 'member-registered' || e.type === 'member-amended') units.set(e.doc.memberId, e.doc.unit);
    else if (e.type === 'member-removed') units.delete(e.doc.memberId);
  }
  return new Set(units.values());
}

/** roster-changes */
export function checkRosterChanges(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const registered = new Map(ledger.ofType('member-registered').map((e) => [e.doc.memberId, e]));
  const removedAt = new Map<string, number>();
  /** The first entry at which the member took part (their tablet enrolled, or listed on an opened meeting). */
  const tookPart = new Map<string, LoggedEntry>();
  const names = (e: LoggedEntry): string[] =>
    e.type === 'member-enrolled' || e.type === 'checkin' ? [e.doc.memberId] : e.type === 'meeting-open' ? e.doc.roster.map((m) => m.memberId) : [];
  let changes = 0;
  for (const e of ledger.entries) {
    for (const id of names(e)) {
      if (!tookPart.has(id)) tookPart.set(id, e);
      const removed = removedAt.get(id);
      if (removed !== undefined) fails.push(T(`#${e.index} (${e.type}) names member ${id}, removed at #${removed}`, `#${e.index}（${e.type}）涉及已于 #${removed} 移出名单的成员 ${id}`));
    }
    if (e.type !== 'member-amended' && e.type !== 'member-removed') continue;
    changes++;
    const { memberId, cycleId, name } = e.doc;
    const who = { en: `${e.type} #${e.index} (${name})`, zh: `${e.type === 'member-removed' ? '移出名单' : '更正成员'} #${e.index}（${name}）` };
    const reg = registered.get(memberId);
    if (!reg || reg.index > e.index || reg.doc.cycleId !== cycleId) fails.push(T(`${who.en}: no such member registered before it in the cycle`, `${who.zh}：此前本周期未登记该成员`));
    if (removedAt.has(memberId)) fails.push(T(`${who.en}: the member was already removed`, `${who.zh}：该成员已移出名单`));
    const took = tookPart.get(memberId);
    if (took) fails.push(T(`${who.en}: after the member took part (#${took.index} ${took.type})`, `${who.zh}：晚于该成员参与（#${took.index} ${took.type}）`));
    if (e.type === 'member-removed') removedAt.set(memberId, e.index);
  }
  out.add('roster-changes', null, fails, T(`${changes} roster corrections and removals, each before the member took part`, `${changes} 项名单更正与移出，均在成员参与之前`));
}
