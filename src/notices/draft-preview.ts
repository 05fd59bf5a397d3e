// A draft as it would be published now (GET /api/v1/notices/{id}/preview): built with the same functions
// as the published document (src/notices/preview.ts, initialWinnerBallots), without writing anything.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { getPublishedResult } from '../votes/results.js';
import { initialWinnerBallots } from './drafts.js';
import { draftColumns, type NoticeRow } from './rows.js';
import { objectionsOf, withRemovals, withWinners } from './preview.js';
import { listStage, withRegisterCodes } from '../register/queries.js';
import type { ObjectionResultRef, Organisation } from './model.js';

export interface NoticePreview {
  organisations: Organisation[];
  objections: ObjectionResultRef[] | null;
}


export async function previewDraft(db: Kysely<Database>, row: NoticeRow, now: Date): Promise<NoticePreview> {
  if (row.type === 'objection-result') {
    const objections = await objectionsOf(db, row.cycle_id, draftColumns.ids(row.objection_ids, 'notice.objection_ids'), row.corrects, false);
    const organisations = [...new Set(objections.map((o) => o.organisation))].map((name) => ({ name }));
    return { organisations: await withRegisterCodes(db, row.cycle_id, organisations), objections };
  }
  let organisations = draftColumns.organisations(row.organisations);
  if (row.type === 'initial-winners') {
    const ballots = [];
    for (const id of await initialWinnerBallots(db, row.cycle_id, draftColumns.ids(row.ballot_ids, 'notice.ballot_ids'))) ballots.push(await getPublishedResult(db, id));
    organisations = withWinners([], ballots);
    if (row.corrects) {
      const corrected = await db.selectFrom('notice').select('document').where('id', '=', row.corrects).executeTakeFirst();
      ({ organisations } = await withRemovals(db, row.cycle_id, corrected?.document ?? null, draftColumns.ids(row.removed, 'notice.removed'), organisations));
    }
  }
  // With a register, a list is drawn from the previous stage, as at publication.
  const stage = await listStage(db, row.cycle_id, row.type, organisations, row.sequence_override, now);
  return { organisations: await withRegisterCodes(db, row.cycle_id, stage ? stage.organisations : organisations), objections: null };
}
