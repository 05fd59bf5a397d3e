// 回避 on the member's tablet (src/votes/recusal.ts), while a vote is still being prepared: a member
// declares a conflict with a candidate, or the chair decides that another member withdraws; either way
// the declaring tablet signs it with the device key it checked in with, and it is logged. Once the vote
// opens the member's ballot has no buttons for that candidate (vote-form.ts).
import { call } from '../../../protocol/tablet.js';
import { alertBox, errorText, h, replace, tr } from '../dom.js';
import type { BallotInfo, TabletView } from './ballot.js';
import type { RosterJson } from '../../../members/responses.js';
import type { RecusalsJson } from '../../../votes/conduct-responses.js';

export async function recusalBox(v: TabletView, body: HTMLElement, b: BallotInfo) {
  if (!v.tablet.session) return;
  const box = h('div', { class: 'recusal', id: `recusal-${b.id}` });
  body.appendChild(box);
  await drawRecusal(v, box, b);
}

async function drawRecusal(v: TabletView, box: HTMLElement, b: BallotInfo) {
  const me = v.tablet.device;
  const name = (id: string) => b.candidates.find((c) => c.id === id)?.name ?? id;
  try {
    const { recusals } = await call<RecusalsJson>(v.tablet.fetch, `/api/v1/ballots/${b.id}/recusals`);
    // The chair may decide another member's 回避: the roster of the cycle.
    const roster = me.isChair ? (await call<RosterJson>(v.tablet.fetch, `/api/v1/cycles/${me.cycleId}/members`, { token: v.tablet.session! })).members : [{ id: me.memberId, name: me.name }];
    const member = h('select', { id: `recuse-member-${b.id}` }, roster.map((m) => h('option', { value: m.id, selected: m.id === me.memberId }, m.name)));
    const candidate = h('select', { id: `recuse-candidate-${b.id}` }, b.candidates.map((c) => h('option', { value: c.id }, c.name)));
    const reason = h('input', { id: `recuse-reason-${b.id}`, maxlength: 200 });
    const err = h('div');
    const form = h(
      'form',
      {
        class: 'form',
        id: `recuse-form-${b.id}`,
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const button = form.querySelector('button')!;
          button.disabled = true;
          try {
            await v.tablet.recuse(b.id, candidate.value, { memberId: member.value, reason: reason.value.trim() });
            await drawRecusal(v, box, b);
          } catch (e) {
            button.disabled = false;
            replace(err, alertBox('error', errorText(e)));
          }
        },
      },
      me.isChair ? [h('label', { for: member.id }, tr('recuseMember')), member] : null,
      h('label', { for: candidate.id }, tr('recuseCandidate')),
      candidate,
      h('label', { for: reason.id }, tr('recuseReason')),
      reason,
      err,
      h('div', {}, h('button', { type: 'submit', class: 'big', id: `recuse-submit-${b.id}` }, tr('recuseSubmit'))),
    );
    replace(
      box,
      h('h3', {}, tr('recuseTitle')),
      h('p', { class: 'muted' }, tr('recuseIntro')),
      recusals.length
        ? h(
            'ul',
            { id: `recusals-${b.id}` },
            recusals.map((r) => h('li', { 'data-member': r.memberId, 'data-candidate': r.candidateId }, `${r.name}：${name(r.candidateId)}（${tr(r.declaredBy === 'chair' ? 'recuseByChair' : 'recuseByMember')}）`)),
          )
        : null,
      form,
    );
  } catch (e) {
    replace(box, alertBox('error', errorText(e)));
  }
}
