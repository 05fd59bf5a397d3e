// Notices (公示/公告): staff write drafts (not public, editable), then publish. Publishing fixes the
// objection window with the calendar, builds the notice's document, appends it to the public log in
// the same transaction, and freezes the notice: nothing is edited afterwards; a correction is a new
// notice with `corrects` pointing to the one it corrects.
import type { Deps } from '../deps.js';
import { invalid, problem } from '../errors.js';
import { loadCalendar } from '../calendar/queries.js';
import { beijingDate, beijingIso } from '../calendar/dates.js';
import { calendarEntriesFor } from '../calendar/log.js';
import { chineseDate, getIntakeDetails } from './intake-details.js';
import { appendEntry, canonicalJson, checkpointAfterWrite } from '../log/index.js';
import { getPublishedResult } from '../votes/results.js';
import { markResultsPublished } from '../objections/results.js';
import { checkRevocation, listStage, withRegisterCodes } from '../register/queries.js';
import { commendationOf } from '../award/commendation.js';
import { objectionsOf, withRemovals, withWinners } from './preview.js';
import { hasWindow, ISSUER, NOTICE_TYPE_NAMES, type BallotRef, type NoticeDocument, type ObjectionResultRef } from './model.js';
import { draftColumns, getNoticeRow, type NoticeRow } from './rows.js';
import { initialWinnerBallots } from './drafts.js';
import { computeWindow } from './window.js';

/** Publishes a draft: window, document, log entry, all in one transaction. */
export async function publishNotice(deps: Deps, id: string, actor: string): Promise<NoticeRow> {
  const { db, clock, config } = deps;
  const now = clock.now();
  const pre = await getNoticeRow(db, id);
  if (pre.status !== 'draft') throw problem('conflict', `Notice ${id} is already published.`, `公告 ${id} 已发布。`);
  const type = pre.type;
  // Outside the transaction: the calendar (a year without a table refuses here, 422) and the ballots.
  const cal = await loadCalendar(db);
  const window = hasWindow(type) ? computeWindow(cal, now, config.NOTICE_WINDOW_MODE, config.NOTICE_CUTOFF, pre.first_day) : null;
  const intake = hasWindow(type) ? await getIntakeDetails(db, pre.cycle_id) : null;
  if (hasWindow(type) && !intake) {
    throw problem('unprocessable', 
      `Set the objection-intake details of cycle ${pre.cycle_id} (受理单位, 联系人, 电话, 地址, 邮编) first: every list prints them.`,
      `请先设置周期 ${pre.cycle_id} 的异议受理信息（受理单位、联系人、电话、地址、邮编），每份公示均须载明。`,
      { cycleId: pre.cycle_id },
    );
  }
  const ballots: BallotRef[] = [];
  const listed = type === 'initial-winners' ? await initialWinnerBallots(db, pre.cycle_id, draftColumns.ids(pre.ballot_ids, 'notice.ballot_ids')) : [];
  for (const ballotId of listed) {
    const r = await getPublishedResult(db, ballotId);
    if (r.cycleId !== pre.cycle_id) throw invalid(`Ballot ${ballotId} belongs to another cycle.`, `投票 ${ballotId} 属于其他周期。`);
    ballots.push({
      ballotId: r.ballotId,
      award: r.award,
      kind: r.kind,
      winners: r.winners.map((w) => ({ candidateId: w.candidateId, name: w.name })),
      resultLogIndex: r.resultLogIndex,
      bulletinLogIndex: r.bulletinLogIndex,
    });
  }

  const row = await db.transaction().execute(async (trx) => {
    const n = await getNoticeRow(trx, id, true);
    if (n.status !== 'draft') throw problem('conflict', `Notice ${id} is already published.`, `公告 ${id} 已发布。`);
    let corrects: NoticeDocument['corrects'] = null;
    let correctedDocument: string | null = null;
    if (n.corrects) {
      const target = await getNoticeRow(trx, n.corrects, true);
      correctedDocument = target.document;
      if (target.status !== 'published' || target.log_index === null || !target.document_hash) {
        throw problem('conflict', `Notice ${target.id} is not published.`, `公告 ${target.id} 尚未发布。`);
      }
      const already = await trx
        .selectFrom('notice')
        .select('id')
        .where('corrects', '=', target.id)
        .where('status', '=', 'published')
        .executeTakeFirst();
      if (already) {
        throw problem('conflict', 
          `Notice ${target.id} was already corrected by ${already.id}; correct that one instead.`,
          `公告 ${target.id} 已由 ${already.id} 更正,请更正后者。`,
          { correctedBy: already.id },
        );
      }
      corrects = { id: target.id, logIndex: target.log_index, documentHash: target.document_hash };
    }

    if (type === 'initial-winners') {
      // The ballots as they stand now, under the lock: a ballot tallied or prepared since is not missed.
      await trx.selectFrom('cycle').select('id').where('id', '=', n.cycle_id).forUpdate().execute();
      const now = await initialWinnerBallots(trx, n.cycle_id, listed);
      if (now.join() !== listed.join()) throw problem('conflict', 'The cycle’s ballots changed while publishing; publish again.', '发布期间本周期的投票有变化，请重新发布。');
    }
    let organisations = type === 'initial-winners' ? [] : draftColumns.organisations(n.organisations);
    let revocation = draftColumns.revocation(n.revocation);
    if (type === 'revocation' && revocation) revocation = await checkRevocation(trx, n.cycle_id, draftColumns.organisations(n.organisations), revocation, beijingDate(now));
    let objections: ObjectionResultRef[] | undefined;
    if (type === 'initial-winners') {
      organisations = withWinners(organisations, ballots);
      const names = new Set<string>();
      for (const o of organisations) {
        if (names.has(o.name)) {
          throw problem('unprocessable', `Organisation "${o.name}" appears twice on the list.`, `组织“${o.name}”在名单中出现两次。`);
        }
        names.add(o.name);
      }
    }
    let removed: NoticeDocument['removed'];
    if (type === 'initial-winners' && n.corrects) ({ organisations, removed } = await withRemovals(trx, n.cycle_id, correctedDocument, draftColumns.ids(n.removed, 'notice.removed'), organisations));
    if (type === 'revocation' && revocation) organisations = organisations.map((o) => ({ ...o, award: revocation.award }));
    // 四(二): the 表彰通报 lists exactly the organisations the city government's decision awarded.
    const commendation = type === 'commendation' ? await commendationOf(trx, n.cycle_id, organisations) : null;
    if (commendation) organisations = commendation.organisations;
    // With a register: drawn from the previous stage, in order (or with the override's reason).
    const stage = await listStage(trx, n.cycle_id, type, organisations, n.sequence_override, now);
    if (stage) organisations = stage.organisations;
    if (type === 'objection-result') {
      objections = await objectionsOf(trx, n.cycle_id, draftColumns.ids(n.objection_ids, 'notice.objection_ids'), n.corrects, true);
      organisations = [...new Set(objections.map((o) => o.organisation))].map((name) => ({ name }));
    }
    // Result and revocation notices name organisations too: with their codes when the register has them.
    organisations = await withRegisterCodes(trx, n.cycle_id, organisations);

    const document: NoticeDocument = {
      v: 'hzqa-notice/v1',
      id: n.id,
      cycleId: n.cycle_id,
      type,
      typeName: NOTICE_TYPE_NAMES[type].zh,
      title: n.title,
      body: n.body,
      organisations,
      corrects,
      window,
      ...(type === 'initial-winners' ? { ballots } : {}),
      ...(objections ? { objections } : {}),
      ...(revocation ? { revocation } : {}),
      ...(commendation ? { commendation: commendation.commendation } : {}),
      ...(stage?.drawnFrom ? { drawnFrom: stage.drawnFrom } : {}),
      ...(stage?.sequenceOverride ? { sequenceOverride: stage.sequenceOverride } : {}),
      ...(removed ? { removed } : {}),
      publishedAt: beijingIso(now),
      issuer: ISSUER,
      ...(intake ? { intake } : {}),
      signOff: { issuer: ISSUER, date: chineseDate(beijingDate(now)) },
    };
    // Log refs are flat (string → index): `corrects`, then `result.N` / `bulletin.N` per ballot and
    // `receipt.N` per objection, N counting from 0 in the document's order.
    const refs: Record<string, number> = {};
    if (corrects) refs.corrects = corrects.logIndex;
    if (stage?.drawnFrom) refs.drawnFrom = stage.drawnFrom.logIndex;
    if (commendation) refs.decision = commendation.commendation.decision.logIndex;
    if (revocation?.awardedBy) refs.awardedBy = revocation.awardedBy.logIndex;
    ballots.forEach((b, i) => {
      refs[`result.${i}`] = b.resultLogIndex;
      if (b.bulletinLogIndex !== null) refs[`bulletin.${i}`] = b.bulletinLogIndex;
    });
    objections?.forEach((o, i) => (refs[`receipt.${i}`] = o.receiptLogIndex));
    if (window) {
      // The calendar entries the window was counted with are logged first, and named by it.
      window.calendarEntries = await calendarEntriesFor(trx, window.start, window.end);
      window.calendarEntries.forEach((at, i) => (refs[`calendar.${i}`] = at));
    }
    const entry = await appendEntry(trx, 'notice', document, { cycleId: n.cycle_id, refs });
    const published = await trx
      .updateTable('notice')
      .set({
        status: 'published',
        window_start: window?.start ?? null,
        window_end: window?.end ?? null,
        window_mode: window?.mode ?? null,
        window_closes_at: window ? new Date(window.closesAt) : null,
        calendar_version: window?.calendarVersion ?? cal.version,
        published_at: now,
        published_by: actor,
        log_index: entry.index,
        document_hash: entry.docHash,
        document: canonicalJson(document),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (type === 'objection-result') await markResultsPublished(trx, draftColumns.ids(n.objection_ids, 'notice.objection_ids'), { id, logIndex: entry.index }, now, actor);
    return published;
  });
  await checkpointAfterWrite(deps);
  return row;
}
