// The awarded list on a date, read from the cycle's logged decision and revocation notices (awarded.ts).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import { approvals } from './approval.js';
import { awardedAsOf, type RevocationFacts } from './awarded.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The cycle's published revocations with the government's approval, as awardedAsOf reads them. */
export async function revocationFacts(db: Db, cycleId: string): Promise<RevocationFacts[]> {
  const rows = await db.selectFrom('notice').select('document').where('cycle_id', '=', cycleId).where('type', '=', 'revocation').where('status', '=', 'published').orderBy('log_index').execute();
  return rows
    .map((r) => parseJsonColumn(NoticeDocumentSchema, r.document!, 'notice.document'))
    .flatMap((d) => (d.revocation?.approvalDate ? [{ award: d.revocation.award, approvalDate: d.revocation.approvalDate, organisations: d.organisations }] : []));
}

export async function awardedOn(db: Db, cycleId: string, date: string) {
  const { decision } = await approvals(db, cycleId);
  const organisations = awardedAsOf(decision?.document ?? null, await revocationFacts(db, cycleId), date);
  return { decision: decision ? { documentNumber: decision.document.documentNumber, date: decision.document.date, logIndex: decision.logIndex } : null, organisations };
}
