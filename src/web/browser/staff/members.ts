// Staff console, members tab: the judging group's roster, adding a member, and one-time enrollment
// codes (shown once, for the member's tablet).
import { alertBox, beijing, h, replace, table, tr } from '../dom.js';
import { act, call, panel, post, staff } from './context.js';
import type { EnrollmentJson, RosterJson } from '../../../members/responses.js';

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
