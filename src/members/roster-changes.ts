// Correcting or removing a judging-group member. The roster is public from the first entry
// (member-registered), so a change is a log entry with its reason, written with the row. A change is
// allowed only before the member took part: never a tablet enrolled for them (member-enrolled, even if
// re-issued since) and on no meeting's roster (meeting-open fixes the roster a quorum is counted on) —
// after that the log already holds the member as they were, and a later edit would rewrite what the
// meeting saw. Then the office records a new member instead. Refused while a meeting of the cycle is open.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem, problem } from '../errors.js';
import { appendEntry, parseDocument } from '../log/documents/index.js';

type Trx = Transaction<Database>;

export interface MemberAmendment {
  name?: string;
  unit?: string;
  isChair?: boolean;
  reason: string;
}

/** The member's row, locked, once it is certain the member has not taken part; else 404 or 409. */
async function unusedMember(trx: Trx, memberId: string) {
  const member = await trx.selectFrom('member').select(['id', 'cycle_id', 'name', 'unit', 'is_chair', 'enrolled_at']).where('id', '=', memberId).forUpdate().executeTakeFirst();
  if (!member) throw new Problem('not-found', { en: `No member ${memberId}.`, zh: '没有该成员。' });
  // The cycle's row serialises this with opening a meeting and with enrolment's log entries.
  await trx.selectFrom('cycle').select('id').where('id', '=', member.cycle_id).forUpdate().execute();
  const open = await trx.selectFrom('meeting').select('title').where('cycle_id', '=', member.cycle_id).where('status', '=', 'open').executeTakeFirst();
  if (open) throw problem('conflict', `Meeting “${open.title}” is open: its roster is fixed until it closes.`, `“${open.title}”正在进行，会议结束前名单不能改动。`);
  const logged = await trx
    .selectFrom('log_entry')
    .innerJoin('log_document', 'log_document.hash', 'log_entry.doc_hash')
    .select(['log_entry.type', 'log_document.body'])
    .where('log_entry.cycle_id', '=', member.cycle_id)
    .where('log_entry.type', 'in', ['member-enrolled', 'meeting-open'])
    .execute();
  const took = (type: string) =>
    logged.some((e) => {
      if (e.type !== type) return false;
      const d = parseDocument(e.type, JSON.parse(e.body));
      if (!d.ok) return false;
      const doc = d.value.doc as { memberId?: string; roster?: { memberId: string }[] };
      return doc.memberId === memberId || (doc.roster ?? []).some((m) => m.memberId === memberId);
    });
  if (member.enrolled_at || took('member-enrolled')) {
    throw problem('conflict', `${member.name}'s tablet has been enrolled: the entry stays as logged; register a new member instead.`, `${member.name}已绑定过平板，名单记录不能再改动；如需调整，请另行登记成员。`);
  }
  if (took('meeting-open')) {
    throw problem('conflict', `${member.name} is on the roster of a meeting held: the entry stays as logged; register a new member instead.`, `${member.name}已列入已召开会议的名单，名单记录不能再改动；如需调整，请另行登记成员。`);
  }
  return member;
}

/** Corrects a member's name, unit or chair before they took part; logged (member-amended). */
export async function amendMember(db: Kysely<Database>, memberId: string, change: MemberAmendment, now: Date) {
  return db.transaction().execute(async (trx) => {
    const m = await unusedMember(trx, memberId);
    const next = { name: change.name ?? m.name, unit: change.unit ?? m.unit, isChair: change.isChair ?? m.is_chair };
    if (next.name === m.name && next.unit === m.unit && next.isChair === m.is_chair) throw problem('invalid-request', 'Nothing to change.', '没有需要修改的内容。');
    await trx.updateTable('member').set({ name: next.name, unit: next.unit, is_chair: next.isChair }).where('id', '=', memberId).execute();
    const { index } = await appendEntry(trx, 'member-amended', { memberId, cycleId: m.cycle_id, ...next, reason: change.reason, amendedAt: now.toISOString() }, { cycleId: m.cycle_id });
    return { id: memberId, ...next, logIndex: index };
  });
}

/** Takes a member off the roster before they took part; logged (member-removed). */
export async function removeMember(db: Kysely<Database>, memberId: string, reason: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const m = await unusedMember(trx, memberId);
    await trx.deleteFrom('member_challenge').where('member_id', '=', memberId).execute();
    await trx.deleteFrom('member_session').where('member_id', '=', memberId).execute();
    await trx.deleteFrom('member').where('id', '=', memberId).execute();
    const { index } = await appendEntry(trx, 'member-removed', { memberId, cycleId: m.cycle_id, name: m.name, unit: m.unit, reason, removedAt: now.toISOString() }, { cycleId: m.cycle_id });
    return { id: memberId, logIndex: index };
  });
}
