// The supervisors' dashboard (/supervisor), read-only. It runs the supervisory group's verifier
// (src/verify/checks.ts verifyBundle — the very function `npm run verify` runs) over the cycle's
// export in this browser, with the log key this page pins: every check by name with its verdict,
// and each ballot's verdict on its card (bulletin signatures by batch verification, recount and
// result under the ballot's own rules; show-of-hands signatures). It also shows the named records,
// the log's checkpoints opened with the pinned key and their cosignatures, objection deadlines, and the
// chair's record of a 审定 to confirm with this supervisor's device key (supervisor-award.ts).
import { parseBundle, verifyBundle, type CheckResult, type ExportBundle, type VerifyReport } from '../../verify/index.js';
import type { BallotListJson, BulletinJson, HandsRecordJson } from '../../votes/responses.js';
import type { ObjectionListJson, ObjectionSummaryJson } from '../../objections/responses.js';
import { countersignMessage, handsMessage, keyFingerprint, verifyDeviceSignature } from '../../votes/messages.js';
import { AWARD_LABEL, type MsgKey } from '../i18n.js';
import { $, alertBox, api, beijing, errorText, h, lang, replace, table, tr, type Kid } from './dom.js';
import { openCheckpoint } from './logverify.js';
import { signIn, signOut } from './session.js';
import { drawProcedure } from './supervisor-procedure.js';
import { drawAwardFixing } from './supervisor-award.js';
import { supervisorDevice } from './supervisor-device.js';
import { drawScrutiny } from './supervisor-tellers.js';
import type { CycleListJson } from '../../cycles/responses.js';
import type { CheckpointListJson } from '../../log/responses.js';

const app = $('#app')!;
const LOG_KEY = app.dataset.logKey!;
/** The supervisory group's co-signer key (COSIGNER_KEY), shown so that the supervisors compare it with their own. */
const COSIGNER_KEY = app.dataset.cosignerKey || undefined;
let token = '';
/** The cycle's export as this page's verifier checked it. */
let verified: ExportBundle | null = null;

type Bulletin = BulletinJson;

const STATUS_WORD: Record<CheckResult['status'], MsgKey> = { pass: 'vPass', fail: 'vFail', warn: 'vWarn', skip: 'vSkip' };

/** The checks of one ballot (their subject names it). */
const checksOf = (report: VerifyReport, ballotId: string) => report.checks.filter((c) => c.subject?.en.startsWith(`ballot ${ballotId} `));

/** Runs the verifier over the cycle's export (as the supervisors' token sees it: named records included). */
async function runVerifier(box: HTMLElement, cycleId: string): Promise<VerifyReport> {
  const raw = await api<unknown>(`/api/v1/cycles/${encodeURIComponent(cycleId)}/export`, { token });
  const bundle = parseBundle(raw);
  const report = verifyBundle(bundle, { logKey: LOG_KEY, ...(COSIGNER_KEY ? { cosignerKey: COSIGNER_KEY } : {}) });
  verified = bundle;
  const { pass, fail, warn, skip } = report.counts;
  replace(
    box,
    h('h2', { id: 'sup-verify-h' }, tr('supVerifyTitle')),
    alertBox(report.ok ? 'ok' : 'error', report.ok ? `✓ ${tr('verifyOk', { pass, warn, skip })}` : tr('verifyBad', { fail })),
    report.anchored ? null : alertBox('warn', tr('verifyNotAnchored')),
    COSIGNER_KEY ? h('p', { class: 'muted', id: 'sup-cosigner-key' }, tr('verifyCosignerPinned'), h('span', { class: 'mono' }, COSIGNER_KEY)) : report.checks.some((c) => c.id === 'ballot-co-issued') ? alertBox('warn', tr('verifyNoCosigner')) : null,
    table(
      [tr('vCheck'), tr('vSubject'), tr('vVerdict'), tr('vFinding')],
      report.checks.map((c) => [
        h('span', { class: 'mono' }, c.id),
        c.subject ? c.subject[lang] : c.title[lang],
        h('span', { class: c.status === 'fail' ? 'bad-text' : c.status === 'pass' ? 'ok-text' : '' }, tr(STATUS_WORD[c.status])),
        [c.message[lang], ...c.details.slice(0, 5).map((d) => h('div', { class: 'muted' }, d[lang])), c.remedy ? h('div', { class: 'muted' }, `→ ${c.remedy[lang]}`) : null],
      ]),
      { id: 'verify-report' },
    ),
  );
  const rows = box.querySelectorAll('#verify-report tbody tr');
  report.checks.forEach((c, i) => {
    const row = rows[i] as HTMLElement | undefined;
    if (!row) return;
    row.dataset.check = c.id;
    row.dataset.status = c.status;
    row.dataset.subject = c.subject?.en ?? '';
  });
  return report;
}

async function main() {
  token = await signIn(app, tr('supervisorTitle'));
  const cycles = (await api<CycleListJson>('/api/v1/cycles')).cycles;
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
  const verifyBox = h('section', { id: 'sup-verify', 'aria-labelledby': 'sup-verify-h' });
  const ballotsBox = h('section', { id: 'sup-ballots', 'aria-labelledby': 'sup-ballots-h' });
  const procedureBox = h('section', { id: 'sup-procedure', 'aria-labelledby': 'sup-procedure-h' });
  const tellersBox = h('section', { id: 'sup-tellers', 'aria-labelledby': 'sup-tellers-h' });
  const fixingBox = h('section', { id: 'sup-fixing', 'aria-labelledby': 'sup-fixing-h' });
  const cpBox = h('section', { id: 'sup-checkpoints', 'aria-labelledby': 'sup-cp-h' });
  const objBox = h('section', { id: 'sup-objections', 'aria-labelledby': 'sup-obj-h' });
  replace(
    app,
    h('div', { class: 'toolbar' }, h('h1', {}, tr('supervisorTitle')), h('button', { type: 'button', class: 'link', onclick: signOut }, tr('signOut'))),
    cycles.length ? h('div', { class: 'toolbar' }, h('label', { class: 'inline-form' }, tr('cycle'), ' ', select)) : null,
    verifyBox,
    procedureBox,
    fixingBox,
    tellersBox,
    ballotsBox,
    objBox,
    cpBox,
  );
  let report: VerifyReport | null = null;
  if (cycleId) report = await runVerifier(verifyBox, cycleId).catch((e: unknown) => (replace(verifyBox, alertBox('error', errorText(e))), null));
  await Promise.all([
    cycleId ? drawProcedure(procedureBox, cycleId, token).catch((e) => replace(procedureBox, alertBox('error', errorText(e)))) : null,
    cycleId ? drawAwardFixing(fixingBox, { cycleId, token, verified: () => verified }).catch((e) => replace(fixingBox, alertBox('error', errorText(e)))) : null,
    cycleId ? drawScrutiny(tellersBox, { cycleId, token, log: { logKey: LOG_KEY, prefix: app.dataset.logPrefix! }, verified: () => verified }).catch((e) => replace(tellersBox, alertBox('error', errorText(e)))) : null,
    drawBallots(ballotsBox, cycleId, report).catch((e) => replace(ballotsBox, alertBox('error', errorText(e)))),
    drawObjections(objBox, cycleId).catch((e) => replace(objBox, alertBox('error', errorText(e)))),
    drawCheckpoints(cpBox).catch((e) => replace(cpBox, alertBox('error', errorText(e)))),
  ]);
  app.dataset.ready = 'true';
}

async function drawBallots(box: HTMLElement, cycleId: string, report: VerifyReport | null) {
  replace(box, h('h2', { id: 'sup-ballots-h' }, tr('ballotsSection')));
  if (!cycleId) return;
  const { ballots } = await api<BallotListJson>(`/api/v1/cycles/${cycleId}/ballots`);
  if (!ballots.length) box.appendChild(h('p', { class: 'muted' }, tr('noBallots')));
  for (const b of ballots) {
    const card = h('div', { class: 'panel', id: `sup-ballot-${b.id}` }, h('h3', {}, b.title || AWARD_LABEL[b.award]?.[lang]), h('p', { class: 'meta' }, `${AWARD_LABEL[b.award]?.[lang]} · ${b.kind === 'secret' ? tr('secretBallot') : tr('showOfHands')} · ${tr('phase')}: ${tr(`ph_${b.phase}` as MsgKey)}`));
    box.appendChild(card);
    try {
      if (b.kind === 'secret' && (b.phase === 'closed' || b.phase === 'tallied')) await drawBulletin(card, b.id, report);
      else if (b.kind === 'show-of-hands' && b.phase !== 'prepared') await drawRecord(card, { id: b.id, cycleId, phase: b.phase });
    } catch (e) {
      card.appendChild(alertBox('error', errorText(e)));
    }
  }
}

async function drawBulletin(card: HTMLElement, ballotId: string, report: VerifyReport | null) {
  const b = await api<Bulletin>(`/api/v1/ballots/${ballotId}/bulletin`);
  const name = (id: string) => b.candidates.find((c) => c.id === id)?.name ?? id;
  // The verdict is the verifier's: this ballot's checks (signatures, tokens, recount, result…).
  const failedChecks = report ? checksOf(report, ballotId).filter((c) => c.status === 'fail').map((c) => c.id) : ['verifier'];
  const problem = failedChecks.length ? failedChecks.join('、') : null;
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

type RecordVote = HandsRecordJson['votes'][number];

/** A staff-recorded vote: confirmed (by which device), or a button to confirm it on this device. */
function staffVoteCell(card: HTMLElement, b: { id: string; cycleId: string; phase: string }, v: RecordVote): Kid {
  const label = `${tr('byStaff')} (${v.staffName ?? ''})`;
  if (v.countersignature) return h('span', { class: 'ok-text', 'data-confirmed': 'true' }, `${label} · ${tr('handsConfirmed')} (${keyFingerprint(v.countersignature.deviceKey)})`);
  if (b.phase === 'tallied') return h('span', { class: 'bad-text' }, `${label} · ${tr('handsUnconfirmed')}`);
  const err = h('span', {});
  const button = h(
    'button',
    {
      type: 'button',
      id: `confirm-hands-${v.memberId}`,
      title: tr('confirmHandsAsk'),
      onclick: async () => {
        button.disabled = true;
        try {
          const device = await supervisorDevice(b.cycleId, token);
          const signature = device.sign(countersignMessage(b.id, v.memberId, v.choices, v.staffName ?? ''));
          await api(`/api/v1/ballots/${b.id}/hands/${v.memberId}/confirmation`, { method: 'POST', token, json: { deviceKey: device.deviceKey, signature } });
          card.querySelector('.record-box')?.remove();
          await drawRecord(card, b);
        } catch (e) {
          button.disabled = false;
          replace(err, alertBox('error', errorText(e)));
        }
      },
    },
    tr('confirmStaffHands'),
  );
  return h('span', { 'data-confirmed': 'false' }, `${label} · ${tr('handsUnconfirmed')} `, button, err);
}

async function drawRecord(card: HTMLElement, b: { id: string; cycleId: string; phase: string }) {
  const ballotId = b.id;
  const r = await api<HandsRecordJson>(`/api/v1/ballots/${ballotId}/record`, { token });
  const sigOk = (v: (typeof r.votes)[number]) => v.recordedBy === 'member' && !!v.deviceKey && !!v.signature && verifyDeviceSignature(v.deviceKey, handsMessage(ballotId, v.memberId, v.choices), v.signature);
  card.append(
    h(
      'div',
      { class: 'record-box' },
      h('h4', {}, tr('record')),
      r.votes.some((v) => v.recordedBy === 'staff' && !v.countersignature) && b.phase !== 'tallied' ? h('p', { class: 'muted' }, tr('confirmHandsAsk')) : null,
      table(
      [tr('name'), tr('unit'), ...r.candidates.map((c) => c.name), tr('recordedBy')],
      r.votes.map((v) => [
        v.name,
        v.unit,
        ...r.candidates.map((c) => tr(v.choices[c.id] ?? 'abstain')),
        v.recordedBy === 'member' ? h('span', { class: sigOk(v) ? 'ok-text' : 'bad-text' }, `${tr('byTablet')}: ${sigOk(v) ? tr('signatureOk') : tr('signatureBad')}`) : staffVoteCell(card, b, v),
      ]),
      ),
    ),
  );
}

async function drawCheckpoints(box: HTMLElement) {
  const { checkpoints } = await api<CheckpointListJson>('/api/v1/log/checkpoints?limit=10');
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
  const { objections } = await api<ObjectionListJson>(
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
