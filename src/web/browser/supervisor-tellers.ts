// The supervisors' page, 监票: a supervisor attending the meeting registers this device (its key is
// logged as supervisor-device, bound to the supervisor's account); staff may then name the supervisor
// 监票人 in the 表决办法. Once the meeting has adopted it, each tallied vote of the meeting is shown here
// as the public log has it (tally-check.ts) and the supervisor signs the result entry's index and
// document hash with this device's key (votes/tellers.ts). Followed every 2 s while the meeting is open.
import type { MeetingListJson, MeetingLiveJson } from '../../votes/conduct-responses.js';
import { supervisorTallyMessage } from '../../votes/messages.js';
import { alertBox, api, errorText, h, replace, tr } from './dom.js';
import { devicesOf, storedRegistration, supervisorDevice, type Registration } from './supervisor-device.js';
import type { ExportBundle } from '../../verify/index.js';
import { checkResult, figuresView, type Sheet } from './tally-check.js';

interface Ctx {
  cycleId: string;
  token: string;
  log: { logKey: string; prefix: string };
  /** The export the page's verifier checked (null if it could not run). */
  verified: () => ExportBundle | null;
}

export async function drawScrutiny(box: HTMLElement, ctx: Ctx) {
  const { meetings } = await api<MeetingListJson>(`/api/v1/cycles/${ctx.cycleId}/meetings`, { token: ctx.token });
  const meeting = meetings[0];
  if (!meeting) return replace(box);
  let drawn = '';
  const draw = async (force = false) => {
    const live = await api<MeetingLiveJson>(`/api/v1/meetings/${meeting.id}/live`, { token: ctx.token });
    const reg = storedRegistration(ctx.cycleId);
    const p = live.procedure;
    const key = [reg?.logIndex, p?.id, p?.status, live.ballots.filter((b) => b.phase === 'tallied').map((b) => b.id).join(',')].join(':');
    if (force || key !== drawn) {
      drawn = key;
      await view(box, ctx, live, reg, () => void draw(true).catch((e) => replace(box, alertBox('error', errorText(e)))));
    }
    return live.status === 'open';
  };
  const follow = async () => {
    let again = true;
    try {
      again = await draw();
    } catch {
      // a dropped request: try again
    }
    if (again && box.isConnected) setTimeout(() => void follow(), 2000);
  };
  await follow();
}

async function view(box: HTMLElement, ctx: Ctx, live: MeetingLiveJson, reg: Registration | null, redraw: () => void) {
  const head = h('h2', { id: 'sup-tellers-h' }, tr('supTellerTitle'));
  const err = h('div');
  const attend = h(
    'button',
    {
      type: 'button',
      id: 'sup-attend',
      onclick: async () => {
        attend.disabled = true;
        try {
          await supervisorDevice(ctx.cycleId, ctx.token);
          redraw();
        } catch (e) {
          attend.disabled = false;
          replace(err, alertBox('error', errorText(e)));
        }
      },
    },
    tr('supAttend'),
  );
  const parts: HTMLElement[] = [head, h('p', { class: 'muted' }, tr('supAttendIntro'))];
  if (!reg) return replace(box, ...parts, attend, err);
  parts.push(alertBox('ok', h('span', { id: 'sup-attended' }, tr('supAttended', { fp: reg.fingerprint, index: reg.logIndex }))));
  const bundle = ctx.verified();
  const others = bundle ? devicesOf(bundle, reg.accountId).filter((d) => d.deviceKey !== reg.deviceKey) : [];
  if (others.length) parts.push(alertBox('warn', h('span', { id: 'sup-other-devices' }, tr('supOtherDevices', { list: others.map((d) => `${d.fingerprint}（${tr('procedureLogged', { index: d.index })}）`).join('、') }))));
  const p = live.procedure;
  if (!p || p.status !== 'adopted') return replace(box, ...parts);
  if (!p.supervisorScrutineers.some((t) => t.accountId === reg.accountId)) return replace(box, ...parts, h('p', { class: 'muted', id: 'sup-not-named' }, tr('supNotNamed')));
  const tallied = live.ballots.filter((b) => b.phase === 'tallied');
  if (!tallied.length) parts.push(h('p', { class: 'muted' }, tr('supNoTallied')));
  for (const b of tallied) {
    const card = h('div', { class: 'panel teller', id: `sup-teller-${b.id}` }, h('h3', {}, `${b.title} · ${tr('tellerTitle', { role: tr('procedureScrutineers') })}`));
    parts.push(card);
    await drawBallot(card, ctx, reg, b).catch((e) => card.append(alertBox('error', errorText(e))));
  }
  replace(box, ...parts);
}

async function drawBallot(card: HTMLElement, ctx: Ctx, reg: Registration, b: MeetingLiveJson['ballots'][number]) {
  const sheet = await api<Sheet>(`/api/v1/ballots/${b.id}/tally-sheet`);
  const mine = sheet.confirmations.find((c) => c.accountId === reg.accountId);
  if (mine) return void card.append(alertBox('ok', h('span', { id: `sup-teller-done-${b.id}` }, `✓ ${tr('tellerDone', { index: mine.logIndex })}`)));
  const checked = await checkResult(ctx.log, b.id, sheet);
  const name = (id: string) => b.candidates.find((c) => c.id === id)?.name ?? id;
  const err = h('div');
  const button = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      id: `sup-teller-confirm-${b.id}`,
      onclick: async () => {
        button.disabled = true;
        try {
          const device = await supervisorDevice(ctx.cycleId, ctx.token);
          const signature = device.sign(supervisorTallyMessage(b.id, sheet.resultLogIndex, checked.docHash, device.registration.accountId));
          await api(`/api/v1/ballots/${b.id}/supervisor-confirmations`, { method: 'POST', token: ctx.token, json: { deviceKey: device.deviceKey, signature } });
          replace(card, card.firstChild as HTMLElement);
          await drawBallot(card, ctx, reg, b);
        } catch (e) {
          button.disabled = false;
          replace(err, alertBox('error', errorText(e)));
        }
      },
    },
    tr('tellerConfirm'),
  );
  card.append(
    h('p', { class: 'muted' }, tr('supTellerIntro', { index: sheet.resultLogIndex })),
    ...figuresView(checked, name, { counts: `sup-teller-counts-${b.id}`, table: `sup-teller-table-${b.id}` }),
    checked.same ? button : alertBox('error', h('span', { id: `sup-teller-mismatch-${b.id}` }, tr('tellerMismatch'))),
    err,
  );
}
