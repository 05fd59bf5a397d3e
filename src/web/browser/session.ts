// The staff and supervisor consoles' sign-in: a bearer token entered once and kept in this tab's
// sessionStorage (cleared when the tab closes), checked against a route that needs the role.
import { ApiError, alertBox, api, errorText, h, replace, tr } from './dom.js';
import type { SetupStateJson } from '../../auth/account-responses.js';

const TOKEN_KEY = 'hzqa.console.token';

export const getToken = () => sessionStorage.getItem(TOKEN_KEY);
export const keepToken = (token: string) => sessionStorage.setItem(TOKEN_KEY, token);

/** What an account token looks like (src/auth/guard.ts): checked here so a typo gets a plain answer. */
const TOKEN_SHAPE = /^hzqa_a_[A-Za-z0-9_-]{8,193}$/;

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
}

/** Resolves with a working token, asking for one when there is none (or it stopped working). */
export async function signIn(app: HTMLElement, title: string): Promise<string> {
  const stored = getToken();
  if (stored) {
    try {
      await api('/api/v1/objections', { token: stored });
      return stored;
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) throw e;
      sessionStorage.removeItem(TOKEN_KEY);
    }
  }
  return new Promise((resolve) => {
    const input = h('input', { id: 'console-token', type: 'password', required: true, autocomplete: 'off', class: 'mono' });
    const err = h('div');
    const firstRun = h('div', { id: 'first-run' });
    const form = h(
      'form',
      {
        class: 'form narrow',
        id: 'token-form',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const token = input.value.trim();
          if (!TOKEN_SHAPE.test(token)) {
            replace(err, alertBox('error', tr('tokenMalformed')));
            return;
          }
          try {
            await api('/api/v1/objections', { token });
            sessionStorage.setItem(TOKEN_KEY, token);
            resolve(token);
          } catch (e) {
            replace(err, alertBox('error', errorText(e)));
          }
        },
      },
      h('label', { for: 'console-token' }, tr('tokenLabel')),
      input,
      h('p', { class: 'muted' }, tr('tokenHelp')),
      err,
      h('button', { type: 'submit', class: 'primary' }, tr('signIn')),
    );
    replace(app, h('h1', {}, title), firstRun, form);
    // Before the first staff account exists, say where the one-time setup link is.
    api<SetupStateJson>('/api/v1/setup').then(
      (r) => r.firstAccountNeeded && replace(firstRun, alertBox('info', tr('firstRunHint'))),
      () => {},
    );
  });
}
