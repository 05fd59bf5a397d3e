// The plenary meeting (全体会议) of a cycle and its check-ins (签到). Only members checked in take part
// in the meeting's votes; no proxies. Each check-in is signed by the member's device key and logged,
// so the supervisors can later check every recorded hand against a member who was present.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import { Problem } from '../errors.js';
import { appendEntry } from '../log/index.js';
import { randomToken } from '../auth/secrets.js';
import { checkInMessage, verifyDeviceSignature } from './messages.js';
import { DEFAULT_RULES, quorumMet, quorumNeeded } from './rules.js';
import { minutesDocument } from './report.js';

type Db = Kysely<Database> | Transaction<Database>;

const notFound = (what: string, id: string) => new Problem('not-found', { en: `No ${what} ${id}.`, zh: `没有 ${id}。` });

export async function openMeeting(db: Kysely<Database>, cycleId: string, title: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const open = await trx.selectFrom('meeting').select('id').where('cycle_id', '=', cycleId).where('status', '=', 'open').executeTakeFirst();
    if (open) throw new Problem('conflict', { en: `Meeting ${open.id} of this cycle is still open.`, zh: `本周期的会议 ${open.id} 尚未结束。` });
    // The roster in the order staff entered it (members/queries.ts listMembers), not by random id.
    const roster = await trx.selectFrom('member').select(['id', 'name', 'unit']).where('cycle_id', '=', cycleId).orderBy('created_at').orderBy('id').execute();
    const id = 'mt_' + randomToken('', 12);
    const { index } = await appendEntry(
      trx,
      'meeting-open',
      { meetingId: id, cycleId, title, roster: roster.map((m) => ({ memberId: m.id, name: m.name, unit: m.unit })), membersTotal: roster.length },
      { cycleId },
    );
    await trx.insertInto('meeting').values({ id, cycle_id: cycleId, title, status: 'open', opened_at: now, log_index: index }).execute();
    return { id, cycleId, title, logIndex: index, membersTotal: roster.length };
  });
}

export async function getMeeting(db: Db, meetingId: string) {
  const m = await db.selectFrom('meeting').selectAll().where('id', '=', meetingId).executeTakeFirst();
  if (!m) throw notFound('meeting', meetingId);
  return m;
}

export async function closeMeeting(db: Kysely<Database>, meetingId: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const m = await getMeeting(trx, meetingId);
    const busy = await trx
      .selectFrom('ballot')
      .select('id')
      .where('meeting_id', '=', meetingId)
      .where('phase', 'in', ['issuing', 'casting', 'voting', 'closed'])
      .executeTakeFirst();
    if (busy) throw new Problem('conflict', { en: `Ballot ${busy.id} is not finished.`, zh: `投票 ${busy.id} 尚未结束。` });
    const r = await trx.updateTable('meeting').set({ status: 'closed', closed_at: now }).where('id', '=', meetingId).where('status', '=', 'open').executeTakeFirst();
    if (r.numUpdatedRows === 0n) throw new Problem('conflict', { en: 'The meeting is already closed.', zh: '会议已结束。' });
    const { index } = await appendEntry(trx, 'meeting-close', { meetingId }, { cycleId: m.cycle_id });
    // The 会议纪要 as it stands at the close, its own entry: the filed paper names this index and hash.
    const minutes = await appendEntry(trx, 'meeting-minutes', { ...(await minutesDocument(trx, meetingId)), closeLogIndex: index }, { cycleId: m.cycle_id, refs: { close: index } });
    await trx.updateTable('meeting').set({ minutes_log_index: minutes.index }).where('id', '=', meetingId).execute();
    return { logIndex: index, minutesLogIndex: minutes.index };
  });
}

/** 签到 from the member's own tablet: signed with the device key; once per meeting. */
export async function checkIn(
  db: Kysely<Database>,
  member: { memberId: string; cycleId: string; name: string; unit: string; deviceKey: string },
  meetingId: string,
  signatureHex: string,
  now: Date,
) {
  if (!verifyDeviceSignature(member.deviceKey, checkInMessage(meetingId, member.memberId), signatureHex)) {
    throw new Problem('forbidden', { en: 'The check-in signature does not verify with this tablet’s key.', zh: '签到签名与本设备密钥不符。' });
  }
  return db.transaction().execute(async (trx) => {
    const m = await trx.selectFrom('meeting').selectAll().where('id', '=', meetingId).forUpdate().executeTakeFirst();
    if (!m) throw notFound('meeting', meetingId);
    if (m.cycle_id !== member.cycleId) throw new Problem('forbidden', { en: 'This meeting is of another cycle.', zh: '该会议不属于本周期。' });
    if (m.status !== 'open') throw new Problem('conflict', { en: 'The meeting is closed.', zh: '会议已结束。' });
    const existing = await trx.selectFrom('checkin').selectAll().where('meeting_id', '=', meetingId).where('member_id', '=', member.memberId).executeTakeFirst();
    if (existing) return { checkedInAt: existing.checked_in_at, logIndex: existing.log_index, already: true };
    const { index } = await appendEntry(
      trx,
      'checkin',
      { meetingId, memberId: member.memberId, name: member.name, unit: member.unit, deviceKey: member.deviceKey, signature: signatureHex },
      { cycleId: m.cycle_id },
    );
    await trx
      .insertInto('checkin')
      .values({ meeting_id: meetingId, member_id: member.memberId, device_key: member.deviceKey, signature: signatureHex, checked_in_at: now, log_index: index })
      .execute();
    return { checkedInAt: now, logIndex: index, already: false };
  });
}

/** The roster with check-ins and the quorum status under the default rules (each ballot states its own). */
export async function meetingStatus(db: Db, meetingId: string) {
  const m = await getMeeting(db, meetingId);
  const members = await db
    .selectFrom('member')
    .leftJoin('checkin', (j) => j.onRef('checkin.member_id', '=', 'member.id').on('checkin.meeting_id', '=', meetingId))
    .select(['member.id', 'member.name', 'member.unit', 'member.is_chair', 'checkin.checked_in_at'])
    .where('member.cycle_id', '=', m.cycle_id)
    .orderBy('member.created_at')
    .orderBy('member.id')
    .execute();
  const checkedIn = members.filter((x) => x.checked_in_at).length;
  return {
    id: m.id,
    cycleId: m.cycle_id,
    title: m.title,
    status: m.status,
    openedAt: m.opened_at.toISOString(),
    closedAt: m.closed_at?.toISOString() ?? null,
    logIndex: m.log_index,
    minutesLogIndex: m.minutes_log_index,
    membersTotal: members.length,
    checkedIn,
    quorum: { rules: DEFAULT_RULES.quorum, needed: quorumNeeded(DEFAULT_RULES, members.length), met: quorumMet(DEFAULT_RULES, checkedIn, members.length) },
    roster: members.map((x) => ({ memberId: x.id, name: x.name, unit: x.unit, isChair: x.is_chair, checkedInAt: x.checked_in_at?.toISOString() ?? null })),
  };
}

export async function checkedInMembers(db: Db, meetingId: string) {
  return db
    .selectFrom('checkin')
    .innerJoin('member', 'member.id', 'checkin.member_id')
    .select(['member.id as memberId', 'member.name', 'member.unit', 'checkin.device_key as deviceKey'])
    .where('checkin.meeting_id', '=', meetingId)
    .orderBy('member.id')
    .execute();
}
