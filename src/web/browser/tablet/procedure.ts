// The 表决办法 on the member's tablet (src/votes/procedure.ts): the rules, 计票人 and 监票人 put to the
// meeting; a checked-in member signs 同意/不同意/弃权 with the device key; the chair's tablet records the
// counts of a show of hands in the room (a supervisor confirms them on the supervisors' page). Redrawn
// only when the proposal, its status, the member's vote or the chair's record changes.
import type { Tablet } from '../../../protocol/tablet.js';
import { describeRules, type Choice } from '../../../votes/rules.js';
import type { ProcedureJson } from '../../../votes/conduct-responses.js';
import { ApiError, alertBox, errorText, h, lang, replace, tr } from '../dom.js';
import { scrutineerNames } from '../teller-names.js';

/** GET /api/v1/meetings/{id}/procedure as the tablet reads it. */
export type ProcedureView = ProcedureJson;
type Teller = ProcedureJson['document']['counters'][number];

const CHOICES: Choice[] = ['for', 'against', 'abstain'];
let drawnKey = '';
/** The latest 表决办法 this tablet read: the teller box (teller.ts) takes the member's role from it. */
export let lastProcedure: ProcedureView | null = null;

export async function fetchProcedure(tablet: Tablet, meetingId: string): Promise<ProcedureView | null> {
  try {
    const r = await fetch(`/api/v1/meetings/${meetingId}/procedure`, { headers: { authorization: `Bearer ${tablet.session}` }, cache: 'no-store' });
    if (r.status === 404) return null;
    if (!r.ok) throw new ApiError(r.status, await r.json());
    return (await r.json()) as ProcedureView;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    return lastProcedure; // a dropped request: keep what is shown
  }
}

/** Draws the 表决办法 into `box` (only when something a member sees changed). */
export async function renderProcedure(tablet: Tablet, box: HTMLElement, meetingId: string, checkedIn: boolean) {
  const p = await fetchProcedure(tablet, meetingId);
  lastProcedure = p;
  const key = p ? `${p.id}:${p.status}:${p.myVote}:${p.chairRecord ? 1 : 0}:${checkedIn}` : 'none';
  if (key === drawnKey && box.childElementCount) return;
  drawnKey = key;
  if (!p) return replace(box);
  const again = () => {
    drawnKey = '';
    void renderProcedure(tablet, box, meetingId, checkedIn);
  };
  const names = (ts: Teller[]) => ts.map((t) => t.name).join('、') || tr('none');
  const err = h('div', { class: 'procedure-error' });
  const parts: HTMLElement[] = [
    h('h2', { id: 'procedure-h' }, tr('procedureTitle'), ' ', h('span', { class: 'badge badge-info', id: 'procedure-status', 'data-status': p.status }, tr(`pst_${p.status}`))),
    h('p', { class: 'rules', id: 'procedure-rules' }, describeRules(p.document.rules)[lang]),
    h('p', { id: 'procedure-tellers' }, `${tr('procedureCounters')}：${names(p.document.counters)}；${tr('procedureScrutineers')}：${scrutineerNames({ scrutineers: p.document.scrutineers, supervisorScrutineers: p.document.supervisorScrutineers ?? [] })}`),
  ];
  if (p.status === 'adopted') parts.push(alertBox('ok', `✓ ${tr('procedureAdopted')}（${tr('procedureLogged', { index: p.decidedLogIndex ?? '' })}）`));
  else if (p.status === 'rejected') parts.push(alertBox('warn', tr('procedureRejected')));
  else if (checkedIn) {
    if (p.myVote) parts.push(alertBox('ok', h('span', { id: 'procedure-my-vote', 'data-choice': p.myVote }, tr('procedureMyVote', { choice: tr(p.myVote) }))));
    else
      parts.push(
        h('p', {}, tr('procedureVoteAsk')),
        h(
          'div',
          { class: 'actions procedure-vote' },
          CHOICES.map((choice) =>
            h(
              'button',
              {
                type: 'button',
                class: choice === 'for' ? 'primary big' : 'big',
                id: `procedure-vote-${choice}`,
                onclick: async (ev: Event) => {
                  (ev.currentTarget as HTMLButtonElement).disabled = true;
                  try {
                    await tablet.voteProcedure({ id: p.id, meetingId, documentHash: p.documentHash }, choice);
                    again();
                  } catch (e) {
                    replace(err, alertBox('error', errorText(e)));
                    (ev.target as HTMLButtonElement).disabled = false;
                  }
                },
              },
              tr(choice),
            ),
          ),
        ),
      );
    if (tablet.device.isChair) parts.push(chairRecordForm(tablet, p, meetingId, err, again));
  }
  parts.push(err);
  replace(box, ...parts);
}

/** The chair's signed record of the hands raised in the room; it takes effect once a supervisor confirms it. */
function chairRecordForm(tablet: Tablet, p: ProcedureView, meetingId: string, err: HTMLElement, again: () => void) {
  if (p.chairRecord) return alertBox('info', h('span', { id: 'procedure-chair-recorded' }, tr('procedureRecorded', p.chairRecord)));
  const inputs = CHOICES.map((c) => h('input', { type: 'number', min: 0, max: 1000, value: 0, required: true, id: `procedure-record-${c}`, class: 'count' }));
  return h(
    'form',
    {
      class: 'form procedure-record',
      id: 'procedure-record',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const button = (ev.currentTarget as HTMLFormElement).querySelector('button')!;
        button.disabled = true;
        const [f, a, ab] = inputs.map((i) => Number(i.value));
        try {
          await tablet.recordProcedure({ id: p.id, meetingId, documentHash: p.documentHash }, { for: f!, against: a!, abstain: ab! });
          again();
        } catch (e) {
          replace(err, alertBox('error', errorText(e)));
          button.disabled = false;
        }
      },
    },
    h('h3', {}, tr('procedureChairRecord')),
    CHOICES.map((c, i) => h('label', { for: inputs[i]!.id }, tr(c), ' ', inputs[i]!)),
    h('div', {}, h('button', { type: 'submit', class: 'big' }, tr('procedureRecordSign'))),
  );
}
