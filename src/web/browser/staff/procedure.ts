// Staff console, meeting tab: the 表决办法 (src/votes/procedure.ts). The office puts the rules to the
// meeting — quorum and pass rule, 计票人 and 监票人 named from the members, and 监票人 from the supervisory
// group's attendees (a supervisor attends by registering a device on the supervisors' page) — the members vote on their
// tablets (the counts follow live), and the office closes the vote; or the chair records the show of
// hands in the room on the chair's tablet and a supervisor confirms it on the supervisors' page. The
// panel shows the decision once it is logged.
import { describeRules } from '../../../votes/rules.js';
import type { MeetingLiveJson } from '../../../votes/conduct-responses.js';
import { alertBox, h, lang, replace, tr } from '../dom.js';
import { act, post } from './context.js';
import { scrutineerNames } from '../teller-names.js';
import type { MeetingStatusJson } from '../../../votes/responses.js';

export const QUORUMS = [
  { num: 2, den: 3 },
  { num: 1, den: 2 },
  { num: 3, den: 4 },
] as const;
export const PASSES = [
  { num: 1, den: 2, strict: true },
  { num: 2, den: 3, strict: false },
  { num: 2, den: 3, strict: true },
] as const;

/** The 表决办法 as the live meeting view gives it (GET /api/v1/meetings/{id}/live). */
export type LiveProcedure = NonNullable<MeetingLiveJson['procedure']>;

type RosterMember = MeetingStatusJson['roster'][number];

/** What, when it changes, redraws the meeting view (the counts are updated in place). */
export const procedureKey = (p: LiveProcedure | null | undefined) => (p ? `${p.id}:${p.status}:${p.chairRecord ? 1 : 0}` : 'none');

export function updateProcedureCounts(p: LiveProcedure | null | undefined, checkedIn: number) {
  const el = document.getElementById('procedure-counts');
  if (el && p) el.textContent = tr('procedureCounts', { ...p.counts, present: checkedIn });
}

/** A supervisor attending (a device registered for the cycle), who may be named 监票人. */
type Supervisor = MeetingLiveJson['supervisors'][number];

export function procedurePanel(meetingId: string, p: LiveProcedure | null | undefined, roster: RosterMember[], checkedIn: number, supervisors: Supervisor[] = []) {
  const names = (ts: { name: string }[]) => ts.map((t) => t.name).join('、') || tr('none');
  const head = h(
    'h3',
    { id: 'procedure-h' },
    tr('procedureTitle'),
    ' ',
    p ? h('span', { class: 'badge badge-info', id: 'procedure-status', 'data-status': p.status }, tr(`pst_${p.status}`)) : null,
  );
  const box = h('div', { class: 'panel', id: 'procedure-panel' }, head);
  if (p) {
    box.append(
      h('p', { class: 'meta rules', id: 'procedure-rules' }, describeRules(p.rules)[lang]),
      h('p', { class: 'meta', id: 'procedure-tellers' }, `${tr('procedureCounters')}：${names(p.counters)}；${tr('procedureScrutineers')}：${scrutineerNames(p)}`),
    );
  }
  if (p?.status === 'adopted') {
    box.append(alertBox('ok', `✓ ${tr('procedureAdopted')}（${tr('procedureLogged', { index: p.decidedLogIndex ?? '' })}）`));
    return box;
  }
  if (p?.status === 'proposed') {
    box.append(h('p', { id: 'procedure-counts' }, tr('procedureCounts', { ...p.counts, present: checkedIn })));
    if (p.chairRecord) box.append(alertBox('info', h('span', { id: 'procedure-chair-recorded' }, tr('procedureRecorded', p.chairRecord))));
    box.append(
      h('button', { type: 'button', class: 'primary', id: 'procedure-close', onclick: act(() => post(`/api/v1/procedures/${p.id}/close`)) }, tr('procedureClose')),
      // A proposal still under discussion may be replaced: the server logs this one as withdrawn.
      h('details', { id: 'procedure-replace' }, h('summary', {}, tr('procedureReplace')), proposeForm(meetingId, roster, supervisors)),
    );
    return box;
  }
  if (p?.status === 'rejected') box.append(alertBox('warn', tr('procedureRejected')));
  else box.append(h('p', { class: 'muted' }, tr('procedureNone')));
  box.append(proposeForm(meetingId, roster, supervisors));
  return box;
}

/** Rules and tellers put to the meeting: the same presets as a ballot's, tellers ticked from the roster. */
function proposeForm(meetingId: string, roster: RosterMember[], supervisors: Supervisor[]) {
  const quorum = h('select', { id: 'procedure-quorum' }, QUORUMS.map((q, i) => h('option', { value: String(i) }, tr('quorumOf', { f: `${q.num}/${q.den}` }))));
  const pass = h('select', { id: 'procedure-pass' }, PASSES.map((x, i) => h('option', { value: String(i) }, tr(x.strict ? 'passAbove' : 'passAtLeast', { f: `${x.num}/${x.den}` }))));
  const picks = (role: 'counter' | 'scrutineer') =>
    h(
      'fieldset',
      { class: 'tellers', id: `procedure-${role}s` },
      h('legend', {}, tr(role === 'counter' ? 'procedureCounters' : 'procedureScrutineers')),
      roster.map((m) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: m.memberId, id: `procedure-${role}-${m.memberId}` }), ` ${m.name}（${m.unit}）`)),
    );
  const counters = picks('counter');
  const scrutineers = picks('scrutineer');
  const supervisorPicks = h(
    'fieldset',
    { class: 'tellers', id: 'procedure-supervisor-scrutineers' },
    h('legend', {}, tr('procedureSupervisorScrutineers')),
    supervisors.length
      ? supervisors.map((x) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: String(x.accountId), id: `procedure-supervisor-${x.accountId}` }), ` ${x.name}`))
      : h('p', { class: 'muted' }, tr('procedureNoSupervisors')),
  );
  const ticked = (box: HTMLElement) => [...box.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
  return h(
    'form',
    {
      class: 'form',
      id: 'propose-procedure',
      onsubmit: act(() =>
        post(`/api/v1/meetings/${meetingId}/procedure`, {
          rules: { quorum: QUORUMS[Number(quorum.value)], pass: PASSES[Number(pass.value)] },
          counters: ticked(counters),
          scrutineers: ticked(scrutineers),
          supervisorScrutineers: ticked(supervisorPicks).map(Number),
        }),
      ),
    },
    h('label', { for: quorum.id }, tr('quorumRule')),
    quorum,
    h('label', { for: pass.id }, tr('passRule')),
    pass,
    counters,
    scrutineers,
    supervisorPicks,
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, tr('procedurePropose'))),
  );
}
