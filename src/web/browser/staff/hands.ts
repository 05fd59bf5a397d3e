// Staff console, a show of hands while it is open: when a member's tablet fails, staff record the hands the
// member raised in the room; the record counts only once a supervisor present confirms it on their own
// device (the supervisors' page), and the tally waits for that. Each staff-recorded vote shows its state.
import type { Choice, Choices } from '../../../votes/rules.js';
import { alertBox, errorText, h, replace, table, tr, colon, bracket } from '../dom.js';
import { act, call, post } from './context.js';
import type { HandsRecordJson } from '../../../votes/responses.js';

type HandsRecord = HandsRecordJson;

const CHOICES: Choice[] = ['for', 'against', 'abstain'];

/** Filled once the named record is read; a failed read shows its error in place. */
export function staffHandsBox(ballotId: string): HTMLElement {
  const box = h('div', { class: 'staff-hands', id: `staff-hands-${ballotId}` });
  call<HandsRecord>(`/api/v1/ballots/${ballotId}/record`)
    .then((r) => replace(box, ...content(ballotId, r)))
    .catch((e: unknown) => replace(box, alertBox('error', errorText(e))));
  return box;
}

function content(ballotId: string, r: HandsRecord) {
  const voted = new Set(r.votes.map((v) => v.memberId));
  const waiting = r.eligible.filter((m) => !voted.has(m.memberId));
  const byStaff = r.votes.filter((v) => v.recordedBy === 'staff');
  const parts: (HTMLElement | null)[] = [h('h4', {}, tr('staffHandsTitle'))];
  if (byStaff.length) {
    parts.push(
      table(
        [tr('name'), tr('recordedBy')],
        byStaff.map((v) => [
          v.name,
          v.countersignature
            ? h('span', { class: 'ok-text', 'data-confirmed': 'true' }, `${tr('byStaff')}${bracket(v.staffName ?? '')} · ${tr('handsConfirmed')}`)
            : h('span', { class: 'bad-text', 'data-confirmed': 'false' }, `${tr('byStaff')}${bracket(v.staffName ?? '')} · ${tr('handsUnconfirmed')}`),
        ]),
      ),
    );
    if (byStaff.some((v) => !v.countersignature)) parts.push(alertBox('warn', tr('staffHandsAsk')));
  }
  if (!waiting.length) return parts;
  const member = h('select', { id: `staff-hands-member-${ballotId}`, required: true }, waiting.map((m) => h('option', { value: m.memberId }, m.name)));
  const rows = r.candidates.map((c) => {
    const name = `staff-hands-${ballotId}-${c.id}`;
    return h(
      'fieldset',
      { 'data-candidate': c.id },
      h('legend', {}, c.name),
      CHOICES.map((choice) => h('label', { class: `option-${choice}` }, h('input', { type: 'radio', name, value: choice, required: true }), tr(choice))),
    );
  });
  const form = h(
    'form',
    {
      id: `staff-hands-form-${ballotId}`,
      onsubmit: act(async () => {
        const choices: Choices = {};
        for (const c of r.candidates) {
          const picked = form.querySelector<HTMLInputElement>(`input[name="staff-hands-${ballotId}-${c.id}"]:checked`);
          if (!picked) throw new Error(tr('chooseAll'));
          choices[c.id] = picked.value as Choice;
        }
        await post(`/api/v1/ballots/${ballotId}/hands/${member.value}`, { choices });
      }),
    },
    h('p', { class: 'muted' }, tr('staffHandsHint')),
    h('label', {}, tr('name'), ' ', member),
    rows,
    h('button', { type: 'submit' }, tr('staffHandsRecord')),
  );
  parts.push(h('details', {}, h('summary', {}, tr('staffHandsOpen')), form));
  return parts;
}
