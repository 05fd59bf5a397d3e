// After the 审定 (三(三)8, 四(二)): the bureau submits the fixed 拟授奖组织名单 to the city government in its
// own name (提请市政府审议批准: a dated document with its 文号), and the government decides (in practice a
// 市政府办公厅 通报, e.g. 杭政办函〔2024〕10号). Each is a log entry with the document file's SHA-256, written
// with its row; the file is kept in the object store under its hash. In order: no submission before the
// 审定, no decision before the submission, each once per cycle.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { Deps } from '../deps.js';
import { problem } from '../errors.js';
import { appendEntry, canonicalJson, checkpointAfterWrite, type DocumentOf } from '../log/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { beijingDate, beijingIso } from '../calendar/dates.js';
import { sha256Hex } from '../objections/digest.js';
import { EVIDENCE_TYPES, sniffEvidenceType } from '../objections/evidence.js';
import { AwardSubmissionDocument, GovernmentDecisionDocument } from '../log/documents/index.js';
import { adoptedFixing } from './fixing.js';

type Db = Kysely<Database> | Transaction<Database>;
export type Submission = DocumentOf<'award-submission'>;
export type Decision = DocumentOf<'government-decision'>;

export interface ApprovalInput {
  date: string;
  documentNumber: string;
  title: string;
  file: { name: string; data: Uint8Array };
}

/** The cycle's logged submission and decision (each null until recorded), with their log indexes. */
export async function approvals(db: Db, cycleId: string) {
  const rows = await db.selectFrom('award_approval').selectAll().where('cycle_id', '=', cycleId).execute();
  const sub = rows.find((r) => r.stage === 'submission');
  const dec = rows.find((r) => r.stage === 'decision');
  return {
    submission: sub ? { logIndex: Number(sub.log_index), document: parseJsonColumn(AwardSubmissionDocument, sub.document, 'award_approval.document') } : null,
    decision: dec ? { logIndex: Number(dec.log_index), document: parseJsonColumn(GovernmentDecisionDocument, dec.document, 'award_approval.document') } : null,
  };
}

/** The file: PDF, OFD, DOCX, JPEG or PNG by its content; stored under its SHA-256 before the transaction. */
async function storeFile(deps: Deps, file: ApprovalInput['file']) {
  const type = sniffEvidenceType(file.data);
  if (!type) throw problem('unprocessable', `${file.name}: not a PDF, OFD, DOCX, JPEG or PNG file.`, `${file.name}：不是 PDF、OFD、DOCX、JPEG 或 PNG 文件。`, { file: file.name });
  const sha256 = sha256Hex(file.data);
  const mediaType = EVIDENCE_TYPES[type].mediaType;
  if (!(await deps.objects.has(sha256))) await deps.objects.put(sha256, file.data, mediaType);
  return { sha256, size: file.data.byteLength, mediaType, name: file.name };
}

function checkDate(date: string, today: string, after: { date: string; en: string; zh: string } | null) {
  if (date > today) throw problem('unprocessable', `The date ${date} is after today (${today}).`, `日期 ${date} 晚于今日（${today}）。`, { date });
  if (after && date < after.date) throw problem('unprocessable', `The date ${date} is before ${after.en} (${after.date}).`, `日期 ${date} 早于${after.zh}（${after.date}）。`, { date });
}

type ApprovalEntryType = 'award-submission' | 'government-decision';
type StoredFile = Awaited<ReturnType<typeof storeFile>>;

/** What the two documents record alike: the date, 文号, title and file given, and when it was recorded. */
const filed = (input: ApprovalInput, file: StoredFile, now: Date) => ({ date: input.date, documentNumber: input.documentNumber, title: input.title, file, recordedAt: beijingIso(now) });

/**
 * Records the submission or the decision alike: the file stored by its hash, the cycle locked, the stage's
 * own conditions checked and its document built (`prepare`, in the transaction), the entry logged with its
 * row, then the checkpoint.
 */
async function logApproval<T extends ApprovalEntryType>(
  deps: Deps,
  cycleId: string,
  input: ApprovalInput,
  actor: string,
  stage: 'submission' | 'decision',
  type: T,
  prepare: (trx: Transaction<Database>, now: Date, file: StoredFile) => Promise<{ document: DocumentOf<T>; refs: Record<string, number> }>,
) {
  const now = deps.clock.now();
  const file = await storeFile(deps, input.file);
  const out = await deps.db.transaction().execute(async (trx) => {
    await trx.selectFrom('cycle').select('id').where('id', '=', cycleId).forUpdate().execute();
    const { document, refs } = await prepare(trx, now, file);
    const { index } = await appendEntry(trx, type, document, { cycleId, refs });
    await trx.insertInto('award_approval').values({ cycle_id: cycleId, stage, document: canonicalJson(document), log_index: index, file_sha256: file.sha256, file_name: file.name, media_type: file.mediaType, created_by: actor }).execute();
    return { logIndex: index, document };
  });
  await checkpointAfterWrite(deps);
  return out;
}

/** 提请市政府审议批准: the fixed list, the submission's date, 文号, title and file; logged once, after the 审定. */
export function recordSubmission(deps: Deps, cycleId: string, input: ApprovalInput, actor: string) {
  return logApproval(deps, cycleId, input, actor, 'submission', 'award-submission', async (trx, now, file) => {
    const fixing = await adoptedFixing(trx, cycleId);
    if (!fixing) throw problem('conflict', 'The judging group has not fixed the 拟授奖组织名单 (审定) yet: nothing to submit.', '评审组尚未审定拟授奖组织名单，不能提请市政府审议批准。');
    if ((await approvals(trx, cycleId)).submission) throw problem('conflict', 'The submission of this cycle is already recorded.', '本周期已登记提请审议批准的文件。');
    checkDate(input.date, beijingDate(now), { date: fixing.document.proposedAt.slice(0, 10), en: 'the 审定', zh: '审定日期' });
    const document: Submission = {
      cycleId,
      fixing: { proposalLogIndex: fixing.logIndex, decidedLogIndex: fixing.decidedLogIndex },
      organisations: fixing.document.organisations,
      ...filed(input, file, now),
    };
    return { document, refs: { fixing: fixing.decidedLogIndex } };
  });
}

/** The city government's decision on the submission: date, 文号, title and file; logged once, after the submission. */
export function recordDecision(deps: Deps, cycleId: string, input: ApprovalInput, actor: string) {
  return logApproval(deps, cycleId, input, actor, 'decision', 'government-decision', async (trx, now, file) => {
    const { submission, decision } = await approvals(trx, cycleId);
    if (!submission) throw problem('conflict', 'The bureau’s submission to the city government is not recorded yet: a decision answers it.', '尚未登记市市场监管局提请审议批准的文件，不能登记市政府的决定。');
    if (decision) throw problem('conflict', 'The city government’s decision of this cycle is already recorded.', '本周期已登记市政府的决定。');
    checkDate(input.date, beijingDate(now), { date: submission.document.date, en: 'the submission', zh: '提请日期' });
    const subRow = await trx.selectFrom('log_entry').select('doc_hash').where('idx', '=', submission.logIndex).executeTakeFirstOrThrow();
    const document: Decision = {
      cycleId,
      submission: { logIndex: submission.logIndex, documentHash: subRow.doc_hash },
      organisations: submission.document.organisations,
      ...filed(input, file, now),
    };
    return { document, refs: { submission: submission.logIndex } };
  });
}

/** A stored submission or decision file by its hash, with the stage it belongs to; null if the cycle has none such. */
export async function approvalFile(deps: Pick<Deps, 'db' | 'objects'>, cycleId: string, sha256: string) {
  const rows = await deps.db.selectFrom('award_approval').select(['stage', 'file_name', 'media_type']).where('cycle_id', '=', cycleId).where('file_sha256', '=', sha256).execute();
  // The same bytes may be both the submission's and the decision's file: the decision's is public.
  const row = rows.find((r) => r.stage === 'decision') ?? rows[0];
  if (!row) return null;
  const obj = await deps.objects.get(sha256);
  if (!obj) return null;
  return { stage: row.stage, name: row.file_name, mediaType: row.media_type, data: obj.data };
}
