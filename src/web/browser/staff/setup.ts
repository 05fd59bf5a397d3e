// First run: /staff#setup=<key>, the one-time link printed by `npm start` while no staff account exists.
// The key stays in the fragment (never sent in a URL); the page sends it once with the new account's name,
// keeps the returned token in this tab, shows it once, and opens the console.
import { alertBox, api, errorText, h, replace, tr } from '../dom.js';
import { keepToken } from '../session.js';
import type { IssuedTokenJson } from '../../../auth/account-responses.js';

/** The setup key in the page's fragment, if the page was opened with the setup link. */
export function setupKeyInLink(): string | null {
  const m = /^#setup=([A-Za-z0-9_-]{8,200})$/.exec(location.hash);
  return m ? m[1]! : null;
}

/** Asks for the first staff account's name and creates it; resolves with its token once the person goes on. */
export function firstAccount(app: HTMLElement, setupKey: string): Promise<string> {
  return new Promise((resolve) => {
    const name = h('input', { id: 'setup-name', required: true, maxlength: 100, autocomplete: 'name' });
    const email = h('input', { id: 'setup-email', type: 'email', maxlength: 200, autocomplete: 'email' });
    const err = h('div');
    const form = h(
      'form',
      {
        class: 'form narrow',
        id: 'setup-form',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const button = form.querySelector('button');
          if (button) button.disabled = true;
          try {
            const r = await api<IssuedTokenJson>('/api/v1/setup', {
              method: 'POST',
              json: { setupKey, name: name.value.trim(), ...(email.value.trim() ? { email: email.value.trim() } : {}) },
            });
            keepToken(r.token);
            // The key is used up: drop it from the address bar and the tab's history.
            history.replaceState(null, '', location.pathname + location.search);
            replace(
              app,
              h('h1', {}, tr('setupTitle')),
              alertBox('ok', tr('setupDone')),
              alertBox('warn', tr('tokenOnce', { name: name.value.trim() }), ' ', h('strong', { class: 'mono code-shown', id: 'new-token' }, r.token)),
              h('button', { type: 'button', class: 'primary', id: 'enter-console', onclick: () => resolve(r.token) }, tr('enterConsole')),
            );
          } catch (e) {
            replace(err, alertBox('error', errorText(e)));
            if (button) button.disabled = false;
          }
        },
      },
      h('p', {}, tr('setupIntro')),
      h('label', { for: 'setup-name' }, tr('name')),
      name,
      h('label', { for: 'setup-email' }, tr('emailOptional')),
      email,
      err,
      h('button', { type: 'submit', class: 'primary' }, tr('setupSubmit')),
    );
    replace(app, h('h1', {}, tr('setupTitle')), form);
  });
}
