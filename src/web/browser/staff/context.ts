// What every tab of the staff console shares: the staff token, the chosen cycle, the panel a tab draws
// into, the flash line for results and refusals, and `act` (run an action, report its error, redraw).
import { alertBox, api, errorText, h, replace, type Kid } from '../dom.js';

export const staff = {
  token: '',
  cycleId: localStorage.getItem('hzqa.staff.cycle') ?? '',
  /** The chosen cycle's name (2026年度杭州市政府质量奖), set with the cycle list. */
  cycleName: '',
};

export function chooseCycle(id: string) {
  staff.cycleId = id;
  localStorage.setItem('hzqa.staff.cycle', id);
}

export const panel = h('section', { id: 'staff-panel', class: 'panel', 'aria-live': 'polite' });
export const flash = h('div', { id: 'flash' });

export const call = <T>(path: string, init: RequestInit & { json?: unknown } = {}) => api<T>(path, { ...init, token: staff.token });
export const post = <T>(path: string, json?: unknown) => call<T>(path, { method: 'POST', ...(json !== undefined ? { json } : {}) });

export function say(kind: 'ok' | 'error', ...kids: Kid[]) {
  replace(flash, alertBox(kind, ...kids));
}

let redraw: () => Promise<void> = async () => {};

/** The console's whole redraw, set once by main.ts. */
export function onRedraw(fn: () => Promise<void>) {
  redraw = fn;
}

/**
 * An irreversible step: the browser's own dialog asks `question` first (as publishing, withdrawing and
 * every other such step in the console does); only on 确定 does it run as `act` runs it.
 */
export function confirmed<T>(question: string, fn: () => Promise<T>, done?: (r: T) => void) {
  return (ev: Event) => {
    ev.preventDefault();
    if (confirm(question)) void act(fn, done)(ev);
  };
}

/** Runs an action, reports its error, redraws the tab (or hands the result to `done`). */
export function act<T>(fn: () => Promise<T>, done?: (r: T) => void) {
  return async (ev?: Event) => {
    ev?.preventDefault();
    const target = ev?.currentTarget as HTMLButtonElement | HTMLFormElement | undefined;
    const button = target instanceof HTMLFormElement ? target.querySelector('button[type="submit"]') : target;
    if (button instanceof HTMLButtonElement) button.disabled = true;
    try {
      const r = await fn();
      replace(flash);
      if (done) done(r);
      else await redraw();
    } catch (e) {
      say('error', errorText(e));
      if (button instanceof HTMLButtonElement) button.disabled = false;
    }
  };
}
