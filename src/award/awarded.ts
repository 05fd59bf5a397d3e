// Who holds the award on a given day (四(二), 六(三), 六(五)): the organisations the city government's
// decision awarded, from the decision's date, less each organisation whose award a revocation took away,
// from the date the government approved that revocation. Pure: the server's public endpoint and the
// supervisors' verifier both derive the list with this function, from the logged documents.
import type { Award } from '../votes/awards.js';

export interface AwardedEntry {
  name: string;
  code?: string;
  award: Award;
}

export interface DecisionFacts {
  date: string;
  documentNumber: string;
  organisations: readonly AwardedEntry[];
}

export interface RevocationFacts {
  award: Award;
  /** The date the city government approved the revocation: from then on the organisation holds no award. */
  approvalDate: string;
  organisations: readonly { name: string }[];
}

/** The awarded organisations on `date` (YYYY-MM-DD, Beijing): none before the decision. */
export function awardedAsOf(decision: DecisionFacts | null, revocations: readonly RevocationFacts[], date: string): AwardedEntry[] {
  if (!decision || date < decision.date) return [];
  const revoked = new Set(revocations.filter((r) => r.approvalDate <= date).flatMap((r) => r.organisations.map((o) => `${r.award}\n${o.name}`)));
  return decision.organisations.filter((o) => !revoked.has(`${o.award}\n${o.name}`)).map((o) => ({ ...o }));
}

/** Two lists name the same organisations with the same awards (order aside). */
export function sameOrganisations(a: readonly { name: string; award?: string | undefined }[], b: readonly { name: string; award?: string | undefined }[]): boolean {
  const key = (o: { name: string; award?: string | undefined }) => `${o.award ?? ''}\n${o.name}`;
  const x = a.map(key).sort();
  const y = b.map(key).sort();
  return x.length === y.length && x.every((k, i) => k === y[i]) && new Set(x).size === x.length;
}

/** The 六(五) limit: two years after the award's date (the same month and day). */
export const twoYearsAfter = (date: string) => `${Number(date.slice(0, 4)) + 2}${date.slice(4)}`;
