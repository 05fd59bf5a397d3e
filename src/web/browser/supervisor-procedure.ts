// The supervisors' page, 表决办法 of the cycle's latest meeting: the rules, 计票人 and 监票人 put to the
// meeting and, where the chair recorded the show of hands in the room on the chair's tablet, the
// counts against the members checked in and a button to confirm them (logged with this supervisor's
// name). Followed every 2 s while the 表决办法 is before the meeting.
import { describeRules } from '../../votes/rules.js';
import { alertBox, api, errorText, h, lang, replace, tr } from './dom.js';
import { scrutineerNames } from './teller-names.js';
import type { MeetingListJson, MeetingLiveJson } from '../../votes/conduct-responses.js';

export async function drawProcedure(box: HTMLElement, cycleId: string, token: string) {
  const { meetings } = await api<MeetingListJson>(`/api/v1/cycles/${cycleId}/meetings`, { token });
  const meeting = meetings[0];
  if (!meeting) return replace(box);
  let drawn = '';
  const draw = async () => {
    const live = await api<MeetingLiveJson>(`/api/v1/meetings/${meeting.id}/live`, { token });
    const p = live.procedure;
    const key = p ? `${p.id}:${p.status}:${p.chairRecord ? 1 : 0}:${live.checkedIn}` : 'none';
    if (key !== drawn) {
      drawn = key;
      replace(box, ...view(meeting, live, token, () => void draw().catch(() => {})));
    }
    // Followed until a proposal is decided (none yet: the office may still propose one).
    return !p || p.status === 'proposed';
  };
  const follow = async () => {
    let again = true;
    try {
      again = await draw();
    } catch {
      // a dropped request: try again
    }
    if (again && box.isConnected) setTimeout(() => void follow(), 2000);
  };
  await follow();
}

function view(meeting: { id: string; title: string }, live: MeetingLiveJson, token: string, redraw: () => void) {
  const p = live.procedure;
  const head = h('h2', { id: 'sup-procedure-h' }, `${tr('procedureTitle')} · ${meeting.title}`);
  if (!p) return [head, h('p', { class: 'muted' }, tr('procedureNone'))];
  const names = (ts: { name: string }[]) => ts.map((t) => t.name).join('、') || tr('none');
  const err = h('div');
  const parts: HTMLElement[] = [
    head,
    h('p', {}, h('span', { class: 'badge badge-info', id: 'sup-procedure-status', 'data-status': p.status }, tr(`pst_${p.status}`))),
    h('p', { class: 'rules' }, describeRules(p.rules)[lang]),
    h('p', {}, `${tr('procedureCounters')}：${names(p.counters)}；${tr('procedureScrutineers')}：${scrutineerNames(p)}`),
  ];
  if (p.status === 'adopted') parts.push(alertBox('ok', `✓ ${tr('procedureAdopted')}（${tr('procedureLogged', { index: p.decidedLogIndex ?? '' })}）`));
  else if (p.status === 'proposed' && !p.chairRecord) parts.push(h('p', { class: 'muted' }, tr('procedureAwaitChair')));
  else if (p.status === 'proposed' && p.chairRecord) {
    const r = p.chairRecord;
    const button = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        id: 'procedure-confirm',
        onclick: async () => {
          button.disabled = true;
          try {
            await api(`/api/v1/procedures/${p.id}/confirm`, { method: 'POST', token });
            redraw();
          } catch (e) {
            button.disabled = false;
            replace(err, alertBox('error', errorText(e)));
          }
        },
      },
      tr('procedureConfirm'),
    );
    parts.push(
      h('p', { id: 'sup-procedure-record' }, `${r.name}：`, tr('procedureRecorded', r), ` ${tr('countPresent')} ${live.checkedIn} / ${live.membersTotal}`),
      button,
      err,
    );
  }
  return parts;
}
