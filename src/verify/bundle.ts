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
 *   otherEntries[]  the entry bytes of every other entry below log.size (other cycles' entries,
 *                 headers only: { index, entry }), so that the whole log below the checkpoint is
 *                 accounted for: with them the verifier recomputes the checkpoint's root hash from
 *                 every leaf, and an entry left out or deleted shows as a gap (optional; without it
 *                 completeness is reported as not established)
 *   files         { <sha256 hex>: base64(bytes) }: the document files of the award's logged approval — the
 *                 city government's decision (public) in every export, the bureau's submission in staff
 *                 and supervisors' exports only; the verifier hashes each again against the log (optional)
 *   contents      { <entry type>: [indexes] } — an index for readers; the verifier ignores it
 *
 * parseBundle checks the whole shape with zod (a bundle that does not parse cannot be verified:
 * the CLI exits 2); the documents inside are parsed per entry type by the checks, with the log's own
 * schemas (src/log/documents/). Runs anywhere (zod only): shared by the server, the CLI and the
 * browser.
 * @module
 */
import * as z from 'zod';
import { AwardSchema, CandidateSchema, ChoicesSchema, MemberRefSchema, TallySchema } from '../log/documents/index.js';
import { RulesSchema } from '../votes/rules.js';

export const BUNDLE_FORMAT = 'hzqa-cycle-export/v1';

const index = z.number().int().min(0);
const base64List = z.array(z.string());

const BundleEntrySchema = z.object({ index, entry: z.string(), proof: base64List });
const OtherEntrySchema = z.object({ index, entry: z.string() });
const HandsRecordItemSchema = z.object({ ballotId: z.string(), resultLogIndex: index, recordHash: z.string(), record: z.unknown() });
const CalendarOverrideSchema = z.object({ date: z.string(), kind: z.enum(['off', 'work']), reason: z.string().optional(), createdAt: z.string().optional() });

const BundleCalendarSchema = z.object({
  version: z.string(),
  tableVersion: z.string(),
  /** The State Council table (OfficialYear[]) the version hashes. */
  table: z.array(z.unknown()),
  /** The provisional festival dates the version hashes. */
  provisionalFestivals: z.record(z.string(), z.unknown()),
  overrides: z.array(CalendarOverrideSchema),
  noticeWindowMode: z.enum(['after', 'including']),
  objectionDueMode: z.enum(['after', 'including']),
});

export const ExportBundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  cycleId: z.string().min(1),
  exportedAt: z.string(),
  audience: z.enum(['public', 'staff', 'supervisor']),
  log: z.object({
    origin: z.string(),
    verifierKey: z.string(),
    checkpoint: z.string(),
    size: index,
    pendingEntries: index,
    consistency: z.object({ from: index, to: index, proof: base64List }).nullable(),
  }),
  entries: z.array(BundleEntrySchema),
  otherEntries: z.array(OtherEntrySchema).optional(),
  documents: z.record(z.string(), z.string()),
  handsRecords: z.array(HandsRecordItemSchema),
  handsRecordsIncluded: z.boolean(),
  handsRecordsNote: z.object({ en: z.string(), zh: z.string() }),
  calendar: BundleCalendarSchema,
  files: z.record(z.string(), z.string()).optional(),
  contents: z.record(z.string(), z.array(index)).optional(),
});

export type ExportBundle = z.infer<typeof ExportBundleSchema>;
export type BundleEntry = z.infer<typeof BundleEntrySchema>;
export type HandsRecordItem = z.infer<typeof HandsRecordItemSchema>;
export type CalendarOverrideItem = z.infer<typeof CalendarOverrideSchema>;
export type BundleCalendar = z.infer<typeof BundleCalendarSchema>;

/**
 * The named record of a show of hands (src/votes/hands.ts handsRecord): who voted how, with the
 * device key of each member's check-in and the signature, or `recordedBy: 'staff'`. Its SHA-256 over
 * canonical JSON is the recordHash the logged result commits to.
 */
export const HandsRecordSchema = z.strictObject({
  ballotId: z.string(),
  cycleId: z.string(),
  meetingId: z.string(),
  award: AwardSchema,
  seats: z.number().int().min(1),
  rules: RulesSchema,
  candidates: z.array(CandidateSchema),
  membersTotal: z.number().int().min(0),
  present: z.number().int().min(0),
  eligible: z.array(MemberRefSchema),
  votes: z.array(
    z.strictObject({
      memberId: z.string(),
      name: z.string(),
      unit: z.string(),
      deviceKey: z.string().nullable(),
      checkinLogIndex: index.nullable(),
      choices: ChoicesSchema,
      signature: z.string().nullable(),
      recordedBy: z.enum(['member', 'staff']),
      staffName: z.string().nullable(),
      /** A staff-recorded hand: the supervisor device that confirmed it, and its signature. */
      countersignature: z.strictObject({ deviceKey: z.string(), signature: z.string() }).nullable(),
    }),
  ),
  tally: TallySchema,
});
export type HandsRecord = z.infer<typeof HandsRecordSchema>;

/** A bundle that cannot be read at all (the CLI exits 2): not a structural check failure. */
export class BundleFormatError extends Error {
  override readonly name = 'BundleFormatError';
}

/**
 * Checks the bundle's shape (types of every field the checks read) and returns it typed; throws
 * BundleFormatError naming the first bad field. Contents (base64, hashes, signatures, documents) are
 * not judged here: a well-formed bundle with wrong contents fails checks instead.
 */
export function parseBundle(value: unknown): ExportBundle {
  const r = ExportBundleSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.length ? issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('') : 'the bundle';
  throw new BundleFormatError(`bundle: ${path}: ${issue?.message ?? 'malformed'}`);
}
