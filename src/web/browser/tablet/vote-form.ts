// The member's choices on one ballot (同意 / 不同意 / 弃权 for every candidate), then a confirmation step
// before anything is sent. Over-voting is blocked here as on the server: at most as many 同意 as seats.
// A candidate the member is recused from (回避) has no buttons at all. The candidates scroll in their
// own box above the 同意 / 名额 bar, so the bar never lies over a candidate whatever the screen.
import { Tablet, castDelay } from '../../../protocol/tablet.js';
import type { Choice, Choices } from '../../../votes/rules.js';
import { ApiError, alertBox, errorText, h, isNetworkError, replace, tr } from '../dom.js';
import type { BallotInfo } from './ballot.js';
import { f, loadState, saveState } from './state.js';

type Kind = 'secret' | 'hands';

export function choiceForm(tablet: Tablet, body: HTMLElement, b: BallotInfo, kind: Kind, done: () => void, initial: Choices = {}, recused: readonly string[] = []) {
  const choices: Choices = { ...initial };
  for (const id of recused) delete choices[id];
  const open = b.candidates.filter((c) => !recused.includes(c.id));
  const counter = h('p', { class: 'for-count', id: `for-count-${b.id}`, 'aria-live': 'polite' });
  const full = h('p', { class: 'seats-full', id: `seats-full-${b.id}`, 'aria-live': 'polite' });
  const missing = h('p', { class: 'muted' });
  const review = h('button', { type: 'submit', class: 'primary big', id: `review-${b.id}` }, tr('review'));
  const radios: HTMLInputElement[] = [];
  const update = () => {
    const n = Object.values(choices).filter((c) => c === 'for').length;
    counter.textContent = tr('forCount', { n, seats: b.seats });
    counter.classList.toggle('at-limit', n >= b.seats);
    // Over-voting is blocked: with as many 同意 as seats, the other 同意 buttons are disabled.
    for (const r of radios) if (r.value === 'for') r.disabled = n >= b.seats && !r.checked;
    full.textContent = n >= b.seats ? tr('seatsFull') : '';
    const all = open.every((c) => choices[c.id]);
    review.disabled = !all;
    missing.textContent = all ? '' : tr('chooseAll');
  };
  const OPTIONS: Choice[] = ['for', 'against', 'abstain'];
  const form = h(
    'form',
    {
      class: 'vote-form',
      id: `vote-form-${b.id}`,
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (!open.every((c) => choices[c.id])) return;
        if (Object.values(choices).filter((c) => c === 'for').length > b.seats) return;
        body.replaceChildren();
        confirmStep(tablet, body, b, choices, kind, done, recused);
      },
    },
    h(
      'div',
      { class: 'candidates', id: `candidates-${b.id}` },
      b.candidates.map((c, i) =>
      recused.includes(c.id)
        ? h(
            'fieldset',
            { class: 'candidate recused', 'data-candidate': c.id, 'data-recused': 'true', disabled: true },
            h('legend', {}, h('span', { class: 'num' }, `${i + 1}`), ' ', c.name, ' ', h('span', { class: 'badge badge-info' }, tr('recused'))),
            h('p', { class: 'recused-note' }, tr('recusedNote')),
          )
        : h(
        'fieldset',
        { class: 'candidate', 'data-candidate': c.id },
        h('legend', {}, h('span', { class: 'num' }, `${i + 1}`), ' ', c.name),
        h(
          'div',
          { class: 'options' },
          OPTIONS.map((o) => {
            const input = h('input', { type: 'radio', name: `c-${b.id}-${c.id}`, value: o, id: `c-${b.id}-${c.id}-${o}`, checked: choices[c.id] === o });
            input.addEventListener('change', () => {
              if (input.checked) choices[c.id] = o;
              update();
            });
            radios.push(input);
            return h('label', { class: `option option-${o}`, for: input.id }, input, h('span', {}, tr(o)));
          }),
        ),
      ),
      ),
    ),
    h('div', { class: 'vote-footer', id: `vote-footer-${b.id}` }, counter, full, missing, review),
  );
  if (kind === 'hands') body.appendChild(h('p', { class: 'alert alert-info' }, tr('showOfHands')));
  body.appendChild(form);
  update();
}

/** The summary of the choices and the one button that sends them; `done` redraws the ballot after. */
export function confirmStep(tablet: Tablet, body: HTMLElement, b: BallotInfo, choices: Choices, kind: Kind, done: () => void, recused: readonly string[] = []) {
  const me = tablet.device.memberId;
  const err = h('div');
  const send = h(
    'button',
    {
      class: 'primary big',
      id: `confirm-${b.id}`,
      onclick: async () => {
        send.disabled = true;
        replace(err, h('p', { class: 'muted' }, tr('casting')));
        try {
          if (kind === 'secret') {
            const s = loadState(me, b.id);
            // Saved before sending: after a dropped connection the same token and choices go again.
            s.choices = choices;
            saveState(me, b.id, s);
            // A wait chosen here, then the bare cast (sent again after a 429's Retry-After); the receipt checked against the logged key.
            const r = await Tablet.cast(f, b.id, s.token!, choices, { delayMs: castDelay(), retries: 5, recused, ...(s.keys?.receiptKey ? { receiptKey: s.keys.receiptKey } : {}) });
            s.receipt = r.receipt;
            if (r.castReceipt) s.castReceipt = r.castReceipt;
            s.cast = true;
            saveState(me, b.id, s);
          } else {
            await tablet.raiseHands(b.id, choices);
            const s = loadState(me, b.id);
            s.choices = choices;
            s.hands = true;
            saveState(me, b.id, s);
          }
          done();
        } catch (e) {
          send.disabled = false;
          if (kind === 'secret' && e instanceof ApiError && e.status === 422) {
            // Refused (e.g. over-vote): nothing was spent; choose again.
            const s = loadState(me, b.id);
            delete s.choices;
            saveState(me, b.id, s);
          }
          replace(err, alertBox('error', errorText(e)), isNetworkError(e) ? h('p', {}, tr('retry')) : null);
        }
      },
    },
    kind === 'secret' ? tr('confirmCast') : tr('confirmHands'),
  );
  const edit = h(
    'button',
    {
      class: 'big',
      type: 'button',
      onclick: () => {
        const s = loadState(me, b.id);
        delete s.choices;
        saveState(me, b.id, s);
        body.replaceChildren();
        choiceForm(tablet, body, b, kind, done, choices, recused);
      },
    },
    tr('edit'),
  );
  const n = Object.values(choices).filter((c) => c === 'for').length;
  body.appendChild(
    h(
      'div',
      { class: 'confirm', id: `confirm-step-${b.id}` },
      h('h3', {}, tr('confirmTitle')),
      h(
        'ul',
        { class: 'summary' },
        b.candidates.map((c) =>
          recused.includes(c.id) ? h('li', { class: 'sum-recused' }, h('span', {}, c.name), h('strong', {}, tr('recused'))) : h('li', { class: `sum-${choices[c.id]}` }, h('span', {}, c.name), h('strong', {}, tr(choices[c.id]!))),
        ),
      ),
      h('p', {}, tr('forCount', { n, seats: b.seats })),
      err,
      h('div', { class: 'actions' }, edit, send),
    ),
  );
}
