// Staff console, meeting tab: open or close the plenary meeting, check-ins and quorum, each ballot's
// phases (the next phase from the one phase table), results and run-offs, and preparing a ballot with
// its quorum and pass rule. The view follows the room by polling the meeting's live data every second
// (plain requests: the same behind Node and on Workers): check-ins, quorum, tokens issued and ballots
// cast update in place; a phase changed elsewhere (the chair's tablet) redraws the view.
import { AWARD_LABEL, type MsgKey } from '../../i18n.js';
import { nextPhase, type BallotPhase } from '../../../votes/phases.js';
import type { BallotJson, BallotListJson, MeetingOpenedJson, MeetingStatusJson } from '../../../votes/responses.js';
import type { DisplayLinkJson, MeetingLiveJson } from '../../../votes/conduct-responses.js';
import { alertBox, api, beijing, bracket, errorText, field, h, lang, replace, table, tr, type Kid, colon } from '../dom.js';
import { act, call, confirmed, panel, post, staff } from './context.js';
import { manifestFingerprint } from '../../../assets/manifest.js';
import { staffHandsBox } from './hands.js';
import { AWARDS } from '../../../votes/awards.js';
// Preset rules of comparable award committees: quorum ≥ 2/3 (or 1/2, 3/4); pass from > 1/2 to ≥ 2/3 (or > 2/3).
import { withdrawBox } from './withdraw.js';
import { PASSES, QUORUMS, procedureKey, procedurePanel, updateProcedureCounts, type LiveProcedure } from './procedure.js';

/** The logged asset manifest this page declares (its index and fingerprint), for the meeting screen. */
const BUILD = (() => {
  const m = document.querySelector<HTMLMetaElement>('meta[name="asset-manifest"]');
  const hash = m?.dataset.hash;
  return m && hash && /^[0-9a-f]{64}$/.test(hash) ? { index: m.content, fingerprint: manifestFingerprint(hash) } : null;
})();

type Ballot = BallotJson;

/** The meeting as the room sees it (GET /api/v1/meetings/{id}/live). */
type Live = MeetingLiveJson;
type LiveBallot = Live['ballots'][number];

let liveTimer: ReturnType<typeof setTimeout> | undefined;

const countsText = (b: LiveBallot | undefined) => (b ? [b.issued !== null ? tr('issuedCount', { n: b.issued }) : '', tr('castCount', { n: b.cast })].filter(Boolean).join(' · ') : '');

function quorumKids(m: { checkedIn: number; membersTotal: number; quorum: { needed: number; met: boolean } }): Kid[] {
  return [
    `${tr('quorum')}${colon}${tr('quorumStatus', { n: m.checkedIn, total: m.membersTotal, needed: m.quorum.needed })} — `,
    h('strong', { class: m.quorum.met ? 'ok-text' : 'bad-text' }, m.quorum.met ? tr('quorumMet') : tr('quorumNotMet')),
  ];
}

/** Every second while this view is shown: the live data into the drawn view, or a redraw when a phase moved. */
function followLive(meetingId: string, drawn: Map<string, BallotPhase>, drawnProcedure: string) {
  clearTimeout(liveTimer);
  const tick = async () => {
    const quorum = document.getElementById('quorum');
    if (!quorum || quorum.dataset.meeting !== meetingId) return; // another tab or meeting is shown
    try {
      const live = await call<Live>(`/api/v1/meetings/${meetingId}/live`);
      if (live.ballots.length !== drawn.size || live.ballots.some((b) => drawn.get(b.id) !== b.phase)) return void (await drawMeeting());
      if (procedureKey(live.procedure) !== drawnProcedure) return void (await drawMeeting());
      updateProcedureCounts(live.procedure, live.checkedIn);
      replace(quorum, ...quorumKids(live));
      for (const r of live.roster) {
        const cell = document.getElementById(`roster-${r.memberId}`);
        if (cell) cell.textContent = r.checkedInAt ? `✓ ${beijing(r.checkedInAt)}` : tr('notCheckedIn');
      }
      for (const b of live.ballots) {
        const el = document.getElementById(`live-${b.id}`);
        if (el) el.textContent = countsText(b);
      }
    } catch {
      // A dropped request: the next tick tries again.
    }
    liveTimer = setTimeout(tick, 1000);
  };
  liveTimer = setTimeout(tick, 1000);
}

/**
 * The meeting's proposed name, from the cycle's: 2026年度杭州市政府质量奖 → 2026年度杭州市政府质量奖评审组全体会议
 * (a space typed between the year and 年度 is not kept: Chinese is written without one).
 */
export function meetingName(cycleName: string): string {
  const name = cycleName.trim().replace(/(?<=[\d\u4e00-\u9fff])\s+(?=[\d\u4e00-\u9fff])/gu, '');
  return `${name}评审组全体会议`;
}

const meetingKey = () => `hzqa.staff.meeting.${staff.cycleId}`;

export async function drawMeeting() {
  const list = await api<BallotListJson>(`/api/v1/cycles/${staff.cycleId}/ballots`);
  const ballots = await Promise.all(list.ballots.map((b) => api<Ballot>(`/api/v1/ballots/${b.id}`)));
  let meetingId = localStorage.getItem(meetingKey()) ?? ballots.at(-1)?.meetingId ?? '';
  const parts: Kid[] = [h('h2', {}, tr('meetingSection'))];
  let meeting: MeetingStatusJson | null = null;
  let live: Live | null = null;
  if (meetingId) {
    try {
      meeting = await call<MeetingStatusJson>(`/api/v1/meetings/${meetingId}`);
      live = await call<Live>(`/api/v1/meetings/${meetingId}/live`);
    } catch {
      meeting = null;
    }
  }
  if (!meeting || meeting.status !== 'open') {
    const title = h('input', { required: true, value: meetingName(staff.cycleName) });
    parts.push(
      h(
        'form',
        {
          class: 'inline-form',
          id: 'open-meeting',
          onsubmit: act(async () => {
            try {
              const m = await post<MeetingOpenedJson>(`/api/v1/cycles/${staff.cycleId}/meetings`, { title: title.value.trim() });
              localStorage.setItem(meetingKey(), m.id);
            } catch (e) {
              // An open meeting already exists: its id is in the refusal.
              const id = /mt_[A-Za-z0-9_-]{12}/.exec(errorText(e))?.[0];
              if (!id) throw e;
              localStorage.setItem(meetingKey(), id);
            }
          }),
        },
        h('label', {}, tr('meetingTitle'), title),
        h('button', { type: 'submit', class: 'primary' }, tr('openMeeting')),
      ),
    );
  }
  if (meeting) {
    const m = meeting;
    const roster = table(
      [tr('name'), tr('unit'), tr('checkins')],
      m.roster.map((r) => [r.name + (r.isChair ? bracket(tr('chair')) : ''), r.unit, r.checkedInAt ? `✓ ${beijing(r.checkedInAt)}` : tr('notCheckedIn')]),
      { id: 'meeting-roster' },
    );
    roster.querySelectorAll('tbody tr').forEach((row, i) => {
      const cell = (row as HTMLTableRowElement).cells[2];
      if (cell && m.roster[i]) cell.id = `roster-${m.roster[i].memberId}`;
    });
    const screenLink = h('span', { id: 'display-link' });
    parts.push(
      h('h3', {}, m.title, ' ', h('span', { class: 'badge badge-info' }, tr(`mt_${m.status}` as MsgKey))),
      h('p', { id: 'quorum', 'data-meeting': m.id }, ...quorumKids(m)),
      roster,
      m.status === 'open'
        ? h('button', { type: 'button', id: 'close-meeting', onclick: confirmed(tr('closeMeetingConfirm', { title: m.title }), () => post(`/api/v1/meetings/${m.id}/close`)) }, tr('closeMeeting'))
        : null,
      ' ',
      h(
        'button',
        {
          type: 'button',
          id: 'make-display-link',
          onclick: async () => {
            const r = await post<DisplayLinkJson>(`/api/v1/meetings/${m.id}/display`, {});
            replace(screenLink, h('a', { href: r.path, target: '_blank', rel: 'noopener', id: 'display-link-url' }, r.path));
          },
        },
        tr('displayLink'),
      ),
      ' ',
      screenLink,
      m.status === 'closed' ? h('p', {}, h('a', { href: `/print/meetings/${m.id}/minutes`, target: '_blank', id: 'print-minutes' }, tr('printMinutes'))) : null,
      m.status === 'open' || live?.procedure ? procedurePanel(m.id, live?.procedure, m.roster, m.checkedIn, live?.supervisors ?? []) : null,
    );
    meetingId = m.id;
  }
  parts.push(h('h2', {}, tr('ballotsSection')));
  for (const b of ballots) parts.push(ballotCard(b, live?.ballots.find((x) => x.id === b.id)));
  if (meeting?.status === 'open') parts.push(prepareForm(meetingId));
  replace(panel, ...parts);
  if (meeting && live) followLive(meeting.id, new Map(live.ballots.map((b) => [b.id, b.phase])), procedureKey(live.procedure));
}

function ballotCard(b: Ballot, live: LiveBallot | undefined) {
  const next = nextPhase(b.kind, b.phase);
  const title = b.title || AWARD_LABEL[b.award]![lang];
  const name = (id: string) => b.candidates.find((c) => c.id === id)?.name ?? id;
  return h(
    'div',
    { class: 'panel', id: `staff-ballot-${b.id}`, 'data-phase': b.phase },
    h('h3', {}, b.title || AWARD_LABEL[b.award]?.[lang]),
    h(
      'p',
      { class: 'meta' },
      `${AWARD_LABEL[b.award]?.[lang]} · ${b.kind === 'secret' ? tr('secretBallot') : tr('showOfHands')} · ${tr('seats')} ${b.seats} · ${tr('phase')}${colon}`,
      h('strong', {}, tr(`ph_${b.phase}` as MsgKey)),
      b.present !== null ? ` · ${tr('present')} ${b.present}/${b.membersTotal}` : '',
    ),
    b.rulesText ? h('p', { class: 'meta rules' }, `${tr('rulesLabel')}：${b.rulesText[lang]}`) : null,
    h('p', { class: 'meta' }, `${tr('candidate')}：`, b.candidates.map((c) => c.name).join('、')),
    live && b.phase !== 'prepared' ? h('p', { class: 'meta live-counts', id: `live-${b.id}` }, countsText(live)) : null,
    // Shown on the meeting screen so members compare it with the fingerprint on their tablets.
    b.keyFingerprint ? h('p', { class: 'meta' }, `${tr('keyFingerprint')}${colon}`, h('code', {}, b.keyFingerprint)) : null,
    // And the fingerprint of the logged build this server declares: a tablet handed another build shows another.
    b.keyFingerprint && BUILD ? h('p', { class: 'meta', id: `staff-build-${b.id}` }, `${tr('buildFingerprint', { index: BUILD.index })}${colon}`, h('code', {}, BUILD.fingerprint)) : null,
    b.result
      ? [
          table(
            [tr('candidate'), tr('for'), tr('against'), tr('abstain'), tr('countedAgainst'), tr('passed')],
            b.result.candidates.map((c) => [name(c.candidateId), String(c.for), String(c.against), String(c.abstain), String(c.present ?? b.result!.present), c.passed ? '✓' : '']),
          ),
          b.phase === 'tallied' ? h('p', {}, h('a', { href: `/print/ballots/${b.id}/tally-sheet`, target: '_blank', id: `print-${b.id}` }, tr('printTally'))) : null,
          h('p', {}, `${tr('winners')}${colon}`, h('strong', {}, b.result.winners.map(name).join('、') || tr('none')), b.result.vacancies ? ` · ${tr('vacancies')} ${b.result.vacancies}` : ''),
          b.result.runoff
            ? alertBox('warn', tr('runoffNeeded'), colon, b.result.runoff.candidates.map(name).join('、'), ' ', h('button', { type: 'button', onclick: act(() => post(`/api/v1/ballots/${b.id}/runoff`)) }, tr('prepareRunoff')))
            : null,
        ]
      : null,
    b.kind === 'show-of-hands' && b.phase === 'voting' ? staffHandsBox(b.id) : null,
    b.phase === 'prepared' ? withdrawBox({ id: b.id, title }) : null,
    next
      ? h(
          'button',
          { type: 'button', class: 'primary', 'data-next': next, onclick: confirmed(tr(`phaseConfirm_${next}` as MsgKey, { title }), () => post(`/api/v1/ballots/${b.id}/phase`, { to: next })) },
          tr('moveTo', { phase: tr(`ph_${next}` as MsgKey) }),
        )
      : null,
  );
}

function prepareForm(meetingId: string) {
  const award = h('select', {}, AWARDS.map((a) => h('option', { value: a }, AWARD_LABEL[a]![lang])));
  const title = h('input', {});
  const seats = h('input', { type: 'number', min: 1, max: 25, value: 1, required: true });
  const quorum = h('select', { id: 'prepare-quorum' }, QUORUMS.map((q, i) => h('option', { value: String(i) }, tr('quorumOf', { f: `${q.num}/${q.den}` }))));
  const pass = h('select', { id: 'prepare-pass' }, PASSES.map((p, i) => h('option', { value: String(i) }, tr(p.strict ? 'passAbove' : 'passAtLeast', { f: `${p.num}/${p.den}` }))));
  const cands = h('textarea', { rows: 4, required: true });
  return h(
    'form',
    {
      class: 'form',
      id: 'prepare-ballot',
      onsubmit: act(() =>
        post(`/api/v1/cycles/${staff.cycleId}/ballots`, {
          meetingId,
          award: award.value,
          ...(title.value.trim() ? { title: title.value.trim() } : {}),
          seats: Number(seats.value),
          rules: { quorum: QUORUMS[Number(quorum.value)], pass: PASSES[Number(pass.value)] },
          candidates: cands.value
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean)
            .map((name) => ({ name })),
        }),
      ),
    },
    h('h3', {}, tr('prepareBallot')),
    field(tr('award'), award),
    field(tr('ballotTitle'), title),
    field(tr('seats'), seats),
    field(tr('quorumRule'), quorum),
    field(tr('passRule'), pass),
    field(tr('candidates'), cands),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, tr('prepareBallot'))),
  );
}
