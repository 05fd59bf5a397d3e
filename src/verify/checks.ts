/**
 * The supervisory group's independent verifier: pure checks over a cycle export bundle (bundle.ts).
 * No I/O and no runtime imports beyond the pure code it shares with the server (the vote rules, the
 * calendar, the log's document schemas) — the CLI (scripts/verify.ts) and the supervisors' page in
 * the browser (src/web/browser/supervisor.ts) run this same function, so both show the same checks
 * by the same names with the same verdicts.
 *
 * What is trusted: only the log key the supervisors pinned (and the witness keys they require).
 * Everything else is recomputed, one concern per file under checks/: the log (checkpoint, origin,
 * cosignatures, consistency with the saved state, every entry included and accounted for, every
 * document matching its hash and its type's schema), references and times between entries, the
 * calendar (the verifier's own State Council table, the log's calendar entries, the entries each deadline
 * names), check-ins, each ballot stage by stage
 * (decision method, settings, quorum, key first, bulletin signatures and order, recount, result
 * under its own rules, show-of-hands records and signatures), the 25-seat cap, notices (corrections,
 * windows, lists bound to results) and objections (deadlines, results in time); and, when the CLI
 * read the server live (--url), whether what it serves agrees with the log.
 *
 * A check that cannot be established says why and how to establish it (CheckResult.remedy); a run
 * whose history is anchored neither by a saved state nor by a witness is reported as such
 * (VerifyReport.anchored) — see checks/log.ts.
 * @module
 */
import { toBase64 } from '../../crypto/bytes.js';
import { batchVerify } from '../../crypto/blind.js';
import type { ExportBundle } from './bundle.js';
import { ballotsOf, checkBallotEligible, checkBallotEntries, checkBallotKeyFirst, checkBallotMethod, checkBallotResult, checkBallotSettings, checkSeatCap } from './checks/ballots.js';
import { checkBulletin } from './checks/bulletins.js';
import { checkCalendarLog, checkCalendarTable, checkDeadlineEntries, readCalendarLog } from './checks/calendar.js';
import { checkCheckins } from './checks/checkins.js';
import { checkRosterChanges } from './checks/roster.js';
import { checkHands, readHandsRecords } from './checks/hands.js';
import { checkLive } from './checks/live.js';
import { checkCheckpointOrigin, checkCheckpointSignature, checkLogCompleteness, checkLogConsistency, checkWitnessCosignatures, readEntries } from './checks/log.js';
import { checkNoticeCorrections, checkNoticeResults, checkNoticeWindows, windowDeadlines } from './checks/notices.js';
import { checkObjectionDeadlines, checkObjectionResults, objectionDeadlines } from './checks/objections.js';
import { checkObjectionFindings, checkObjectionHolds, checkObjectionUnits } from './checks/objection-verification.js';
import { checkEntryReferences, checkEntryTimes } from './checks/references.js';
import { checkCoIssuance } from './checks/cosign.js';
import { checkConduct } from './checks/recusals.js';
import { checkBallotCandidates, checkInitialWinnersDerived, checkListSequence, checkRegister, checkRevocations } from './checks/chain.js';
import { checkAwardFixed, checkAwardNotice, checkGovernmentDecision } from './checks/award.js';
import { checkAwardFiles } from './checks/award-files.js';
import { checkBallotWithdrawals, checkSeatsHeld, withdrawnBallots } from './checks/withdrawals.js';
import { checkSimulatedClock, simulatedOffsetMs } from './checks/clock.js';
import { Collector, type BlsBackend, type LogState, type Status, type VerifyOptions, type VerifyReport } from './checks/types.js';

export { CHECKS, type BlsBackend, type CheckId, type CheckResult, type LiveView, type LogState, type Status, type Text, type VerifyOptions, type VerifyReport } from './checks/types.js';

export const PURE_BLS: BlsBackend = { name: '@noble/curves (pure JS)', batchVerify: (publicKey, items) => batchVerify(publicKey, items) };

/** Runs every check over a parsed bundle (bundle.ts parseBundle). Never throws for bad contents. */
export function verifyBundle(bundle: ExportBundle, options: VerifyOptions & { firstRun?: boolean }): VerifyReport {
  const now = options.now ?? new Date();
  const bls = options.bls ?? PURE_BLS;
  const state = options.state ?? null;
  const out = new Collector();

  // The log.
  const checkpoint = checkCheckpointSignature(bundle, options, out);
  const originOk = checkCheckpointOrigin(checkpoint, options, out);
  const cosignatures = checkWitnessCosignatures(bundle, options, out);
  const witnessed = (options.witnessKeys ?? []).length > 0 && cosignatures.length === (options.witnessKeys ?? []).length;
  const consistent = checkLogConsistency(bundle, state, checkpoint, out);
  const ledger = readEntries(bundle, checkpoint, out);
  checkLogCompleteness(bundle, checkpoint, out);
  checkEntryReferences(ledger, bundle, out);
  checkEntryTimes(ledger, out);

  // The calendar and the meeting.
  // Deadlines count with the verifier's own tables, and with calendar entries of the log made before them.
  const calendarLog = readCalendarLog(ledger);
  const calendars = checkCalendarTable(bundle.calendar, calendarLog, out);
  checkCalendarLog(calendarLog, out);
  checkRosterChanges(ledger, out);
  checkCheckins(ledger, out);

  // Ballots, stage by stage.
  const ballots = ballotsOf(ledger);
  const byId = new Map(ballots.map((b) => [b.ballotId, b]));
  const records = readHandsRecords(bundle, ballots);
  const withdrawn = withdrawnBallots(ledger);
  for (const ballot of ballots) {
    checkBallotEntries(ballot, out);
    checkBallotMethod(ballot, out);
    checkBallotSettings(ballot, byId, out);
    checkBallotEligible(ballot, ledger, out);
    // A withdrawn ballot never opened: no key, bulletin, hands or result to check (ballot-withdrawn fails if it had any).
    if (withdrawn.has(ballot.ballotId)) continue;
    checkBallotKeyFirst(ballot, out);
    checkBulletin(ballot, ledger, bls, out);
    checkHands(ballot, bundle, ledger, records, out);
    checkBallotResult(ballot, out);
  }
  checkSeatCap(ballots, out);
  checkSeatsHeld(ledger, out);
  checkBallotWithdrawals(ledger, byId, out);
  // How the meeting was conducted: 表决办法, 回避, 计票人/监票人.
  for (const f of checkConduct(ledger)) out.add(f.id, null, f.fails, f.message, { warn: f.warn, info: f.info ?? [] });

  // Notices and objections.
  checkNoticeCorrections(ledger, bundle.cycleId, out);
  checkNoticeWindows(ledger, calendars, out);
  checkNoticeResults(ledger, out);
  checkInitialWinnersDerived(ledger, bundle.cycleId, out);
  checkRegister(ledger, out);
  checkListSequence(ledger, out);
  checkBallotCandidates(ledger, out);
  checkAwardFixed(ledger, out);
  checkGovernmentDecision(ledger, out);
  checkAwardFiles(ledger, bundle, out);
  checkAwardNotice(ledger, out);
  checkRevocations(ledger, now, out);
  checkObjectionDeadlines(ledger, calendars, out);
  // A demonstration's log is judged on its own clock (checks/clock.ts), unless a date is given.
  const offset = simulatedOffsetMs(ledger);
  const asOf = options.asOf ?? (offset === null ? now : new Date(now.getTime() + offset));
  checkSimulatedClock(ledger, bundle.cycleId, asOf, options.asOf !== undefined, out);
  checkObjectionResults(ledger, asOf, out);
  checkObjectionUnits(ledger, out);
  checkObjectionFindings(ledger, out);
  checkObjectionHolds(ledger, out);
  checkDeadlineEntries(ledger, calendars, [...windowDeadlines(ledger), ...objectionDeadlines(ledger)], out);

  // What the server serves live (--url).
  checkLive(ledger, options.live ?? null, checkpoint?.size ?? null, out);

  // Co-issuance with the supervisory group's co-signer, enrollments, cast receipts.
  checkCoIssuance(ledger, { cosignerKey: options.cosignerKey, receipts: options.receipts }, out);

  const counts: Record<Status, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const result of out.results) counts[result.status]++;
  const anchored = consistent || witnessed;
  // A state is saved only for a checkpoint that verified and was anchored (proven to extend the saved
  // one, or cosigned by a required witness), or on a first run the caller explicitly accepted.
  const saveable = checkpoint !== null && originOk && (anchored || (state === null && options.firstRun === true));
  const newState: LogState | null = checkpoint && saveable ? { origin: checkpoint.origin, size: checkpoint.size, hash: toBase64(checkpoint.hash), checkpoint: bundle.log.checkpoint, savedAt: now.toISOString() } : null;
  return {
    format: 'hzqa-verify-report/v1',
    ok: counts.fail === 0,
    anchored,
    cycleId: bundle.cycleId,
    asOf: asOf.toISOString(),
    exportedAt: bundle.exportedAt,
    audience: bundle.audience,
    checkpoint: checkpoint ? { origin: checkpoint.origin, size: checkpoint.size, root: toBase64(checkpoint.hash), cosignatures } : null,
    bls: bls.name,
    counts,
    checks: out.results,
    newState,
  };
}
