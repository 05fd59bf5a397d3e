// Staff console, notices tab: drafts (preview, publish, delete), a new draft of any of the notice
// types, and the published notices with their objection windows and log positions.
import { AWARD_LABEL } from '../../i18n.js';
import { NOTICE_TYPE_NAMES, NOTICE_TYPES } from '../../../notices/model.js';
import { alertBox, api, beijing, errorText, field, h, lang, replace, table, tr } from '../dom.js';
import { previewBox, type NoticePreview } from './notice-preview.js';
import { act, call, panel, post, staff } from './context.js';
import { AWARDS } from '../../../votes/awards.js';

interface Notice {
  id: string;
  type: string;
  typeName: { zh: string; en: string };
  status: string;
  title: string;
  body: string;
  organisations: { name: string; code?: string }[];
  publishedAt: string | null;
  logIndex: number | null;
  window: { start: string; end: string } | null;
  open: boolean;
}


export async function drawNotices() {
  const drafts = (await call<{ notices: Notice[] }>(`/api/v1/notices?cycleId=${staff.cycleId}&state=draft`)).notices;
  const published = (await call<{ notices: Notice[] }>(`/api/v1/notices?cycleId=${staff.cycleId}`)).notices.filter((n) => n.status === 'published');
  const tallied = (await api<{ ballots: { id: string; title: string; award: string; phase: string }[] }>(`/api/v1/cycles/${staff.cycleId}/ballots`)).ballots.filter((b) => b.phase === 'tallied');
  const type = h('select', {}, NOTICE_TYPES.map((x) => h('option', { value: x }, NOTICE_TYPE_NAMES[x][lang])));
  const title = h('input', { required: true });
  const body = h('textarea', { rows: 5, required: true });
  const orgs = h('textarea', { rows: 4 });
  const corrects = h('select', {}, h('option', { value: '' }, tr('none')), published.map((n) => h('option', { value: n.id }, n.title)));
  // The logged value keeps the regulation's clause as written in the schema; the label is as an official writes it.
  const basis = h('select', {}, ['六(三)', '六(五)'].map((b) => h('option', { value: b }, b.replace('(', '（').replace(')', '）'))));
  const revAward = h('select', {}, AWARDS.map((a) => h('option', { value: a }, AWARD_LABEL[a]![lang])));
  const ballotBoxes = tallied.map((b) => h('input', { type: 'checkbox', value: b.id, id: `nb-${b.id}` }));
  replace(
    panel,
    h('h2', {}, tr('draft')),
    drafts.length ? drafts.map(draftCard) : h('p', { class: 'muted' }, tr('none')),
    h(
      'form',
      {
        class: 'form',
        id: 'draft-notice',
        onsubmit: act(() => {
          const ballotIds = ballotBoxes.filter((x) => x.checked).map((x) => x.value);
          const organisations = orgs.value
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .map((l) => {
              const [name, code] = l.split(/[,，]\s*/);
              return code ? { name: name!, code } : { name: name! };
            });
          return post('/api/v1/notices', {
            cycleId: staff.cycleId,
            type: type.value,
            title: title.value.trim(),
            body: body.value,
            ...(organisations.length ? { organisations } : {}),
            ...(ballotIds.length && type.value === 'initial-winners' ? { ballotIds } : {}),
            ...(corrects.value ? { corrects: corrects.value } : {}),
            ...(type.value === 'revocation' ? { revocation: { basis: basis.value, award: revAward.value } } : {}),
          });
        }),
      },
      h('h3', {}, tr('draftNotice')),
      field(tr('noticeType'), type),
      field(tr('noticeTitle'), title),
      field(tr('noticeBody'), body),
      field(tr('orgLines'), orgs),
      tallied.length
        ? h('fieldset', {}, h('legend', {}, tr('linkBallots')), tallied.map((b, i) => h('label', { class: 'choice', for: ballotBoxes[i]!.id }, ballotBoxes[i]!, ` ${b.title || AWARD_LABEL[b.award]?.[lang]}`)))
        : null,
      field(tr('corrects'), corrects),
      h('fieldset', {}, h('legend', {}, tr('revocationFields')), field(tr('basis'), basis), field(tr('award'), revAward)),
      h('div', {}, h('button', { type: 'submit', class: 'primary' }, tr('saveDraft'))),
    ),
    h('h2', {}, tr('published')),
    table(
      [tr('noticeTitle'), tr('noticeType'), tr('publishedAt'), tr('window'), tr('logIndex')],
      published.map((n) => [h('a', { href: `/notices/${n.id}` }, n.title), n.typeName[lang], beijing(n.publishedAt), n.window ? `${n.window.start} – ${n.window.end}` : '', String(n.logIndex ?? '')]),
      { id: 'published-notices' },
    ),
  );
}

function draftCard(n: Notice) {
  // The preview is what will be published: the server builds it as it would the document (defect: an
  // initial-winners list showed no organisations before the irreversible publish).
  const preview = h('div', { hidden: true, id: `preview-${n.id}` });
  const togglePreview = async () => {
    if (!preview.hidden) {
      preview.hidden = true;
      return;
    }
    try {
      replace(preview, h('p', { class: 'kicker' }, n.typeName[lang]), previewBox(n.title, await call<NoticePreview>(`/api/v1/notices/${n.id}/preview`), n.body));
    } catch (e) {
      replace(preview, alertBox('error', errorText(e)));
    }
    preview.hidden = false;
  };
  return h(
    'div',
    { class: 'panel', id: `draft-${n.id}` },
    h('h3', {}, n.title, ' ', h('span', { class: 'badge badge-closed' }, tr('draft'))),
    h('p', { class: 'meta' }, n.typeName[lang]),
    h(
      'div',
      { class: 'row-actions' },
      h('button', { type: 'button', id: `show-preview-${n.id}`, onclick: () => void togglePreview() }, tr('preview')),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: `publish-${n.id}`,
          onclick: (ev: Event) => {
            if (confirm(tr('publishConfirm'))) void act(() => post(`/api/v1/notices/${n.id}/publish`))(ev);
          },
        },
        tr('publish'),
      ),
      h('button', { type: 'button', onclick: act(() => call(`/api/v1/notices/${n.id}`, { method: 'DELETE' })) }, tr('deleteDraft')),
    ),
    preview,
  );
}
