// The supervisors' page, 审定 of the 拟授奖组织名单 (三(三)8, src/award/fixing.ts): where the meeting decides it by
// the chair's record of the hands raised in the room, the record takes effect only once a supervisor present
// confirms it. Shown here: the list put to the meeting, the chair's counts against the members checked in, and
// the chair's signature checked against the chair's check-in in the log this page verified (the key is the
// log's, not the server's word); then a button that signs the confirmation — the counts and the chair's
// signature — with this supervisor's device key (registered in the log on first use, supervisor-device.ts).
// Followed every 2 s while a 审定 is before the meeting.
import type { AwardFixingJson, AwardStateJson } from '../../award/responses.js';
import type { ExportBundle } from '../../verify/index.js';
import type { MeetingLiveJson } from '../../votes/conduct-responses.js';
import { awardFixingConfirmMessage, awardFixingRecordMessage, verifyDeviceSignature } from '../../votes/messages.js';
import { fromBase64, utf8Decode } from '../../../crypto/bytes.js';
import { AWARD_LABEL } from '../i18n.js';
import { alertBox, api, errorText, h, lang, replace, table, tr } from './dom.js';
import { supervisorDevice } from './supervisor-device.js';

type Fixing = AwardFixingJson;

const T = {
  title: { zh: '审定拟授奖组织名单', en: '审定 of the proposed winners' },
  list: { zh: '提请审定的拟授奖组织名单', en: 'The list put to the meeting' },
  awaitChair: { zh: '主持人尚未记录会场举手结果；成员在平板上表决时无需监督小组确认。', en: 'The chair has not recorded the hands in the room; members voting on their tablets need no confirmation.' },
  record: { zh: '主持人 {name} 记录：同意 {for}，不同意 {against}，弃权 {abstain}；出席成员 {present} 人，全体成员 {total} 人。', en: 'Chair {name} recorded: for {for}, against {against}, abstain {abstain}; {present} present of {total} members.' },
  sigOk: { zh: '主持人签名有效：与公开日志中主持人签到时的设备密钥（日志第 {index} 条）一致。', en: 'The chair’s signature verifies with the device key of the chair’s check-in in the public log (entry {index}).' },
  sigBad: { zh: '主持人签名与公开日志中主持人签到时的设备密钥不符，不能确认。', en: 'The chair’s signature does not verify with the key of the chair’s logged check-in: do not confirm.' },
  noCheckin: { zh: '本页已验证的日志中没有主持人在本次会议的签到记录，请刷新页面重新验证后再确认。', en: 'The log this page verified has no check-in of the chair at this meeting: reload to verify again before confirming.' },
  ask: { zh: '如记录与会场举手情况一致，请用本设备签名确认。确认记入公开日志，不可撤回。', en: 'If the record matches the hands you saw, confirm it signed with this device. The confirmation is logged and final.' },
  confirm: { zh: '签名确认主持人记录', en: 'Confirm the chair’s record (signed)' },
  adopted: { zh: '拟授奖组织名单已审定（公开日志第 {index} 条）。', en: 'The list is fixed (public log entry {index}).' },
  rejected: { zh: '审定未获通过（公开日志第 {index} 条）。', en: 'The 审定 was not adopted (public log entry {index}).' },
} as const;

type Key = keyof typeof T;
const t = (k: Key, vars: Record<string, string | number> = {}) => T[k][lang].replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));

/** The chair's check-in at the meeting in the verified bundle: its index and device key, or null. */
function loggedCheckin(bundle: ExportBundle | null, meetingId: string, memberId: string): { index: number; deviceKey: string } | null {
  if (!bundle) return null;
  for (const e of bundle.entries) {
    const fields = JSON.parse(utf8Decode(fromBase64(e.entry))) as { type: string; doc: string };
    if (fields.type !== 'checkin') continue;
    const body = bundle.documents[fields.doc];
    if (!body) continue;
    const d = JSON.parse(body) as { meetingId: string; memberId: string; deviceKey: string };
    if (d.meetingId === meetingId && d.memberId === memberId) return { index: e.index, deviceKey: d.deviceKey };
  }
  return null;
}

export async function drawAwardFixing(box: HTMLElement, ctx: { cycleId: string; token: string; verified: () => ExportBundle | null }) {
  let drawn = '';
  const draw = async () => {
    const { fixing } = await api<AwardStateJson>(`/api/v1/cycles/${ctx.cycleId}/award`);
    const live = fixing ? await api<MeetingLiveJson>(`/api/v1/meetings/${fixing.meetingId}/live`, { token: ctx.token }) : null;
    const key = fixing ? `${fixing.id}:${fixing.status}:${fixing.chairRecord ? 1 : 0}:${live?.checkedIn}` : 'none';
    if (key !== drawn) {
      drawn = key;
      replace(box, ...(fixing && live ? view(fixing, live, ctx, () => void draw().catch(() => {})) : []));
    }
    // Followed until the 审定 is decided (none yet: staff may still put one).
    return !fixing || fixing.status === 'proposed';
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

function view(f: Fixing, live: { checkedIn: number; membersTotal: number }, ctx: { cycleId: string; token: string; verified: () => ExportBundle | null }, redraw: () => void): HTMLElement[] {
  const head = h('h2', { id: 'sup-fixing-h' }, t('title'));
  const status = h('span', { class: 'badge badge-info', id: 'sup-fixing-status', 'data-status': f.status }, tr(`pst_${f.status}`));
  if (f.status !== 'proposed') return [head, h('p', {}, status), alertBox(f.status === 'adopted' ? 'ok' : 'warn', t(f.status, { index: f.decidedLogIndex ?? '' }))];
  const list = table(
    [tr('award'), tr('name')],
    f.document.organisations.map((o) => [AWARD_LABEL[o.award]?.[lang] ?? o.award, o.name]),
    { id: 'sup-fixing-organisations' },
  );
  const parts: HTMLElement[] = [head, h('p', {}, status), h('h3', {}, t('list')), list];
  const r = f.chairRecord;
  if (!r) return [...parts, h('p', { class: 'muted' }, t('awaitChair'))];
  parts.push(h('p', { id: 'sup-fixing-record' }, t('record', { name: r.name, for: r.for, against: r.against, abstain: r.abstain, present: live.checkedIn, total: live.membersTotal })));
  const checkin = loggedCheckin(ctx.verified(), f.meetingId, r.memberId);
  if (!checkin) return [...parts, alertBox('warn', t('noCheckin'))];
  if (!verifyDeviceSignature(checkin.deviceKey, awardFixingRecordMessage(f.meetingId, f.documentHash, r), r.signature))
    return [...parts, alertBox('error', h('span', { id: 'sup-fixing-chair-signature', 'data-ok': 'false' }, t('sigBad')))];
  const err = h('div');
  const button = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      id: 'fixing-confirm',
      onclick: async () => {
        button.disabled = true;
        try {
          const device = await supervisorDevice(ctx.cycleId, ctx.token);
          const signature = device.sign(awardFixingConfirmMessage(f.meetingId, f.documentHash, r, r.signature));
          await api(`/api/v1/award-fixings/${f.id}/confirm`, { method: 'POST', token: ctx.token, json: { deviceKey: device.deviceKey, signature } });
          redraw();
        } catch (e) {
          button.disabled = false;
          replace(err, alertBox('error', errorText(e)));
        }
      },
    },
    t('confirm'),
  );
  return [...parts, alertBox('ok', h('span', { id: 'sup-fixing-chair-signature', 'data-ok': 'true' }, `✓ ${t('sigOk', { index: checkin.index })}`)), h('p', {}, t('ask')), button, err];
}
