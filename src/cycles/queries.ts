import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';

export async function createCycle(db: Kysely<Database>, cycle: { id: string; name: string }) {
  const inserted = await db.insertInto('cycle').values(cycle).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
  if (!inserted) throw new Problem('conflict', { en: `Cycle ${cycle.id} already exists.`, zh: `周期 ${cycle.id} 已存在。` });
  return inserted;
}

export async function getCycle(db: Kysely<Database>, id: string) {
  const cycle = await db.selectFrom('cycle').selectAll().where('id', '=', id).executeTakeFirst();
  if (!cycle) throw new Problem('not-found', { en: `No cycle ${id}.`, zh: `没有周期 ${id}。` });
  return cycle;
}

export async function listCycles(db: Kysely<Database>) {
  return db.selectFrom('cycle').selectAll().orderBy('id', 'desc').execute();
}
