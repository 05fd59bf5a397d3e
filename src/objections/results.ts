// An objection's result is published: the objection moves to `published`, pointing at the 异议核查结果
// notice, with an event. Called by the notice's publication, in its transaction; the objection's
// tables are written only by this folder.
import type { Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';

export async function markResultsPublished(trx: Transaction<Database>, objectionIds: readonly string[], notice: { id: string; logIndex: number }, now: Date, actor: string) {
  for (const oid of objectionIds) {
    await trx.updateTable('objection').set({ status: 'published', result_notice_id: notice.id, result_published_at: now }).where('id', '=', oid).execute();
    await trx
      .insertInto('objection_event')
      .values({ objection_id: oid, at: now, actor, action: 'result-published', detail: JSON.stringify({ noticeId: notice.id, logIndex: notice.logIndex }) })
      .execute();
  }
}
