/**
 * The cycle export bundle (`hzqa-cycle-export/v1`): everything public about one award cycle, in one
 * JSON document, so that the supervisory group (评审工作监督小组) can check it without trusting the
 * server. Built by src/export/ (GET /api/v1/cycles/{id}/export), read by src/verify/ (pure checks)
 * and scripts/verify.ts (the CLI).
 *
 *   format        "hzqa-cycle-export/v1"
 *   cycleId       the cycle
 *   exportedAt    server time of the export (ISO 8601; informational, not trusted)
 *   audience      "public" | "staff" | "supervisor": who asked (decides whether named records are in)
 *   log.origin    the log's origin line (C2SP tlog-checkpoint)
 *   log.verifierKey  the log's verifier key text as the server states it (the verifier uses the key
 *                 it pinned, and reports a difference)
 *   log.checkpoint   the latest checkpoint: C2SP signed note with every witness cosignature line
 *   log.size      its tree size (informational: the verifier reads it from the signed note)
 *   log.pendingEntries  entries of the cycle appended after that checkpoint (not in this bundle yet)
 *   log.consistency  null, or { from, to, proof: base64[] }: RFC 9162 consistency proof from an
 *                 earlier tree size (asked for with ?from=N, or fetched by the CLI) to log.size
 *   entries[]     every log entry of the cycle below log.size, in index order:
 *                 { index, entry: base64(entry bytes = the Merkle leaf data),
 *                   proof: base64[] (RFC 9162 inclusion proof against log.checkpoint) }
 *   documents     { <sha256 hex>: <canonical JSON text> }: the documents the entries commit to —
 *                 meetings, check-ins, ballots, keys, bulletins, results, notices, objection receipts —
 *                 each exactly the bytes that were hashed (UTF-8)
 *   handsRecords[]  per tallied show of hands: { ballotId, resultLogIndex, recordHash, record }; the
 *                 named record (who voted how, device signatures) only for staff and supervisors
 *                 (`record` null otherwise, see handsRecordsIncluded / handsRecordsNote); its
 *                 SHA-256 over canonical JSON is the recordHash the logged result carries
 *   calendar      the working-day calendar: effective version, table version, the bundled State
 *                 Council table and provisional festival dates it hashes, the bureau's overrides,
 *                 and the counting modes (NOTICE_WINDOW_MODE, OBJECTION_DUE_MODE)
 *   contents      { <entry type>: [indexes] } — an index for readers; the verifier ignores it
 *
 * Runs anywhere (no runtime imports): shared by the server, the CLI and the browser.
 * @module
 */
export const BUNDLE_FORMAT = 'hzqa-cycle-export/v1';

export interface BundleEntry {
  index: number;
  /** base64 of the entry bytes (the Merkle leaf data). */
  entry: string;
  /** base64 hashes: the inclusion proof against the bundle's checkpoint. */
  proof: string[];
}

export interface HandsRecordItem {
  ballotId: string;
  resultLogIndex: number;
  recordHash: string;
  /** The named record, or null when the caller may not see it. */
  record: unknown;
}

export interface CalendarOverrideItem {
  date: string;
  kind: 'off' | 'work';
  reason?: string;
  createdAt?: string;
}

export interface BundleCalendar {
  version: string;
  tableVersion: string;
  /** The State Council table (OfficialYear[]) the version hashes. */
  table: unknown[];
  /** The provisional festival dates the version hashes. */
  provisionalFestivals: Record<string, unknown>;
  overrides: CalendarOverrideItem[];
  noticeWindowMode: 'after' | 'including';
  objectionDueMode: 'after' | 'including';
}

export interface ExportBundle {
  format: typeof BUNDLE_FORMAT;
  cycleId: string;
  exportedAt: string;
  audience: 'public' | 'staff' | 'supervisor';
  log: {
    origin: string;
    verifierKey: string;
    checkpoint: string;
    size: number;
    pendingEntries: number;
    consistency: { from: number; to: number; proof: string[] } | null;
  };
  entries: BundleEntry[];
  documents: Record<string, string>;
  handsRecords: HandsRecordItem[];
  handsRecordsIncluded: boolean;
  handsRecordsNote: { en: string; zh: string };
  calendar: BundleCalendar;
  contents?: Record<string, number[]>;
}

/** A bundle that cannot be read at all (the CLI exits 2): not a structural check failure. */
export class BundleFormatError extends Error {
  override readonly name = 'BundleFormatError';
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

/**
 * Checks the bundle's shape (types of every field the checks read) and returns it typed; throws
 * BundleFormatError naming the first bad field. Contents (base64, hashes, signatures) are not
 * judged here: a well-formed bundle with wrong contents fails checks instead.
 */
export function parseBundle(value: unknown): ExportBundle {
  const bad = (path: string, want: string): never => {
    throw new BundleFormatError(`bundle: ${path} must be ${want}`);
  };
  if (!isObj(value)) return bad('the bundle', 'a JSON object');
  if (value.format !== BUNDLE_FORMAT) bad('format', `"${BUNDLE_FORMAT}"`);
  if (!isStr(value.cycleId) || value.cycleId === '') bad('cycleId', 'a non-empty string');
  if (!isStr(value.exportedAt)) bad('exportedAt', 'a string');
  if (!['public', 'staff', 'supervisor'].includes(value.audience as string)) bad('audience', 'public, staff or supervisor');
  const log = value.log;
  if (!isObj(log)) return bad('log', 'an object');
  if (!isStr(log.origin)) bad('log.origin', 'a string');
  if (!isStr(log.verifierKey)) bad('log.verifierKey', 'a string');
  if (!isStr(log.checkpoint)) bad('log.checkpoint', 'a string');
  if (!isInt(log.size)) bad('log.size', 'a non-negative integer');
  if (!isInt(log.pendingEntries)) bad('log.pendingEntries', 'a non-negative integer');
  if (log.consistency !== null) {
    const c = log.consistency;
    if (!isObj(c) || !isInt(c.from) || !isInt(c.to) || !isStrArr(c.proof)) bad('log.consistency', 'null or { from, to, proof: string[] }');
  }
  if (!Array.isArray(value.entries)) bad('entries', 'an array');
  (value.entries as unknown[]).forEach((e, i) => {
    if (!isObj(e) || !isInt(e.index) || !isStr(e.entry) || !isStrArr(e.proof)) bad(`entries[${i}]`, '{ index, entry, proof }');
  });
  if (!isObj(value.documents)) bad('documents', 'an object');
  for (const [k, v] of Object.entries(value.documents as Record<string, unknown>)) if (!isStr(v)) bad(`documents.${k}`, 'a string');
  if (!Array.isArray(value.handsRecords)) bad('handsRecords', 'an array');
  (value.handsRecords as unknown[]).forEach((r, i) => {
    if (!isObj(r) || !isStr(r.ballotId) || !isInt(r.resultLogIndex) || !isStr(r.recordHash) || !('record' in r)) bad(`handsRecords[${i}]`, '{ ballotId, resultLogIndex, recordHash, record }');
  });
  if (typeof value.handsRecordsIncluded !== 'boolean') bad('handsRecordsIncluded', 'a boolean');
  const cal = value.calendar;
  if (!isObj(cal)) return bad('calendar', 'an object');
  if (!isStr(cal.version) || !isStr(cal.tableVersion)) bad('calendar.version', 'a string');
  if (!Array.isArray(cal.table)) bad('calendar.table', 'an array');
  if (!isObj(cal.provisionalFestivals)) bad('calendar.provisionalFestivals', 'an object');
  if (!Array.isArray(cal.overrides) || !cal.overrides.every((o) => isObj(o) && isStr(o.date) && (o.kind === 'off' || o.kind === 'work')))
    bad('calendar.overrides', 'an array of { date, kind }');
  for (const k of ['noticeWindowMode', 'objectionDueMode'] as const) if (cal[k] !== 'after' && cal[k] !== 'including') bad(`calendar.${k}`, '"after" or "including"');
  return value as unknown as ExportBundle;
}
