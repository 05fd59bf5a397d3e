// Per cycle: where and how objections are received (受理单位, 联系人, 电话, 地址, 邮编, 邮箱, 传真). Every
// windowed list prints them with the fixed 异议须知 and its 落款; they go into the notice's logged
// document, so what the public was told is part of the record.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { IntakeDetailsSchema } from '../log/documents/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import type { IntakeDetails } from './model.js';

export { IntakeDetailsSchema };

export async function getIntakeDetails(db: Kysely<Database>, cycleId: string): Promise<IntakeDetails | null> {
  const row = await db.selectFrom('cycle_intake').select('details').where('cycle_id', '=', cycleId).executeTakeFirst();
  return row ? parseJsonColumn(IntakeDetailsSchema, row.details, 'cycle_intake.details') : null;
}

export async function setIntakeDetails(db: Kysely<Database>, cycleId: string, details: IntakeDetails, by: string, now: Date): Promise<IntakeDetails> {
  const clean = IntakeDetailsSchema.parse(details) as IntakeDetails;
  await db
    .insertInto('cycle_intake')
    .values({ cycle_id: cycleId, details: JSON.stringify(clean), updated_by: by, updated_at: now })
    .onConflict((oc) => oc.column('cycle_id').doUpdateSet({ details: JSON.stringify(clean), updated_by: by, updated_at: now }))
    .execute();
  return clean;
}

/** 2026-03-02 → 2026年3月2日, as notices date their 落款. */
export function chineseDate(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/**
 * The fixed 异议须知 every windowed list prints after its list (with the intake details), in the
 * wording Chinese award notices use.
 */
export function objectionRules(window: { start: string; end: string }): string[] {
  return [
    `公示期间（${chineseDate(window.start)}至${chineseDate(window.end)}，共7个工作日），任何单位或个人对公示名单有异议的，可以书面形式或通过本系统向受理单位提出，并提供相应的事实、理由及其佐证材料。`,
    '单位提出异议的，须在异议材料上加盖本单位公章（通过本系统提交的，上传加盖公章的异议书扫描件），并写明联系人和联系方式；个人提出异议的，须签署本人真实姓名，并提供居民身份证号码和联系方式。',
    '匿名异议和逾期提出的异议不予受理；以邮寄方式提出的，以寄出邮戳日期为准。',
    '受理单位对异议人的身份信息依法予以保密。',
  ];
}
