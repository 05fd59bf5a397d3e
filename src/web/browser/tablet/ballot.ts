// One ballot on the member's tablet: its heading, the chair's next-phase button, and the body for its
// phase. Secret ballot: the token is blinded and unblinded here (src/protocol/tablet.ts), against the
// ballot key taken from the public log entry checked in this browser; the pending blinded value is saved
// before it is sent so that a retry after a dropped Wi-Fi sends the same values; after the bulletin the
// receipt is looked up in it.
import { ballotKeysOf, call, type BallotKeys, type Tablet } from '../../../protocol/tablet.js';
import { checkCountedInLog } from '../../../protocol/bulletin.js';
import { blind, newToken, tokenMessage } from '../../../../crypto/blind.js';
import { toHex } from '../../../../crypto/bytes.js';
import { keyFingerprint } from '../../../votes/messages.js';
import { nextPhase, type BallotPhase } from '../../../votes/phases.js';
import type { BallotJson, HandsRecordJson } from '../../../votes/responses.js';
import { AWARD_LABEL, type MsgKey } from '../../i18n.js';
import { ApiError, alertBox, errorText, h, lang, replace, tr, colon } from '../dom.js';
import { verifyEntry } from '../logverify.js';
import { f, loadState, saveState, type BallotState } from './state.js';
import { choiceForm, confirmStep } from './vote-form.js';
import { recusalBox } from './recusal.js';
import { tellerBox } from './teller.js';

export type BallotInfo = BallotJson;
export type Candidate = BallotJson['candidates'][number];

/** What the ballot views need: the signed-in tablet, the list the sections live in, the log rule. */
export interface TabletView {
  tablet: Tablet;
  ballots: HTMLElement;
  /** The checkpoint rule for every log read: the pinned log key, and the witness's where required. */
  log: { logKey: string; prefix: string; witnessKey?: string };
  /** The build's fingerprint line (checked at start), shown beside the ballot key's. */
  buildLine(id: string): HTMLElement | null;
}

export async function renderBallot(v: TabletView, ballotId: string) {
  let section = document.getElementById(`ballot-${ballotId}`);
  if (!section) {
    section = h('section', { id: `ballot-${ballotId}`, class: 'panel ballot', 'data-ballot-id': ballotId, 'aria-labelledby': `bh-${ballotId}` });
    v.ballots.appendChild(section);
  }
  const info = await fetchBallot(ballotId);
  section.dataset.phase = info.phase;
  noteCastingOver(v.tablet.device.memberId, info);
  const head = [
    h('h2', { id: `bh-${ballotId}` }, info.title || AWARD_LABEL[info.award]?.[lang] || info.award),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `badge ${info.kind === 'secret' ? 'badge-secret' : 'badge-info'}` }, info.kind === 'secret' ? tr('secretBallot') : tr('showOfHands')),
      ` ${AWARD_LABEL[info.award]?.[lang] ?? info.award} · ${tr('seats')} ${info.seats} · ${tr('phase')}${colon}`,
      h('strong', { class: 'phase' }, tr(`ph_${info.phase}`)),
    ),
    info.rulesText ? h('p', { class: 'rules', id: `rules-${ballotId}` }, `${tr('rulesLabel')}：`, info.rulesText[lang]) : null,
  ];
  const body = h('div', { class: 'ballot-body' });
  replace(section, ...head, body, chairControls(v, info));
  if (info.kind === 'secret') await secretBody(v, body, info);
  else await handsBody(v, body, info);
}

/** The chair (a member with the chair flag) opens and closes each vote from the tablet. */
function chairControls(v: TabletView, b: BallotInfo) {
  const next = nextPhase(b.kind, b.phase);
  if (!v.tablet.device.isChair || !next) return null;
  const label = tr(`ph_${next}`);
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
            await call(v.tablet.fetch, `/api/v1/ballots/${b.id}/phase`, { method: 'POST', json: { to: next }, token: v.tablet.session! });
            await renderBallot(v, b.id);
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

/** Once a ballot whose token this tablet holds is past casting, the tablet may sign in again (main.ts). */
function noteCastingOver(memberId: string, info: BallotInfo) {
  if (info.kind !== 'secret' || (info.phase !== 'closed' && info.phase !== 'tallied')) return;
  const s = loadState(memberId, info.id);
  if (s.token && !s.castingOver) saveState(memberId, info.id, { ...s, castingOver: true });
}

/** The ballot's public page, fetched without any identity; the phase is recorded for the hold (main.ts). */
export async function fetchPublicBallot(memberId: string, id: string): Promise<BallotInfo> {
  const info = await fetchBallot(id);
  noteCastingOver(memberId, info);
  return info;
}

async function fetchBallot(id: string): Promise<BallotInfo> {
  const r = await fetch(`/api/v1/ballots/${id}`, { credentials: 'omit' });
  if (!r.ok) throw new ApiError(r.status, await r.json());
  return (await r.json()) as BallotInfo;
}

async function secretBody(v: TabletView, body: HTMLElement, b: BallotInfo) {
  const me = v.tablet.device.memberId;
  const s = loadState(me, b.id);
  const again = () => void renderBallot(v, b.id);
  switch (b.phase) {
    case 'prepared':
      body.appendChild(h('p', {}, tr('waitPhase')));
      return recusalBox(v, body, b);
    case 'issuing':
      return issuingView(v, body, b);
    case 'casting': {
      if (s.cast) return showReceipt(body, me, s);
      if (!s.token) {
        body.appendChild(alertBox('warn', tr('noToken')));
        return;
      }
      // A cast that was sent but not answered (dropped Wi-Fi): offer the same choices again.
      if (s.choices) return confirmStep(v.tablet, body, b, s.choices, 'secret', again, s.recused ?? []);
      return choiceForm(v.tablet, body, b, 'secret', again, {}, s.recused ?? []);
    }
    case 'closed':
    case 'tallied': {
      if (!s.cast) {
        body.appendChild(h('p', { class: 'muted' }, tr('notCast')));
      } else {
        showReceipt(body, me, s);
        const mark = h('div', { class: 'counted', id: `counted-${b.id}`, role: 'status' }, tr('verifying'));
        body.appendChild(mark);
        await markCounted(v, b, s, mark);
      }
      if (b.phase === 'tallied') {
        showResult(body, b);
        await tellerBox(v, body, b);
      }
      return;
    }
  }
}

/**
 * "Counted as cast?" from the bulletin whose hash is in the log (inclusion proof against a checkpoint signed
 * by the pinned log key, and cosigned by the witness where the deployment requires it), never the live list.
 */
async function markCounted(v: TabletView, b: BallotInfo, s: BallotState, mark: HTMLElement) {
  const me = v.tablet.device.memberId;
  if (s.counted) {
    mark.dataset.counted = 'true';
    return replace(mark, alertBox('ok', h('strong', {}, `✓ ${tr('countedOk')}`)));
  }
  if (b.bulletinLogIndex === null) return replace(mark, h('p', { class: 'muted' }, tr('bulletinPending')));
  try {
    const keys = s.keys ?? (await loggedKeys(v, b)).keys;
    const check = await checkCountedInLog(f, { logKey: v.log.logKey, witnessKey: v.log.witnessKey, publicKey: keys.publicKey, receipt: { ballotId: b.id, token: s.token!.token, signature: s.token!.signature, choices: s.choices! } });
    const why = lang === 'en' ? check.en : check.zh;
    mark.dataset.reason = check.reason;
    if (check.reason === 'pending') return replace(mark, h('p', { class: 'muted' }, why));
    if (check.counted) {
      // Checked: this tablet need not keep how its member voted any longer.
      s.counted = true;
      delete s.choices;
      saveState(me, b.id, s);
    }
    mark.dataset.counted = String(check.counted);
    replace(mark, check.counted ? alertBox('ok', h('strong', {}, `✓ ${tr('countedOk')}`)) : alertBox('error', tr('countedBad'), h('p', { class: 'muted' }, why)));
  } catch (e) {
    replace(mark, alertBox('error', errorText(e)));
  }
}

function issuingView(v: TabletView, body: HTMLElement, b: BallotInfo, error?: unknown) {
  const s = loadState(v.tablet.device.memberId, b.id);
  body.replaceChildren();
  if (s.token) {
    body.appendChild(alertBox('ok', tr('tokenReady')));
    if (s.keyFingerprint) {
      body.appendChild(h('p', { class: 'muted' }, `${tr('keyFingerprint')}${colon}`, h('code', { id: `key-fingerprint-${b.id}` }, s.keyFingerprint)));
      const line = v.buildLine(`build-line-${b.id}`);
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
          await obtainToken(v, b);
          issuingView(v, body, b);
        } catch (e) {
          issuingView(v, body, b, e);
        }
      },
    },
    s.pending ? tr('retry') : tr('getToken'),
  );
  body.appendChild(button);
}

/**
 * The ballot's keys as the public log has them, checked here against the pinned log key. A member
 * recused (回避) takes the keys of the member's recusal class, and the class, from the same entry.
 */
async function loggedKeys(v: TabletView, b: BallotInfo): Promise<{ keys: BallotKeys; recused: string[] }> {
  if (b.keyLogIndex === null) throw new Error(tr('notVerified'));
  const checked = await verifyEntry({ ...v.log, index: b.keyLogIndex });
  const doc = checked.document as ({ ballotId?: string; publicKey: string; recusals?: { memberId: string; candidateId: string }[] } & Parameters<typeof ballotKeysOf>[0]) | null;
  if (!doc || doc.ballotId !== b.id || !doc.publicKey || checked.entry.type !== 'ballot-key') throw new Error(tr('notVerified'));
  const recused = recusedFrom(doc.recusals, v.tablet.device.memberId);
  return { keys: ballotKeysOf(doc, recused), recused };
}

/** The candidates a member is recused from (回避), sorted. */
const recusedFrom = (recusals: { memberId: string; candidateId: string }[] | null | undefined, memberId: string) =>
  (recusals ?? [])
    .filter((r) => r.memberId === memberId)
    .map((r) => r.candidateId)
    .sort();

/** Issuance: the pending blinded value is saved before it is sent; a retry sends exactly it again. */
async function obtainToken(v: TabletView, b: BallotInfo) {
  const me = v.tablet.device.memberId;
  const { keys, recused } = await loggedKeys(v, b);
  const s = loadState(me, b.id);
  s.recused = recused;
  if (!s.pending) {
    const token = newToken();
    const { blinded, r } = blind(tokenMessage(b.id, token));
    s.pending = { token: toHex(token), blinded: toHex(blinded), r: toHex(r) };
    saveState(me, b.id, s);
  }
  // A co-issued ballot: the bureau's and the co-signer's shares are each checked against their logged key.
  s.keys = keys;
  const tok = await v.tablet.obtainToken(b.id, s.keys, s.pending);
  s.token = tok;
  s.keyFingerprint = keyFingerprint(keys.publicKey);
  // The blinding factor is needed only until the token is unblinded: keep no more than the receipt.
  delete s.pending;
  saveState(me, b.id, s);
}

function showReceipt(body: HTMLElement, memberId: string, s: BallotState) {
  body.appendChild(
    h(
      'div',
      { class: 'receipt-box' },
      alertBox('ok', tr('cast')),
      h('p', {}, tr('receiptToken'), colon, h('code', { class: 'mono break', id: 'receipt-token' }, s.token?.token ?? '')),
      h('p', { class: 'muted' }, tr('receiptKept')),
      s.castReceipt ? receiptActions(memberId, s) : null,
    ),
  );
}

/** The signed receipt: saved as a file for the supervisors' verifier, or dismissed by the member. */
function receiptActions(memberId: string, s: BallotState) {
  const receipt = s.castReceipt!;
  const box = h('p', { class: 'receipt-actions' });
  const save = h('a', { class: 'button', id: `save-receipt-${receipt.ballotId}`, download: `receipt-${receipt.ballotId}.json`, href: `data:application/json,${encodeURIComponent(JSON.stringify(receipt))}` }, tr('receiptSave'));
  const dismiss = h(
    'button',
    {
      id: `dismiss-receipt-${receipt.ballotId}`,
      onclick: () => {
        const cur = loadState(memberId, receipt.ballotId);
        delete cur.castReceipt;
        saveState(memberId, receipt.ballotId, cur);
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
      h('p', {}, `${tr('winners')}${colon}`, b.result.winners.length ? b.result.winners.map(name).join('、') : tr('none')),
      b.result.vacancies ? h('p', {}, `${tr('vacancies')}${colon}${b.result.vacancies}`) : null,
      b.result.runoff ? alertBox('warn', tr('runoffNeeded'), colon, b.result.runoff.candidates.map(name).join('、')) : null,
    ),
  );
}

/**
 * Whether the named record already holds this member's hands, and who recorded them: staff record them
 * when the member's tablet failed, and a tablet that comes back (or lost its storage) must not offer the
 * vote again. A record that cannot be read leaves the form offered; the server refuses a second vote.
 */
async function recordedBy(v: TabletView, ballotId: string): Promise<'member' | 'staff' | null> {
  try {
    const r = await call<HandsRecordJson>(v.tablet.fetch, `/api/v1/ballots/${ballotId}/record`, { token: v.tablet.session! });
    return r.votes.find((x) => x.memberId === v.tablet.device.memberId)?.recordedBy ?? null;
  } catch {
    return null;
  }
}

async function handsBody(v: TabletView, body: HTMLElement, b: BallotInfo) {
  const s = loadState(v.tablet.device.memberId, b.id);
  if (b.phase === 'prepared') {
    body.appendChild(h('p', {}, tr('waitPhase')));
    await recusalBox(v, body, b);
  } else if (b.phase === 'voting') {
    const recorded = s.hands ? 'member' : await recordedBy(v, b.id);
    if (recorded) body.appendChild(alertBox('ok', tr(recorded === 'staff' ? 'handsRecordedByStaff' : 'handsRecorded')));
    else choiceForm(v.tablet, body, b, 'hands', () => void renderBallot(v, b.id), {}, recusedFrom(b.recusals, v.tablet.device.memberId));
  } else {
    if (s.hands) body.appendChild(alertBox('ok', tr('handsRecorded')));
    if (b.phase === 'tallied') {
      showResult(body, b);
      await tellerBox(v, body, b);
    }
  }
}
