// The phases of a ballot, in one place: the server moves ballots with this table, the tablet and the
// staff console offer the next step from it.
//   secret (质量奖, 三(三)6 无记名投票):        prepared → issuing → casting → closed → tallied
//   show of hands (创新奖/优胜奖, 举手表决):     prepared → voting → tallied
import type { BallotPhase } from '../../schema/database.js';
import type { BallotKind } from './rules.js';

export type { BallotPhase };

// withdrawn: a prepared ballot taken back before its vote opened (withdraw.ts); it holds no seats.
export const BALLOT_PHASES = ['prepared', 'issuing', 'casting', 'voting', 'closed', 'tallied', 'withdrawn'] as const satisfies readonly BallotPhase[];

const NEXT_PHASE: Record<BallotKind, Partial<Record<BallotPhase, BallotPhase>>> = {
  secret: { prepared: 'issuing', issuing: 'casting', casting: 'closed', closed: 'tallied' },
  'show-of-hands': { prepared: 'voting', voting: 'tallied' },
};

/** The phase a ballot of this kind moves to from `phase`, or undefined when it has no next phase. */
export function nextPhase(kind: BallotKind, phase: BallotPhase): BallotPhase | undefined {
  return NEXT_PHASE[kind][phase];
}

/** Phases in which members vote (the vote is open): tokens, casts or hands. */
export const OPEN_PHASES = ['issuing', 'casting', 'voting'] as const satisfies readonly BallotPhase[];
