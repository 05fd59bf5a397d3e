/**
 * Withdrawn ballots and the seats ballots hold (三(一)): a withdrawal names the ballot's own
 * preparation, earlier in the log, and nothing of the vote (key, hands, casting, bulletin, result)
 * exists for that ballot; and every ballot, when prepared, fitted in its award's 25 seats less the
 * winners of the results logged before it and the seats of the ballots still held (prepared, neither
 * tallied nor withdrawn) — the same count the server refuses a preparation by.
 * @module
 */
import { AWARD_NAMES, MAX_WINNERS_PER_AWARD, type Award } from '../../votes/rules.js';
import type { BallotStages } from './ballots.js';
import type { Ledger } from './ledger.js';
import { T, type Collector, type Text } from './types.js';

/** The ballots the log shows withdrawn (by a readable ballot-withdrawn entry). */
export function withdrawnBallots(ledger: Ledger): Set<string> {
  return new Set(ledger.ofType('ballot-withdrawn').map((w) => w.doc.ballotId));
}

/** ballot-withdrawn: each withdrawal names its ballot's preparation, once, and the ballot never opened. */
export function checkBallotWithdrawals(ledger: Ledger, ballots: ReadonlyMap<string, BallotStages>, out: Collector): void {
  const fails: Text[] = [];
  const seen = new Map<string, number>();
  const withdrawals = ledger.ofType('ballot-withdrawn');
  for (const w of withdrawals) {
    const d = w.doc;
    const who = { en: `withdrawal #${w.index} of ballot ${d.ballotId}`, zh: `投票 ${d.ballotId} 的撤回 #${w.index}` };
    const twice = seen.get(d.ballotId);
    if (twice !== undefined) fails.push(T(`${who.en}: already withdrawn at #${twice}`, `${who.zh}：已于 #${twice} 撤回`));
    seen.set(d.ballotId, w.index);
    const prepared = ledger.atOfType(d.preparedLogIndex, 'ballot-prepared');
    if (!prepared || prepared.doc.ballotId !== d.ballotId) {
      fails.push(T(`${who.en}: #${d.preparedLogIndex} is not this ballot's preparation`, `${who.zh}：#${d.preparedLogIndex} 并非该投票的准备条目`));
      continue;
    }
    if (prepared.index > w.index) fails.push(T(`${who.en}: before the ballot was prepared (#${prepared.index})`, `${who.zh}：早于投票准备（#${prepared.index}）`));
    const p = prepared.doc;
    if (p.cycleId !== d.cycleId || p.meetingId !== d.meetingId || p.award !== d.award || p.seats !== d.seats)
      fails.push(T(`${who.en}: cycle, meeting, award or seats differ from the prepared ballot`, `${who.zh}：周期、会议、奖项或名额与准备时不一致`));
    const stages = ballots.get(d.ballotId);
    const opened: [string, { index: number } | undefined][] = stages
      ? [
          ['ballot-key', stages.key],
          ['ballot-voting', stages.voting],
          ['ballot-phase', stages.casting],
          ['ballot-bulletin', stages.bulletin],
          ['ballot-result', stages.result],
        ]
      : [];
    for (const [type, entry] of opened) if (entry) fails.push(T(`${who.en}: the vote opened (${type} #${entry.index}); only a ballot not yet opened can be withdrawn`, `${who.zh}：该投票已开始（${type} #${entry.index}），只有尚未开始的投票才能撤回`));
    const recusal = ledger.ofType('recusal').find((r) => r.doc.ballotId === d.ballotId && r.index > w.index);
    if (recusal) fails.push(T(`${who.en}: a recusal (#${recusal.index}) after the withdrawal`, `${who.zh}：撤回后仍有回避条目（#${recusal.index}）`));
  }
  out.add('ballot-withdrawn', null, fails, T(`${withdrawals.length} withdrawn ballot(s), each before its vote opened`, `${withdrawals.length} 个投票已撤回，均在表决开始前`));
}

/** award-seats-held: 三(一) — every ballot's seats were free when it was prepared (25 − won − held). */
export function checkSeatsHeld(ledger: Ledger, out: Collector): void {
  const fails: Text[] = [];
  const held = new Map<string, { award: Award; seats: number }>();
  const won: Record<Award, number> = { quality: 0, innovation: 0, excellence: 0 };
  let prepared = 0;
  for (const e of ledger.entries) {
    if (e.type === 'ballot-prepared') {
      prepared++;
      const { award, seats, ballotId } = e.doc;
      let heldSeats = 0;
      for (const h of held.values()) if (h.award === award) heldSeats += h.seats;
      const left = MAX_WINNERS_PER_AWARD - won[award] - heldSeats;
      if (seats > left)
        fails.push(T(`ballot ${ballotId} (#${e.index}) takes ${seats} seat(s) of ${AWARD_NAMES[award].en}; only ${left} were free (${won[award]} won, ${heldSeats} held)`, `投票 ${ballotId}（#${e.index}）占 ${seats} 个${AWARD_NAMES[award].zh}名额，当时仅余 ${left} 个（已授 ${won[award]} 个，占用 ${heldSeats} 个）`));
      held.set(ballotId, { award, seats });
    } else if (e.type === 'ballot-withdrawn') held.delete(e.doc.ballotId);
    else if (e.type === 'ballot-result') {
      held.delete(e.doc.ballotId);
      won[e.doc.award] += e.doc.result.winners.length;
    }
  }
  out.add('award-seats-held', null, fails, T(`${prepared} ballot(s), each within the seats free when prepared`, `${prepared} 个投票，准备时均未超出所余名额`));
}
