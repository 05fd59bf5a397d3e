// Staff console, objections tab: the objections of the cycle with their due dates (overdue marked),
// and one objection's handling: assignment, findings, decision, and the result notice.
import type { MsgKey } from '../../i18n.js';
import { beijing, field, h, replace, table, tr, type Kid } from '../dom.js';
import { act, call, panel, post, say, staff } from './context.js';

interface Objection {
  id: string;
  trackingNo: string;
  noticeId: string;
  organisation: string;
  receivedDate: string;
  dueDate: string;
  dueEndsAt: string;
  workingDaysLeft: number | null;
  overdue: boolean;
  status: string;
  decision: string | null;
  resultNoticeId: string | null;
}

export async function drawObjections() {
  const { objections } = await call<{ objections: Objection[] }>(`/api/v1/objections?cycleId=${staff.cycleId}`);
  const detail = h('div', { id: 'objection-detail' });
  replace(
    panel,
    h('h2', {}, tr('objectionsSection')),
    objections.length
      ? table(
          [tr('trackingNo'), tr('objectTo'), tr('receivedDate'), tr('dueDate'), tr('workingDaysLeft'), tr('status'), tr('decision'), ''],
          objections.map((o) => [
            h('span', { class: 'mono' }, o.trackingNo),
            o.organisation,
            o.receivedDate,
            h('span', { class: o.overdue ? 'bad-text' : '' }, o.dueDate, o.overdue ? ` ${tr('overdue')}` : ''),
            o.workingDaysLeft === null ? '' : String(o.workingDaysLeft),
            tr(`st_${o.status}` as MsgKey),
            o.decision ? tr(`dec_${o.decision}` as MsgKey) : '',
            h('button', { type: 'button', class: 'small', id: `open-${o.trackingNo}`, onclick: () => void drawObjection(detail, o.id) }, tr('details')),
          ]),
          { id: 'objections' },
        )
      : h('p', { class: 'muted' }, tr('noObjections')),
    detail,
  );
}

async function drawObjection(box: HTMLElement, id: string) {
  const o = await call<
    Objection & {
      name: string;
      contact: string;
      facts: string;
      reasons: string;
      findings: string | null;
      decisionSummary: string | null;
      assignedUnits: string[];
      files: { position: number; name: string; size: number; sha256: string }[];
      events: { at: string; actor: string; action: string }[];
    }
  >(`/api/v1/objections/${id}`);
  const redraw = () => void drawObjection(box, id);
  const units = h('input', { value: o.assignedUnits.join(', ') });
  const findings = h('textarea', { rows: 3 }, o.findings ?? '');
  const decision = h('select', {}, ['upheld', 'partly-upheld', 'rejected'].map((d) => h('option', { value: d, selected: o.decision === d }, tr(`dec_${d}` as MsgKey))));
  const summary = h('textarea', { rows: 3 }, o.decisionSummary ?? '');
  const row = (k: MsgKey, v: Kid) => [h('dt', {}, tr(k)), h('dd', {}, v)];
  replace(
    box,
    h(
      'div',
      { class: 'panel', id: `objection-${o.trackingNo}` },
      h('h3', {}, `${tr('trackingNo')} ${o.trackingNo}`),
      h(
        'dl',
        { class: 'facts' },
        row('objector', `${o.name} · ${o.contact}`),
        row('objectTo', o.organisation),
        row('facts', o.facts),
        row('reasons', o.reasons),
        row('files', o.files.map((f) => `${f.name} (${f.size} B)`).join('、') || tr('none')),
        row('dueEndsAt', beijing(o.dueEndsAt) + (o.overdue ? ` — ${tr('overdue')}` : '')),
        row('status', tr(`st_${o.status}` as MsgKey)),
      ),
      o.status !== 'published'
        ? [
            h('form', { class: 'inline-form', onsubmit: act(() => post(`/api/v1/objections/${id}/assignment`, { units: units.value.split(/[,，、]\s*/).map((s) => s.trim()).filter(Boolean) }), redraw) }, h('label', {}, tr('assignUnits'), units), h('button', { type: 'submit' }, tr('assign'))),
            h('form', { class: 'form', onsubmit: act(() => post(`/api/v1/objections/${id}/findings`, { findings: findings.value }), redraw) }, field(tr('findings'), findings), h('div', {}, h('button', { type: 'submit' }, tr('saveFindings')))),
            h(
              'form',
              { class: 'form', id: 'decide-form', onsubmit: act(() => post(`/api/v1/objections/${id}/decision`, { decision: decision.value, summary: summary.value }), redraw) },
              field(tr('decision'), decision),
              field(tr('decisionSummary'), summary),
              h('div', {}, h('button', { type: 'submit' }, tr('decide'))),
            ),
          ]
        : null,
      o.status === 'decided' && !o.resultNoticeId
        ? h(
            'button',
            {
              type: 'button',
              class: 'primary',
              id: 'publish-result',
              onclick: act(
                async () => {
                  const n = await post<{ id: string }>('/api/v1/notices', {
                    cycleId: staff.cycleId,
                    type: 'objection-result',
                    title: `关于对“${o.organisation}”异议的核查结果公告`,
                    body: `根据《杭州市政府质量奖管理办法》三（三）7，现将对受理编号 ${o.trackingNo} 异议的核查结果予以公布。`,
                    objectionIds: [id],
                  });
                  return post<{ id: string }>(`/api/v1/notices/${n.id}/publish`);
                },
                (r) => {
                  const n = r as { id: string };
                  say('ok', tr('resultNotice'), ': ', h('a', { href: `/notices/${n.id}`, id: 'result-notice-link' }, n.id));
                  redraw();
                },
              ),
            },
            tr('publishResult'),
          )
        : null,
      o.resultNoticeId ? h('p', {}, `${tr('resultNotice')}: `, h('a', { href: `/notices/${o.resultNoticeId}` }, o.resultNoticeId)) : null,
      h('h4', {}, tr('details')),
      h('ul', {}, o.events.map((e) => h('li', {}, `${beijing(e.at)} ${e.actor} ${e.action}`))),
    ),
  );
}
