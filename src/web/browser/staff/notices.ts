// Staff console, notices tab: drafts (edit, preview, publish, delete — a published notice never changes), a new draft of any of the notice
// types, and the published notices with their objection windows and log positions. The form shows what
// each type takes: organisation lines for the lists and a revocation; none for the 初选授奖组织名单 (the
// server derives it from every tallied ballot of the cycle); for a revocation the clause, the award,
// the city government's approval (文号, date) and, under 六（五）, the event's date; for a list, the
// reason for publishing it before the previous list's 公示 is over (logged and printed in it); for a
// correction of the 初选授奖组织名单, the winners it takes off, each named with its upheld objection (only an
// entry an upheld objection holds can be taken off; the document names the objection's logged decision).
import { AWARD_LABEL } from '../../i18n.js';
import { NOTICE_TYPE_NAMES, NOTICE_TYPES } from '../../../notices/model.js';
import { alertBox, api, beijing, errorText, field, h, lang, replace, table, tr } from '../dom.js';
import { previewBox, type NoticePreview } from './notice-preview.js';
import { intakeForm } from './intake.js';
import type { NoticeJson, NoticeListJson } from '../../../notices/responses.js';
import type { BallotListJson } from '../../../votes/responses.js';
import { act, call, confirmed, panel, post, staff } from './context.js';
import { AWARDS } from '../../../votes/awards.js';
import type { AwardStateJson } from '../../../award/responses.js';

type Notice = NoticeJson;

/** The lists a 公示 runs for, each drawn from the one before (src/register/queries.ts). */
const LISTS: ReadonlySet<string> = new Set(['material-review', 'onsite-review', 'initial-winners']);

export async function drawNotices() {
  const drafts = (await call<NoticeListJson>(`/api/v1/notices?cycleId=${staff.cycleId}&state=draft`)).notices;
  const published = (await call<NoticeListJson>(`/api/v1/notices?cycleId=${staff.cycleId}`)).notices.filter((n) => n.status === 'published');
  const tallied = (await api<BallotListJson>(`/api/v1/cycles/${staff.cycleId}/ballots`)).ballots.filter((b) => b.phase === 'tallied');
  const type = h('select', { id: 'draft-type' }, NOTICE_TYPES.map((x) => h('option', { value: x }, NOTICE_TYPE_NAMES[x][lang])));
  const title = h('input', { id: 'draft-title', required: true });
  const body = h('textarea', { id: 'draft-body', rows: 5, required: true });
  const orgs = h('textarea', { id: 'draft-orgs-lines', rows: 4 });
  const corrects = h('select', { id: 'draft-corrects' }, h('option', { value: '' }, tr('none')), published.map((n) => h('option', { value: n.id }, n.title)));
  const removals = await removalChoices(published);
  // The logged value keeps the regulation's clause as written in the schema; the label is as an official writes it.
  const basis = h('select', { id: 'revocation-basis' }, ['六(三)', '六(五)'].map((b) => h('option', { value: b }, b.replace('(', '（').replace(')', '）'))));
  const revAward = h('select', { id: 'revocation-award' }, AWARDS.map((a) => h('option', { value: a }, AWARD_LABEL[a]![lang])));
  const approvalNumber = h('input', { id: 'revocation-approval-number', maxlength: 100, placeholder: '杭政函〔2027〕5号' });
  const approvalDate = h('input', { id: 'revocation-approval-date', type: 'date' });
  const eventDate = h('input', { id: 'revocation-event-date', type: 'date' });
  const override = h('textarea', { id: 'draft-sequence-override', rows: 2, maxlength: 500 });
  // Each part of the form shows for the types that take it.
  const orgsField = h('div', { id: 'draft-orgs' }, field(tr('orgLines'), orgs));
  const derivedNote = h(
    'div',
    { id: 'draft-derived', hidden: true },
    alertBox('info', tr('initialWinnersDerived'), tallied.length ? `${tr('initialWinnersFrom')}${tallied.map((b) => b.title || AWARD_LABEL[b.award]?.[lang]).join('、')}。` : tr('initialWinnersNoTallied')),
  );
  const overrideField = h('div', { id: 'draft-override' }, field(tr('sequenceOverride'), override), h('p', { class: 'muted' }, tr('sequenceOverrideHelp')));
  const eventField = h('div', { id: 'revocation-event' }, field(tr('revocationEventDate'), eventDate));
  const revocationFields = h(
    'fieldset',
    { id: 'revocation-fields' },
    h('legend', {}, tr('revocationFields')),
    field(tr('basis'), basis),
    field(tr('award'), revAward),
    field(tr('revocationApprovalNumber'), approvalNumber),
    field(tr('revocationApprovalDate'), approvalDate),
    eventField,
  );
  const showFor = () => {
    const t = type.value;
    orgsField.hidden = t === 'initial-winners';
    derivedNote.hidden = t !== 'initial-winners';
    overrideField.hidden = !LISTS.has(t);
    revocationFields.hidden = t !== 'revocation';
    eventField.hidden = basis.value !== '六(五)';
    removals.field.hidden = !(t === 'initial-winners' && published.some((n) => n.id === corrects.value && n.type === 'initial-winners'));
  };
  type.addEventListener('change', showFor);
  basis.addEventListener('change', showFor);
  corrects.addEventListener('change', showFor);
  const intake = await intakeForm();
  replace(
    panel,
    intake,
    h('h2', {}, tr('draft')),
    drafts.length ? drafts.map(draftCard) : h('p', { class: 'muted' }, tr('none')),
    h(
      'form',
      {
        class: 'form',
        id: 'draft-notice',
        onsubmit: act(() => {
          const organisations = type.value === 'initial-winners' ? [] : organisationLines(orgs.value);
          return post('/api/v1/notices', {
            cycleId: staff.cycleId,
            type: type.value,
            title: title.value.trim(),
            body: body.value,
            ...(organisations.length ? { organisations } : {}),
            ...(corrects.value ? { corrects: corrects.value } : {}),
            ...(!removals.field.hidden && removals.chosen().length ? { removed: removals.chosen() } : {}),
            ...(LISTS.has(type.value) && override.value.trim() ? { sequenceOverride: override.value.trim() } : {}),
            ...(type.value === 'revocation'
              ? {
                  revocation: {
                    basis: basis.value,
                    award: revAward.value,
                    ...(approvalNumber.value.trim() ? { approvalNumber: approvalNumber.value.trim() } : {}),
                    ...(approvalDate.value ? { approvalDate: approvalDate.value } : {}),
                    ...(basis.value === '六(五)' && eventDate.value ? { eventDate: eventDate.value } : {}),
                  },
                }
              : {}),
          });
        }),
      },
      h('h3', {}, tr('draftNotice')),
      field(tr('noticeType'), type),
      field(tr('noticeTitle'), title),
      field(tr('noticeBody'), body),
      orgsField,
      derivedNote,
      overrideField,
      field(tr('corrects'), corrects),
      removals.field,
      revocationFields,
      h('div', {}, h('button', { type: 'submit', class: 'primary' }, tr('saveDraft'))),
    ),
    h('h2', {}, tr('published')),
    table(
      [tr('noticeTitle'), tr('noticeType'), tr('publishedAt'), tr('window'), tr('logIndex')],
      published.map((n) => [h('a', { href: `/notices/${n.id}` }, n.title), n.typeName[lang], beijing(n.publishedAt), n.window ? `${n.window.start} – ${n.window.end}` : '', String(n.logIndex ?? '')]),
      { id: 'published-notices' },
    ),
  );
  showFor();
}

/**
 * A correction of the 初选授奖组织名单 takes a winner off only for an upheld objection still holding its
 * entry: one box per such entry on the current list, named with its objection (the public 审定 state lists
 * the entries on hold).
 */
async function removalChoices(published: Notice[]) {
  const current = published.filter((n) => n.type === 'initial-winners').at(-1);
  // The notices tab stays usable if the 审定 state cannot be read: then no box is offered.
  const blockers = await api<AwardStateJson>(`/api/v1/cycles/${staff.cycleId}/award`).then((s) => s.blockers, () => null);
  const onList = new Set(current?.organisations.map((o) => o.name) ?? []);
  const held = (blockers?.held ?? []).filter((x) => onList.has(x.organisation));
  const boxes = held.map((x, i) => h('input', { type: 'checkbox', value: x.organisation, id: `remove-${i}` }));
  const field = h(
    'fieldset',
    { id: 'draft-removals', hidden: true },
    h('legend', {}, tr('removeWinners')),
    held.length
      ? boxes.map((b, i) => h('label', { class: 'check', for: b.id }, b, ` ${tr('removeWinner', { organisation: held[i]!.organisation, trackingNo: held[i]!.trackingNo })}`))
      : h('p', { class: 'muted' }, tr('removeWinnersNone')),
    h('p', { class: 'muted' }, tr('removeWinnersHelp')),
  );
  return { field, chosen: () => boxes.filter((b) => b.checked).map((b) => b.value) };
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
      h('button', { type: 'button', id: `delete-${n.id}`, onclick: confirmed(tr('deleteDraftConfirm', { title: n.title }), () => call(`/api/v1/notices/${n.id}`, { method: 'DELETE' })) }, tr('deleteDraft')),
    ),
    editDraft(n),
    LISTS.has(n.type) ? earlyPublish(n) : null,
    preview,
  );
}

/** One organisation a line: 名称[，统一社会信用代码]. */
function organisationLines(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, code] = l.split(/[,，]\s*/);
      return code ? { name: name!, code } : { name: name! };
    });
}

/**
 * A draft's title, text and organisations changed before it is published (a draft is the office's own
 * working paper: nothing of it is logged until it is published; then it never changes).
 */
function editDraft(n: Notice) {
  const title = h('input', { id: `edit-title-${n.id}`, required: true, maxlength: 200, value: n.title });
  const body = h('textarea', { id: `edit-body-${n.id}`, rows: 5, required: true });
  body.value = n.body;
  const orgs = h('textarea', { id: `edit-orgs-${n.id}`, rows: 4 });
  orgs.value = n.organisations.map((o) => (o.code ? `${o.name}，${o.code}` : o.name)).join('\n');
  // The 初选授奖组织名单 takes no lines: the server derives it from the tallied ballots.
  const takesOrgs = n.type !== 'initial-winners';
  return h(
    'details',
    { id: `edit-${n.id}` },
    h('summary', {}, tr('editDraft')),
    h(
      'form',
      {
        class: 'form',
        onsubmit: act(() =>
          call(`/api/v1/notices/${n.id}`, {
            method: 'PATCH',
            json: { title: title.value.trim(), body: body.value, ...(takesOrgs ? { organisations: organisationLines(orgs.value) } : {}) },
          }),
        ),
      },
      field(tr('noticeTitle'), title),
      field(tr('noticeBody'), body),
      takesOrgs ? field(tr('orgLines'), orgs) : null,
      h('div', {}, h('button', { type: 'submit', class: 'primary', id: `edit-save-${n.id}` }, tr('saveDraft'))),
    ),
  );
}

/**
 * A list published before the previous list's 公示 is over (or its objections answered) is refused unless
 * the office records why: the reason is saved on the draft, then the list is published with it (logged,
 * and printed in the notice's document).
 */
function earlyPublish(n: Notice) {
  const reason = h('textarea', { id: `early-reason-${n.id}`, rows: 2, maxlength: 500, required: true });
  return h(
    'details',
    { id: `early-${n.id}` },
    h('summary', {}, tr('earlyPublish')),
    h(
      'form',
      {
        class: 'form',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          if (!confirm(tr('earlyPublishConfirm'))) return;
          void act(async () => {
            await call(`/api/v1/notices/${n.id}`, { method: 'PATCH', json: { sequenceOverride: reason.value.trim() } });
            return post(`/api/v1/notices/${n.id}/publish`);
          })(ev);
        },
      },
      h('p', { class: 'muted' }, tr('sequenceOverrideHelp')),
      h('label', { for: reason.id }, tr('sequenceOverride')),
      reason,
      h('div', {}, h('button', { type: 'submit', class: 'primary', id: `early-publish-${n.id}` }, tr('earlyPublishSubmit'))),
    ),
  );
}
