// The vote rules of 三(一) and 三(三)6, in one place. Pure functions: the server, the supervisors'
// verifier and the pages all count with this code.
//
//   三(一):   each award has at most 25 winners per cycle; seats may stay vacant.
//   三(三)6:  质量奖 by secret ballot (无记名投票); 创新奖 and 优胜奖 by show of hands (举手表决).
//   Not fixed by the regulation, so settings of each ballot, shown on it and in its result:
//     quorum — members checked in ≥ quorum × members of the judging group (default 2/3);
//     pass   — 同意 > threshold × members present (default more than half).
//   A ballot marks 同意 for at most as many candidates as there are seats (over-voting is refused).
//   More passing candidates than seats: the highest 同意 counts win; a tie at the last seat is not
//   broken here — it is reported so that the meeting holds a run-off among the tied.
import * as z from 'zod';
import type { Award } from './awards.js';

export type { Award };
export type BallotKind = 'secret' | 'show-of-hands';
export type Choice = 'for' | 'against' | 'abstain';

/** 三(一): "获奖组织数量均不超过25个" — per award, per cycle. */
export const MAX_WINNERS_PER_AWARD = 25;

/** 三(三)6: how each award is decided. */
export const AWARD_KIND: Record<Award, BallotKind> = {
  quality: 'secret', // 质量奖: 无记名投票
  innovation: 'show-of-hands', // 创新奖: 举手表决
  excellence: 'show-of-hands', // 优胜奖: 举手表决
};

export const AWARD_NAMES: Record<Award, { zh: string; en: string }> = {
  quality: { zh: '质量奖', en: 'Quality Award' },
  innovation: { zh: '创新奖', en: 'Innovation Award' },
  excellence: { zh: '优胜奖', en: 'Excellence Award' },
};

export const Fraction = z.object({ num: z.number().int().min(0).max(100), den: z.number().int().min(1).max(100) });

export const RulesSchema = z.object({
  /** Members checked in must be at least num/den of the judging group. */
  quorum: Fraction.refine((f) => f.num <= f.den, 'quorum is at most 1'),
  /** A candidate passes with 同意 above (strict) or at least (not strict) num/den of members present. */
  pass: Fraction.extend({ strict: z.boolean() }).refine((f) => f.num <= f.den, 'threshold is at most 1'),
});
export type Rules = z.infer<typeof RulesSchema>;

/** Documented defaults (README): quorum ≥ 2/3 of members; pass with more than half of those present. */
export const DEFAULT_RULES: Rules = { quorum: { num: 2, den: 3 }, pass: { num: 1, den: 2, strict: true } };

export function quorumMet(rules: Rules, checkedIn: number, members: number): boolean {
  return checkedIn * rules.quorum.den >= rules.quorum.num * members && checkedIn > 0;
}

/** The least number of members that makes a quorum. */
export function quorumNeeded(rules: Rules, members: number): number {
  return Math.max(1, Math.ceil((rules.quorum.num * members) / rules.quorum.den));
}

export function passes(rules: Rules, forCount: number, present: number): boolean {
  const lhs = forCount * rules.pass.den;
  const rhs = rules.pass.num * present;
  return rules.pass.strict ? lhs > rhs : lhs >= rhs && forCount > 0;
}

export type Choices = Record<string, Choice>;

/** A candidate id: letters, digits, _ and -, never a name that plain objects already carry. */
export function isCandidateId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,40}$/.test(id) && !(id in Object.prototype) && id !== '__proto__';
}

export interface BallotCheck {
  ok: boolean;
  en?: string;
  zh?: string;
}

/**
 * A ballot names every candidate exactly once and marks 同意 for at most `seats` of them. A candidate
 * its member is recused from (回避) is not named at all: no choice is collected there.
 */
export function checkChoices(choices: Choices, candidateIds: readonly string[], seats: number, recused: readonly string[] = []): BallotCheck {
  const skip = new Set(recused);
  const known = new Set(candidateIds.filter((id) => !skip.has(id)));
  for (const id of Object.keys(choices)) {
    if (skip.has(id)) return { ok: false, en: `recused (回避) from candidate ${id}: no choice is taken there`, zh: `对候选组织 ${id} 已回避，不得作出选择` };
    if (!known.has(id)) return { ok: false, en: `unknown candidate ${id}`, zh: `未知候选组织 ${id}` };
    if (!['for', 'against', 'abstain'].includes(choices[id]!)) return { ok: false, en: `bad choice for ${id}`, zh: `${id} 的选项无效` };
  }
  for (const id of known) {
    // Own properties only: `in` would also find inherited names such as "constructor".
    if (!Object.hasOwn(choices, id)) return { ok: false, en: `no choice for candidate ${id}`, zh: `候选组织 ${id} 未作选择` };
  }
  const fors = Object.values(choices).filter((c) => c === 'for').length;
  if (fors > seats) {
    return {
      ok: false,
      en: `over-vote: ${fors} marked 同意 (for) but there are only ${seats} seats`,
      zh: `超额投票：同意 ${fors} 个，但名额只有 ${seats} 个`,
    };
  }
  return { ok: true };
}

export type Tally = Record<string, { for: number; against: number; abstain: number }>;

/**
 * Counts each candidate's 同意/不同意/弃权. A ballot that does not name a candidate counts 弃权 there,
 * unless its member was recused from it (`recusedOf(i)` for the i-th ballot): then it counts nothing.
 */
export function tally(candidateIds: readonly string[], ballots: Iterable<Choices>, recusedOf: (i: number) => readonly string[] = () => []): Tally {
  const t: Tally = {};
  for (const id of candidateIds) t[id] = { for: 0, against: 0, abstain: 0 };
  let i = 0;
  for (const b of ballots) {
    const recused = recusedOf(i++);
    for (const id of candidateIds) {
      if (Object.hasOwn(b, id)) t[id]![b[id]!]++;
      else if (!recused.includes(id)) t[id]!.abstain++;
    }
  }
  return t;
}

export interface Result {
  present: number;
  seats: number;
  rules: Rules;
  /** With 回避: `recused` members and the reduced `present` the candidate's pass rule counted against. */
  candidates: { candidateId: string; for: number; against: number; abstain: number; passed: boolean; recused?: number; present?: number }[];
  /** Elected, by 同意 count (then by candidate order for display only: no one below a tie is elected). */
  winners: string[];
  vacancies: number;
  runoff: null | { required: true; candidates: string[]; seats: number; forCount: number };
}

/**
 * The result of a ballot under its rules: pass/fail, winners ≤ seats, vacancies, a tie at the last seat.
 * 回避: a candidate's pass rule counts against the members present less those recused from it.
 */
export function decide(candidateIds: readonly string[], t: Tally, seats: number, present: number, rules: Rules, recusedCount: Readonly<Record<string, number>> = {}): Result {
  const rows = candidateIds.map((id) => {
    const recused = Object.hasOwn(recusedCount, id) ? recusedCount[id]! : 0;
    if (recused === 0) return { candidateId: id, ...t[id]!, passed: passes(rules, t[id]!.for, present) };
    return { candidateId: id, ...t[id]!, passed: passes(rules, t[id]!.for, present - recused), recused, present: present - recused };
  });
  const passing = rows.filter((r) => r.passed).sort((a, b) => b.for - a.for);
  let winners: string[];
  let runoff: Result['runoff'] = null;
  if (passing.length <= seats) {
    winners = passing.map((r) => r.candidateId);
  } else {
    const lastSeatFor = passing[seats - 1]!.for;
    const firstOutFor = passing[seats]!.for;
    if (lastSeatFor === firstOutFor) {
      winners = passing.filter((r) => r.for > lastSeatFor).map((r) => r.candidateId);
      const tied = passing.filter((r) => r.for === lastSeatFor).map((r) => r.candidateId);
      runoff = { required: true, candidates: tied, seats: seats - winners.length, forCount: lastSeatFor };
    } else {
      winners = passing.slice(0, seats).map((r) => r.candidateId);
    }
  }
  const vacancies = runoff ? 0 : seats - winners.length;
  return { present, seats, rules, candidates: rows, winners, vacancies, runoff };
}

/** How many members were recused from each candidate, from a list of (member, candidate) recusals. */
export function recusedCounts(recusals: readonly { candidateId: string }[]): Record<string, number> {
  const n: Record<string, number> = {};
  for (const r of recusals) n[r.candidateId] = (Object.hasOwn(n, r.candidateId) ? n[r.candidateId]! : 0) + 1;
  return n;
}

/** 表决办法 in words, as printed on the ballot, the screen and the result: "应到 7 人，实到不少于 2/3 方可表决；同意票超过实到人数 1/2 为通过". */
export function describeRules(rules: Rules): { zh: string; en: string } {
  const q = `${rules.quorum.num}/${rules.quorum.den}`;
  const p = `${rules.pass.num}/${rules.pass.den}`;
  return {
    zh: `出席成员须达到全体成员的 ${q} 方可表决；同意票${rules.pass.strict ? '超过' : '达到'}出席成员的 ${p} 为通过（回避成员不计入该候选组织的出席人数）`,
    en: `Quorum: at least ${q} of all members present. Passes with 同意 ${rules.pass.strict ? 'above' : 'at least'} ${p} of the members present (recused members not counted for that candidate).`,
  };
}
