// Receiving an objection (三(三)7: "任何单位或个人对公示存在异议的,可以在规定时限内……提出,并提供
// 相应的事实、理由及其佐证材料"). Order of work, so that a refusal never leaves anything behind:
//   1. the notice takes objections and its window is open at the instant the request arrived;
//   2. the body is read under its own limit (Content-Length first, then while reading);
//   3. every field and every file is validated (types sniffed from content) — nothing written yet;
//   4. the due date is computed (calendar), the name and contact encrypted;
//   5. evidence files are written to the object store (content-addressed: key = SHA-256 hex);
//   6. one transaction: the receipt's public log entry, the objection, its files, its first event.
//      If it fails, the files written in 5 that no other objection references are deleted.
import * as z from 'zod';
import type { AppEnv, Deps } from '../deps.js';
import { Problem, problem, zodIssues } from '../errors.js';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import { SafeText } from '../http/safe-text.js';
import { zipRefusal } from './zip-limits.js';
import { hashSecret, randomCode, randomToken } from '../auth/secrets.js';
import { beijingDate, beijingIso, isIsoDate, type IsoDate } from '../calendar/dates.js';
import { calendarEntriesFor, provisionalNote as provisionalNoteFor } from '../calendar/log.js';
import type { ObjectionChannel } from '../../schema/database.js';
import { checkObjector, type ObjectorIdentity } from './objector.js';
import { loadCalendar } from '../calendar/queries.js';
import { objectionVerificationDue, OBJECTION_VERIFICATION_WORKING_DAYS } from '../calendar/rules.js';
import { appendEntry, checkpointAfterWrite } from '../log/index.js';
import { getNoticeRow, isOpen, windowOf, type NoticeRow } from '../notices/queries.js';
import { hasWindow, NOTICE_TYPE_NAMES, type Organisation } from '../notices/model.js';
import { encryptContact } from './contact.js';
import { normalizeText, sha256Hex, submissionDigest, SUBMISSION_VERSION } from './digest.js';
import { EVIDENCE_TYPES, MAX_EVIDENCE_FILES, sanitizeFileName, sniffEvidenceType, type EvidenceType } from './evidence.js';

/** Room for the text fields, part headers and boundaries on top of the evidence files' total. */
export const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export const TEXT_LIMITS = { name: 200, contact: 500, organisation: 200, facts: 20_000, reasons: 20_000, code: 40 } as const;

const text = (max: number) =>
  SafeText.transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `at most ${max} characters`)
        .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), 'no control characters'),
    );

const line = (max: number) => text(max).refine((s) => !s.includes('\n'), 'one line only');

export const IntakeFieldsSchema = z
  .object({
    kind: z.enum(['unit', 'person']),
    name: line(TEXT_LIMITS.name),
    contact: text(TEXT_LIMITS.contact),
    organisation: line(TEXT_LIMITS.organisation),
    facts: text(TEXT_LIMITS.facts),
    reasons: text(TEXT_LIMITS.reasons),
    declaration: z.literal('true', { message: 'must be "true": the objector declares the materials truthful (如实提供)' }),
    files: z.array(z.instanceof(File, { message: 'must be a file' })).max(MAX_EVIDENCE_FILES, `at most ${MAX_EVIDENCE_FILES} files`),
    // The objector's identity (objector.ts): a person's 居民身份证号码 and signature, a unit's
    // 统一社会信用代码 and contact person; the signed or sealed letter; or "未提供佐证材料".
    idNumber: line(TEXT_LIMITS.code).optional(),
    signature: line(TEXT_LIMITS.name).optional(),
    creditCode: line(TEXT_LIMITS.code).optional(),
    contactPerson: line(TEXT_LIMITS.name).optional(),
    noEvidence: z.literal('true', { message: 'must be "true" when given: no evidence is provided (未提供佐证材料)' }).optional(),
    letter: z.instanceof(File, { message: 'must be a file' }).optional(),
  })
  .strict();

export type IntakeFields = z.output<typeof IntakeFieldsSchema>;

const IsoDateField = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');

/** Staff registering a paper objection add how and when it arrived. */
export const RegistrationFieldsSchema = z
  .object({
    channel: z.enum(['in-person', 'post', 'fax']),
    receivedDate: IsoDateField,
    postmarkDate: IsoDateField.optional(),
  })
  .strict()
  .refine((r) => (r.channel === 'post') === (r.postmarkDate !== undefined), { message: 'postmarkDate is given for post, and only for post', path: ['postmarkDate'] })
  .refine((r) => !r.postmarkDate || r.postmarkDate <= r.receivedDate, { message: 'the postmark cannot be later than the receipt', path: ['postmarkDate'] });

/** What staff read in the console when a registration is refused (the English is the API's). */
const REGISTRATION_ZH: Record<string, string> = {
  'postmarkDate is given for post, and only for post': '邮寄的须填写邮戳日期，其他方式不填',
  'the postmark cannot be later than the receipt': '邮戳日期不能晚于收到日期',
  'must be a date YYYY-MM-DD': '须为日期（年-月-日）',
};
const REGISTRATION_FIELD_ZH: Record<string, string> = { channel: '收到方式', receivedDate: '收到日期', postmarkDate: '邮戳日期' };
const registrationIssueZh = (i: { path: PropertyKey[]; message: string }) => {
  const field = REGISTRATION_FIELD_ZH[String(i.path[0])] ?? i.path.join('.');
  const zh = REGISTRATION_ZH[i.message];
  return !zh ? `${field}：${i.message}` : zh.startsWith('须') ? field + zh : zh;
};
export type RegistrationFields = z.output<typeof RegistrationFieldsSchema>;

const windowText = (n: NoticeRow) => {
  const w = windowOf(n);
  return w
    ? { en: `from ${w.start} to ${w.end} (until ${w.closesAt}, Beijing time)`, zh: `${w.start} 至 ${w.end}（北京时间 ${w.closesAt} 截止）` }
    : { en: 'not set', zh: '未设定' };
};

/** Step 1: throws unless the notice takes objections at `now`. */
export async function assertWindowOpen(deps: Deps, noticeId: string, now: Date): Promise<NoticeRow> {
  const n = await getNoticeRow(deps.db, noticeId);
  if (!hasWindow(n.type)) {
    throw new Problem('notice-not-objectable', {
      en: `Notice ${n.id} (${NOTICE_TYPE_NAMES[n.type].en}) has no objection window; objections are taken on the three lists of 三(三)7 only.`,
      zh: `公告 ${n.id}（${NOTICE_TYPE_NAMES[n.type].zh}）不设异议期；仅对三（三）7 规定的三类名单受理异议。`,
    }, { extensions: { noticeId: n.id, noticeType: n.type } });
  }
  if (n.status !== 'published') {
    throw new Problem('objection-window-closed', {
      en: `Notice ${n.id} is not published yet; objections are taken only during its publicity window, which starts on publication.`,
      zh: `公告 ${n.id} 尚未发布；异议仅在公示期内受理，公示期自发布之日起算。`,
    }, { extensions: { noticeId: n.id, window: null } });
  }
  const correction = await deps.db.selectFrom('notice').select('id').where('corrects', '=', n.id).where('status', '=', 'published').executeTakeFirst();
  if (correction) {
    throw new Problem('objection-window-closed', {
      en: `Notice ${n.id} was corrected by notice ${correction.id}; objections are taken on the correction.`,
      zh: `公告 ${n.id} 已由公告 ${correction.id} 更正，请对更正后的公告提出异议。`,
    }, { extensions: { noticeId: n.id, correctedBy: correction.id, window: windowOf(n) } });
  }
  if (!isOpen(n, now)) {
    const w = windowText(n);
    throw new Problem('objection-window-closed', {
      en: `The publicity window of notice ${n.id} was ${w.en}; it is closed, objections are no longer accepted.`,
      zh: `公告 ${n.id} 的公示期为 ${w.zh}，现已截止，不再受理异议。`,
    }, { extensions: { noticeId: n.id, window: windowOf(n) } });
  }
  return n;
}


const OPTIONAL_FIELDS = new Set(['idNumber', 'signature', 'creditCode', 'contactPerson', 'noEvidence', 'letter', 'postmarkDate']);

/** Step 3a: multipart form → validated fields (zod), each text field exactly once, `files` repeated. */
export async function parseIntakeForm(contentType: string | undefined, body: Uint8Array): Promise<IntakeFields>;
export async function parseIntakeForm(contentType: string | undefined, body: Uint8Array, registered: true): Promise<IntakeFields & { registration: RegistrationFields }>;
export async function parseIntakeForm(contentType: string | undefined, body: Uint8Array, registered = false): Promise<IntakeFields & { registration?: RegistrationFields }> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new Problem('unsupported-media-type', {
      en: 'Send the objection as multipart/form-data.',
      zh: '异议须以 multipart/form-data 格式提交。',
    });
  }
  let form: FormData;
  try {
    form = await new Request('http://localhost/', { method: 'POST', headers: { 'content-type': contentType }, body: body as BodyInit }).formData();
  } catch {
    throw problem('invalid-request', 'The multipart body cannot be parsed.', '无法解析 multipart 请求体。');
  }
  const raw: Record<string, unknown> = { files: [] };
  const seen = new Set<string>();
  // FormData values are strings or Files at runtime whatever the runtime's type declarations say.
  for (const [key, value] of form.entries() as IterableIterator<[string, unknown]>) {
    if (key === 'files' || key === 'files[]') {
      (raw.files as unknown[]).push(value);
      continue;
    }
    // An optional field left empty (or no file chosen) is the same as one not sent.
    if (OPTIONAL_FIELDS.has(key) && (value === '' || (value instanceof File && value.size === 0 && !value.name))) continue;
    if (seen.has(key)) throw problem('invalid-request', `Field "${key.slice(0, 40)}" is given more than once.`, `字段“${key.slice(0, 40)}”重复提交。`, { errors: [{ path: key.slice(0, 40), message: 'duplicate field' }] });
    seen.add(key);
    raw[key] = value;
  }
  let registration: RegistrationFields | undefined;
  if (registered) {
    const reg = RegistrationFieldsSchema.safeParse({ channel: raw.channel, receivedDate: raw.receivedDate, postmarkDate: raw.postmarkDate });
    if (!reg.success) {
      throw problem(
        'invalid-request',
        'The registration is invalid: ' + reg.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        '登记信息无效：' + reg.error.issues.map(registrationIssueZh).join('；') + '。',
        { errors: zodIssues(reg.error.issues) },
      );
    }
    registration = reg.data;
    delete raw.channel;
    delete raw.receivedDate;
    delete raw.postmarkDate;
  }
  const r = IntakeFieldsSchema.safeParse(raw);
  if (r.success && registration) return { ...r.data, registration };
  if (!r.success) {
    throw problem(
      'invalid-request',
      'The objection is invalid: ' + r.error.issues.map((i) => `${i.path.join('.') || '(form)'}: ${i.message}`).join('; '),
      '异议内容无效:' + r.error.issues.map((i) => `${i.path.join('.') || '(表单)'}: ${i.message}`).join(';'),
      { errors: zodIssues(r.error.issues) },
    );
  }
  return r.data;
}

export interface CheckedFile {
  position: number;
  sha256: string;
  size: number;
  type: EvidenceType;
  mediaType: string;
  fileName: string;
  data: Uint8Array;
}

/** Step 3b: sizes, total, and type by content (the letter, if any, is the last file). */
export async function checkEvidence(deps: Deps, files: File[]): Promise<CheckedFile[]> {
  const perFile = deps.config.EVIDENCE_FILE_LIMIT_BYTES;
  const total = deps.config.EVIDENCE_TOTAL_LIMIT_BYTES;
  let sum = 0;
  files.forEach((f, i) => {
    if (f.size === 0) throw problem('invalid-request', `Evidence file ${i + 1} is empty.`, `第 ${i + 1} 个佐证材料文件为空。`, { file: i + 1 });
    if (f.size > perFile) {
      throw problem('payload-too-large', `Evidence file ${i + 1} has ${f.size} bytes; each file may have at most ${perFile}.`, `第 ${i + 1} 个佐证材料文件为 ${f.size} 字节,单个文件不得超过 ${perFile} 字节。`, { limit: perFile, file: i + 1 });
    }
    sum += f.size;
  });
  if (sum > total) {
    throw problem('payload-too-large', `The evidence files total ${sum} bytes; at most ${total} are accepted.`, `佐证材料合计 ${sum} 字节,超过 ${total} 字节的上限。`, { limit: total });
  }
  const out: CheckedFile[] = [];
  for (const [i, f] of files.entries()) {
    const data = new Uint8Array(await f.arrayBuffer());
    const type = sniffEvidenceType(data);
    if (!type) {
      throw new Problem('unsupported-media-type', {
        en: `Evidence file ${i + 1} is not a PDF, JPEG, PNG, OFD or DOCX file (judged by its content, not its name).`,
        zh: `第 ${i + 1} 个佐证材料文件不是 PDF、JPEG、PNG、OFD 或 DOCX 文件（按文件内容判断，而非文件名）。`,
      }, { extensions: { file: i + 1, accepted: Object.values(EVIDENCE_TYPES).map((t) => t.mediaType) } });
    }
    if (type === 'docx' || type === 'ofd') {
      const refusal = zipRefusal(data);
      if (refusal) {
        throw new Problem(
          'unprocessable',
          { en: `Evidence file ${i + 1} is refused: ${refusal.en}.`, zh: `第 ${i + 1} 个佐证材料文件不予接收：${refusal.zh}。` },
          { extensions: { file: i + 1, reason: refusal.reason } },
        );
      }
    }
    out.push({
      position: i + 1,
      sha256: sha256Hex(data),
      size: data.byteLength,
      type,
      mediaType: EVIDENCE_TYPES[type].mediaType,
      fileName: sanitizeFileName(f.name ?? '', type, `evidence-${i + 1}`),
      data,
    });
  }
  return out;
}

export interface CheckedSubmission {
  files: CheckedFile[];
  /** The signed (个人) or sealed (单位) letter, stored as file position 0. */
  letter: CheckedFile | null;
  identity: ObjectorIdentity;
  noEvidence: boolean;
}

/**
 * Step 3c: the objector's identity and the evidence rule (objector.ts) are checked before any file is
 * read, so an anonymous objection or one without evidence is refused with nothing stored.
 */
export async function checkSubmission(deps: Deps, fields: IntakeFields, now: Date): Promise<CheckedSubmission> {
  const identity = checkObjector(
    {
      kind: fields.kind,
      name: fields.name,
      idNumber: fields.idNumber,
      signature: fields.signature,
      creditCode: fields.creditCode,
      contactPerson: fields.contactPerson,
      hasLetter: fields.letter !== undefined && fields.letter.size > 0,
      evidenceFiles: fields.files.length,
      noEvidence: fields.noEvidence === 'true',
    },
    beijingDate(now),
  );
  const all = await checkEvidence(deps, fields.letter ? [...fields.files, fields.letter] : fields.files);
  const last = fields.letter ? all.pop()! : null;
  const letter = last ? { ...last, position: 0, fileName: sanitizeFileName(fields.letter!.name ?? '', last.type, fields.kind === 'unit' ? 'sealed-letter' : 'signed-letter') } : null;
  return { files: all, letter, identity, noEvidence: fields.noEvidence === 'true' };
}

/** How an objection reached the bureau, for one registered by staff (paper, post, fax). */
export interface Registration {
  channel: Exclude<ObjectionChannel, 'online'>;
  /** The Beijing date the bureau received the materials: the 5-working-day clock starts from it. */
  receivedDate: IsoDate;
  /** Post: the postmark's date (以邮戳为准). */
  postmarkDate?: IsoDate | undefined;
  registeredBy: string;
}

/** The receipt (201): shown once, with the access code in clear. */
export interface Receipt {
  channel: ObjectionChannel;
  postmarkDate: string | null;
  noEvidence: boolean;
  letter: { sha256: string; size: number; mediaType: string; name: string } | null;
  /** Log indexes of the calendar entries the due date was computed with. */
  calendarEntries: number[];
  /** For a provisional due date: "暂按…计算，待国务院公布YYYY年安排后重算". */
  provisionalNote: { zh: string; en: string } | null;
  objectionId: string;
  trackingNo: string;
  accessCode: string;
  noticeId: string;
  receivedAt: string;
  receivedDate: string;
  dueDate: string;
  dueEndsAt: string;
  dueMode: 'after' | 'including';
  dueWorkingDays: number;
  provisional: boolean;
  calendarVersion: string;
  digest: string;
  digestVersion: string;
  files: { position: number; sha256: string; size: number; mediaType: string; name: string }[];
  receiptLogIndex: number;
  receiptDocumentHash: string;
}

/** Access codes: 20 characters of an unambiguous alphabet (~99 bits), shown in groups of five. */
export function newAccessCode(): string {
  return randomCode(20).match(/.{5}/g)!.join('-');
}

/** Dashes, spaces and case do not matter when the code is typed back. */
export const normalizeAccessCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

export const hashAccessCode = (code: string) => hashSecret(`hzqa-objection-access/v1\n${normalizeAccessCode(code)}`);

/** Steps 4–6 (after the window check, body parsing and the submission checks). */
export async function recordObjection(
  deps: Deps,
  notice: NoticeRow,
  fields: IntakeFields,
  sub: CheckedSubmission,
  now: Date,
  registration?: Registration,
): Promise<Receipt> {
  const { db, objects, keys, config } = deps;
  const { files, letter, identity, noEvidence } = sub;
  const organisations = notice.document ? parseJsonColumn(NoticeDocumentSchema, notice.document, 'notice.document').organisations : [];
  if (!organisations.some((o) => o.name === fields.organisation)) {
    throw new Problem('unprocessable', {
      en: `"${fields.organisation}" is not on notice ${notice.id}; an objection names one of the organisations the notice lists.`,
      zh: `“${fields.organisation}”不在公告 ${notice.id} 的名单中；异议须针对公告所列组织。`,
    }, { extensions: { organisations: organisations.map((o) => o.name) } });
  }

  const receivedDate = registration?.receivedDate ?? beijingDate(now);
  const cal = await loadCalendar(db);
  // A receipt is never refused for want of next year's State Council table: the due date is then
  // computed provisionally (weekends and statutory holidays), marked so, and recomputed with a logged
  // correction when the table is entered (calendar/log.ts).
  const due = objectionVerificationDue(cal, receivedDate, config.OBJECTION_DUE_MODE, { provisional: true });
  const id = 'o_' + randomToken('', 12);
  const trackingNo = `YY-${receivedDate.replaceAll('-', '')}-${randomCode(6)}`;
  const accessCode = newAccessCode();
  const channel: ObjectionChannel = registration?.channel ?? 'online';
  const digest = submissionDigest({
    noticeId: notice.id,
    ...fields,
    identity,
    letter: letter ? { sha256: letter.sha256, size: letter.size } : null,
    noEvidence,
    files: files.map((f) => ({ sha256: f.sha256, size: f.size })),
  });
  const nameEnc = await encryptContact(keys.contactKey, id, 'name', fields.name);
  const contactEnc = await encryptContact(keys.contactKey, id, 'contact', fields.contact);
  const identityEnc = await encryptContact(keys.contactKey, id, 'identity', JSON.stringify(identity));
  const provisionalNote = due.provisional ? provisionalNoteFor(receivedDate, due.date, cal) : null;

  const written: string[] = [];
  const stored = letter ? [letter, ...files] : files;
  try {
    for (const f of stored) {
      if (written.includes(f.sha256) || (await objects.has(f.sha256))) continue;
      await objects.put(f.sha256, f.data, f.mediaType);
      written.push(f.sha256);
    }
    const receipt = await db.transaction().execute(async (trx) => {
      // The calendar entries the due date uses are in the log before the receipt that depends on them.
      const calendarEntries = await calendarEntriesFor(trx, receivedDate, due.date);
      const dueFields = {
        dueDate: due.date,
        dueEndsAt: due.endsAt,
        dueMode: due.mode,
        dueWorkingDays: OBJECTION_VERIFICATION_WORKING_DAYS,
        provisional: due.provisional,
        calendarVersion: due.calendarVersion,
        calendarEntries,
      };
      const document = {
        v: 'hzqa-objection-receipt/v1' as const,
        trackingNo,
        noticeId: notice.id,
        noticeLogIndex: notice.log_index,
        digest,
        digestVersion: SUBMISSION_VERSION,
        receivedDate,
        ...dueFields,
        channel,
        ...(registration ? { registeredAt: beijingIso(now) } : {}),
        ...(registration?.postmarkDate ? { postmarkDate: registration.postmarkDate } : {}),
        objectorKind: fields.kind,
        evidenceFiles: files.length,
        noEvidence,
      };
      const refs: Record<string, number> = notice.log_index !== null ? { notice: notice.log_index } : {};
      calendarEntries.forEach((at, i) => (refs[`calendar.${i}`] = at));
      const entry = await appendEntry(trx, 'objection-receipt', document, { cycleId: notice.cycle_id, refs });
      await trx
        .insertInto('objection')
        .values({
          id,
          tracking_no: trackingNo,
          access_code_hash: hashAccessCode(accessCode),
          notice_id: notice.id,
          cycle_id: notice.cycle_id,
          kind: fields.kind,
          name_enc: nameEnc,
          contact_enc: contactEnc,
          identity_enc: identityEnc,
          channel,
          postmark_date: registration?.postmarkDate ?? null,
          registered_by: registration?.registeredBy ?? null,
          no_evidence: noEvidence,
          due_calendar_entries: JSON.stringify(calendarEntries),
          organisation: fields.organisation,
          facts: fields.facts,
          reasons: fields.reasons,
          digest,
          received_at: now,
          received_date: receivedDate,
          due_date: due.date,
          due_ends_at: new Date(due.endsAt),
          due_mode: due.mode,
          due_provisional: due.provisional,
          calendar_version: due.calendarVersion,
          receipt_log_index: entry.index,
          receipt_doc_hash: entry.docHash,
          findings: null,
          decision: null,
          decision_summary: null,
          decided_at: null,
          decided_by: null,
          result_notice_id: null,
          result_published_at: null,
          overdue_flagged_at: null,
        })
        .execute();
      if (stored.length > 0) {
        await trx
          .insertInto('objection_file')
          .values(stored.map((f) => ({ objection_id: id, position: f.position, sha256: f.sha256, size: f.size, media_type: f.mediaType, file_name: f.fileName, role: f === letter ? ('letter' as const) : ('evidence' as const) })))
          .execute();
      }
      await trx
        .insertInto('objection_event')
        .values({
          objection_id: id,
          at: now,
          actor: registration ? registration.registeredBy : 'public',
          action: registration ? 'registered' : 'received',
          detail: JSON.stringify({ receiptLogIndex: entry.index, files: files.length, channel, ...(registration ? { receivedDate, postmarkDate: registration.postmarkDate ?? null } : {}) }),
        })
        .execute();
      return { index: entry.index, docHash: entry.docHash, dueFields };
    });
    await checkpointAfterWrite(deps);
    return {
      objectionId: id,
      trackingNo,
      accessCode,
      noticeId: notice.id,
      receivedAt: beijingIso(now),
      receivedDate,
      ...receipt.dueFields,
      provisionalNote,
      channel,
      postmarkDate: registration?.postmarkDate ?? null,
      noEvidence,
      digest,
      digestVersion: SUBMISSION_VERSION,
      files: files.map((f) => ({ position: f.position, sha256: f.sha256, size: f.size, mediaType: f.mediaType, name: f.fileName })),
      letter: letter ? { sha256: letter.sha256, size: letter.size, mediaType: letter.mediaType, name: letter.fileName } : null,
      receiptLogIndex: receipt.index,
      receiptDocumentHash: receipt.docHash,
    };
  } catch (e) {
    await removeOrphans(deps, written);
    throw e;
  }
}

/** Deletes the given objects unless some objection references them (best effort, logged). */
export async function removeOrphans(deps: Deps, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    try {
      const used = await deps.db.selectFrom('objection_file').select('objection_id').where('sha256', '=', key).executeTakeFirst();
      if (!used) await deps.objects.delete(key);
    } catch (e) {
      deps.logger.log('error', 'could not remove an orphaned evidence file', { key, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/**
 * For an objection registered by staff: the notice takes objections, and the objection was made in
 * its window — received by the last day (in person, fax), or posted by then (以邮戳为准) even if it
 * arrives later. The receipt date cannot lie before publication or after today.
 */
export async function assertFiledInWindow(deps: Deps, noticeId: string, reg: RegistrationFields, now: Date): Promise<NoticeRow> {
  const n = await getNoticeRow(deps.db, noticeId);
  if (!hasWindow(n.type) || n.status !== 'published' || !n.published_at) {
    throw new Problem('notice-not-objectable', {
      en: `Notice ${n.id} takes no objections (not published, or no publicity window).`,
      zh: `公告 ${n.id} 不受理异议（未发布或不设公示期）。`,
    }, { extensions: { noticeId: n.id } });
  }
  const w = windowOf(n)!;
  const publishedOn = beijingDate(n.published_at);
  const today = beijingDate(now);
  if (reg.receivedDate > today) throw problem('invalid-request', `receivedDate ${reg.receivedDate} is after today (${today}).`, `收到日期 ${reg.receivedDate} 晚于今日(${today})。`, { errors: [{ path: 'receivedDate', message: 'in the future' }] });
  if ((reg.postmarkDate ?? reg.receivedDate) < publishedOn) {
    throw problem('invalid-request', `The objection is dated before the notice was published (${publishedOn}).`, `异议日期早于公告发布日期(${publishedOn})。`, { errors: [{ path: reg.postmarkDate ? 'postmarkDate' : 'receivedDate', message: 'before publication' }] });
  }
  const filed = reg.postmarkDate ?? reg.receivedDate;
  if (filed > w.end) {
    const how = reg.channel === 'post' ? { en: `posted on ${filed} (postmark)`, zh: `邮戳日期为 ${filed}` } : { en: `received on ${filed}`, zh: `收到日期为 ${filed}` };
    throw new Problem('objection-window-closed', {
      en: `The objection was ${how.en}, after the window ${w.start} to ${w.end}: late objections (逾期) are not accepted.`,
      zh: `该异议${how.zh}，晚于公示期 ${w.start} 至 ${w.end}，逾期异议不予受理。`,
    }, { extensions: { noticeId: n.id, window: w } });
  }
  return n;
}
