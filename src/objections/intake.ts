// Receiving an objection (三(三)7: "任何单位或个人对公示存在异议的,可以在规定时限内……提出,并提供
// 相应的事实、理由及其佐证材料"). Order of work, so that a refusal never leaves anything behind:
//   1. the notice takes objections and its window is open at the instant the request arrived;
//   2. the body is read under its own limit (Content-Length first, then while reading);
//   3. every field and every file is validated (types sniffed from content) — nothing written yet;
//   4. the due date is computed (calendar), the name and contact encrypted;
//   5. evidence files are written to the object store (content-addressed: key = SHA-256 hex);
//   6. one transaction: the receipt's public log entry, the objection, its files, its first event.
//      If it fails, the files written in 5 that no other objection references are deleted.
import type { Deps } from '../deps.js';
import { Problem } from '../errors.js';
import { parseJsonColumn } from '../db/json-column.js';
import { NoticeDocumentSchema } from '../log/documents/index.js';
import { randomCode, randomToken } from '../auth/secrets.js';
import { beijingDate, beijingIso, type IsoDate } from '../calendar/dates.js';
import { calendarEntriesFor, provisionalNote as provisionalNoteFor } from '../calendar/log.js';
import type { ObjectionChannel } from '../../schema/database.js';
import { loadCalendar } from '../calendar/queries.js';
import { objectionVerificationDue, OBJECTION_VERIFICATION_WORKING_DAYS } from '../calendar/rules.js';
import { appendEntry, checkpointAfterWrite } from '../log/index.js';
import type { NoticeRow } from '../notices/rows.js';
import { encryptContact } from './contact.js';
import { submissionDigest, SUBMISSION_VERSION } from './digest.js';
import { hashAccessCode, newAccessCode } from './access-code.js';
import type { IntakeFields } from './intake-form.js';
import type { CheckedSubmission } from './intake-checks.js';
import type { ObjectionReceiptJson } from './responses.js';

/** How an objection reached the bureau, for one registered by staff (paper, post, fax). */
export interface Registration {
  channel: Exclude<ObjectionChannel, 'online'>;
  /** The Beijing date the bureau received the materials: the 5-working-day clock starts from it. */
  receivedDate: IsoDate;
  /** Post: the postmark's date (以邮戳为准). */
  postmarkDate?: IsoDate | undefined;
  registeredBy: string;
}


/** Steps 4–6 (after the window check, body parsing and the submission checks). */
export async function recordObjection(
  deps: Deps,
  notice: NoticeRow,
  fields: IntakeFields,
  sub: CheckedSubmission,
  now: Date,
  registration?: Registration,
): Promise<ObjectionReceiptJson> {
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
