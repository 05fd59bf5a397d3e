// Staff console, 会议与归档 tab: the cycle's meetings and ballots at a glance, and what the archive
// files from them — the 会议纪要 and 计票结果报告单 print pages (A4; the browser's 打印 saves them as
// PDF, as does `npm run print`), each list's organisations and each result as CSV, and the objection
// register as CSV (staff only; it never includes the objectors' identities).
import type { BallotListJson } from '../../../votes/responses.js';
import type { NoticeListJson } from '../../../notices/responses.js';
import type { MeetingListJson } from '../../../votes/conduct-responses.js';
import { AWARD_LABEL, type MsgKey } from '../../i18n.js';
import { beijing, h, lang, replace, table, tr } from '../dom.js';
import { act, call, panel, staff } from './context.js';

const link = (href: string, label: string, download = false) => h('a', { href, ...(download ? { download: '' } : {}) }, label);

/** A staff-only file: fetched with the token, then saved under the name the server gives it. */
async function downloadWithToken(path: string, fallbackName: string) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${staff.token}` } });
  if (!res.ok) throw new Error(tr('archiveDownloadFailed', { status: res.status }));
  const disposition = res.headers.get('content-disposition') ?? '';
  const named = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const a = h('a', { href: URL.createObjectURL(await res.blob()), download: named ? decodeURIComponent(named) : fallbackName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export async function drawArchive() {
  const cycleId = staff.cycleId;
  const [{ meetings }, { ballots }, { notices }] = await Promise.all([
    call<MeetingListJson>(`/api/v1/cycles/${cycleId}/meetings`),
    call<BallotListJson>(`/api/v1/cycles/${cycleId}/ballots`),
    call<NoticeListJson>(`/api/v1/notices?cycleId=${cycleId}`),
  ]);
  const meetingTitle = new Map(meetings.map((m) => [m.id, m.title]));
  const published = notices.filter((n) => n.status === 'published');
  replace(
    panel,
    h('h2', {}, tr('archiveSection')),
    h('p', { class: 'muted' }, tr('archiveIntro')),
    h('h3', {}, tr('archiveMeetings')),
    meetings.length
      ? table(
          [tr('archiveMeeting'), tr('archiveOpenedAt'), tr('status'), ''],
          meetings.map((m) => [m.title, beijing(m.openedAt), m.status === 'open' ? tr('archiveMeetingOpen') : tr('archiveMeetingClosed'), m.status === 'closed' ? link(`/print/meetings/${m.id}/minutes`, tr('archiveMinutes')) : '']),
          { id: 'archive-meetings' },
        )
      : h('p', { class: 'muted' }, tr('archiveNone')),
    h('h3', {}, tr('archiveBallots')),
    ballots.length
      ? table(
          [tr('archiveBallot'), tr('archiveMeeting'), tr('phase'), ''],
          ballots.map((b) => [
            [b.title, AWARD_LABEL[b.award]?.[lang], b.kind === 'secret' ? tr('secretBallot') : tr('showOfHands')].filter((x, i, all) => x && all.indexOf(x) === i).join(' · '),
            meetingTitle.get(b.meetingId) ?? '',
            tr(`ph_${b.phase}` as MsgKey),
            b.phase === 'tallied' ? h('span', {}, link(`/print/ballots/${b.id}/tally-sheet`, tr('archiveTallySheet')), '　', link(`/api/v1/ballots/${b.id}/result.csv`, tr('archiveResultCsv'), true)) : '',
          ]),
          { id: 'archive-ballots' },
        )
      : h('p', { class: 'muted' }, tr('archiveNone')),
    h('h3', {}, tr('archiveNotices')),
    published.length
      ? table(
          [tr('archiveNotice'), tr('publishedAt'), ''],
          published.map((n) => [n.title, beijing(n.publishedAt), h('span', {}, link(`/notices/${n.id}`, tr('archivePrint')), n.organisations.length ? ['　', link(`/api/v1/notices/${n.id}/organisations.csv`, tr('archiveListCsv'), true)] : '')]),
          { id: 'archive-notices' },
        )
      : h('p', { class: 'muted' }, tr('archiveNone')),
    h('h3', {}, tr('archiveObjections')),
    h('button', { type: 'button', id: 'archive-objections', onclick: act(() => downloadWithToken(`/api/v1/cycles/${cycleId}/objections.csv`, `${cycleId}-objections.csv`)) }, tr('archiveObjectionsCsv')),
  );
}
