// 计票人 and 监票人 confirm the count on their own tablets (src/votes/tellers.ts): once a vote is tallied,
// a member the adopted 表决办法 names as a teller is shown the figures of the result entry as the public
// log has it — the entry checked here against the pinned log key, the figures taken from the logged
// document (实到/发出/收回/有效/无效 and each candidate's 同意/不同意/弃权) — and signs, with the device key
// it checked in with, the entry's index and that document's hash. Figures that differ from the tally
// sheet the office prints are not offered for signature.
import { call } from '../../../protocol/tablet.js';
import { tallyMessage, type TellerRole } from '../../../votes/messages.js';
import { alertBox, errorText, h, replace, table, tr } from '../dom.js';
import { verifyEntry } from '../logverify.js';
import type { BallotInfo, TabletView } from './ballot.js';
import { fetchProcedure } from './procedure.js';

interface Sheet {
  resultLogIndex: number;
  resultDocHash: string;
  counts: { present: number; issued: number; returned: number; valid: number; invalid: number };
  candidates: { candidateId: string; for: number; against: number; abstain: number }[];
  confirmations: { memberId: string; logIndex: number }[];
}

interface ResultDoc {
  ballotId: string;
  kind: 'secret' | 'show-of-hands';
  present: number;
  issued?: number;
  cast?: number;
  votes?: number;
  result: { candidates: { candidateId: string; for: number; against: number; abstain: number }[] };
}

const ROLE_WORD: Record<TellerRole, 'procedureCounters' | 'procedureScrutineers'> = { counter: 'procedureCounters', scrutineer: 'procedureScrutineers' };

/** Appends the teller's box to a tallied ballot's body when this member is its 计票人 or 监票人. */
export async function tellerBox(v: TabletView, body: HTMLElement, b: BallotInfo) {
  if (!v.tablet.session) return;
  const p = await fetchProcedure(v.tablet, b.meetingId).catch(() => null);
  if (!p || p.status !== 'adopted') return;
  const me = v.tablet.device.memberId;
  const role: TellerRole | null = p.document.counters.some((t) => t.memberId === me) ? 'counter' : p.document.scrutineers.some((t) => t.memberId === me) ? 'scrutineer' : null;
  if (!role) return;
  const box = h('div', { class: 'teller', id: `teller-${b.id}`, 'data-role': role });
  body.appendChild(box);
  await drawTeller(v, box, b, role);
}

async function drawTeller(v: TabletView, box: HTMLElement, b: BallotInfo, role: TellerRole) {
  const me = v.tablet.device.memberId;
  const title = h('h3', {}, tr('tellerTitle', { role: tr(ROLE_WORD[role]) }));
  try {
    const sheet = await call<Sheet>(v.tablet.fetch, `/api/v1/ballots/${b.id}/tally-sheet`);
    const mine = sheet.confirmations.find((c) => c.memberId === me);
    if (mine) return replace(box, title, alertBox('ok', h('span', { id: `teller-done-${b.id}` }, `✓ ${tr('tellerDone', { index: mine.logIndex })}`)));
    const checked = await verifyEntry({ ...v.log, index: sheet.resultLogIndex });
    const doc = checked.document as ResultDoc | null;
    if (!doc || checked.entry.type !== 'ballot-result' || doc.ballotId !== b.id) throw new Error(tr('notVerified'));
    // The figures as the tally sheet states them (src/votes/report.ts), recomputed from the logged document.
    const returned = doc.kind === 'secret' ? doc.cast! : doc.votes!;
    const figures = { present: doc.present, issued: doc.kind === 'secret' ? doc.issued! : doc.present, returned, valid: returned, invalid: 0 };
    const same =
      checked.entry.doc === sheet.resultDocHash &&
      (Object.keys(figures) as (keyof typeof figures)[]).every((k) => figures[k] === sheet.counts[k]) &&
      doc.result.candidates.length === sheet.candidates.length &&
      doc.result.candidates.every((c, i) => {
        const s = sheet.candidates[i]!;
        return s.candidateId === c.candidateId && s.for === c.for && s.against === c.against && s.abstain === c.abstain;
      });
    const name = (id: string) => b.candidates.find((c) => c.id === id)?.name ?? id;
    const err = h('div');
    const button = h(
      'button',
      {
        type: 'button',
        class: 'primary big',
        id: `teller-confirm-${b.id}`,
        onclick: async () => {
          button.disabled = true;
          try {
            await call(v.tablet.fetch, `/api/v1/ballots/${b.id}/confirmations`, {
              method: 'POST',
              token: v.tablet.session!,
              json: { signature: v.tablet.sign(tallyMessage(b.id, sheet.resultLogIndex, checked.entry.doc, role, me)) },
            });
            await drawTeller(v, box, b, role);
          } catch (e) {
            button.disabled = false;
            replace(err, alertBox('error', errorText(e)));
          }
        },
      },
      tr('tellerConfirm'),
    );
    replace(
      box,
      title,
      h('p', { class: 'muted' }, tr('tellerIntro', { index: sheet.resultLogIndex })),
      h('p', { class: 'teller-counts', id: `teller-counts-${b.id}` }, `${tr('countPresent')} ${figures.present}　${tr('countIssued')} ${figures.issued}　${tr('countReturned')} ${figures.returned}　${tr('countValid')} ${figures.valid}　${tr('countInvalid')} ${figures.invalid}`),
      table(
        [tr('candidate'), tr('for'), tr('against'), tr('abstain')],
        doc.result.candidates.map((c) => [name(c.candidateId), String(c.for), String(c.against), String(c.abstain)]),
        { id: `teller-table-${b.id}` },
      ),
      same ? button : alertBox('error', h('span', { id: `teller-mismatch-${b.id}` }, tr('tellerMismatch'))),
      err,
    );
  } catch (e) {
    replace(box, title, alertBox('error', errorText(e)));
  }
}
