// 计票人 and 监票人 confirm the count on their own tablets (src/votes/tellers.ts): once a vote is tallied,
// a member the adopted 表决办法 names as a teller is shown the figures of the result entry as the public
// log has it — the entry checked here against the pinned log key, the figures taken from the logged
// document (实到/发出/收回/有效/无效 and each candidate's 同意/不同意/弃权) — and signs, with the device key
// it checked in with, the entry's index and that document's hash. Figures that differ from the tally
// sheet the office prints are not offered for signature.
import { call } from '../../../protocol/tablet.js';
import { tallyMessage, type TellerRole } from '../../../votes/messages.js';
import { alertBox, errorText, h, replace, tr } from '../dom.js';
import { checkResult, fetchSheet, figuresView } from '../tally-check.js';
import type { BallotInfo, TabletView } from './ballot.js';
import { fetchProcedure } from './procedure.js';

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
    const sheet = await fetchSheet(v.tablet.fetch, b.id);
    const mine = sheet.confirmations.find((c) => c.memberId === me);
    if (mine) return replace(box, title, alertBox('ok', h('span', { id: `teller-done-${b.id}` }, `✓ ${tr('tellerDone', { index: mine.logIndex })}`)));
    const checked = await checkResult(v.log, b.id, sheet);
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
              json: { signature: v.tablet.sign(tallyMessage(b.id, sheet.resultLogIndex, checked.docHash, role, me)) },
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
      ...figuresView(checked, name, { counts: `teller-counts-${b.id}`, table: `teller-table-${b.id}` }),
      checked.same ? button : alertBox('error', h('span', { id: `teller-mismatch-${b.id}` }, tr('tellerMismatch'))),
      err,
    );
  } catch (e) {
    replace(box, title, alertBox('error', errorText(e)));
  }
}
