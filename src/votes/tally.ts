// Tallying: the result under the ballot's own rules, logged with what it was computed from.
import type { Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { appendEntry, type DocumentOf } from '../log/index.js';
import { decide, tally } from './rules.js';
import { buildBulletin } from './secret.js';
import { handsRecord } from './hands.js';
import { unconfirmedStaffHands } from './countersign.js';
import { Problem } from '../errors.js';
import type { BallotView } from './ballots.js';
import { effectiveRecusals } from './recusal.js';
import { recusedCounts } from './rules.js';

export async function tallyBallot(trx: Transaction<Database>, b: BallotView) {
  const candidateIds = b.candidates.map((c) => c.id);
  const present = b.eligible!.length;
  const settings = { ballotId: b.id, cycleId: b.cycleId, award: b.award, seats: b.seats, rules: b.rules, candidates: b.candidates };
  // 回避: each candidate's pass rule counts the members present less those recused from it.
  const recusals = (await effectiveRecusals(trx, b.id, b.eligible!)).map((r) => ({ memberId: r.memberId, name: r.name, candidateId: r.candidateId, logIndex: Number(r.logIndex) }));
  const recused = recusedCounts(recusals);
  const withRecusals = recusals.length ? { recusals } : {};
  let document: DocumentOf<'ballot-result'>;
  if (b.kind === 'secret') {
    const bulletin = await buildBulletin(trx, b);
    const result = decide(candidateIds, bulletin.tally, b.seats, present, b.rules, recused);
    document = { ...settings, kind: 'secret', present, issued: bulletin.issued, cast: bulletin.ballots.length, tally: bulletin.tally, result, bulletinLogIndex: b.bulletinLogIndex, ...withRecusals };
  } else {
    // A hand recorded by staff counts only once a supervisor present confirmed it on their device.
    const unconfirmed = await unconfirmedStaffHands(trx, b.id);
    if (unconfirmed.length) {
      throw new Problem('conflict', {
        en: `${unconfirmed.length} show(s) of hands recorded by staff await a supervisor's confirmation (${unconfirmed.join(', ')}).`,
        zh: `有 ${unconfirmed.length} 份由工作人员代为记录的表决尚待监督人员在其设备上确认（${unconfirmed.join('、')}）。`,
      });
    }
    const { record, recordHash } = await handsRecord(trx, b);
    const t = record.tally;
    const result = decide(candidateIds, t, b.seats, present, b.rules, recused);
    const staffRecorded = record.votes.filter((v) => v.recordedBy === 'staff').length;
    document = { ...settings, kind: 'show-of-hands', present, votes: record.votes.length, staffRecorded, tally: t, result, recordHash, ...withRecusals };
  }
  const entry = await appendEntry(trx, 'ballot-result', document, { cycleId: b.cycleId, refs: b.bulletinLogIndex !== null ? { bulletinLogIndex: b.bulletinLogIndex } : {} });
  await trx.updateTable('ballot').set({ result: JSON.stringify(document.result), result_log_index: entry.index }).where('id', '=', b.id).execute();
  return entry;
}
