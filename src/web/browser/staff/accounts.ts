// Staff console, 账号 tab: staff and supervisor accounts, their tokens (issued once, shown once;
// revoked one by one) and disabling an account. Not tied to a cycle.
import { alertBox, beijing, h, replace, table, tr } from '../dom.js';
import { act, call, panel, post } from './context.js';
import type { AccountListJson, IssuedTokenJson } from '../../../auth/account-responses.js';

type Account = AccountListJson['accounts'][number];

const roleLabel = (r: Account['role']) => tr(r === 'staff' ? 'roleStaff' : 'roleSupervisor');

/** Draws the tab; `issued`: a token just issued, shown once above the list (drawn anew, not into the old panel). */
export async function drawAccounts(issued?: { who: string; token: string }) {
  const { accounts } = await call<AccountListJson>('/api/v1/accounts');
  const tokenBox = h(
    'div',
    { id: 'token-box' },
    issued ? alertBox('warn', tr('tokenOnce', { name: issued.who }), ' ', h('strong', { class: 'mono code-shown', id: 'issued-token' }, issued.token)) : null,
  );
  const after = (who: string) => (r: unknown) => void drawAccounts({ who, token: (r as IssuedTokenJson).token });
  const tokenCell = (a: Account) =>
    h(
      'ul',
      { class: 'plain' },
      a.tokens.map((tk) =>
        h(
          'li',
          { 'data-token': tk.id },
          h('span', { class: 'mono' }, `${tk.id.slice(0, 8)}…`),
          ' ',
          tr('tokenIssuedAt', { at: beijing(tk.createdAt) }),
          tk.expiresAt ? ` ${tr('tokenUntil', { at: beijing(tk.expiresAt) })}` : '',
          ' · ',
          tk.revokedAt ? tr('tokenRevoked') : tr('tokenValid'),
          tk.revokedAt || a.disabledAt
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  class: 'small revoke-token',
                  onclick: (ev: Event) => {
                    if (!confirm(tr('confirmRevokeToken', { name: a.name }))) return;
                    void act(() => post(`/api/v1/accounts/${a.id}/tokens/${tk.id}/revoke`))(ev);
                  },
                },
                tr('revokeToken'),
              ),
        ),
      ),
    );
  const role = h('select', { id: 'account-role' }, h('option', { value: 'staff' }, tr('roleStaff')), h('option', { value: 'supervisor' }, tr('roleSupervisor')));
  const name = h('input', { id: 'account-name', required: true, maxlength: 100 });
  const email = h('input', { id: 'account-email', type: 'email', maxlength: 200 });
  const days = h('input', { id: 'account-days', type: 'number', min: 1, max: 3650, size: 5 });
  const daysOf = (input: HTMLInputElement) => (input.value ? { days: Number(input.value) } : {});
  replace(
    panel,
    h('h2', {}, tr('accountsSection')),
    tokenBox,
    table(
      [tr('name'), tr('accountRole'), tr('email'), tr('accountTokens'), ''],
      accounts.map((a) => [
        a.name,
        roleLabel(a.role),
        a.email ?? '',
        a.disabledAt ? tr('accountDisabled') : tokenCell(a),
        a.disabledAt
          ? null
          : h(
              'span',
              { class: 'actions' },
              h('button', { type: 'button', class: 'small issue-token', onclick: act(() => post(`/api/v1/accounts/${a.id}/tokens`, {}), after(a.name)) }, tr('issueToken')),
              ' ',
              h(
                'button',
                {
                  type: 'button',
                  class: 'small disable-account',
                  onclick: (ev: Event) => {
                    if (!confirm(tr('confirmDisableAccount', { name: a.name }))) return;
                    void act(() => post(`/api/v1/accounts/${a.id}/disable`))(ev);
                  },
                },
                tr('disableAccount'),
              ),
            ),
      ]),
      { id: 'accounts' },
    ),
    h(
      'form',
      {
        class: 'inline-form',
        id: 'add-account',
        onsubmit: (ev: Event) => {
          const who = name.value.trim();
          void act(
            () => post('/api/v1/accounts', { role: role.value, name: who, ...(email.value.trim() ? { email: email.value.trim() } : {}), ...daysOf(days) }),
            after(who),
          )(ev);
        },
      },
      h('label', {}, tr('accountRole'), role),
      h('label', {}, tr('name'), name),
      h('label', {}, tr('emailOptional'), email),
      h('label', {}, tr('daysOptional'), days),
      h('button', { type: 'submit', class: 'primary' }, tr('createAccount')),
    ),
  );
}
