// The meeting screen (projector): polls the meeting every second with the display key from the link's
// #fragment and redraws — check-ins and quorum, the 表决办法, each vote's phase, the ballot key's
// fingerprint (members compare it with their tablets), tokens issued and ballots cast (counts only),
// and results with the rule applied. Polling works the same behind Node and on Workers.
import { h, replace } from './dom.js';
import type { MeetingScreenJson } from '../../votes/conduct-responses.js';

type Live = MeetingScreenJson;

const PHASE: Record<string, string> = { prepared: '准备中', issuing: '发放选票凭证', casting: '投票中', voting: '举手表决中', closed: '投票结束，待计票', tallied: '已计票' };
const KIND: Record<string, string> = { secret: '无记名投票', 'show-of-hands': '举手表决' };

const app = document.getElementById('app')!;
const meetingId = app.dataset.meeting ?? '';
const key = new URLSearchParams(location.hash.slice(1)).get('k') ?? '';

function ballotCard(b: Live['ballots'][number]) {
  const names = new Map(b.candidates.map((c) => [c.id, c.name]));
  return h(
    'section',
    { class: `card ballot phase-${b.phase}`, id: `screen-ballot-${b.id}` },
    h('h2', {}, `${b.title || '表决'}（${KIND[b.kind]}，名额 ${b.seats} 名）`),
    h('p', { class: 'phase' }, '阶段：', h('strong', { class: 'screen-phase' }, PHASE[b.phase] ?? b.phase)),
    h('p', { class: 'rules' }, '表决办法：', b.rulesText.zh),
    b.keyFingerprint ? h('p', { class: 'fingerprint' }, '选票公钥指纹：', h('code', { class: 'screen-fingerprint' }, b.keyFingerprint)) : null,
    h(
      'p',
      { class: 'counts' },
      b.present !== null ? `出席 ${b.present} 人` : '',
      b.issued !== null ? h('span', {}, '　已发放凭证 ', h('strong', { class: 'screen-issued' }, String(b.issued))) : null,
      h('span', {}, b.kind === 'secret' ? '　已投票 ' : '　已表决 ', h('strong', { class: 'screen-cast' }, String(b.cast))),
    ),
    b.recusals.length ? h('p', { class: 'recusals' }, '回避：', b.recusals.map((r) => `${r.name}（对${r.candidateName}）`).join('、')) : null,
    b.result
      ? h(
          'table',
          { class: 'result' },
          h('thead', {}, h('tr', {}, ...['候选组织', '同意', '不同意', '弃权', '计票基数', '结果'].map((x) => h('th', { scope: 'col' }, x)))),
          h(
            'tbody',
            {},
            ...b.result.candidates.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, r.name),
                h('td', {}, String(r.for)),
                h('td', {}, String(r.against)),
                h('td', {}, String(r.abstain)),
                h('td', {}, String(r.present ?? b.present ?? '')),
                h('td', {}, b.result!.winners.includes(r.candidateId) ? '当选' : r.passed ? '通过' : '未通过'),
              ),
            ),
          ),
        )
      : null,
    b.result?.runoff ? h('p', { class: 'runoff' }, `${b.result.runoff.candidates.map((c) => names.get(c) ?? c).join('、')} 同意票相同，须决选`) : null,
    b.confirmations.length ? h('p', { class: 'confirmed' }, '已确认：', b.confirmations.map((c) => `${c.role === 'counter' ? '计票人' : '监票人'} ${c.name}`).join('、')) : null,
  );
}

function draw(live: Live) {
  replace(
    app,
    h('h1', {}, live.title, h('span', { class: 'muted' }, live.status === 'closed' ? '（已结束）' : '')),
    h(
      'section',
      { class: 'card attendance' },
      h('p', { class: 'big' }, '签到 ', h('strong', { id: 'screen-checked-in' }, String(live.checkedIn)), ` / ${live.membersTotal} 人`),
      h('p', { id: 'screen-quorum', class: live.quorum.met ? 'ok' : 'warn' }, live.quorum.met ? `已达法定人数（至少 ${live.quorum.needed} 人）` : `未达法定人数：至少需要 ${live.quorum.needed} 人`),
      h('ul', { class: 'roster' }, ...live.roster.map((m) => h('li', { class: m.checkedIn ? 'in' : 'out' }, `${m.name}${m.checkedIn ? ' ✓' : ''}`))),
    ),
    live.procedure
      ? h(
          'section',
          { class: 'card procedure' },
          h('h2', {}, `表决办法（${live.procedure.status === 'adopted' ? '已通过' : live.procedure.status === 'proposed' ? '待表决' : '未通过'}）`),
          h('p', {}, live.procedure.rulesText.zh),
          h('p', {}, `计票人：${live.procedure.counters.map((t) => t.name).join('、') || '无'}；监票人：${[...live.procedure.scrutineers.map((t) => t.name), ...live.procedure.supervisorScrutineers.map((t) => `${t.name}（监督小组）`)].join('、') || '无'}`),
        )
      : null,
    ...live.ballots.map(ballotCard),
    h('p', { class: 'muted', id: 'screen-updated' }, `更新于 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}`),
  );
}

async function tick() {
  try {
    const res = await fetch(`/api/v1/meetings/${encodeURIComponent(meetingId)}/screen`, { headers: { 'x-display-key': key }, cache: 'no-store' });
    if (!res.ok) {
      const p = (await res.json().catch(() => ({}))) as { detail_zh?: string; detail?: string };
      replace(app, h('h1', {}, '会场屏幕'), h('p', { class: 'error', role: 'alert' }, p.detail_zh ?? p.detail ?? `错误 ${res.status}`));
    } else draw((await res.json()) as Live);
  } catch {
    // A dropped connection: the next tick retries.
  }
  setTimeout(tick, 1000);
}

void tick();
