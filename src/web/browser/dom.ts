// Small DOM helpers shared by the page scripts: elements built with textContent (never innerHTML with
// data), the page language, API calls with problem+json messages in that language.
import { ApiError, call } from '../../protocol/tablet.js';
import { t, type Lang, type MsgKey } from '../i18n.js';

export const lang: Lang = document.documentElement.lang.startsWith('en') ? 'en' : 'zh';
export const tr = (key: MsgKey, vars?: Record<string, string | number>) => t(lang, key, vars);
/** A label's colon and a bracketed aside as each language writes them: 阶段：…（王工） / Phase: … (Wang). */
export const colon = lang === 'zh' ? '：' : ': ';
export const bracket = (aside: string) => (lang === 'zh' ? `（${aside}）` : ` (${aside})`);

type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;
export type Kid = Node | string | number | null | undefined | false | Kid[];

/** h('button', { class: 'primary', onclick: fn }, 'text') */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...kids: Kid[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, kids);
  return el;
}

function append(el: Node, kids: Kid[]) {
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) append(el, k);
    else el.appendChild(typeof k === 'string' || typeof k === 'number' ? document.createTextNode(String(k)) : k);
  }
}

export function add(el: Element, ...kids: Kid[]) {
  append(el, kids);
}

export function replace(el: Element, ...kids: Kid[]) {
  el.replaceChildren();
  append(el, kids);
}

export const $ = <T extends Element = HTMLElement>(sel: string, root: ParentNode = document) => root.querySelector(sel) as T | null;

/** The message of an error for a person: the problem's detail in the page language, or "network". */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const p = e.problem;
    const d = lang === 'zh' ? (p.detail_zh ?? p.detail) : (p.detail ?? p.detail_zh);
    // The detail already names each invalid field; its `errors` list (English, for programs) is not repeated.
    return d ?? e.message;
  }
  if (e instanceof TypeError) return tr('networkError');
  return e instanceof Error ? e.message : String(e);
}

export const isNetworkError = (e: unknown) => e instanceof TypeError && !(e instanceof ApiError);

export function api<T>(path: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<T> {
  return call<T>((p, i) => fetch(p, i), path, init);
}

export function alertBox(kind: 'error' | 'ok' | 'warn' | 'info', ...kids: Kid[]) {
  return h('div', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...kids);
}

export function beijing(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const local = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  // The end of a day (a deadline: YYYY-MM-DDT23:59:59.999+08:00) reads as its 24:00, as the notices say.
  if (local.slice(11, 23) === '23:59:59.999') return `${local.slice(0, 10)} 24:00`;
  return local.slice(0, 16).replace('T', ' ');
}

/** A table from header labels and rows of cells. */
export function table(head: Kid[], rows: Kid[][], attrs: Attrs = {}) {
  return h(
    'table',
    { class: 'table', ...attrs },
    h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((x) => h('td', {}, x))))),
  );
}

/** A labelled form control. */
export function field(label: string, control: HTMLElement): HTMLElement[] {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return [h('label', { for: id }, label), control];
}

export { ApiError };
