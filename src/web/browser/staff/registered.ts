// Staff console, 书面异议 tab: an objection that arrived on paper — handed in, posted or faxed — is
// registered with the date the bureau received it (by post, the postmark decides whether it was in
// time: 以邮戳为准) and its scanned materials. It gets the same receipt, public log entry and
// 5-working-day clock as one filed online (POST /api/v1/notices/{id}/objections/registered); the receipt
// is shown here to be printed and sent to the objector, with the access code shown only this once.
import type { ObjectionReceiptJson as Receipt } from '../../../objections/responses.js';
import type { NoticeJson, NoticeListJson } from '../../../notices/responses.js';
import { h, lang, replace, table, tr, beijing, field, type Kid } from '../dom.js';
import { sizeText } from '../../../http/sizes.js';
import { act, call, panel, say, staff } from './context.js';

type OpenNotice = NoticeJson;

const CHANNELS = [
  ['in-person', 'channelInPerson'],
  ['post', 'channelPost'],
  ['fax', 'channelFax'],
] as const;

/** Today's date in Beijing (the receipt date staff usually enter). */
const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export async function drawRegistered() {
  const notices = (await call<NoticeListJson>(`/api/v1/notices?cycleId=${staff.cycleId}`)).notices.filter((n) => n.status === 'published' && n.window);
  if (!notices.length) {
    replace(panel, h('h2', {}, tr('registeredSection')), h('p', { class: 'muted' }, tr('registeredNoNotice')));
    return;
  }
  const notice = h('select', { name: 'notice', id: 'reg-notice' }, notices.map((n) => h('option', { value: n.id }, `${n.title}（${n.window!.start} 至 ${n.window!.end}）`)));
  const organisation = h('select', { name: 'organisation', id: 'reg-org', required: true });
  const fillOrganisations = () => {
    const n = notices.find((x) => x.id === notice.value)!;
    replace(organisation, ...n.organisations.map((o) => h('option', { value: o.name }, o.name)));
  };
  notice.addEventListener('change', fillOrganisations);
  fillOrganisations();

  const channel = h('select', { name: 'channel', id: 'reg-channel' }, CHANNELS.map(([v, k]) => h('option', { value: v }, tr(k))));
  const postmark = h('input', { name: 'postmarkDate', id: 'reg-postmark', type: 'date' });
  const postmarkRow = h('div', { hidden: true }, ...field(tr('postmarkDate'), postmark));
  channel.addEventListener('change', () => {
    postmarkRow.hidden = channel.value !== 'post';
    postmark.required = channel.value === 'post';
    if (channel.value !== 'post') postmark.value = '';
  });

  const kindPerson = h('input', { type: 'radio', name: 'kind', value: 'person', checked: true });
  const kindUnit = h('input', { type: 'radio', name: 'kind', value: 'unit' });
  const person = h('fieldset', { 'data-kind': 'person' }, h('legend', {}, tr('personIdentity')), ...field(tr('idNumber'), h('input', { name: 'idNumber', id: 'reg-id', class: 'mono', maxlength: 18 })), ...field(tr('registeredSignature'), h('input', { name: 'signature', id: 'reg-signature', maxlength: 200 })));
  const unit = h('fieldset', { 'data-kind': 'unit', hidden: true, disabled: true }, h('legend', {}, tr('unitIdentity')), ...field(tr('creditCode'), h('input', { name: 'creditCode', id: 'reg-credit', class: 'mono', maxlength: 18 })), ...field(tr('contactPerson'), h('input', { name: 'contactPerson', id: 'reg-contact-person', maxlength: 200 })));
  const showKind = () => {
    for (const [fs, on] of [[person, kindPerson.checked], [unit, kindUnit.checked]] as const) {
      fs.hidden = !on;
      fs.disabled = !on;
    }
  };
  kindPerson.addEventListener('change', showKind);
  kindUnit.addEventListener('change', showKind);

  const receipt = h('div', { id: 'registered-receipt' });
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'form',
      id: 'registered-form',
      onsubmit: act(
        async (): Promise<Receipt> => {
          const body = new FormData(form);
          body.delete('notice');
          // An empty file input still sends one empty part: leave it out.
          const files = body.getAll('files').filter((x: FormDataEntryValue) => x instanceof File && x.size > 0);
          body.delete('files');
          for (const f of files) body.append('files', f);
          return call<Receipt>(`/api/v1/notices/${notice.value}/objections/registered`, { method: 'POST', body });
        },
        (r: Receipt) => {
          form.reset();
          showKind();
          say('ok', tr('registeredDone', { no: r.trackingNo }));
          replace(receipt, receiptCard(r));
        },
      ),
    },
    ...field(tr('registeredNotice'), notice),
    ...field(tr('channel'), channel),
    ...field(tr('registeredReceivedDate'), h('input', { name: 'receivedDate', id: 'reg-received', type: 'date', required: true, value: beijingToday() })),
    postmarkRow,
    h('fieldset', {}, h('legend', {}, tr('objectorKind')), h('label', { class: 'choice' }, kindPerson, ' ', tr('kindPerson')), h('label', { class: 'choice' }, kindUnit, ' ', tr('kindUnit'))),
    ...field(tr('objectorName'), h('input', { name: 'name', id: 'reg-name', required: true, maxlength: 200 })),
    person,
    unit,
    ...field(tr('contact'), h('input', { name: 'contact', id: 'reg-contact', required: true, maxlength: 500 })),
    ...field(tr('objectTo'), organisation),
    ...field(tr('facts'), h('textarea', { name: 'facts', id: 'reg-facts', required: true, rows: 4 })),
    ...field(tr('reasons'), h('textarea', { name: 'reasons', id: 'reg-reasons', required: true, rows: 3 })),
    ...field(tr('registeredLetter'), h('input', { name: 'letter', id: 'reg-letter', type: 'file', accept: '.pdf,.png,.jpg,.jpeg,.ofd,application/pdf,image/png,image/jpeg' })),
    ...field(tr('evidence'), h('input', { name: 'files', id: 'reg-files', type: 'file', multiple: true, accept: '.pdf,.png,.jpg,.jpeg,.docx,.ofd,application/pdf,image/png,image/jpeg' })),
    h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'noEvidence', value: 'true' }), ' ', tr('noEvidence')),
    h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'declaration', value: 'true', required: true, id: 'reg-declaration' }), ' ', tr('registeredDeclaration')),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, tr('registeredSubmit'))),
  );
  replace(panel, h('h2', {}, tr('registeredSection')), h('p', {}, tr('registeredIntro')), form, receipt);
}

/** The receipt to print and send to the objector (the access code is shown this once). */
function receiptCard(r: Receipt): HTMLElement {
  const row = (k: Parameters<typeof tr>[0], v: Kid) => [h('dt', {}, tr(k)), h('dd', {}, v)];
  return h(
    'div',
    { class: 'panel receipt' },
    h('h3', {}, tr('receiptTitle')),
    h(
      'dl',
      { class: 'facts receipt-facts' },
      row('trackingNo', h('span', { class: 'mono big-text', id: 'registered-tracking' }, r.trackingNo)),
      row('accessCode', h('span', { class: 'mono big-text' }, r.accessCode)),
      row('receivedDate', r.receivedDate),
      row('dueDate', r.dueDate + (r.provisional && r.provisionalNote ? `（${r.provisionalNote.zh}）` : '')),
      row('dueEndsAt', beijing(r.dueEndsAt)),
      row('digest', h('span', { class: 'mono break' }, r.digest)),
    ),
    r.files.length ? table([tr('files'), 'SHA-256', tr('fileSize')], r.files.map((f) => [f.name, h('span', { class: 'mono break' }, f.sha256), sizeText(f.size)[lang]])) : null,
    h('p', {}, tr('receiptLog', { index: r.receiptLogIndex })),
    h('p', { class: 'no-print' }, h('button', { type: 'button', onclick: () => window.print() }, tr('print'))),
  );
}
