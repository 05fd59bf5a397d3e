// Staff console, 审定与表彰 tab (src/award/): after the 公示, what still stands in the way of the 审定 (open
// windows, unanswered objections, entries on hold); putting the 审定 of the 拟授奖组织名单 to an open meeting and
// closing the members' show of hands (or showing the chair's record awaiting a supervisor); recording the
// bureau's submission to the city government and the government's decision (date, 文号, document file); and
// publishing the 表彰通报, whose list is the decision's. Each irreversible step asks for confirmation first.
import type { AwardStateJson } from '../../../award/responses.js';
import type { NoticeListJson } from '../../../notices/responses.js';
import type { MeetingListJson } from '../../../votes/conduct-responses.js';
import type { NoticeJson } from '../../../notices/responses.js';
import { AWARD_LABEL } from '../../i18n.js';
import { AWARD_FILE_MAX_BYTES } from '../../../award/file-limit.js';
import { limitText, sizeText } from '../../../http/sizes.js';
import { alertBox, h, lang, replace, table } from '../dom.js';
import { act, call, panel, post, say, staff } from './context.js';

const T = {
  title: { zh: '审定与表彰', en: '审定 and award' },
  blocked: { zh: '尚不能审定：', en: 'The 审定 cannot be proposed yet: ' },
  openWindow: { zh: '公示期未满：', en: 'window still open: ' },
  unanswered: { zh: '尚未公示核查结果的异议：', en: 'objections without a published result: ' },
  held: { zh: '因异议成立暂缓的条目：', en: 'entries on hold: ' },
  ready: { zh: '全部公示期已满，异议均已答复，可提请评审组审定。', en: 'Every 公示 is over and every objection answered: the 审定 can be proposed.' },
  noList: { zh: '本周期尚未公示初选授奖组织名单。', en: 'No list of initial winners is published yet.' },
  list: { zh: '拟授奖组织名单', en: '拟授奖组织名单 (proposed winners)' },
  meeting: { zh: '会议', en: 'Meeting' },
  noMeeting: { zh: '没有进行中的会议，请先在“会议”页开启会议并通过表决办法。', en: 'No open meeting: open one on the meeting tab and adopt its 表决办法 first.' },
  propose: { zh: '提请会议审定', en: 'Put the 审定 to the meeting' },
  proposeConfirm: { zh: '提请审定后将记入公开日志，确定提请吗？', en: 'The proposal is logged publicly. Propose the 审定?' },
  counts: { zh: '同意 {for}，不同意 {against}，弃权 {abstain}', en: 'for {for}, against {against}, abstain {abstain}' },
  chairRecord: { zh: '主持人已记录（同意 {for}，不同意 {against}，弃权 {abstain}），待监督小组确认。', en: 'The chair recorded for {for}, against {against}, abstain {abstain}; awaiting a supervisor.' },
  close: { zh: '结束举手表决', en: 'Close the show of hands' },
  closeConfirm: { zh: '结束表决后结果将记入公开日志，不可更改。确定结束吗？', en: 'The result is logged and final. Close the vote?' },
  adopted: { zh: '拟授奖组织名单已审定（日志 #{index}）。', en: 'The list is fixed (log #{index}).' },
  rejected: { zh: '上次审定未获通过，可重新提请。', en: 'The last 审定 was not adopted; it may be proposed again.' },
  submission: { zh: '提请市政府审议批准', en: 'Submission to the city government' },
  decision: { zh: '市政府决定', en: 'The city government’s decision' },
  date: { zh: '日期', en: 'Date' },
  number: { zh: '文号', en: 'Document number (文号)' },
  docTitle: { zh: '文件标题', en: 'Title' },
  file: { zh: '文件（PDF、OFD 等，最大 {max}）', en: 'File (PDF, OFD …, at most {max})' },
  fileTooLarge: { zh: '文件为 {size}，超过 {max} 的上限。', en: 'The file is {size}, over the limit of {max}.' },
  record: { zh: '登记', en: 'Record' },
  recordConfirm: { zh: '登记后文件哈希将记入公开日志，不可更改。确定登记吗？', en: 'The file’s hash is logged and final. Record it?' },
  recorded: { zh: '已登记：{number}（{date}），SHA-256 {sha}', en: 'Recorded: {number} ({date}), SHA-256 {sha}' },
  notice: { zh: '表彰通报', en: '表彰通报 (award announcement)' },
  noticeBody: { zh: '正文', en: 'Text' },
  publish: { zh: '发布表彰通报', en: 'Publish the 表彰通报' },
  publishConfirm: { zh: '表彰通报将列出市政府决定的全部获奖组织，发布后不可修改。确定发布吗？', en: 'The announcement lists the decision’s organisations and cannot change. Publish?' },
  published: { zh: '已发布表彰通报 {id}。', en: 'Published {id}.' },
} as const;

type Key = keyof typeof T;
const t = (k: Key, vars: Record<string, string | number> = {}) => T[k][lang].replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));

type Org = NonNullable<AwardStateJson['basis']>['organisations'][number];

const orgList = (orgs: Org[]) => h('ol', { class: 'preview-organisations', id: 'award-organisations' }, orgs.map((o) => h('li', {}, o.name, `（${AWARD_LABEL[o.award]?.[lang] ?? o.award}）`, o.code ? ` ${o.code}` : '')));

async function fileBase64(input: HTMLInputElement) {
  const f = input.files?.[0];
  if (!f) throw new Error(lang === 'zh' ? '请选择文件。' : 'Choose a file.');
  if (f.size > AWARD_FILE_MAX_BYTES) throw new Error(t('fileTooLarge', { size: sizeText(f.size)[lang], max: limitText(AWARD_FILE_MAX_BYTES)[lang] }));
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return { name: f.name, contentBase64: btoa(s) };
}

/** The submission's or the decision's form: date, 文号, title, file; confirmed, then logged. */
function approvalForm(stage: 'submission' | 'decision', defaults: { number: string; title: string }) {
  const date = h('input', { type: 'date', id: `${stage}-date`, required: true });
  const number = h('input', { id: `${stage}-number`, required: true, placeholder: defaults.number, maxlength: 60 });
  const title = h('input', { id: `${stage}-title`, required: true, value: defaults.title, maxlength: 200, size: 50 });
  const file = h('input', { type: 'file', id: `${stage}-file`, required: true, accept: '.pdf,.ofd,.docx,.jpg,.jpeg,.png' });
  return h(
    'form',
    {
      class: 'form',
      id: `${stage}-form`,
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (!confirm(t('recordConfirm'))) return;
        void act(async () => post(`/api/v1/cycles/${staff.cycleId}/award/${stage}`, { date: date.value, documentNumber: number.value.trim(), title: title.value.trim(), file: await fileBase64(file) }))(ev);
      },
    },
    h('label', { for: date.id }, t('date')),
    date,
    h('label', { for: number.id }, t('number')),
    number,
    h('label', { for: title.id }, t('docTitle')),
    title,
    h('label', { for: file.id }, t('file', { max: limitText(AWARD_FILE_MAX_BYTES)[lang] })),
    file,
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, t('record'))),
  );
}

export async function drawAward() {
  const cycleId = staff.cycleId;
  const s = await call<AwardStateJson>(`/api/v1/cycles/${cycleId}/award`);
  const meetings = (await call<MeetingListJson>(`/api/v1/cycles/${cycleId}/meetings`)).meetings.filter((m) => m.status === 'open');
  const year = cycleId.match(/\d{4}/)?.[0] ?? '';
  const box = h('div', {});
  const b0 = s.blockers;
  const blocked = !b0 || b0.openWindows.length + b0.unanswered.length + b0.held.length > 0;

  // 1. What the 审定 rests on, and what stands in its way.
  if (!s.basis || !s.blockers) box.append(alertBox('info', t('noList')));
  else {
    const b = s.blockers;
    if (blocked && s.fixing?.status !== 'adopted')
      box.append(
        alertBox(
          'warn',
          h('span', { id: 'award-blocked' }, t('blocked')),
          b.openWindows.length ? h('div', {}, t('openWindow'), b.openWindows.map((w) => w.id).join('、')) : null,
          b.unanswered.length ? h('div', {}, t('unanswered'), b.unanswered.join('、')) : null,
          b.held.length ? h('div', {}, t('held'), b.held.map((x) => `${x.organisation}（${x.trackingNo}）`).join('、')) : null,
        ),
      );
    else if (s.fixing?.status !== 'adopted') box.append(alertBox('ok', h('span', { id: 'award-ready' }, t('ready'))));
    box.append(h('h3', {}, t('list')), orgList(s.basis.organisations));
  }

  // 2. 审定 at a meeting.
  const f = s.fixing;
  if (f?.status === 'adopted') box.append(alertBox('ok', h('span', { id: 'fixing-adopted' }, `✓ ${t('adopted', { index: f.decidedLogIndex ?? '' })}`)));
  else if (f?.status === 'proposed') {
    box.append(h('p', { id: 'fixing-counts' }, t('counts', f.counts)));
    if (f.chairRecord) box.append(alertBox('info', h('span', { id: 'fixing-chair-record' }, t('chairRecord', f.chairRecord))));
    box.append(
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'fixing-close',
          onclick: (ev: Event) => {
            if (confirm(t('closeConfirm'))) void act(() => post(`/api/v1/award-fixings/${f.id}/close`))(ev);
          },
        },
        t('close'),
      ),
    );
  } else if (s.basis && !blocked) {
    if (f?.status === 'rejected') box.append(alertBox('warn', t('rejected')));
    if (!meetings.length) box.append(h('p', { class: 'muted' }, t('noMeeting')));
    else {
      const select = h('select', { id: 'fixing-meeting' }, meetings.map((m) => h('option', { value: m.id }, m.title)));
      box.append(
        h(
          'form',
          {
            class: 'inline-form',
            id: 'fixing-propose',
            onsubmit: (ev: Event) => {
              ev.preventDefault();
              if (confirm(t('proposeConfirm'))) void act(() => post(`/api/v1/meetings/${select.value}/award-fixing`))(ev);
            },
          },
          h('label', {}, t('meeting'), ' ', select),
          h('button', { type: 'submit', class: 'primary' }, t('propose')),
        ),
      );
    }
  }

  // 3. The submission and the decision.
  const recorded = (stage: 'submission' | 'decision', a: NonNullable<AwardStateJson['submission'] | AwardStateJson['decision']>) =>
    alertBox('ok', h('span', { id: `${stage}-recorded` }, `✓ ${t('recorded', { number: a.document.documentNumber, date: a.document.date, sha: a.document.file.sha256.slice(0, 16) + '…' })}`));
  if (f?.status === 'adopted') {
    box.append(h('h3', {}, t('submission')));
    box.append(s.submission ? recorded('submission', s.submission) : approvalForm('submission', { number: `杭市监〔${year}〕…号`, title: `关于提请审定${year}年度杭州市政府质量奖获奖组织名单的请示` }));
  }
  if (s.submission) {
    box.append(h('h3', {}, t('decision')));
    box.append(s.decision ? recorded('decision', s.decision) : approvalForm('decision', { number: `杭政办函〔${year}〕…号`, title: `关于${year}年度杭州市人民政府质量奖评审结果的通报` }));
  }

  // 4. The 表彰通报: drafted and published in one confirmed step; its list is the decision's.
  if (s.decision) {
    const { notices } = await call<NoticeListJson>(`/api/v1/notices?cycleId=${encodeURIComponent(cycleId)}&type=commendation`);
    box.append(h('h3', {}, t('notice')));
    if (notices.length) box.append(alertBox('ok', h('span', { id: 'commendation-published' }, `✓ ${t('published', { id: notices[0]!.id })}`), ' ', h('a', { href: `/notices/${notices[0]!.id}` }, notices[0]!.title)));
    else {
      const title = h('input', { id: 'commendation-title', required: true, size: 50, value: `关于${year}年度杭州市政府质量奖获奖组织的表彰通报` });
      const body = h('textarea', { id: 'commendation-body', required: true, rows: 3, cols: 60 }, `经评审组审定、市政府批准（${s.decision.document.documentNumber}），下列组织获${year}年度杭州市政府质量奖，予以通报表彰。`);
      box.append(
        orgList(s.basis?.organisations ?? []),
        h(
          'form',
          {
            class: 'form',
            id: 'commendation-form',
            onsubmit: (ev: Event) => {
              ev.preventDefault();
              if (!confirm(t('publishConfirm'))) return;
              void act(async () => {
                const d = await post<NoticeJson>('/api/v1/notices', { cycleId, type: 'commendation', title: title.value.trim(), body: body.value.trim() });
                await post(`/api/v1/notices/${d.id}/publish`);
                say('ok', t('published', { id: d.id }));
              })(ev);
            },
          },
          h('label', { for: title.id }, t('docTitle')),
          title,
          h('label', { for: body.id }, t('noticeBody')),
          body,
          h('div', {}, h('button', { type: 'submit', class: 'primary' }, t('publish'))),
        ),
      );
    }
  }
  replace(panel, h('h2', {}, t('title')), box, s.decision ? table([t('decision'), t('number'), t('date')], [[t('decision'), s.decision.document.documentNumber, s.decision.document.date]], { id: 'award-decision' }) : null);
}
