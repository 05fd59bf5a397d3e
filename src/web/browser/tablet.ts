// The member's tablet (/tablet): enroll with the one-time code (the Ed25519 device key is generated
// here and kept in this tablet's localStorage), sign in by challenge, check in, and vote.
// Secret ballot: the token is blinded and unblinded here (src/protocol/tablet.ts), against the ballot key
// taken from the public log entry checked in this browser; the pending blinded value is saved before
// it is sent so that a retry after a dropped Wi-Fi sends the same values; the cast carries no identity;
// after the bulletin the receipt is looked up in it.
import { Tablet, ballotCounted, ballotKeysOf, call, castDelay, isCastingHold, type BallotKeys, type DeviceState, type Fetch } from '../../protocol/tablet.js';
import type { CastReceipt } from '../../votes/receipts.js';
import { blind, newToken, tokenMessage } from '../../../crypto/blind.js';
import { toHex } from '../../../crypto/bytes.js';
import { keyFingerprint } from '../../votes/messages.js';
import type { Choice, Choices } from '../../votes/rules.js';
import { AWARD_LABEL, type MsgKey } from '../i18n.js';
import { ApiError, $, alertBox, errorText, h, isNetworkError, lang, replace, tr } from './dom.js';
import { verifyEntry } from './logverify.js';
import { checkBuild, type CheckedBuild } from './build-check.js';

const DEVICE_KEY = 'hzqa.tablet.device';
// The member session is kept across reloads: a reload signs in again only when the session has expired
// and no token of this tablet is still uncast (src/votes/casting-hold.ts).
const SESSION_KEY = 'hzqa.tablet.session';
const app = $('#app')!;
const LOG_KEY = app.dataset.logKey!;
const LOG_PREFIX = app.dataset.logPrefix ?? '/log';
const f: Fetch = (path, init) => fetch(path, init);
/** Set where the deployment requires the supervisors' witness (LOG_WITNESS_REQUIRED): its name and key. */
const WITNESS_REQUIRED = app.dataset.witnessRequired;
const WITNESS_KEY = app.dataset.witnessKey;
/** The checkpoint rule for every log read of this tablet. */
const logOpts = () => ({ logKey: LOG_KEY, prefix: LOG_PREFIX, ...(WITNESS_KEY ? { witnessKey: WITNESS_KEY } : {}) });

interface Candidate {
  id: string;
  name: string;
}
interface BallotInfo {
  id: string;
  award: string;
  kind: 'secret' | 'show-of-hands';
  title: string;
  seats: number;
  phase: string;
  candidates: Candidate[];
  keyLogIndex: number | null;
  publicKey?: string | null;
  result: null | { winners: string[]; vacancies: number; runoff: null | { candidates: string[] }; candidates: { candidateId: string; for: number; against: number; abstain: number; passed: boolean }[] };
}
interface MeetingInfo {
  meetingId: string;
  title: string;
  status: string;
  checkedInAt: string | null;
  ballots: { id: string; award: string; kind: string; title: string; phase: string; seats: number }[];
}

/** What this tablet keeps for one ballot (localStorage): enough to retry any step with the same values. */
interface BallotState {
  pending?: { token: string; blinded: string; r: string };
  token?: { token: string; signature: string };
  choices?: Choices;
  receipt?: string;
  /** The signed cast receipt, kept until the member dismisses it (it holds a hash of the choices, not the choices). */
  castReceipt?: CastReceipt;
  /** The ballot's keys as this tablet took them from the public log. */
  keys?: BallotKeys;
  cast?: boolean;
  /** Set once the bulletin showed this ballot as cast; the choices are then forgotten. */
  counted?: boolean;
  /** Fingerprint of the ballot key this tablet took from the public log (compared aloud in the room). */
  keyFingerprint?: string;
  hands?: boolean;
}

const loadDevice = (): DeviceState | null => {
  try {
    return JSON.parse(localStorage.getItem(DEVICE_KEY) ?? 'null') as DeviceState | null;
  } catch {
    return null;
  }
};
const stateKey = (memberId: string, ballotId: string) => `hzqa.tablet.ballot.${memberId}.${ballotId}`;
function loadState(memberId: string, ballotId: string): BallotState {
  try {
    return JSON.parse(localStorage.getItem(stateKey(memberId, ballotId)) ?? '{}') as BallotState;
  } catch {
    return {};
  }
}
function saveState(memberId: string, ballotId: string, s: BallotState) {
  localStorage.setItem(stateKey(memberId, ballotId), JSON.stringify(s));
}

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
          localStorage.setItem(DEVICE_KEY, JSON.stringify(tablet.device));
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
  return h('p', { class: 'muted', id }, `${tr('buildFingerprint', { index: build.index })}: `, h('code', { class: 'build-fingerprint' }, build.fingerprint));
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

/** Ballots for which this tablet holds a token it has not cast: no sign-in while there is one. */
function uncastBallots(memberId: string): string[] {
  const prefix = `hzqa.tablet.ballot.${memberId}.`;
  const out: string[] = [];
  for (const k of Object.keys(localStorage)) {
    if (!k.startsWith(prefix)) continue;
    const s = loadState(memberId, k.slice(prefix.length));
    if (s.token && !s.cast) out.push(k.slice(prefix.length));
  }
  return out;
}

/** Signs in unless a token is uncast; false when it did not (the tablet then shows only those ballots). */
async function signInIfAllowed(): Promise<boolean> {
  if (uncastBallots(tablet.device.memberId).length > 0) return false;
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
      localStorage.removeItem(DEVICE_KEY);
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
              localStorage.removeItem(DEVICE_KEY);
              for (const k of Object.keys(localStorage)) if (k.startsWith('hzqa.tablet.ballot.')) localStorage.removeItem(k);
              location.reload();
            }
          },
        },
        tr('forget'),
      ),
    ),
    buildLine(),
    shell.meeting,
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
      m = (await tablet.meeting()) as unknown as MeetingInfo;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) m = null;
      else if (e instanceof ApiError && e.status === 401) {
        tablet.session = undefined;
        localStorage.removeItem(SESSION_KEY);
        if (!(await signInIfAllowed())) return await heldOnly();
        m = (await tablet.meeting()) as unknown as MeetingInfo;
      } else throw e;
    }
    renderMeeting(m);
    if (m) {
      const ids = new Set(m.ballots.map((b) => b.id));
      for (const el of [...shell.ballots.children]) if (!ids.has((el as HTMLElement).dataset.ballotId ?? '')) el.remove();
      for (const b of m.ballots) {
        if (shown.get(b.id) !== b.phase || !document.getElementById(`ballot-${b.id}`)) {
          shown.set(b.id, b.phase);
          await renderBallot(b.id);
        }
      }
    }
  } catch (e) {
    replace(shell.meeting, alertBox('error', errorText(e)), h('button', { class: 'big', onclick: () => void refresh() }, tr('retry')));
  }
  pollTimer = setTimeout(() => void refresh(), 2500);
}

/** Without a session and holding an uncast token: only those ballots, from their public pages. */
async function heldOnly() {
  const held = uncastBallots(tablet.device.memberId);
  for (const id of held) {
    if (!document.getElementById(`ballot-${id}`) || shown.get(id) !== 'held') {
      shown.set(id, 'held');
      await renderBallot(id);
    }
  }
  if (held.length === 0) shown.clear();
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

// ---------------------------------------------------------------- a ballot

async function renderBallot(ballotId: string) {
  let section = document.getElementById(`ballot-${ballotId}`);
  if (!section) {
    section = h('section', { id: `ballot-${ballotId}`, class: 'panel ballot', 'data-ballot-id': ballotId, 'aria-labelledby': `bh-${ballotId}` });
    shell.ballots.appendChild(section);
  }
  const info = await fetchBallot(ballotId);
  section.dataset.phase = info.phase;
  const head = [
    h('h2', { id: `bh-${ballotId}` }, info.title || AWARD_LABEL[info.award]?.[lang] || info.award),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `badge ${info.kind === 'secret' ? 'badge-secret' : 'badge-info'}` }, info.kind === 'secret' ? tr('secretBallot') : tr('showOfHands')),
      ` ${AWARD_LABEL[info.award]?.[lang] ?? info.award} · ${tr('seats')} ${info.seats} · ${tr('phase')}: `,
      h('strong', { class: 'phase' }, tr(`ph_${info.phase}` as MsgKey)),
    ),
  ];
  const body = h('div', { class: 'ballot-body' });
  replace(section, ...head, body, chairControls(info));
  if (info.kind === 'secret') await secretBody(body, info);
  else handsBody(body, info);
}

const NEXT: Record<string, Record<string, string>> = {
  secret: { prepared: 'issuing', issuing: 'casting', casting: 'closed', closed: 'tallied' },
  'show-of-hands': { prepared: 'voting', voting: 'tallied' },
};

/** The chair (a member with the chair flag) opens and closes each vote from the tablet. */
function chairControls(b: BallotInfo) {
  const next = NEXT[b.kind]?.[b.phase];
  if (!tablet.device.isChair || !next) return null;
  const label = tr(`ph_${next}` as MsgKey);
  const err = h('div');
  return h(
    'div',
    { class: 'chair-controls' },
    h('h3', {}, tr('chairControls')),
    h(
      'button',
      {
        type: 'button',
        class: 'big',
        id: `chair-next-${b.id}`,
        onclick: async () => {
          if (!confirm(tr('chairConfirm', { phase: label }))) return;
          try {
            await call(f, `/api/v1/ballots/${b.id}/phase`, { method: 'POST', json: { to: next }, token: tablet.session! });
            await renderBallot(b.id);
          } catch (e) {
            replace(err, alertBox('error', errorText(e)));
          }
        },
      },
      tr('moveTo', { phase: label }),
    ),
    err,
  );
}

async function fetchBallot(id: string): Promise<BallotInfo> {
  const r = await fetch(`/api/v1/ballots/${id}`, { credentials: 'omit' });
  if (!r.ok) throw new ApiError(r.status, await r.json());
  return (await r.json()) as BallotInfo;
}

async function secretBody(body: HTMLElement, b: BallotInfo) {
  const me = tablet.device.memberId;
  const s = loadState(me, b.id);
  switch (b.phase) {
    case 'prepared':
      body.appendChild(h('p', {}, tr('waitPhase')));
      return;
    case 'issuing':
      return issuingView(body, b);
    case 'casting': {
      if (s.cast) return showReceipt(body, s);
      if (!s.token) {
        body.appendChild(alertBox('warn', tr('noToken')));
        return;
      }
      // A cast that was sent but not answered (dropped Wi-Fi): offer the same choices again.
      if (s.choices) return confirmStep(body, b, s.choices, 'secret');
      return choiceForm(body, b, 'secret');
    }
    case 'closed':
    case 'tallied': {
      if (!s.cast) {
        body.appendChild(h('p', { class: 'muted' }, tr('notCast')));
      } else {
        showReceipt(body, s);
        const mark = h('div', { class: 'counted', id: `counted-${b.id}`, role: 'status' }, tr('verifying'));
        body.appendChild(mark);
        try {
          let ok = s.counted === true;
          if (!ok) {
            const r = await fetch(`/api/v1/ballots/${b.id}/bulletin`, { credentials: 'omit', cache: 'no-store' });
            if (!r.ok) throw new ApiError(r.status, await r.json());
            const bulletin = (await r.json()) as Parameters<typeof ballotCounted>[0];
            ok = ballotCounted(bulletin, { ballotId: b.id, token: s.token!.token, signature: s.token!.signature, choices: s.choices! });
            if (ok) {
              // Checked: this tablet need not keep how its member voted any longer.
              s.counted = true;
              delete s.choices;
              saveState(me, b.id, s);
            }
          }
          mark.dataset.counted = String(ok);
          replace(mark, ok ? alertBox('ok', h('strong', {}, `✓ ${tr('countedOk')}`)) : alertBox('error', tr('countedBad')));
        } catch (e) {
          replace(mark, alertBox('error', errorText(e)));
        }
      }
      if (b.phase === 'tallied') showResult(body, b);
      return;
    }
  }
}

function issuingView(body: HTMLElement, b: BallotInfo, error?: unknown) {
  const s = loadState(tablet.device.memberId, b.id);
  body.replaceChildren();
  if (s.token) {
    body.appendChild(alertBox('ok', tr('tokenReady')));
    if (s.keyFingerprint) {
      body.appendChild(h('p', { class: 'muted' }, `${tr('keyFingerprint')}: `, h('code', { id: `key-fingerprint-${b.id}` }, s.keyFingerprint)));
      const line = buildLine(`build-line-${b.id}`);
      if (line) body.appendChild(line);
    }
    return;
  }
  if (s.pending) body.appendChild(alertBox('warn', tr('tokenPending')));
  if (error) body.appendChild(alertBox('error', errorText(error)));
  const button = h(
    'button',
    {
      class: 'primary big',
      id: `get-token-${b.id}`,
      onclick: async () => {
        button.disabled = true;
        try {
          await obtainToken(b);
          issuingView(body, b);
        } catch (e) {
          issuingView(body, b, e);
        }
      },
    },
    s.pending ? tr('retry') : tr('getToken'),
  );
  body.appendChild(button);
}

/** Issuance: the pending blinded value is saved before it is sent; a retry sends exactly it again. */
async function obtainToken(b: BallotInfo) {
  const me = tablet.device.memberId;
  // The ballot key as the public log has it, checked here against the pinned log key.
  if (b.keyLogIndex === null) throw new Error('no key yet');
  const v = await verifyEntry({ ...logOpts(), index: b.keyLogIndex });
  const doc = v.document as ({ ballotId?: string; publicKey: string } & Parameters<typeof ballotKeysOf>[0]) | null;
  if (!doc || doc.ballotId !== b.id || !doc.publicKey || v.entry.type !== 'ballot-key') throw new Error(tr('notVerified'));
  const s = loadState(me, b.id);
  if (!s.pending) {
    const token = newToken();
    const { blinded, r } = blind(tokenMessage(b.id, token));
    s.pending = { token: toHex(token), blinded: toHex(blinded), r: toHex(r) };
    saveState(me, b.id, s);
  }
  // A co-issued ballot: the bureau's and the co-signer's shares are each checked against their logged key.
  s.keys = ballotKeysOf(doc);
  const tok = await tablet.obtainToken(b.id, s.keys, s.pending);
  s.token = tok;
  s.keyFingerprint = keyFingerprint(doc.publicKey);
  // The blinding factor is needed only until the token is unblinded: keep no more than the receipt.
  delete s.pending;
  saveState(me, b.id, s);
}

function choiceForm(body: HTMLElement, b: BallotInfo, kind: 'secret' | 'hands', initial: Choices = {}) {
  const choices: Choices = { ...initial };
  const counter = h('p', { class: 'for-count', id: `for-count-${b.id}`, 'aria-live': 'polite' });
  const full = h('p', { class: 'seats-full', id: `seats-full-${b.id}`, 'aria-live': 'polite' });
  const missing = h('p', { class: 'muted' });
  const review = h('button', { type: 'submit', class: 'primary big', id: `review-${b.id}` }, tr('review'));
  const radios: HTMLInputElement[] = [];
  const update = () => {
    const n = Object.values(choices).filter((c) => c === 'for').length;
    counter.textContent = tr('forCount', { n, seats: b.seats });
    counter.classList.toggle('at-limit', n >= b.seats);
    // Over-voting is blocked: with as many 同意 as seats, the other 同意 buttons are disabled.
    for (const r of radios) if (r.value === 'for') r.disabled = n >= b.seats && !r.checked;
    full.textContent = n >= b.seats ? tr('seatsFull') : '';
    const all = b.candidates.every((c) => choices[c.id]);
    review.disabled = !all;
    missing.textContent = all ? '' : tr('chooseAll');
  };
  const OPTIONS: Choice[] = ['for', 'against', 'abstain'];
  const form = h(
    'form',
    {
      class: 'vote-form',
      id: `vote-form-${b.id}`,
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (!b.candidates.every((c) => choices[c.id])) return;
        if (Object.values(choices).filter((c) => c === 'for').length > b.seats) return;
        body.replaceChildren();
        confirmStep(body, b, choices, kind);
      },
    },
    b.candidates.map((c, i) =>
      h(
        'fieldset',
        { class: 'candidate', 'data-candidate': c.id },
        h('legend', {}, h('span', { class: 'num' }, `${i + 1}`), ' ', c.name),
        h(
          'div',
          { class: 'options' },
          OPTIONS.map((o) => {
            const input = h('input', { type: 'radio', name: `c-${b.id}-${c.id}`, value: o, id: `c-${b.id}-${c.id}-${o}`, checked: choices[c.id] === o });
            input.addEventListener('change', () => {
              if (input.checked) choices[c.id] = o;
              update();
            });
            radios.push(input);
            return h('label', { class: `option option-${o}`, for: input.id }, input, h('span', {}, tr(o)));
          }),
        ),
      ),
    ),
    h('div', { class: 'vote-footer' }, counter, full, missing, review),
  );
  if (kind === 'hands') body.appendChild(h('p', { class: 'alert alert-info' }, tr('showOfHands')));
  body.appendChild(form);
  update();
}

function confirmStep(body: HTMLElement, b: BallotInfo, choices: Choices, kind: 'secret' | 'hands') {
  const me = tablet.device.memberId;
  const err = h('div');
  const send = h(
    'button',
    {
      class: 'primary big',
      id: `confirm-${b.id}`,
      onclick: async () => {
        send.disabled = true;
        replace(err, h('p', { class: 'muted' }, tr('casting')));
        try {
          if (kind === 'secret') {
            const s = loadState(me, b.id);
            // Saved before sending: after a dropped connection the same token and choices go again.
            s.choices = choices;
            saveState(me, b.id, s);
            // A wait chosen here, then the bare cast (sent again after a 429's Retry-After); the receipt checked against the logged key.
            const r = await Tablet.cast(f, b.id, s.token!, choices, { delayMs: castDelay(), retries: 5, ...(s.keys?.receiptKey ? { receiptKey: s.keys.receiptKey } : {}) });
            s.receipt = r.receipt;
            if (r.castReceipt) s.castReceipt = r.castReceipt;
            s.cast = true;
            saveState(me, b.id, s);
          } else {
            await tablet.raiseHands(b.id, choices);
            const s = loadState(me, b.id);
            s.choices = choices;
            s.hands = true;
            saveState(me, b.id, s);
          }
          void renderBallot(b.id);
        } catch (e) {
          send.disabled = false;
          if (kind === 'secret' && e instanceof ApiError && e.status === 422) {
            // Refused (e.g. over-vote): nothing was spent; choose again.
            const s = loadState(me, b.id);
            delete s.choices;
            saveState(me, b.id, s);
          }
          replace(err, alertBox('error', errorText(e)), isNetworkError(e) ? h('p', {}, tr('retry')) : null);
        }
      },
    },
    kind === 'secret' ? tr('confirmCast') : tr('confirmHands'),
  );
  const edit = h(
    'button',
    {
      class: 'big',
      type: 'button',
      onclick: () => {
        const s = loadState(me, b.id);
        delete s.choices;
        saveState(me, b.id, s);
        body.replaceChildren();
        choiceForm(body, b, kind, choices);
      },
    },
    tr('edit'),
  );
  const n = Object.values(choices).filter((c) => c === 'for').length;
  body.appendChild(
    h(
      'div',
      { class: 'confirm', id: `confirm-step-${b.id}` },
      h('h3', {}, tr('confirmTitle')),
      h(
        'ul',
        { class: 'summary' },
        b.candidates.map((c) => h('li', { class: `sum-${choices[c.id]}` }, h('span', {}, c.name), h('strong', {}, tr(choices[c.id]!)))),
      ),
      h('p', {}, tr('forCount', { n, seats: b.seats })),
      err,
      h('div', { class: 'actions' }, edit, send),
    ),
  );
}

function showReceipt(body: HTMLElement, s: BallotState) {
  body.appendChild(
    h(
      'div',
      { class: 'receipt-box' },
      alertBox('ok', tr('cast')),
      h('p', {}, tr('receiptToken'), ': ', h('code', { class: 'mono break', id: 'receipt-token' }, s.token?.token ?? '')),
      h('p', { class: 'muted' }, tr('receiptKept')),
      s.castReceipt ? receiptActions(s) : null,
    ),
  );
}

/** The signed receipt: saved as a file for the supervisors' verifier, or dismissed by the member. */
function receiptActions(s: BallotState) {
  const me = tablet.device.memberId;
  const box = h('p', { class: 'receipt-actions' });
  const save = h('a', { class: 'button', id: `save-receipt-${s.castReceipt!.ballotId}`, download: `receipt-${s.castReceipt!.ballotId}.json`, href: `data:application/json,${encodeURIComponent(JSON.stringify(s.castReceipt))}` }, tr('receiptSave'));
  const dismiss = h(
    'button',
    {
      id: `dismiss-receipt-${s.castReceipt!.ballotId}`,
      onclick: () => {
        const cur = loadState(me, s.castReceipt!.ballotId);
        delete cur.castReceipt;
        saveState(me, s.castReceipt!.ballotId, cur);
        box.replaceChildren(tr('receiptDismissed'));
      },
    },
    tr('receiptDismiss'),
  );
  box.append(save, ' ', dismiss);
  return box;
}

function showResult(body: HTMLElement, b: BallotInfo) {
  if (!b.result) return;
  const name = (id: string) => b.candidates.find((c) => c.id === id)?.name ?? id;
  body.appendChild(
    h(
      'div',
      { class: 'result' },
      h('h3', {}, tr('result')),
      h('p', {}, `${tr('winners')}: `, b.result.winners.length ? b.result.winners.map(name).join('、') : tr('none')),
      b.result.vacancies ? h('p', {}, `${tr('vacancies')}: ${b.result.vacancies}`) : null,
      b.result.runoff ? alertBox('warn', tr('runoffNeeded'), ': ', b.result.runoff.candidates.map(name).join('、')) : null,
    ),
  );
}

function handsBody(body: HTMLElement, b: BallotInfo) {
  const me = tablet.device.memberId;
  const s = loadState(me, b.id);
  if (b.phase === 'prepared') {
    body.appendChild(h('p', {}, tr('waitPhase')));
  } else if (b.phase === 'voting') {
    if (s.hands) body.appendChild(alertBox('ok', tr('handsRecorded')));
    else choiceForm(body, b, 'hands');
  } else {
    if (s.hands) body.appendChild(alertBox('ok', tr('handsRecorded')));
    if (b.phase === 'tallied') showResult(body, b);
  }
}

void start();
