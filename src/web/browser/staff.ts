// The staff console (/staff): cycle, members and enrollment codes, the meeting (check-ins, quorum,
// each vote's phases), candidates and ballots, results, notices (draft, preview, publish), objections
// (due dates, overdue, handling, result notice). Everything through the API with the staff token.
import { AWARD_LABEL, type MsgKey } from '../i18n.js';
import { NOTICE_TYPE_NAMES, NOTICE_TYPES } from '../../notices/model.js';
import { $, alertBox, api, beijing, errorText, field, h, lang, replace, table, tr, type Kid } from './dom.js';
import { signIn, signOut } from './session.js';
import { manifestFingerprint } from '../../assets/manifest.js';

/** The logged asset manifest this page declares (its index and fingerprint), for the meeting screen. */
const BUILD = (() => {
  const m = document.querySelector<HTMLMetaElement>('meta[name="asset-manifest"]');
  const hash = m?.dataset.hash;
  return m && hash && /^[0-9a-f]{64}$/.test(hash) ? { index: m.content, fingerprint: manifestFingerprint(hash) } : null;
})();

const app = $('#app')!;
let token = '';
let cycleId = localStorage.getItem('hzqa.staff.cycle') ?? '';

const call = <T>(path: string, init: RequestInit & { json?: unknown } = {}) => api<T>(path, { ...init, token });
const post = <T>(path: string, json?: unknown) => call<T>(path, { method: 'POST', ...(json !== undefined ? { json } : {}) });

const NEXT: Record<string, Record<string, string>> = {
  secret: { prepared: 'issuing', issuing: 'casting', casting: 'closed', closed: 'tallied' },
  'show-of-hands': { prepared: 'voting', voting: 'tallied' },
};

type Tab = 'members' | 'meeting' | 'notices' | 'objections';
const TABS: { id: Tab; label: MsgKey }[] = [
  { id: 'members', label: 'members' },
  { id: 'meeting', label: 'meetingSection' },
  { id: 'notices', label: 'noticesSection' },
  { id: 'objections', label: 'objectionsSection' },
];
let tab: Tab = (sessionStorage.getItem('hzqa.staff.tab') as Tab | null) ?? 'meeting';

const panel = h('section', { id: 'staff-panel', class: 'panel', 'aria-live': 'polite' });
const flash = h('div', { id: 'flash' });

function say(kind: 'ok' | 'error', ...kids: Kid[]) {
  replace(flash, alertBox(kind, ...kids));
}

/** Runs an action, reports its error, redraws the tab. */
function act(fn: () => Promise<unknown>, done?: (r: unknown) => void) {
  return async (ev?: Event) => {
    ev?.preventDefault();
    const target = ev?.currentTarget as HTMLButtonElement | HTMLFormElement | undefined;
    const button = target instanceof HTMLFormElement ? target.querySelector('button[type="submit"]') : target;
    if (button instanceof HTMLButtonElement) button.disabled = true;
    try {
      const r = await fn();
      replace(flash);
      if (done) done(r);
      else await draw();
    } catch (e) {
      say('error', errorText(e));
      if (button instanceof HTMLButtonElement) button.disabled = false;
    }
  };
}

async function main() {
  token = await signIn(app, tr('staffTitle'));
  await draw();
}

async function draw() {
  const cycles = (await api<{ cycles: { id: string; name: string }[] }>('/api/v1/cycles')).cycles;
  if (!cycles.some((c) => c.id === cycleId)) cycleId = cycles[0]?.id ?? '';
  const select = h(
    'select',
    {
      id: 'cycle-select',
      onchange: () => {
        cycleId = select.value;
        localStorage.setItem('hzqa.staff.cycle', cycleId);
        void draw();
      },
    },
    cycles.map((c) => h('option', { value: c.id, selected: c.id === cycleId }, `${c.name} (${c.id})`)),
  );
  const newId = h('input', { name: 'id', required: true, pattern: '[a-z0-9-]{1,40}', size: 8 });
  const newName = h('input', { name: 'name', required: true });
  replace(
    app,
    h('div', { class: 'toolbar' }, h('h1', {}, tr('staffTitle')), h('button', { type: 'button', class: 'link', onclick: signOut }, tr('signOut'))),
    h(
      'div',
      { class: 'toolbar' },
      cycles.length ? h('label', { class: 'inline-form' }, tr('cycle'), ' ', select) : null,
      h(
        'form',
        {
          class: 'inline-form',
          onsubmit: act(async () => {
            await post('/api/v1/cycles', { id: newId.value.trim(), name: newName.value.trim() });
            cycleId = newId.value.trim();
            localStorage.setItem('hzqa.staff.cycle', cycleId);
          }),
        },
        h('label', {}, tr('cycleId'), newId),
        h('label', {}, tr('cycleName'), newName),
        h('button', { type: 'submit' }, tr('createCycle')),
      ),
    ),
    h(
      'div',
      { class: 'tabs', role: 'group', 'aria-label': tr('staffTitle') },
      TABS.map((x) =>
        h(
          'button',
          {
            type: 'button',
            id: `tab-${x.id}`,
            'aria-pressed': String(x.id === tab),
            onclick: () => {
              tab = x.id;
              sessionStorage.setItem('hzqa.staff.tab', tab);
              void draw();
            },
          },
          tr(x.label),
        ),
      ),
    ),
    flash,
    panel,
  );
  if (!cycleId) {
    replace(panel, h('p', {}, tr('chooseCycle')));
    return;
  }
  replace(panel, h('p', { class: 'muted' }, tr('loading')));
  try {
    if (tab === 'members') await drawMembers();
    else if (tab === 'meeting') await drawMeeting();
    else if (tab === 'notices') await drawNotices();
    else await drawObjections();
  } catch (e) {
    replace(panel, alertBox('error', errorText(e)));
  }
}

// ---------------------------------------------------------------- members

async function drawMembers() {
  const { members } = await call<{ members: { id: string; name: string; unit: string; isChair: boolean; enrolled: boolean }[] }>(`/api/v1/cycles/${cycleId}/members`);
  const codeBox = h('div', { id: 'code-box' });
  const showCode = (name: string, r: unknown) => {
    const e = r as { enrollmentCode: string; expiresAt: string };
    replace(codeBox, alertBox('ok', tr('codeShown', { name }), ' ', h('strong', { class: 'mono code-shown', id: 'enrollment-code' }, e.enrollmentCode), ` · ${tr('expires')} ${beijing(e.expiresAt)}`));
  };
  const name = h('input', { required: true });
  const unit = h('input', { required: true });
  const chair = h('input', { type: 'checkbox' });
  replace(
    panel,
    h('h2', {}, tr('members')),
    codeBox,
    table(
      [tr('name'), tr('unit'), tr('isChair'), tr('enrolled'), ''],
      members.map((m) => [
        m.name,
        m.unit,
        m.isChair ? tr('yes') : '',
        m.enrolled ? `✓ ${tr('yes')}` : tr('no'),
        h('button', { type: 'button', class: 'small', onclick: act(() => post(`/api/v1/members/${m.id}/enrollment`), (r) => showCode(m.name, r)) }, tr('newCode')),
      ]),
      { id: 'roster' },
    ),
    h(
      'form',
      {
        class: 'inline-form',
        id: 'add-member',
        onsubmit: act(
          () => post(`/api/v1/cycles/${cycleId}/members`, { name: name.value.trim(), unit: unit.value.trim(), isChair: chair.checked }),
          async (r) => {
            const who = name.value;
            await drawMembers();
            showCode(who, r);
          },
        ),
      },
      h('label', {}, tr('name'), name),
      h('label', {}, tr('unit'), unit),
      h('label', {}, tr('isChair'), chair),
      h('button', { type: 'submit', class: 'primary' }, tr('addMember')),
    ),
  );
}

// ---------------------------------------------------------------- meeting, ballots, results

interface Ballot {
  id: string;
  award: string;
  kind: string;
  title: string;
  phase: string;
  seats: number;
  meetingId: string;
  present: number | null;
  membersTotal: number | null;
  keyFingerprint?: string | null;
  candidates: { id: string; name: string }[];
  result: null | {
    present: number;
    winners: string[];
    vacancies: number;
    runoff: null | { candidates: string[]; seats: number };
    candidates: { candidateId: string; for: number; against: number; abstain: number; passed: boolean }[];
  };
}

const meetingKey = () => `hzqa.staff.meeting.${cycleId}`;

async function drawMeeting() {
  const list = await api<{ ballots: { id: string; meetingId: string }[] }>(`/api/v1/cycles/${cycleId}/ballots`);
  const ballots = await Promise.all(list.ballots.map((b) => api<Ballot>(`/api/v1/ballots/${b.id}`)));
  let meetingId = localStorage.getItem(meetingKey()) ?? ballots.at(-1)?.meetingId ?? '';
  const parts: Kid[] = [h('h2', {}, tr('meetingSection'))];
  let meeting: null | {
    id: string;
    title: string;
    status: string;
    membersTotal: number;
    checkedIn: number;
    quorum: { needed: number; met: boolean };
    roster: { name: string; unit: string; isChair: boolean; checkedInAt: string | null }[];
  } = null;
  if (meetingId) {
    try {
      meeting = await call(`/api/v1/meetings/${meetingId}`);
    } catch {
      meeting = null;
    }
  }
  if (!meeting || meeting.status !== 'open') {
    const title = h('input', { required: true, value: `${cycleId} 年度评审组全体会议` });
    parts.push(
      h(
        'form',
        {
          class: 'inline-form',
          id: 'open-meeting',
          onsubmit: act(async () => {
            try {
              const m = await post<{ id: string }>(`/api/v1/cycles/${cycleId}/meetings`, { title: title.value.trim() });
              localStorage.setItem(meetingKey(), m.id);
            } catch (e) {
              // An open meeting already exists: its id is in the refusal.
              const id = /mt_[A-Za-z0-9_-]{12}/.exec(errorText(e))?.[0];
              if (!id) throw e;
              localStorage.setItem(meetingKey(), id);
            }
          }),
        },
        h('label', {}, tr('meetingTitle'), title),
        h('button', { type: 'submit', class: 'primary' }, tr('openMeeting')),
      ),
    );
  }
  if (meeting) {
    const m = meeting;
    parts.push(
      h('h3', {}, m.title, ' ', h('span', { class: 'badge badge-info' }, tr(`mt_${m.status}` as MsgKey))),
      h(
        'p',
        { id: 'quorum' },
        `${tr('quorum')}: ${tr('quorumStatus', { n: m.checkedIn, total: m.membersTotal, needed: m.quorum.needed })} — `,
        h('strong', { class: m.quorum.met ? 'ok-text' : 'bad-text' }, m.quorum.met ? tr('quorumMet') : tr('quorumNotMet')),
      ),
      table(
        [tr('name'), tr('unit'), tr('checkins')],
        m.roster.map((r) => [r.name + (r.isChair ? ` (${tr('chair')})` : ''), r.unit, r.checkedInAt ? `✓ ${beijing(r.checkedInAt)}` : tr('notCheckedIn')]),
      ),
      m.status === 'open' ? h('button', { type: 'button', onclick: act(() => post(`/api/v1/meetings/${m.id}/close`)) }, tr('closeMeeting')) : null,
    );
    meetingId = m.id;
  }
  parts.push(h('h2', {}, tr('ballotsSection')));
  for (const b of ballots) parts.push(ballotCard(b));
  if (meeting?.status === 'open') parts.push(prepareForm(meetingId));
  replace(panel, ...parts);
}

function ballotCard(b: Ballot) {
  const next = NEXT[b.kind]?.[b.phase];
  const name = (id: string) => b.candidates.find((c) => c.id === id)?.name ?? id;
  return h(
    'div',
    { class: 'panel', id: `staff-ballot-${b.id}`, 'data-phase': b.phase },
    h('h3', {}, b.title || AWARD_LABEL[b.award]?.[lang]),
    h(
      'p',
      { class: 'meta' },
      `${AWARD_LABEL[b.award]?.[lang]} · ${b.kind === 'secret' ? tr('secretBallot') : tr('showOfHands')} · ${tr('seats')} ${b.seats} · ${tr('phase')}: `,
      h('strong', {}, tr(`ph_${b.phase}` as MsgKey)),
      b.present !== null ? ` · ${tr('present')} ${b.present}/${b.membersTotal}` : '',
    ),
    // Shown on the meeting screen so members compare it with the fingerprint on their tablets.
    b.keyFingerprint ? h('p', { class: 'meta' }, `${tr('keyFingerprint')}: `, h('code', {}, b.keyFingerprint)) : null,
    // And the fingerprint of the logged build this server declares: a tablet handed another build shows another.
    b.keyFingerprint && BUILD ? h('p', { class: 'meta', id: `staff-build-${b.id}` }, `${tr('buildFingerprint', { index: BUILD.index })}: `, h('code', {}, BUILD.fingerprint)) : null,
    b.result
      ? [
          table(
            [tr('candidate'), tr('for'), tr('against'), tr('abstain'), tr('passed')],
            b.result.candidates.map((c) => [name(c.candidateId), String(c.for), String(c.against), String(c.abstain), c.passed ? '✓' : '']),
          ),
          h('p', {}, `${tr('winners')}: `, h('strong', {}, b.result.winners.map(name).join('、') || tr('none')), b.result.vacancies ? ` · ${tr('vacancies')} ${b.result.vacancies}` : ''),
          b.result.runoff
            ? alertBox('warn', tr('runoffNeeded'), ': ', b.result.runoff.candidates.map(name).join('、'), ' ', h('button', { type: 'button', onclick: act(() => post(`/api/v1/ballots/${b.id}/runoff`)) }, tr('prepareRunoff')))
            : null,
        ]
      : null,
    next
      ? h('button', { type: 'button', class: 'primary', 'data-next': next, onclick: act(() => post(`/api/v1/ballots/${b.id}/phase`, { to: next })) }, tr('moveTo', { phase: tr(`ph_${next}` as MsgKey) }))
      : null,
  );
}

function prepareForm(meetingId: string) {
  const award = h('select', {}, ['quality', 'innovation', 'excellence'].map((a) => h('option', { value: a }, AWARD_LABEL[a]![lang])));
  const title = h('input', {});
  const seats = h('input', { type: 'number', min: 1, max: 25, value: 1, required: true });
  const cands = h('textarea', { rows: 4, required: true });
  return h(
    'form',
    {
      class: 'form',
      id: 'prepare-ballot',
      onsubmit: act(() =>
        post(`/api/v1/cycles/${cycleId}/ballots`, {
          meetingId,
          award: award.value,
          ...(title.value.trim() ? { title: title.value.trim() } : {}),
          seats: Number(seats.value),
          candidates: cands.value
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean)
            .map((name) => ({ name })),
        }),
      ),
    },
    h('h3', {}, tr('prepareBallot')),
    field(tr('award'), award),
    field(tr('ballotTitle'), title),
    field(tr('seats'), seats),
    field(tr('candidates'), cands),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, tr('prepareBallot'))),
  );
}

// ---------------------------------------------------------------- notices

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


async function drawNotices() {
  const drafts = (await call<{ notices: Notice[] }>(`/api/v1/notices?cycleId=${cycleId}&state=draft`)).notices;
  const published = (await call<{ notices: Notice[] }>(`/api/v1/notices?cycleId=${cycleId}`)).notices.filter((n) => n.status === 'published');
  const tallied = (await api<{ ballots: { id: string; title: string; award: string; phase: string }[] }>(`/api/v1/cycles/${cycleId}/ballots`)).ballots.filter((b) => b.phase === 'tallied');
  const type = h('select', {}, NOTICE_TYPES.map((x) => h('option', { value: x }, NOTICE_TYPE_NAMES[x][lang])));
  const title = h('input', { required: true });
  const body = h('textarea', { rows: 5, required: true });
  const orgs = h('textarea', { rows: 4 });
  const corrects = h('select', {}, h('option', { value: '' }, tr('none')), published.map((n) => h('option', { value: n.id }, n.title)));
  const basis = h('select', {}, ['六(三)', '六(五)'].map((b) => h('option', { value: b }, b)));
  const revAward = h('select', {}, ['quality', 'innovation', 'excellence'].map((a) => h('option', { value: a }, AWARD_LABEL[a]![lang])));
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
              const [name, code] = l.split(/[,,]\s*/);
              return code ? { name: name!, code } : { name: name! };
            });
          return post('/api/v1/notices', {
            cycleId,
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
  const preview = h('div', { class: 'preview', hidden: true, id: `preview-${n.id}` }, h('p', { class: 'kicker' }, n.typeName[lang]), h('h3', {}, n.title), n.body.split(/\n+/).map((p) => h('p', {}, p)), n.organisations.length ? h('ol', {}, n.organisations.map((o) => h('li', {}, o.name))) : null);
  return h(
    'div',
    { class: 'panel', id: `draft-${n.id}` },
    h('h3', {}, n.title, ' ', h('span', { class: 'badge badge-closed' }, tr('draft'))),
    h('p', { class: 'meta' }, n.typeName[lang]),
    h(
      'div',
      { class: 'row-actions' },
      h('button', { type: 'button', onclick: () => (preview.hidden = !preview.hidden) }, tr('preview')),
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

// ---------------------------------------------------------------- objections

interface Objection {
  id: string;
  trackingNo: string;
  noticeId: string;
  organisation: string;
  receivedDate: string;
  dueDate: string;
  dueEndsAt: string;
  workingDaysLeft: number | null;
  overdue: boolean;
  status: string;
  decision: string | null;
  resultNoticeId: string | null;
}

async function drawObjections() {
  const { objections } = await call<{ objections: Objection[] }>(`/api/v1/objections?cycleId=${cycleId}`);
  const detail = h('div', { id: 'objection-detail' });
  replace(
    panel,
    h('h2', {}, tr('objectionsSection')),
    objections.length
      ? table(
          [tr('trackingNo'), tr('objectTo'), tr('receivedDate'), tr('dueDate'), tr('workingDaysLeft'), tr('status'), tr('decision'), ''],
          objections.map((o) => [
            h('span', { class: 'mono' }, o.trackingNo),
            o.organisation,
            o.receivedDate,
            h('span', { class: o.overdue ? 'bad-text' : '' }, o.dueDate, o.overdue ? ` ${tr('overdue')}` : ''),
            o.workingDaysLeft === null ? '' : String(o.workingDaysLeft),
            tr(`st_${o.status}` as MsgKey),
            o.decision ? tr(`dec_${o.decision}` as MsgKey) : '',
            h('button', { type: 'button', class: 'small', id: `open-${o.trackingNo}`, onclick: () => void drawObjection(detail, o.id) }, tr('details')),
          ]),
          { id: 'objections' },
        )
      : h('p', { class: 'muted' }, tr('noObjections')),
    detail,
  );
}

async function drawObjection(box: HTMLElement, id: string) {
  const o = await call<
    Objection & {
      name: string;
      contact: string;
      facts: string;
      reasons: string;
      findings: string | null;
      decisionSummary: string | null;
      assignedUnits: string[];
      files: { position: number; name: string; size: number; sha256: string }[];
      events: { at: string; actor: string; action: string }[];
    }
  >(`/api/v1/objections/${id}`);
  const redraw = () => void drawObjection(box, id);
  const units = h('input', { value: o.assignedUnits.join(', ') });
  const findings = h('textarea', { rows: 3 }, o.findings ?? '');
  const decision = h('select', {}, ['upheld', 'partly-upheld', 'rejected'].map((d) => h('option', { value: d, selected: o.decision === d }, tr(`dec_${d}` as MsgKey))));
  const summary = h('textarea', { rows: 3 }, o.decisionSummary ?? '');
  const row = (k: MsgKey, v: Kid) => [h('dt', {}, tr(k)), h('dd', {}, v)];
  replace(
    box,
    h(
      'div',
      { class: 'panel', id: `objection-${o.trackingNo}` },
      h('h3', {}, `${tr('trackingNo')} ${o.trackingNo}`),
      h(
        'dl',
        { class: 'facts' },
        row('objector', `${o.name} · ${o.contact}`),
        row('objectTo', o.organisation),
        row('facts', o.facts),
        row('reasons', o.reasons),
        row('files', o.files.map((f) => `${f.name} (${f.size} B)`).join('、') || tr('none')),
        row('dueEndsAt', beijing(o.dueEndsAt) + (o.overdue ? ` — ${tr('overdue')}` : '')),
        row('status', tr(`st_${o.status}` as MsgKey)),
      ),
      o.status !== 'published'
        ? [
            h('form', { class: 'inline-form', onsubmit: act(() => post(`/api/v1/objections/${id}/assignment`, { units: units.value.split(/[,,、]\s*/).map((s) => s.trim()).filter(Boolean) }), redraw) }, h('label', {}, tr('assignUnits'), units), h('button', { type: 'submit' }, tr('assign'))),
            h('form', { class: 'form', onsubmit: act(() => post(`/api/v1/objections/${id}/findings`, { findings: findings.value }), redraw) }, field(tr('findings'), findings), h('div', {}, h('button', { type: 'submit' }, tr('saveFindings')))),
            h(
              'form',
              { class: 'form', id: 'decide-form', onsubmit: act(() => post(`/api/v1/objections/${id}/decision`, { decision: decision.value, summary: summary.value }), redraw) },
              field(tr('decision'), decision),
              field(tr('decisionSummary'), summary),
              h('div', {}, h('button', { type: 'submit' }, tr('decide'))),
            ),
          ]
        : null,
      o.status === 'decided' && !o.resultNoticeId
        ? h(
            'button',
            {
              type: 'button',
              class: 'primary',
              id: 'publish-result',
              onclick: act(
                async () => {
                  const n = await post<{ id: string }>('/api/v1/notices', {
                    cycleId,
                    type: 'objection-result',
                    title: `关于对“${o.organisation}”异议的核查结果公告`,
                    body: `根据《杭州市政府质量奖管理办法》三(三)7,现将对受理编号 ${o.trackingNo} 异议的核查结果予以公布。`,
                    objectionIds: [id],
                  });
                  return post<{ id: string }>(`/api/v1/notices/${n.id}/publish`);
                },
                (r) => {
                  const n = r as { id: string };
                  say('ok', tr('resultNotice'), ': ', h('a', { href: `/notices/${n.id}`, id: 'result-notice-link' }, n.id));
                  redraw();
                },
              ),
            },
            tr('publishResult'),
          )
        : null,
      o.resultNoticeId ? h('p', {}, `${tr('resultNotice')}: `, h('a', { href: `/notices/${o.resultNoticeId}` }, o.resultNoticeId)) : null,
      h('h4', {}, tr('details')),
      h('ul', {}, o.events.map((e) => h('li', {}, `${beijing(e.at)} ${e.actor} ${e.action}`))),
    ),
  );
}

main().catch((e) => replace(app, alertBox('error', errorText(e))));
