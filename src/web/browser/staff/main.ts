// The staff console (/staff): cycle, members and enrollment codes, the register of applicants and the
// 候选组织建议名单, the meeting (check-ins, quorum,
// each vote's phases), candidates and ballots, results, notices (draft, preview, publish), objections
// (due dates, overdue, handling, result notice). Everything through the API with the staff token.
// One file per tab; this one draws the console's frame and the chosen tab.
import type { MsgKey } from '../../i18n.js';
import { $, alertBox, api, errorText, h, replace, tr } from '../dom.js';
import { signIn, signOut } from '../session.js';
import { act, chooseCycle, flash, onRedraw, panel, post, staff } from './context.js';
import { drawMeeting } from './meeting.js';
import { drawMembers } from './members.js';
import { drawNotices } from './notices.js';
import { drawObjections } from './objections.js';
import { drawAccounts } from './accounts.js';
import { firstAccount, setupKeyInLink } from './setup.js';
import { drawRegistered } from './registered.js';
import { drawCalendar } from './calendar.js';
import { drawRegister } from './register.js';
import { drawArchive } from './archive.js';
import { drawReminders, reminders } from './reminders.js';
import { drawAward } from './award.js';
import type { CycleListJson } from '../../../cycles/responses.js';

const app = $('#app')!;

type Tab = 'members' | 'register' | 'meeting' | 'notices' | 'objections' | 'award' | 'registered' | 'archive' | 'calendar' | 'accounts';
const TABS: { id: Tab; label: MsgKey; draw: () => Promise<void> }[] = [
  { id: 'members', label: 'members', draw: drawMembers },
  { id: 'register', label: 'registerSection', draw: drawRegister },
  { id: 'meeting', label: 'meetingSection', draw: drawMeeting },
  { id: 'notices', label: 'noticesSection', draw: drawNotices },
  { id: 'objections', label: 'objectionsSection', draw: drawObjections },
  { id: 'award', label: 'awardSection', draw: drawAward },
  { id: 'registered', label: 'registeredSection', draw: drawRegistered },
  { id: 'archive', label: 'archiveSection', draw: drawArchive },
  { id: 'calendar', label: 'calendarSection', draw: drawCalendar },
  { id: 'accounts', label: 'accountsSection', draw: drawAccounts },
];
/** Tabs that need no cycle. */
const WITHOUT_CYCLE: ReadonlySet<Tab> = new Set(['accounts', 'calendar']);
let tab: Tab = (sessionStorage.getItem('hzqa.staff.tab') as Tab | null) ?? 'meeting';

async function main() {
  // The setup link opened in a tab already on /staff changes only the fragment: start again with it.
  addEventListener('hashchange', () => setupKeyInLink() && location.reload());
  const setupKey = setupKeyInLink();
  staff.token = setupKey ? await firstAccount(app, setupKey) : await signIn(app, tr('staffTitle'));
  onRedraw(draw);
  await draw();
}

function showTab(next: Tab) {
  // What the last tab reported (a refusal, a result) is not about the next one.
  replace(flash);
  tab = next;
  sessionStorage.setItem('hzqa.staff.tab', tab);
  void draw();
}

// The panel is marked busy from the moment a tab (or a redraw) starts until the last one started has drawn:
// what was typed into the old panel meanwhile is lost when it is replaced, so a reader (and a test) waits.
let drawing = 0;
async function draw() {
  const mine = ++drawing;
  panel.setAttribute('aria-busy', 'true');
  try {
    await drawTab();
  } finally {
    if (mine === drawing) panel.removeAttribute('aria-busy');
  }
}

async function drawTab() {
  const cycles = (await api<CycleListJson>('/api/v1/cycles')).cycles;
  if (!cycles.some((c) => c.id === staff.cycleId)) staff.cycleId = cycles[0]?.id ?? '';
  staff.cycleName = cycles.find((c) => c.id === staff.cycleId)?.name ?? '';
  const select = h(
    'select',
    {
      id: 'cycle-select',
      onchange: () => {
        replace(flash);
        chooseCycle(select.value);
        void draw();
      },
    },
    cycles.map((c) => h('option', { value: c.id, selected: c.id === staff.cycleId }, `${c.name}（${c.id}）`)),
  );
  // The pattern is compiled with the v flag, where a bare '-' in a class is a syntax error (and the browser
  // then drops the check): escaped. The title is what the browser says when the check fails.
  const newId = h('input', { name: 'id', required: true, pattern: '[a-z0-9\\-]{1,40}', maxlength: 40, size: 8, title: tr('cycleIdHint'), placeholder: '2026' });
  const newName = h('input', { name: 'name', required: true, maxlength: 200 });
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
            chooseCycle(newId.value.trim());
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
            onclick: () => showTab(x.id),
          },
          tr(x.label),
        ),
      ),
    ),
    reminders,
    flash,
    panel,
  );
  void drawReminders(() => showTab('objections')).catch(() => replace(reminders));
  if (!staff.cycleId && !WITHOUT_CYCLE.has(tab)) {
    replace(panel, h('p', {}, tr(cycles.length ? 'chooseCycle' : 'noCycleYet')));
    return;
  }
  replace(panel, h('p', { class: 'muted' }, tr('loading')));
  try {
    await (TABS.find((x) => x.id === tab) ?? TABS[3]!).draw();
  } catch (e) {
    replace(panel, alertBox('error', errorText(e)));
  }
}

main().catch((e) => replace(app, alertBox('error', errorText(e))));
