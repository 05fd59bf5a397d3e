// Staff console, meeting tab: open or close the plenary meeting, check-ins and quorum, each ballot's
// phases (the next phase from the one phase table), results and run-offs, and preparing a ballot.
import { AWARD_LABEL, type MsgKey } from '../../i18n.js';
import { nextPhase, type BallotPhase } from '../../../votes/phases.js';
import type { BallotJson, BallotListJson, MeetingStatusJson } from '../../../votes/responses.js';
import { alertBox, api, beijing, errorText, field, h, lang, replace, table, tr, type Kid } from '../dom.js';
import { act, call, panel, post, staff } from './context.js';
import { manifestFingerprint } from '../../../assets/manifest.js';
import { staffHandsBox } from './hands.js';
import { AWARDS } from '../../../votes/awards.js';

/** The logged asset manifest this page declares (its index and fingerprint), for the meeting screen. */
const BUILD = (() => {
  const m = document.querySelector<HTMLMetaElement>('meta[name="asset-manifest"]');
  const hash = m?.dataset.hash;
  return m && hash && /^[0-9a-f]{64}$/.test(hash) ? { index: m.content, fingerprint: manifestFingerprint(hash) } : null;
})();

type Ballot = BallotJson;

const meetingKey = () => `hzqa.staff.meeting.${staff.cycleId}`;

export async function drawMeeting() {
  const list = await api<BallotListJson>(`/api/v1/cycles/${staff.cycleId}/ballots`);
  const ballots = await Promise.all(list.ballots.map((b) => api<Ballot>(`/api/v1/ballots/${b.id}`)));
  let meetingId = localStorage.getItem(meetingKey()) ?? ballots.at(-1)?.meetingId ?? '';
  const parts: Kid[] = [h('h2', {}, tr('meetingSection'))];
  let meeting: MeetingStatusJson | null = null;
  if (meetingId) {
    try {
      meeting = await call<MeetingStatusJson>(`/api/v1/meetings/${meetingId}`);
    } catch {
      meeting = null;
    }
  }
  if (!meeting || meeting.status !== 'open') {
    const title = h('input', { required: true, value: `${staff.cycleId} 年度评审组全体会议` });
    parts.push(
      h(
        'form',
        {
          class: 'inline-form',
          id: 'open-meeting',
          onsubmit: act(async () => {
            try {
              const m = await post<{ id: string }>(`/api/v1/cycles/${staff.cycleId}/meetings`, { title: title.value.trim() });
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
    parts.push(
      h('h3', {}, m.title, ' ', h('span', { class: 'badge badge-info' }, tr(`mt_${m.status}` as MsgKey))),
      h(
        'p',
        { id: 'quorum' },
        `${tr('quorum')}: ${tr('quorumStatus', { n: m.checkedIn, total: m.membersTotal, needed: m.quorum.needed })} — `,
        h('strong', { class: m.quorum.met ? 'ok-text' : 'bad-text' }, m.quorum.met ? tr('quorumMet') : tr('quorumNotMet')),
      ),
      table(
        [tr('name'), tr('unit'), tr('checkins')],
        m.roster.map((r) => [r.name + (r.isChair ? ` (${tr('chair')})` : ''), r.unit, r.checkedInAt ? `✓ ${beijing(r.checkedInAt)}` : tr('notCheckedIn')]),
      ),
      m.status === 'open' ? h('button', { type: 'button', onclick: act(() => post(`/api/v1/meetings/${m.id}/close`)) }, tr('closeMeeting')) : null,
    );
    meetingId = m.id;
  }
  parts.push(h('h2', {}, tr('ballotsSection')));
  for (const b of ballots) parts.push(ballotCard(b));
  if (meeting?.status === 'open') parts.push(prepareForm(meetingId));
  replace(panel, ...parts);
}

function ballotCard(b: Ballot) {
  const next = nextPhase(b.kind, b.phase);
  const name = (id: string) => b.candidates.find((c) => c.id === id)?.name ?? id;
  return h(
    'div',
    { class: 'panel', id: `staff-ballot-${b.id}`, 'data-phase': b.phase },
    h('h3', {}, b.title || AWARD_LABEL[b.award]?.[lang]),
    h(
      'p',
      { class: 'meta' },
      `${AWARD_LABEL[b.award]?.[lang]} · ${b.kind === 'secret' ? tr('secretBallot') : tr('showOfHands')} · ${tr('seats')} ${b.seats} · ${tr('phase')}: `,
      h('strong', {}, tr(`ph_${b.phase}` as MsgKey)),
      b.present !== null ? ` · ${tr('present')} ${b.present}/${b.membersTotal}` : '',
    ),
    // Shown on the meeting screen so members compare it with the fingerprint on their tablets.
    b.keyFingerprint ? h('p', { class: 'meta' }, `${tr('keyFingerprint')}: `, h('code', {}, b.keyFingerprint)) : null,
    // And the fingerprint of the logged build this server declares: a tablet handed another build shows another.
    b.keyFingerprint && BUILD ? h('p', { class: 'meta', id: `staff-build-${b.id}` }, `${tr('buildFingerprint', { index: BUILD.index })}: `, h('code', {}, BUILD.fingerprint)) : null,
    b.result
      ? [
          table(
            [tr('candidate'), tr('for'), tr('against'), tr('abstain'), tr('passed')],
            b.result.candidates.map((c) => [name(c.candidateId), String(c.for), String(c.against), String(c.abstain), c.passed ? '✓' : '']),
          ),
          h('p', {}, `${tr('winners')}: `, h('strong', {}, b.result.winners.map(name).join('、') || tr('none')), b.result.vacancies ? ` · ${tr('vacancies')} ${b.result.vacancies}` : ''),
          b.result.runoff
            ? alertBox('warn', tr('runoffNeeded'), ': ', b.result.runoff.candidates.map(name).join('、'), ' ', h('button', { type: 'button', onclick: act(() => post(`/api/v1/ballots/${b.id}/runoff`)) }, tr('prepareRunoff')))
            : null,
        ]
      : null,
    b.kind === 'show-of-hands' && b.phase === 'voting' ? staffHandsBox(b.id) : null,
    next
      ? h('button', { type: 'button', class: 'primary', 'data-next': next, onclick: act(() => post(`/api/v1/ballots/${b.id}/phase`, { to: next })) }, tr('moveTo', { phase: tr(`ph_${next}` as MsgKey) }))
      : null,
  );
}

function prepareForm(meetingId: string) {
  const award = h('select', {}, AWARDS.map((a) => h('option', { value: a }, AWARD_LABEL[a]![lang])));
  const title = h('input', {});
  const seats = h('input', { type: 'number', min: 1, max: 25, value: 1, required: true });
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
    field(tr('candidates'), cands),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, tr('prepareBallot'))),
  );
}
