// 审定 on the member's tablet (三(三)8, src/award/fixing.ts): when staff put the 审定 of the 拟授奖组织名单 to the
// member's meeting, the tablet shows the list and what it rests on — the published 初选授奖组织名单, every
// 公示 closed, every objection answered, the entries a correction removed, the adopted 表决办法 — and a
// checked-in member signs 同意/不同意/弃权 over the proposal's hash with the device key. The chair's tablet
// also offers the signed record of the hands raised in the room (a supervisor confirms it on the
// supervisors' page). A member not checked in sees the list and no button. Redrawn only when the proposal,
// the member's vote or the chair's record changes.
import type { Tablet } from '../../../protocol/tablet.js';
import type { AwardFixingJson } from '../../../award/responses.js';
import { describeRules, type Choice } from '../../../votes/rules.js';
import { AWARD_LABEL } from '../../i18n.js';
import { ApiError, alertBox, beijing, errorText, h, lang, replace, table, tr } from '../dom.js';
import type { NoticeJson } from '../../../notices/responses.js';

/** GET /api/v1/meetings/{id}/award-fixing as the tablet reads it. */
type FixingView = AwardFixingJson;


const T = {
  title: { zh: '审定拟授奖组织名单', en: '审定: fixing the proposed winners' },
  intro: {
    zh: '根据《杭州市政府质量奖管理办法》三（三）8，现提请评审组对拟授奖组织名单进行审定。',
    en: 'Under clause 三(三)8 of the award’s rules, the judging group is asked to fix the list of proposed winners.',
  },
  list: { zh: '拟授奖组织名单', en: 'Proposed winners' },
  no: { zh: '序号', en: 'No.' },
  organisation: { zh: '组织名称', en: 'Organisation' },
  code: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  basis: { zh: '审定依据', en: 'What the list rests on' },
  initialWinners: { zh: '经公示的《{title}》（公开日志第 {index} 条）所列当选组织；', en: 'the winners on the published “{title}” (public log entry {index});' },
  listsClosed: { zh: '本周期公示的名单共 {n} 份，公示期均已届满（最后一份于{date}届满）；', en: 'all {n} lists of the cycle were published and their windows are over (the last ended {date});' },
  noObjections: { zh: '公示期内未收到异议；', en: 'no objection was received;' },
  objections: { zh: '公示期内收到异议 {n} 件（{numbers}），均已公示核查结果；', en: '{n} objection(s) ({numbers}), each answered by a published result;' },
  removed: { zh: '经更正公告，{names}已从名单中删除；', en: 'removed by correction notices: {names};' },
  rules: { zh: '按本次会议通过的表决办法（公开日志第 {index} 条）表决：{rules}。', en: 'decided under the meeting’s adopted 表决办法 (public log entry {index}): {rules}' },
  ask: { zh: '请对以上拟授奖组织名单表决：', en: 'Your vote on this list:' },
  myVote: { zh: '您的表决已签名提交：{choice}', en: 'Your signed vote: {choice}' },
  notCheckedIn: { zh: '您未在本次会议签到，不参加本项审定表决。', en: 'You have not checked in at this meeting: you do not vote on the 审定.' },
} as const;

type Key = keyof typeof T;
const t = (k: Key, vars: Record<string, string | number> = {}) => T[k][lang].replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));
/** An end of day as a notice writes it: 2026年3月10日24时. */
const dayEnd = (iso: string) => {
  const local = beijing(iso);
  if (lang === 'en') return local;
  const [d, time] = local.split(' ');
  const date = `${Number(d!.slice(0, 4))}年${Number(d!.slice(5, 7))}月${Number(d!.slice(8, 10))}日`;
  return time === '24:00' ? `${date}24时` : `${date}${time}`;
};
const awardName = (award: string) => AWARD_LABEL[award]?.[lang] ?? award;

const CHOICES: Choice[] = ['for', 'against', 'abstain'];
let drawnKey = '';
let last: FixingView | null = null;
const titles = new Map<string, string>();

async function fetchFixing(tablet: Tablet, meetingId: string): Promise<FixingView | null> {
  try {
    const r = await fetch(`/api/v1/meetings/${meetingId}/award-fixing`, { headers: { authorization: `Bearer ${tablet.session}` }, cache: 'no-store' });
    if (r.status === 404) return null;
    if (!r.ok) throw new ApiError(r.status, await r.json());
    return (await r.json()) as FixingView;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    return last; // a dropped request: keep what is shown
  }
}

/** The 初选 list's title from its public notice (kept once read). */
async function noticeTitle(id: string): Promise<string> {
  const known = titles.get(id);
  if (known) return known;
  const r = await fetch(`/api/v1/notices/${id}`, { cache: 'no-store' });
  if (!r.ok) return id;
  const title = ((await r.json()) as NoticeJson).title;
  titles.set(id, title);
  return title;
}

/** Draws the 审定 under discussion into `box` (empty when there is none). */
export async function renderAwardFixing(tablet: Tablet, box: HTMLElement, meetingId: string, checkedIn: boolean) {
  const f = await fetchFixing(tablet, meetingId);
  last = f;
  const key = f ? `${f.id}:${f.status}:${f.myVote}:${f.chairRecord ? 1 : 0}:${checkedIn}` : 'none';
  if (key === drawnKey && (box.childElementCount || !f)) return;
  drawnKey = key;
  if (!f) return replace(box);
  const again = () => {
    drawnKey = '';
    void renderAwardFixing(tablet, box, meetingId, checkedIn);
  };
  const err = h('div', { class: 'fixing-error' });
  const parts: HTMLElement[] = [h('h2', { id: 'fixing-h' }, t('title')), h('p', {}, t('intro')), h('h3', {}, t('list')), orgTable(f), await basis(f)];
  if (!checkedIn) parts.push(alertBox('info', h('span', { id: 'fixing-not-checked-in' }, t('notCheckedIn'))));
  else {
    if (f.myVote) parts.push(alertBox('ok', h('span', { id: 'fixing-my-vote', 'data-choice': f.myVote }, t('myVote', { choice: tr(f.myVote) }))));
    else parts.push(h('p', {}, t('ask')), voteButtons(tablet, f, err, again));
    if (tablet.device.isChair) parts.push(chairRecordForm(tablet, f, err, again));
  }
  parts.push(err);
  replace(box, ...parts);
}

function orgTable(f: FixingView) {
  return table(
    [t('no'), tr('award'), t('organisation'), t('code')],
    f.document.organisations.map((o, i) => [String(i + 1), awardName(o.award), o.name, h('span', { class: 'mono' }, o.code ?? '')]),
    { id: 'fixing-organisations' },
  );
}

async function basis(f: FixingView) {
  const d = f.document;
  const items: string[] = [t('initialWinners', { title: await noticeTitle(d.initialWinners.id), index: d.initialWinners.logIndex })];
  const lastClose = d.lists.map((l) => l.closesAt).sort().at(-1);
  if (lastClose) items.push(t('listsClosed', { n: d.lists.length, date: dayEnd(lastClose) }));
  items.push(d.objections.length ? t('objections', { n: d.objections.length, numbers: d.objections.map((o) => o.trackingNo).join('、') }) : t('noObjections'));
  if (d.removed.length) items.push(t('removed', { names: d.removed.map((r) => `${r.name}（${awardName(r.award)}）`).join('、') }));
  items.push(t('rules', { index: d.procedureLogIndex, rules: describeRules(d.rules)[lang] }));
  return h('div', { id: 'fixing-basis' }, h('h3', {}, t('basis')), h('ol', {}, items.map((x) => h('li', {}, x))));
}

function voteButtons(tablet: Tablet, f: FixingView, err: HTMLElement, again: () => void) {
  return h(
    'div',
    { class: 'actions fixing-vote' },
    CHOICES.map((choice) =>
      h(
        'button',
        {
          type: 'button',
          class: choice === 'for' ? 'primary big' : 'big',
          id: `fixing-vote-${choice}`,
          onclick: async (ev: Event) => {
            const button = ev.currentTarget as HTMLButtonElement;
            button.disabled = true;
            try {
              await tablet.voteAwardFixing({ id: f.id, meetingId: f.meetingId, documentHash: f.documentHash }, choice);
              again();
            } catch (e) {
              replace(err, alertBox('error', errorText(e)));
              button.disabled = false;
            }
          },
        },
        tr(choice),
      ),
    ),
  );
}

/** The chair's signed record of the hands raised in the room on the 审定; it takes effect once a supervisor confirms it. */
function chairRecordForm(tablet: Tablet, f: FixingView, err: HTMLElement, again: () => void) {
  if (f.chairRecord) return alertBox('info', h('span', { id: 'fixing-chair-recorded' }, tr('procedureRecorded', f.chairRecord)));
  const inputs = CHOICES.map((c) => h('input', { type: 'number', min: 0, max: 1000, value: 0, required: true, id: `fixing-record-${c}`, class: 'count' }));
  return h(
    'form',
    {
      class: 'form fixing-record',
      id: 'fixing-record',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const button = (ev.currentTarget as HTMLFormElement).querySelector('button')!;
        button.disabled = true;
        const [yes, no, abstain] = inputs.map((i) => Number(i.value));
        try {
          await tablet.recordAwardFixing({ id: f.id, meetingId: f.meetingId, documentHash: f.documentHash }, { for: yes!, against: no!, abstain: abstain! });
          again();
        } catch (e) {
          replace(err, alertBox('error', errorText(e)));
          button.disabled = false;
        }
      },
    },
    h('h3', {}, tr('procedureChairRecord')),
    CHOICES.map((c, i) => h('label', { for: inputs[i]!.id }, tr(c), ' ', inputs[i]!)),
    h('div', {}, h('button', { type: 'submit', class: 'big' }, tr('procedureRecordSign'))),
  );
}
