// The objection form (multipart, with evidence files), its printable receipt (kept in this tab's
// sessionStorage: the access code never travels in a URL), and the status look-up.
import { $, add, alertBox, api, beijing, bracket, errorText, h, lang, replace, table, tr } from './dom.js';
import { sizeText } from '../../http/sizes.js';
import type { MsgKey } from '../i18n.js';
import type { ObjectionReceiptJson as ObjectionReceipt } from '../../objections/responses.js';
import type { ObjectionStatusJson } from '../../objections/responses.js';

const RECEIPT_KEY = 'hzqa.objection.receipt';

type Receipt = Pick<
  ObjectionReceipt,
  'trackingNo' | 'accessCode' | 'noticeId' | 'receivedAt' | 'receivedDate' | 'dueDate' | 'dueEndsAt' | 'provisional' | 'digest' | 'files' | 'receiptLogIndex' | 'provisionalNote' | 'letter' | 'noEvidence'
>;

/** A provisional due date always carries its note ("暂按…计算，待国务院公布YYYY年安排后重算"). */
const provisionalText = (note: { zh: string; en: string } | null | undefined) => (!note ? '' : document.documentElement.lang === 'en' ? `(${note.en})` : `（${note.zh}）`);

const form = $<HTMLFormElement>('#objection-form');
if (form) {
  // Only the chosen kind's identity fields are sent (a disabled fieldset's inputs are not submitted).
  const showKind = () => {
    const kind = (form.querySelector<HTMLInputElement>('input[name="kind"]:checked')?.value ?? 'person') as 'person' | 'unit';
    for (const fs of form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-kind]')) {
      fs.disabled = fs.dataset.kind !== kind;
      fs.hidden = fs.dataset.kind !== kind;
    }
  };
  for (const r of form.querySelectorAll<HTMLInputElement>('input[name="kind"]')) r.addEventListener('change', showKind);
  showKind();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const err = $('#form-error')!;
    err.hidden = true;
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    button.disabled = true;
    button.textContent = tr('submitting');
    try {
      const body = new FormData(form);
      // An empty file input still sends one empty part: leave it out.
      const files = body.getAll('files').filter((x) => x instanceof File && x.size > 0);
      body.delete('files');
      for (const f of files) body.append('files', f);
      const res = await fetch(form.action, { method: 'POST', body, credentials: 'omit' });
      const json = (await res.json()) as Receipt & { detail?: string; detail_zh?: string; errors?: { path?: string; message?: string }[] };
      if (!res.ok) throw new Error(`${(document.documentElement.lang === 'en' ? json.detail : json.detail_zh) ?? res.status}${json.errors ? ' ' + json.errors.map((e) => `${e.path ?? ''} ${e.message ?? ''}`).join('; ') : ''}`);
      sessionStorage.setItem(RECEIPT_KEY, JSON.stringify(json));
      location.assign('/objections/receipt');
    } catch (e) {
      err.hidden = false;
      err.textContent = errorText(e);
      button.disabled = false;
      button.textContent = tr('submit');
    }
  });
}

const receiptEl = $('#receipt');
if (receiptEl) {
  let r: Receipt | null = null;
  try {
    r = JSON.parse(sessionStorage.getItem(RECEIPT_KEY) ?? 'null') as Receipt | null;
  } catch {
    r = null;
  }
  if (!r) {
    receiptEl.appendChild(alertBox('warn', tr('none')));
  } else {
    const row = (k: MsgKey, v: string, cls = '') => [h('dt', {}, tr(k)), h('dd', { class: cls }, v)];
    add(
      receiptEl,
      alertBox('warn', tr('receiptKeep')),
      h(
        'dl',
        { class: 'facts receipt-facts' },
        row('trackingNo', r.trackingNo, 'mono big-text'),
        row('accessCode', r.accessCode, 'mono big-text'),
        row('receivedAt', beijing(r.receivedAt)),
        row('dueDate', r.dueDate),
        row('dueEndsAt', beijing(r.dueEndsAt) + (r.provisional ? ' ' + provisionalText(r.provisionalNote) : ''), r.provisional ? 'provisional' : ''),
        row('digest', r.digest, 'mono break'),
        r.letter ? row('letterReceived', `${r.letter.name}${bracket(sizeText(r.letter.size)[lang])}`) : [],
        r.noEvidence ? row('evidence', tr('noEvidence')) : [],
      ),
      r.files.length
        ? table(
            [tr('files'), 'SHA-256', tr('fileSize')],
            r.files.map((f) => [f.name, h('span', { class: 'mono break' }, f.sha256), sizeText(f.size)[lang]]),
          )
        : null,
      h('p', {}, tr('receiptLog', { index: r.receiptLogIndex })),
      h('p', { class: 'no-print' }, h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, tr('print')), ' ', h('a', { href: `/notices/${r.noticeId}` }, tr('back'))),
    );
  }
}

const statusForm = $<HTMLFormElement>('#status-form');
if (statusForm) {
  statusForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = $('#status-result')!;
    const data = new FormData(statusForm);
    try {
      const s = await api<ObjectionStatusJson>('/api/v1/objections/status', { method: 'POST', json: { trackingNo: String(data.get('trackingNo')), accessCode: String(data.get('accessCode')) }, credentials: 'omit' });
      const row = (k: MsgKey, v: string | Node) => [h('dt', {}, tr(k)), h('dd', {}, v)];
      replace(
        out,
        h(
          'dl',
          { class: 'facts' },
          row('trackingNo', s.trackingNo),
          row('objectTo', s.organisation),
          row('receivedDate', s.receivedDate),
          s.dueFirst ? row('dueFirst', `${s.dueFirst.dueDate}${s.dueFirst.provisional ? (document.documentElement.lang === 'en' ? ` (${tr('provisionalMark')})` : `（${tr('provisionalMark')}）`) : ''}`) : [],
          row(s.dueFirst ? 'dueCorrected' : 'dueDate', s.dueDate + (s.dueProvisional ? ' ' + provisionalText(s.provisionalNote) : '') + (s.overdue ? (document.documentElement.lang === 'en' ? ` (${tr('overdue')})` : `（${tr('overdue')}）`) : '')),
          s.workingDaysLeft !== null ? row('workingDaysLeft', String(s.workingDaysLeft)) : [],
          row('status', tr(`st_${s.status}` as MsgKey)),
          s.result ? row('decision', `${tr(`dec_${s.result.decision}` as MsgKey)} — ${s.result.summary}`) : [],
          s.result ? row('resultNotice', h('a', { href: `/notices/${s.result.noticeId}` }, s.result.noticeId)) : [],
        ),
      );
    } catch (e) {
      replace(out, alertBox('error', errorText(e)));
    }
  });
}
