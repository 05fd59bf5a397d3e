// The member's tablet (/tablet): enroll with the one-time code (the Ed25519 device key is generated
// here and kept in this tablet's localStorage), sign in by challenge, check in, and vote. The meeting
// is polled; a ballot's section is redrawn when its phase changes (ballot.ts). The cast carries no
// identity.
import { Tablet, isCastingHold } from '../../../protocol/tablet.js';
import type { MsgKey } from '../../i18n.js';
import { ApiError, $, alertBox, errorText, h, isNetworkError, replace, tr, colon } from '../dom.js';
import { checkBuild, type CheckedBuild } from '../build-check.js';
import { fetchPublicBallot, renderBallot, type TabletView } from './ballot.js';
import { dropDevice, f, forgetTablet, loadDevice, loadState, saveDevice } from './state.js';
import type { MyMeetingJson } from '../../../votes/responses.js';
import { renderProcedure } from './procedure.js';
import { renderAwardFixing } from './award.js';

// The member session is kept across reloads: a reload signs in again only when the session has expired
// and no ballot whose token this tablet holds is still before the end of casting, cast or not: a sign-in
// just after a cast would date the cast to this member (src/votes/casting-hold.ts).
const SESSION_KEY = 'hzqa.tablet.session';

type MeetingInfo = MyMeetingJson;

const app = $('#app')!;
const LOG_KEY = app.dataset.logKey!;
const LOG_PREFIX = app.dataset.logPrefix ?? '/log';
/** Set where the deployment requires the supervisors' witness (LOG_WITNESS_REQUIRED): its name and key. */
const WITNESS_REQUIRED = app.dataset.witnessRequired;
const WITNESS_KEY = app.dataset.witnessKey;
/** The checkpoint rule for every log read of this tablet. */
const logOpts = () => ({ logKey: LOG_KEY, prefix: LOG_PREFIX, ...(WITNESS_KEY ? { witnessKey: WITNESS_KEY } : {}) });

// ---------------------------------------------------------------- enrollment and sign-in

function showEnroll(message?: string) {
  const input = h('input', { id: 'enroll-code', name: 'code', required: true, autocomplete: 'off', autocapitalize: 'characters', class: 'big mono', inputmode: 'text' });
  const err = h('div', { id: 'enroll-error' });
  const form = h(
    'form',
    {
      class: 'form narrow',
      id: 'enroll-form',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const button = form.querySelector('button')!;
        button.disabled = true;
        replace(err);
        try {
          const tablet = await Tablet.enroll(f, input.value.trim());
          saveDevice(tablet.device);
          await start();
        } catch (e) {
          replace(err, alertBox('error', errorText(e)));
          button.disabled = false;
        }
      },
    },
    h('label', { for: 'enroll-code' }, tr('enrollCode')),
    input,
    err,
    h('button', { type: 'submit', class: 'primary big' }, tr('enroll')),
  );
  replace(app, h('h1', {}, tr('enrollTitle')), message ? alertBox('warn', message) : null, h('p', {}, tr('enrollIntro')), form, buildLine());
}

let tablet: Tablet;
let view: TabletView;
let pollTimer: ReturnType<typeof setTimeout> | undefined;
let build: CheckedBuild | undefined;

/** Nothing else happens on a tablet that cannot tie its own software to the (witnessed) log. */
function showBuildRefused(e: unknown) {
  const reason = e instanceof Error && 'reason' in e ? tr((e as { reason: MsgKey }).reason) : e instanceof Error ? e.message : String(e);
  replace(
    app,
    h('h1', {}, tr('tabletTitle')),
    h('div', { id: 'build-refused' }, alertBox('error', h('strong', {}, tr('buildRefused')), h('br', {}), reason)),
    h('button', { class: 'big', onclick: () => void start() }, tr('retry')),
  );
}

/** The build's fingerprint, shown beside the ballot key's and compared with the meeting screen. */
function buildLine(id = 'build-line') {
  if (!build) return null;
  return h('p', { class: 'muted', id }, `${tr('buildFingerprint', { index: build.index })}${colon}`, h('code', { class: 'build-fingerprint' }, build.fingerprint));
}

function loadSession(memberId: string): string | null {
  try {
    const s = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as { memberId: string; token: string; expiresAt: string } | null;
    if (s && s.memberId === memberId && Date.parse(s.expiresAt) > Date.now() + 60_000) return s.token;
  } catch {
    /* none */
  }
  return null;
}

function saveSession(t: Tablet) {
  if (t.session && t.sessionExpiresAt) localStorage.setItem(SESSION_KEY, JSON.stringify({ memberId: t.device.memberId, token: t.session, expiresAt: t.sessionExpiresAt }));
}

/** Ballots whose token this tablet holds and which it has not yet seen past casting: no sign-in while there is one. */
function heldBallots(memberId: string): string[] {
  const prefix = `hzqa.tablet.ballot.${memberId}.`;
  const out: string[] = [];
  for (const k of Object.keys(localStorage)) {
    if (!k.startsWith(prefix)) continue;
    const s = loadState(memberId, k.slice(prefix.length));
    if (s.token && !s.castingOver) out.push(k.slice(prefix.length));
  }
  return out;
}

/** Signs in unless a ballot is held; false when it did not (the tablet then shows only those ballots). */
async function signInIfAllowed(): Promise<boolean> {
  if (heldBallots(tablet.device.memberId).length > 0) return false;
  try {
    await tablet.signIn();
  } catch (e) {
    if (isCastingHold(e)) return false;
    throw e;
  }
  saveSession(tablet);
  return true;
}

async function start() {
  if (!build) {
    try {
      if (WITNESS_REQUIRED && !WITNESS_KEY) throw new Error(tr('witnessMissing'));
      build = await checkBuild(logOpts());
    } catch (e) {
      return showBuildRefused(e);
    }
  }
  const device = loadDevice();
  if (!device) return showEnroll();
  tablet = new Tablet(f, device);
  view = { tablet, ballots: shell.ballots, log: logOpts(), buildLine };
  const stored = loadSession(device.memberId);
  if (stored) tablet.session = stored;
  else {
    replace(app, h('h1', {}, tr('tabletTitle')), h('p', { class: 'muted' }, tr('signingIn')));
    try {
      await signInIfAllowed();
    } catch (e) {
      if (isNetworkError(e)) {
        replace(app, h('h1', {}, tr('tabletTitle')), alertBox('error', tr('networkError')), h('button', { class: 'big', onclick: () => void start() }, tr('retry')));
        return;
      }
      // The device key is no longer valid (a new code was issued): enroll again.
      dropDevice();
      localStorage.removeItem(SESSION_KEY);
      return showEnroll(errorText(e));
    }
  }
  renderShell();
  await refresh();
}

// ---------------------------------------------------------------- the meeting

const shell = {
  meeting: h('section', { id: 'meeting', class: 'panel', 'aria-labelledby': 'meeting-h' }),
  procedure: h('section', { id: 'procedure', class: 'panel', 'aria-labelledby': 'procedure-h' }),
  fixing: h('section', { id: 'fixing', class: 'panel', 'aria-labelledby': 'fixing-h' }),
  ballots: h('div', { id: 'ballots' }),
};

function renderShell() {
  const d = tablet.device;
  replace(
    app,
    h(
      'div',
      { class: 'who' },
      h('h1', {}, tr('tabletTitle')),
      h('p', { id: 'member-name' }, h('strong', {}, d.name), d.isChair ? ` · ${tr('chair')}` : ''),
      h(
        'button',
        {
          class: 'link small',
          type: 'button',
          onclick: () => {
            if (confirm(tr('forgetConfirm'))) {
              forgetTablet();
              location.reload();
            }
          },
        },
        tr('forget'),
      ),
    ),
    buildLine(),
    shell.meeting,
    shell.procedure,
    shell.fixing,
    shell.ballots,
  );
}

/** The last rendered phase of each ballot: a section is redrawn only when its phase changes. */
const shown = new Map<string, string>();
let lastMeeting = '';

async function refresh() {
  clearTimeout(pollTimer);
  try {
    let m: MeetingInfo | null = null;
    if (!tablet.session) {
      tablet.session = undefined;
      if (!(await signInIfAllowed())) return await heldOnly();
    }
    try {
      m = await tablet.meeting();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) m = null;
      else if (e instanceof ApiError && e.status === 401) {
        tablet.session = undefined;
        localStorage.removeItem(SESSION_KEY);
        if (!(await signInIfAllowed())) return await heldOnly();
        m = await tablet.meeting();
      } else throw e;
    }
    renderMeeting(m);
    if (m?.status === 'open') {
      await renderProcedure(tablet, shell.procedure, m.meetingId, m.checkedInAt !== null);
      await renderAwardFixing(tablet, shell.fixing, m.meetingId, m.checkedInAt !== null);
    }
    if (m) {
      const ids = new Set(m.ballots.map((b) => b.id));
      for (const el of [...shell.ballots.children]) if (!ids.has((el as HTMLElement).dataset.ballotId ?? '')) el.remove();
      for (const b of m.ballots) {
        if (shown.get(b.id) !== b.phase || !document.getElementById(`ballot-${b.id}`)) {
          shown.set(b.id, b.phase);
          await renderBallot(view, b.id);
        }
      }
    }
  } catch (e) {
    replace(shell.meeting, alertBox('error', errorText(e)), h('button', { class: 'big', onclick: () => void refresh() }, tr('retry')));
  }
  pollTimer = setTimeout(() => void refresh(), 2500);
}

/** Without a session and holding a ballot's token before the end of its casting: only those ballots, from their public pages. */
async function heldOnly() {
  const me = tablet.device.memberId;
  const held = heldBallots(me);
  for (const id of held) {
    const { phase } = await fetchPublicBallot(me, id);
    if (!document.getElementById(`ballot-${id}`) || shown.get(id) !== `held:${phase}`) {
      shown.set(id, `held:${phase}`);
      await renderBallot(view, id);
    }
  }
  if (heldBallots(me).length === 0) shown.clear();
  pollTimer = setTimeout(() => void refresh(), 2500);
}

function renderMeeting(m: MeetingInfo | null) {
  const key = m ? `${m.meetingId}:${m.status}:${m.checkedInAt}` : 'none';
  if (key === lastMeeting) return;
  lastMeeting = key;
  if (!m) {
    replace(shell.meeting, h('h2', { id: 'meeting-h' }, tr('meeting')), h('p', {}, tr('noMeeting')));
    return;
  }
  const err = h('div');
  replace(
    shell.meeting,
    h('h2', { id: 'meeting-h' }, m.title),
    m.checkedInAt
      ? h('p', { id: 'checkin-status', class: 'ok' }, `✓ ${tr('checkedIn')}`)
      : h(
          'div',
          {},
          h('p', { id: 'checkin-status' }, tr('notCheckedIn')),
          h(
            'button',
            {
              id: 'checkin',
              class: 'primary big',
              onclick: async (ev: Event) => {
                (ev.currentTarget as HTMLButtonElement).disabled = true;
                try {
                  await tablet.checkIn(m.meetingId);
                  lastMeeting = '';
                  shown.clear();
                  await refresh();
                } catch (e) {
                  (ev.target as HTMLButtonElement).disabled = false;
                  replace(err, alertBox('error', errorText(e)));
                }
              },
            },
            tr('checkIn'),
          ),
          err,
        ),
  );
}

void start();
