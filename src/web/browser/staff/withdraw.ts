// Staff console, meeting tab: withdrawing a prepared ballot before its vote opens (votes/withdraw.ts) —
// a ballot prepared by mistake would otherwise keep holding its seats. The reason is logged with the
// withdrawal (ballot-withdrawn) and the step cannot be undone, so the console asks before sending it.
import { h, tr } from '../dom.js';
import { act, post, say } from './context.js';

export function withdrawBox(ballot: { id: string; title: string }) {
  const reason = h('textarea', { id: `withdraw-reason-${ballot.id}`, rows: 2, required: true, maxlength: 500 });
  return h(
    'details',
    { class: 'withdraw', id: `withdraw-${ballot.id}` },
    h('summary', {}, tr('withdrawBallot')),
    h(
      'form',
      {
        class: 'form',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          if (!reason.value.trim()) return say('error', tr('withdrawReasonNeeded'));
          if (!confirm(tr('withdrawConfirm', { title: ballot.title }))) return;
          void act(() => post(`/api/v1/ballots/${ballot.id}/withdraw`, { reason: reason.value.trim() }))(ev);
        },
      },
      h('p', { class: 'muted' }, tr('withdrawIntro')),
      h('label', { for: reason.id }, tr('withdrawReason')),
      reason,
      h('div', {}, h('button', { type: 'submit', class: 'danger', id: `withdraw-submit-${ballot.id}` }, tr('withdrawBallot'))),
    ),
  );
}
