/**
 * Builds the cycle export bundle (src/verify/bundle.ts, `hzqa-cycle-export/v1`): the latest
 * checkpoint (or the latest a given witness cosigned), every log entry of the cycle below its size
 * with an inclusion proof against it, the documents those entries commit to, the named records of
 * tallied shows of hands (staff and supervisors only; otherwise only their hashes), and the calendar
 * the deadlines were computed with, and the document files of the award's approval (the government's
 * decision for everyone, the bureau's submission for staff and supervisors). Everything here is public already, entry by entry; the bundle
 * gathers it so that the supervisory group can check a cycle in one go, offline.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { Deps } from '../deps.js';
import { Problem } from '../errors.js';
import { toBase64 } from '../../crypto/bytes.js';
import { AwardSubmissionDocument, BallotResultDocument, GovernmentDecisionDocument } from '../log/documents/index.js';
import { parseJsonColumn } from '../db/json-column.js';
import { listEntries, latestCheckpoint, servedNote, verifierKeyOf, consistencyProof, inclusionProof, type StoredCheckpoint } from '../log/index.js';
import { refreshStoredCheckpoint } from '../log/checkpoint.js';
import { toBytes } from '../log/storage.js';
import { loadCalendar } from '../calendar/queries.js';
import { CALENDAR_ENTRY_TYPES } from '../calendar/log.js';
import { PROVISIONAL_FESTIVALS } from '../calendar/festivals.js';
import { getBallot } from '../votes/ballots.js';
import { handsRecord } from '../votes/hands.js';
import { BUNDLE_FORMAT, type ExportBundle, type HandsRecordItem } from '../verify/bundle.js';

export interface ExportOptions {
  cycleId: string;
  audience: 'public' | 'staff' | 'supervisor';
  /** Use the latest checkpoint cosigned by this witness (default: LOG_WITNESS_REQUIRED, else the latest). */
  witness?: string | undefined;
  /** Add a consistency proof from this earlier tree size to the checkpoint's. */
  from?: number | undefined;
}

const NOTE_PUBLIC = {
  en: 'Named show-of-hands records (who voted how) are for the meeting, staff and the supervisory group: this public export carries only their SHA-256 (recordHash), which the logged results commit to. Export with a staff or supervisor token to include them.',
  zh: '举手表决的记名记录（谁如何表决）仅供会议、工作人员及监督小组查阅：本公开导出仅含其 SHA-256（recordHash），即日志中结果所承诺的哈希。使用工作人员或监督小组令牌导出可包含记录全文。',
};
const NOTE_FULL = {
  en: 'Named show-of-hands records are included (staff/supervisor export): do not publish this bundle as is.',
  zh: '本导出包含举手表决的记名记录（工作人员/监督小组导出）：请勿原样公开。',
};

export async function buildExport(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'keys' | 'objects'>, opts: ExportOptions): Promise<ExportBundle> {
  const { db, config } = deps;
  const latest = await refreshStoredCheckpoint(deps);
  const witness = opts.witness ?? config.LOG_WITNESS_REQUIRED;
  const cp: StoredCheckpoint | null = witness === undefined ? latest : await latestCheckpoint(db, witness);
  if (!cp) throw new Problem('not-found', { en: `No checkpoint cosigned by ${witness} yet.`, zh: `尚无见证方 ${witness} 联署的检查点。` });
  if (opts.from !== undefined && opts.from > cp.size)
    throw new Problem('unprocessable', { en: `from exceeds the checkpoint size ${cp.size}`, zh: `from 超过检查点大小 ${cp.size}` });

  // The cycle's entries, and the calendar's (tables and overrides belong to no cycle, yet every
  // deadline of the cycle is checked against them).
  const all = (await listEntries(db, {})).filter((e) => e.cycleId === opts.cycleId || (e.cycleId === null && CALENDAR_ENTRY_TYPES.includes(e.type)));
  const entries = all.filter((e) => e.index < cp.size);
  const proofs = await Promise.all(entries.map((e) => inclusionProof(db, e.index, cp.size)));
  const documents = await documentsOf(db, [...new Set(entries.map((e) => e.docHash))]);
  // Every other entry below the checkpoint as a header, so that the whole log is accounted for.
  const ours = new Set(entries.map((e) => e.index));
  // (Read as stored: a missing row is left out, for the verifier to report as a gap.)
  const stored = await db.selectFrom('log_entry').select(['idx', 'bytes']).where('idx', '<', cp.size).orderBy('idx').execute();
  const otherEntries = stored.filter((r) => !ours.has(Number(r.idx))).map((r) => ({ index: Number(r.idx), entry: toBase64(toBytes(r.bytes)) }));

  const includeRecords = opts.audience === 'staff' || opts.audience === 'supervisor';
  const handsRecords: HandsRecordItem[] = [];
  for (const e of entries) {
    if (e.type !== 'ballot-result') continue;
    const body = documents[e.docHash];
    if (body === undefined) continue;
    const doc = parseJsonColumn(BallotResultDocument, body, 'log_document.body (ballot-result)');
    if (doc.kind !== 'show-of-hands') continue;
    let record: unknown = null;
    if (includeRecords) record = (await handsRecord(db, await getBallot(db, doc.ballotId))).record;
    handsRecords.push({ ballotId: doc.ballotId, resultLogIndex: e.index, recordHash: doc.recordHash, record });
  }

  const files = await approvalFiles(deps, entries, documents, includeRecords);
  const cal = await loadCalendar(db);
  const contents: Record<string, number[]> = {};
  for (const e of entries) (contents[e.type] ??= []).push(e.index);
  const from = opts.from;
  return {
    format: BUNDLE_FORMAT,
    cycleId: opts.cycleId,
    exportedAt: deps.clock.now().toISOString(),
    audience: opts.audience,
    log: {
      origin: config.LOG_ORIGIN,
      verifierKey: verifierKeyOf(deps.keys.logSignerKey),
      checkpoint: servedNote(cp),
      size: cp.size,
      pendingEntries: all.length - entries.length,
      consistency: from === undefined ? null : { from, to: cp.size, proof: (from > 0 && from < cp.size ? await consistencyProof(db, from, cp.size) : []).map(toBase64) },
    },
    entries: entries.map((e, i) => ({ index: e.index, entry: toBase64(e.bytes), proof: proofs[i]!.map(toBase64) })),
    otherEntries,
    documents,
    handsRecords,
    handsRecordsIncluded: includeRecords,
    handsRecordsNote: includeRecords ? NOTE_FULL : NOTE_PUBLIC,
    calendar: {
      version: cal.version,
      tableVersion: cal.tableVersion,
      table: cal.table as unknown[],
      provisionalFestivals: PROVISIONAL_FESTIVALS as Record<string, unknown>,
      overrides: cal.overrides.map((o) => ({ date: o.date, kind: o.kind, reason: o.reason, ...(o.createdAt ? { createdAt: o.createdAt.toISOString() } : {}) })),
      noticeWindowMode: config.NOTICE_WINDOW_MODE,
      objectionDueMode: config.OBJECTION_DUE_MODE,
    },
    files,
    contents,
  };
}

/**
 * The approval's document files by their logged SHA-256: the city government's decision is public (四(二)); the
 * bureau's submission to it only for staff and supervisors, as GET /api/v1/cycles/{id}/award/files serves them.
 */
async function approvalFiles(deps: Pick<Deps, 'objects'>, entries: { type: string; docHash: string }[], documents: Record<string, string>, withSubmission: boolean) {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const body = documents[e.docHash];
    if (body === undefined) continue;
    let sha256: string;
    if (e.type === 'government-decision') sha256 = parseJsonColumn(GovernmentDecisionDocument, body, 'log_document.body (government-decision)').file.sha256;
    else if (e.type === 'award-submission' && withSubmission) sha256 = parseJsonColumn(AwardSubmissionDocument, body, 'log_document.body (award-submission)').file.sha256;
    else continue;
    const stored = await deps.objects.get(sha256);
    if (stored) out[sha256] = toBase64(stored.data);
  }
  return out;
}

async function documentsOf(db: Kysely<Database>, hashes: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (let i = 0; i < hashes.length; i += 500) {
    const chunk = hashes.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db.selectFrom('log_document').select(['hash', 'body']).where('hash', 'in', chunk).execute();
    for (const r of rows) out[r.hash] = r.body;
  }
  return out;
}
