// Staff console, members tab: the judging group's roster, adding a member, one-time enrollment codes
// (shown once, for the member's tablet), and correcting or removing a member before they took part.
import { alertBox, beijing, field, h, replace, table, tr } from '../dom.js';
import { act, call, confirmed, panel, post, say, staff } from './context.js';
import type { EnrollmentJson, RosterJson } from '../../../members/responses.js';

type Member = RosterJson['members'][number];

/**
 * 更正或移出: a member whose tablet is not enrolled, corrected (name, unit, chair) or taken off the roster,
 * each with a reason that the public log keeps. The server refuses once the member took part (a tablet
 * enrolled, or on a meeting's roster) and while a meeting is open, and says so.
 */
function changeForm(members: Member[]) {
  const open = members.filter((m) => !m.enrolled);
  if (!open.length) return null;
  const who = h('select', { id: 'change-member' }, open.map((m) => h('option', { value: m.id }, `${m.name}（${m.unit}）`)));
  const name = h('input', { id: 'change-name', required: true, maxlength: 100 });
  const unit = h('input', { id: 'change-unit', required: true, maxlength: 200 });
  const chair = h('input', { id: 'change-chair', type: 'checkbox' });
  const reason = h('input', { id: 'change-reason', required: true, maxlength: 500, size: 40 });
  const fill = () => {
    const m = open.find((x) => x.id === who.value)!;
    name.value = m.name;
    unit.value = m.unit;
    chair.checked = m.isChair;
  };
  who.addEventListener('change', fill);
  fill();
  const chosen = () => open.find((x) => x.id === who.value)!;
  const needReason = () => {
    if (reason.value.trim()) return false;
    say('error', tr('rosterReasonNeeded'));
    return true;
  };
  return h(
    'form',
    {
      class: 'form',
      id: 'change-member-form',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (needReason()) return;
        void act(() => call(`/api/v1/members/${who.value}`, { method: 'PATCH', json: { name: name.value.trim(), unit: unit.value.trim(), isChair: chair.checked, reason: reason.value.trim() } }))(ev);
      },
    },
    h('h3', {}, tr('rosterChange')),
    h('p', { class: 'muted' }, tr('rosterChangeRule')),
    field(tr('name'), who),
    field(tr('rosterNewName'), name),
    field(tr('unit'), unit),
    h('label', {}, chair, ' ', tr('isChair')),
    field(tr('rosterReason'), reason),
    h(
      'div',
      { class: 'row-actions' },
      h('button', { type: 'submit', class: 'primary', id: 'change-save' }, tr('rosterSave')),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          id: 'change-remove',
          onclick: (ev: Event) => {
            if (needReason()) return;
            const m = chosen();
            confirmed(tr('rosterRemoveConfirm', { name: m.name }), () => post(`/api/v1/members/${m.id}/removal`, { reason: reason.value.trim() }))(ev);
          },
        },
        tr('rosterRemove'),
      ),
    ),
  );
}

/** Draws the tab; `shown`: a code just issued (a new member's, or a new code), shown once above the roster. */
export async function drawMembers(shown?: { name: string; code: EnrollmentJson }) {
  const { members } = await call<RosterJson>(`/api/v1/cycles/${staff.cycleId}/members`);
  const codeBox = h('div', { id: 'code-box' });
  const showCode = (name: string, e: EnrollmentJson) => {
    replace(codeBox, alertBox('ok', tr('codeShown', { name }), ' ', h('strong', { class: 'mono code-shown', id: 'enrollment-code' }, e.enrollmentCode), ` · ${tr('expires')} ${beijing(e.expiresAt)}`));
  };
  if (shown) showCode(shown.name, shown.code);
  const name = h('input', { required: true });
  const unit = h('input', { required: true });
  const chair = h('input', { type: 'checkbox' });
  replace(
    panel,
    h('h2', {}, tr('members')),
    codeBox,
    table(
      [tr('name'), tr('unit'), tr('isChair'), tr('enrolled'), ''],
      members.map((m) => [
        m.name,
        m.unit,
        m.isChair ? tr('yes') : '',
        m.enrolled ? `✓ ${tr('yes')}` : tr('no'),
        h('button', { type: 'button', class: 'small', onclick: act(() => post<EnrollmentJson>(`/api/v1/members/${m.id}/enrollment`), (r) => showCode(m.name, r)) }, tr('newCode')),
      ]),
      { id: 'roster' },
    ),
    changeForm(members),
    h(
      'form',
      {
        class: 'inline-form',
        id: 'add-member',
        onsubmit: act(
          () => post<EnrollmentJson>(`/api/v1/cycles/${staff.cycleId}/members`, { name: name.value.trim(), unit: unit.value.trim(), isChair: chair.checked }),
          // The roster drawn anew, with the new member's 注册码 in its own (new) box.
          (r) => void drawMembers({ name: name.value.trim(), code: r }),
        ),
      },
      h('label', {}, tr('name'), name),
      h('label', {}, tr('unit'), unit),
      h('label', {}, tr('isChair'), chair),
      h('button', { type: 'submit', class: 'primary' }, tr('addMember')),
    ),
  );
}
