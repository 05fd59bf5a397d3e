// A notice's row: finding it (a 404 problem when absent) and reading its draft's JSON columns back
// through the schemas of the notice document.
import type { Kysely, Selectable, Transaction } from 'kysely';
import * as z from 'zod';
import type { Database, NoticeTable } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import type { Organisation, Revocation } from './model.js';

export type Db = Kysely<Database> | Transaction<Database>;
export type NoticeRow = Selectable<NoticeTable>;

export const noticeNotFound = (id: string) => new Problem('not-found', { en: `No notice ${id}.`, zh: `没有公告 ${id}。` });

export async function getNoticeRow(db: Db, id: string, lock = false): Promise<NoticeRow> {
  let q = db.selectFrom('notice').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw noticeNotFound(id);
  return row;
}

/** A draft's JSON columns (null when unset), read back through the schemas of the notice document. */
export const draftColumns = {
  organisations: (text: string | null): Organisation[] => (text === null ? [] : parseJsonColumn(NoticeDocumentSchema.shape.organisations, text, 'notice.organisations')),
  ids: (text: string | null, column: string): string[] => (text === null ? [] : parseJsonColumn(z.array(z.string()), text, column)),
  revocation: (text: string | null): Revocation | null => (text === null ? null : parseJsonColumn(NoticeDocumentSchema.shape.revocation.unwrap(), text, 'notice.revocation')),
};
