// Staff console, register tab (src/register/): the cycle's register of applicants — 统一社会信用代码
// (the server checks its GB 32100 check character), name, award applied for — and each award's
// 候选组织建议名单 (三(三)5), fixed from the organisations of the current 拟进入现场评审 list that applied
// for the award, reviewed by member units of the judging group. Both are public log entries and cannot
// be taken back, so the console asks before sending them.
import { AWARD_LABEL } from '../../i18n.js';
import { AWARDS, type Award } from '../../../votes/awards.js';
import { h, lang, table, tr, replace, field } from '../dom.js';
import { act, call, panel, post, say, staff } from './context.js';
import type { RosterJson } from '../../../members/responses.js';
import type { RegisterJson } from '../../../register/responses.js';

type Applicant = RegisterJson['applicants'][number];
type CandidateList = RegisterJson['candidateLists'][number];
import type { NoticeListJson } from '../../../notices/responses.js';

export async function drawRegister() {
  const { applicants, candidateLists } = await call<RegisterJson>(`/api/v1/cycles/${staff.cycleId}/applicants`);
  const { members } = await call<RosterJson>(`/api/v1/cycles/${staff.cycleId}/members`);
  const onsite = (await call<NoticeListJson>(`/api/v1/notices?cycleId=${staff.cycleId}&type=onsite-review`)).notices
    .filter((n) => n.status === 'published')
    .sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''))
    .at(-1);
  const units = [...new Set(members.map((m) => m.unit))];
  replace(
    panel,
    h('h2', {}, tr('registerSection')),
    h('p', { class: 'muted' }, tr('registerIntro')),
    applicants.length
      ? table(
          [tr('creditCode'), tr('orgName'), tr('awardAppliedFor'), tr('logIndex')],
          applicants.map((a) => [h('span', { class: 'mono' }, a.creditCode), a.name, AWARD_LABEL[a.award]![lang], String(a.logIndex)]),
          { id: 'applicants' },
        )
      : h('p', { class: 'muted', id: 'applicants-none' }, tr('registerNone')),
    applicantForm(),
    h('h2', {}, tr('candidateListsSection')),
    h('p', { class: 'muted' }, tr('candidateListsIntro')),
    AWARDS.map((award) => candidateListBox(award, candidateLists.find((l) => l.award === award), applicants, onsite?.organisations ?? null, units)),
  );
}

function applicantForm() {
  const code = h('input', { id: 'applicant-code', required: true, maxlength: 40, class: 'mono', autocomplete: 'off', autocapitalize: 'characters' });
  const name = h('input', { id: 'applicant-name', required: true, maxlength: 200 });
  const award = h('select', { id: 'applicant-award' }, AWARDS.map((a) => h('option', { value: a }, AWARD_LABEL[a]![lang])));
  return h(
    'form',
    {
      class: 'form',
      id: 'register-applicant',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (!confirm(tr('registerConfirm', { name: name.value.trim() }))) return;
        void act(() => post(`/api/v1/cycles/${staff.cycleId}/applicants`, { creditCode: code.value.trim(), name: name.value.trim(), award: award.value }))(ev);
      },
    },
    h('h3', {}, tr('registerApplicant')),
    field(tr('creditCode'), code),
    field(tr('orgName'), name),
    field(tr('awardAppliedFor'), award),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, tr('registerApplicant'))),
  );
}

function candidateListBox(award: Award, fixed: CandidateList | undefined, applicants: Applicant[], onsite: { name: string }[] | null, units: string[]) {
  const head = h('h3', {}, `${AWARD_LABEL[award]![lang]}${tr('candidateListOf')}`);
  const box = h('div', { class: 'panel', id: `candidate-list-${award}` }, head);
  if (fixed) {
    box.append(
      h('p', { class: 'meta' }, tr('candidateListFixed', { index: fixed.logIndex })),
      h('ol', { class: 'organisations' }, fixed.organisations.map((o) => h('li', {}, `${o.name}（${o.creditCode}）`))),
    );
    return box;
  }
  if (!onsite) return box.appendChild(h('p', { class: 'muted' }, tr('candidateListNeedsOnsite'))), box;
  const onList = new Set(onsite.map((o) => o.name));
  const eligible = applicants.filter((a) => a.award === award && onList.has(a.name));
  if (!eligible.length) return box.appendChild(h('p', { class: 'muted' }, tr('candidateListNoneEligible'))), box;
  const orgs = h('fieldset', { class: 'tellers' }, h('legend', {}, tr('candidateListPick')), eligible.map((a) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: a.creditCode, checked: true }), ` ${a.name}（${a.creditCode}）`)));
  const reviewers = h('fieldset', { class: 'tellers' }, h('legend', {}, tr('reviewedBy')), units.map((u) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: u }), ` ${u}`)));
  const ticked = (f: HTMLElement) => [...f.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
  box.append(
    h(
      'form',
      {
        class: 'form',
        id: `fix-candidate-list-${award}`,
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          const creditCodes = ticked(orgs);
          const reviewedBy = ticked(reviewers);
          if (!creditCodes.length || !reviewedBy.length) return say('error', tr('candidateListIncomplete'));
          if (!confirm(tr('candidateListConfirm', { award: AWARD_LABEL[award]![lang], n: creditCodes.length }))) return;
          void act(() => post(`/api/v1/cycles/${staff.cycleId}/candidate-lists`, { award, creditCodes, reviewedBy }))(ev);
        },
      },
      orgs,
      reviewers,
      h('div', {}, h('button', { type: 'submit', class: 'primary' }, tr('candidateListFix'))),
    ),
  );
  return box;
}
