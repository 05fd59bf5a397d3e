// The supervisors' dashboard (/supervisor), read-only: each secret ballot's bulletin recounted here
// (every token signature checked by batch verification, crypto/blind.ts batchVerify; the tally and the
// result recomputed with src/votes/rules.ts), show-of-hands records with each tablet signature
// checked, the log's checkpoints opened with the pinned log key and their witness cosignatures, and
// objections against their deadlines.
import { batchVerify } from '../../../crypto/blind.js';
import { fromHex, toHex } from '../../../crypto/bytes.js';
import { tokenMessage } from '../../../crypto/blind.js';
import { decide, tally, type Choices, type Rules } from '../../votes/rules.js';
import { handsMessage, verifyDeviceSignature } from '../../votes/messages.js';
import { canonicalJson } from '../../log/append.js';
import { AWARD_LABEL, type MsgKey } from '../i18n.js';
import { $, alertBox, api, beijing, errorText, h, lang, replace, table, tr, type Kid } from './dom.js';
import { openCheckpoint } from './logverify.js';
import { signIn, signOut } from './session.js';

const app = $('#app')!;
const LOG_KEY = app.dataset.logKey!;
let token = '';

interface Bulletin {
  ballotId: string;
  publicKey: string;
  seats: number;
  rules: Rules;
  candidates: { id: string; name: string }[];
  present: number;
  issued: number;
  ballots: { token: string; message: string; signature: string; choices: Choices }[];
  tally: Record<string, { for: number; against: number; abstain: number }>;
  result: unknown;
}

/** Recounts a bulletin: every signature, every message, the tally, the result; null when all agree. */
export function recount(ballotId: string, b: Bulletin): string | null {
  const problems: string[] = [];
  if (b.ballots.length > b.issued) problems.push(`${b.ballots.length} ballots > ${b.issued} tokens issued`);
  const tokens = b.ballots.map((x) => x.token);
  if (new Set(tokens).size !== tokens.length) problems.push('duplicate token');
  for (const x of b.ballots) if (x.message !== toHex(tokenMessage(ballotId, fromHex(x.token)))) problems.push(`message of ${x.token.slice(0, 8)}`);
  const v = batchVerify(
    fromHex(b.publicKey),
    b.ballots.map((x) => ({ message: fromHex(x.message), signature: fromHex(x.signature) })),
  );
  if (!v.ok) problems.push(`bad signatures: ${v.bad.join(', ')}`);
  const ids = b.candidates.map((c) => c.id);
  const mine = tally(ids, b.ballots.map((x) => x.choices));
  if (canonicalJson(mine) !== canonicalJson(b.tally)) problems.push('tally differs');
  if (b.result) {
    const r = decide(ids, mine, b.seats, b.present, b.rules);
    if (canonicalJson(r) !== canonicalJson(b.result)) problems.push('result differs');
  }
  return problems.length ? problems.join('; ') : null;
}

async function main() {
  token = await signIn(app, tr('supervisorTitle'));
  const cycles = (await api<{ cycles: { id: string; name: string }[] }>('/api/v1/cycles')).cycles;
  let cycleId = localStorage.getItem('hzqa.supervisor.cycle') ?? '';
  if (!cycles.some((c) => c.id === cycleId)) cycleId = cycles[0]?.id ?? '';
  const select = h(
    'select',
    {
      id: 'cycle-select',
      onchange: () => {
        localStorage.setItem('hzqa.supervisor.cycle', select.value);
        location.reload();
      },
    },
    cycles.map((c) => h('option', { value: c.id, selected: c.id === cycleId }, `${c.name} (${c.id})`)),
  );
  const ballotsBox = h('section', { id: 'sup-ballots', 'aria-labelledby': 'sup-ballots-h' });
  const cpBox = h('section', { id: 'sup-checkpoints', 'aria-labelledby': 'sup-cp-h' });
  const objBox = h('section', { id: 'sup-objections', 'aria-labelledby': 'sup-obj-h' });
  replace(
    app,
    h('div', { class: 'toolbar' }, h('h1', {}, tr('supervisorTitle')), h('button', { type: 'button', class: 'link', onclick: signOut }, tr('signOut'))),
    cycles.length ? h('div', { class: 'toolbar' }, h('label', { class: 'inline-form' }, tr('cycle'), ' ', select)) : null,
    ballotsBox,
    objBox,
    cpBox,
  );
  await Promise.all([
    drawBallots(ballotsBox, cycleId).catch((e) => replace(ballotsBox, alertBox('error', errorText(e)))),
    drawObjections(objBox, cycleId).catch((e) => replace(objBox, alertBox('error', errorText(e)))),
    drawCheckpoints(cpBox).catch((e) => replace(cpBox, alertBox('error', errorText(e)))),
  ]);
  app.dataset.ready = 'true';
}

async function drawBallots(box: HTMLElement, cycleId: string) {
  replace(box, h('h2', { id: 'sup-ballots-h' }, tr('ballotsSection')));
  if (!cycleId) return;
  const { ballots } = await api<{ ballots: { id: string; award: string; kind: string; title: string; phase: string; seats: number }[] }>(`/api/v1/cycles/${cycleId}/ballots`);
  if (!ballots.length) box.appendChild(h('p', { class: 'muted' }, tr('noBallots')));
  for (const b of ballots) {
    const card = h('div', { class: 'panel', id: `sup-ballot-${b.id}` }, h('h3', {}, b.title || AWARD_LABEL[b.award]?.[lang]), h('p', { class: 'meta' }, `${AWARD_LABEL[b.award]?.[lang]} · ${b.kind === 'secret' ? tr('secretBallot') : tr('showOfHands')} · ${tr('phase')}: ${tr(`ph_${b.phase}` as MsgKey)}`));
    box.appendChild(card);
    try {
      if (b.kind === 'secret' && (b.phase === 'closed' || b.phase === 'tallied')) await drawBulletin(card, b.id);
      else if (b.kind === 'show-of-hands' && b.phase !== 'prepared') await drawRecord(card, b.id);
    } catch (e) {
      card.appendChild(alertBox('error', errorText(e)));
    }
  }
}

async function drawBulletin(card: HTMLElement, ballotId: string) {
  const b = await api<Bulletin>(`/api/v1/ballots/${ballotId}/bulletin`);
  const name = (id: string) => b.candidates.find((c) => c.id === id)?.name ?? id;
  const problem = recount(ballotId, b);
  card.append(
    h('div', { class: 'recount', 'data-recount': problem ? 'bad' : 'ok' }, problem ? alertBox('error', tr('recountBad', { why: problem })) : alertBox('ok', `✓ ${tr('recountOk', { n: b.ballots.length })}`)),
    h('p', {}, `${tr('present')} ${b.present} · ${tr('issued')} ${b.issued} · ${tr('bulletin')} ${b.ballots.length}`),
    table(
      [tr('candidate'), tr('for'), tr('against'), tr('abstain')],
      b.candidates.map((c) => [name(c.id), String(b.tally[c.id]?.for ?? 0), String(b.tally[c.id]?.against ?? 0), String(b.tally[c.id]?.abstain ?? 0)]),
    ),
    h(
      'details',
      {},
      h('summary', {}, `${tr('bulletin')} (${b.ballots.length})`),
      table(
        [tr('receiptToken'), ...b.candidates.map((c) => c.name)],
        b.ballots.map((x) => [h('span', { class: 'mono' }, x.token.slice(0, 16) + '…'), ...b.candidates.map((c) => tr(x.choices[c.id] ?? 'abstain'))]),
      ),
    ),
  );
}

async function drawRecord(card: HTMLElement, ballotId: string) {
  const r = await api<{
    candidates: { id: string; name: string }[];
    votes: { memberId: string; name: string; unit: string; deviceKey: string | null; signature: string | null; recordedBy: string; staffName: string | null; choices: Choices }[];
    tally: Record<string, { for: number; against: number; abstain: number }>;
  }>(`/api/v1/ballots/${ballotId}/record`, { token });
  const sigOk = (v: (typeof r.votes)[number]) => v.recordedBy === 'member' && !!v.deviceKey && !!v.signature && verifyDeviceSignature(v.deviceKey, handsMessage(ballotId, v.memberId, v.choices), v.signature);
  card.append(
    h('h4', {}, tr('record')),
    table(
      [tr('name'), tr('unit'), ...r.candidates.map((c) => c.name), tr('recordedBy')],
      r.votes.map((v) => [
        v.name,
        v.unit,
        ...r.candidates.map((c) => tr(v.choices[c.id] ?? 'abstain')),
        v.recordedBy === 'member' ? h('span', { class: sigOk(v) ? 'ok-text' : 'bad-text' }, `${tr('byTablet')}: ${sigOk(v) ? tr('signatureOk') : tr('signatureBad')}`) : `${tr('byStaff')} (${v.staffName ?? ''})`,
      ]),
    ),
  );
}

async function drawCheckpoints(box: HTMLElement) {
  const { checkpoints } = await api<{ checkpoints: { size: number; root: string; signedAt: string; note: string; cosignatures: { witness: string; cosignedAt: string }[] }[] }>('/api/v1/log/checkpoints?limit=10');
  const rows: Kid[][] = checkpoints.map((c) => {
    let ok = false;
    try {
      const opened = openCheckpoint(c.note, LOG_KEY);
      ok = opened.size === c.size;
    } catch {
      ok = false;
    }
    return [
      String(c.size),
      h('span', { class: 'mono break' }, c.root),
      beijing(c.signedAt),
      h('span', { class: ok ? 'ok-text' : 'bad-text' }, ok ? `✓ ${tr('logSigOk')}` : tr('sigFailed')),
      c.cosignatures.length ? c.cosignatures.map((x) => `${x.witness} (${beijing(x.cosignedAt)})`).join('、') : tr('none'),
    ];
  });
  replace(box, h('h2', { id: 'sup-cp-h' }, tr('checkpoints')), table([tr('treeSize'), tr('rootHash'), tr('signedAt'), tr('logSigOk'), tr('cosignedBy')], rows, { id: 'checkpoint-table' }));
}

async function drawObjections(box: HTMLElement, cycleId: string) {
  const { objections } = await api<{ objections: { trackingNo: string; organisation: string; receivedDate: string; dueDate: string; dueEndsAt: string; workingDaysLeft: number | null; overdue: boolean; status: string; decision: string | null }[] }>(
    `/api/v1/objections${cycleId ? `?cycleId=${cycleId}` : ''}`,
    { token },
  );
  replace(
    box,
    h('h2', { id: 'sup-obj-h' }, tr('deadlines')),
    objections.length
      ? table(
          [tr('trackingNo'), tr('objectTo'), tr('receivedDate'), tr('dueEndsAt'), tr('workingDaysLeft'), tr('status')],
          objections.map((o) => [
            h('span', { class: 'mono' }, o.trackingNo),
            o.organisation,
            o.receivedDate,
            h('span', { class: o.overdue ? 'bad-text' : '' }, beijing(o.dueEndsAt), o.overdue ? ` ${tr('overdue')}` : ''),
            o.workingDaysLeft === null ? '' : String(o.workingDaysLeft),
            tr(`st_${o.status}` as MsgKey) + (o.decision ? ` · ${tr(`dec_${o.decision}` as MsgKey)}` : ''),
          ]),
        )
      : h('p', { class: 'muted' }, tr('noObjections')),
  );
}

main().catch((e) => replace(app, alertBox('error', errorText(e))));
