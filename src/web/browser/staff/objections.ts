// Staff console, objections tab: the objections of the cycle with their due dates (overdue marked),
// and one objection's handling: the objector's files (downloaded with the staff token), assignment,
// findings, decision, its history in words, and the result notice — written as a draft, previewed as it
// will be published, then published only on confirmation.
import type { MsgKey } from '../../i18n.js';
import { alertBox, beijing, errorText, field, h, replace, table, tr, type Kid } from '../dom.js';
import { act, call, panel, post, say, staff } from './context.js';
import { previewBox, type NoticePreview } from './notice-preview.js';
import type { ObjectionDetailJson, ObjectionListJson, ObjectionSummaryJson } from '../../../objections/responses.js';
import type { NoticeJson, NoticeListJson } from '../../../notices/responses.js';

type Objection = ObjectionSummaryJson;

type StoredFile = ObjectionDetailJson['files'][number];

type Detail = ObjectionDetailJson;

type DraftNotice = NoticeJson;

/** Draws the list, and the detail of `openId` below it (kept open after an action). */
export async function drawObjections(openId?: string) {
  const { objections } = await call<ObjectionListJson>(`/api/v1/objections?cycleId=${staff.cycleId}`);
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
  if (openId) await drawObjection(detail, openId);
}

/** Fetches a file with the staff token and hands it to the browser as a download under its own name. */
async function download(id: string, f: StoredFile) {
  try {
    const res = await fetch(`/api/v1/objections/${id}/files/${f.position}`, { headers: { authorization: `Bearer ${staff.token}` } });
    if (!res.ok) throw new Error(tr('downloadFailed'));
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: f.name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    say('error', errorText(e));
  }
}

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.ceil(n / 1024)} KB` : `${n} 字节`);

function fileLinks(id: string, files: StoredFile[]): Kid {
  if (!files.length) return tr('none');
  return h(
    'ul',
    { class: 'plain', id: 'evidence-files' },
    files.map((f) => h('li', {}, h('button', { type: 'button', class: 'link download', onclick: () => void download(id, f) }, f.name), ` （${size(f.size)}）`)),
  );
}

/** Who did it, in words: the objector, the system, or a staff member by name. */
function actorName(actor: string): string {
  if (actor === 'public') return tr('actorObjector');
  if (actor === 'system') return tr('actorSystem');
  const m = /^(staff|supervisor):\d+:(.*)$/.exec(actor);
  return m ? m[2]! : actor;
}

/** One history line: what was done, with its content. */
function eventText(e: Detail['events'][number]): string {
  const d = e.detail;
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  switch (e.action) {
    case 'received':
      return tr('ev_received');
    case 'registered':
      return tr('ev_registered');
    case 'assigned':
      return tr('ev_assigned', { units: Array.isArray(d.units) ? (d.units as string[]).join('、') : '' });
    case 'findings':
      return tr('ev_findings', { text: s('findings'), unit: s('unit') });
    case 'hold-kept':
      return tr('ev_hold_kept', { text: s('reason') });
    case 'decided':
      return tr('ev_decided', { decision: tr(`dec_${s('decision')}` as MsgKey), text: s('summary') });
    case 'overdue':
      return tr('ev_overdue', { date: s('dueDate') });
    case 'result-published':
      return tr('ev_result');
    case 'due-corrected':
      return tr('ev_due_corrected', { from: s('from'), to: s('to') });
    default:
      return e.action;
  }
}

async function drawObjection(box: HTMLElement, id: string) {
  const o = await call<Detail>(`/api/v1/objections/${id}`);
  // After an action the whole tab is drawn again: the list's status and days left change too.
  const redraw = () => void drawObjections(id);
  const decision = h('select', {}, ['upheld', 'partly-upheld', 'rejected'].map((d) => h('option', { value: d, selected: o.decision === d }, tr(`dec_${d}` as MsgKey))));
  const summary = h('textarea', { rows: 3 }, o.decisionSummary ?? '');
  const row = (k: MsgKey, v: Kid) => [h('dt', {}, tr(k)), h('dd', {}, v)];
  const open = o.status !== 'published';
  const resultBox = h('div', { id: 'result-notice' });
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
        o.letter ? row('letterShort', fileLinks(id, [o.letter])) : null,
        row('files', fileLinks(id, o.files)),
        row('dueEndsAt', beijing(o.dueEndsAt) + (o.overdue ? ` — ${tr('overdue')}` : '')),
        row('status', tr(`st_${o.status}` as MsgKey)),
        // What was done stays shown once the result is out.
        open ? null : row('assignUnitsShort', o.assignedUnits.join('、') || tr('none')),
        open ? null : row('findings', o.findings ?? tr('none')),
        open || !o.decision ? null : row('decision', `${tr(`dec_${o.decision}` as MsgKey)}：${o.decisionSummary ?? ''}`),
        o.hold ? row('holdShort', holdText(o.hold)) : null,
      ),
      open && !o.decision ? unitForms(o, redraw) : null,
      open && o.units.length ? h('p', { class: 'muted' }, tr('decisionCites')) : null,
      open ? unitList(o) : null,
      open
        ? [
            h(
              'form',
              { class: 'form', id: 'decide-form', onsubmit: act(() => post(`/api/v1/objections/${id}/decision`, { decision: decision.value, summary: summary.value }), redraw) },
              field(tr('decision'), decision),
              field(tr('decisionSummary'), summary),
              h('div', {}, h('button', { type: 'submit' }, tr('decide'))),
            ),
          ]
        : null,
      o.hold?.state === 'held' && !open ? keepForm(o, redraw) : null,
      resultBox,
      o.resultNoticeId ? h('p', {}, `${tr('resultNotice')}：`, h('a', { href: `/notices/${o.resultNoticeId}`, id: 'result-notice-link' }, tr('viewNotice'))) : null,
      h('h4', {}, tr('history')),
      h('ul', { id: 'objection-history' }, o.events.map((e) => h('li', {}, `${beijing(e.at)} ${actorName(e.actor)}：${eventText(e)}`))),
    ),
  );
  if (o.status === 'decided' && !o.resultNoticeId) await drawResultDraft(resultBox, o, redraw);
}

/** The hold of an upheld objection's entry, in words. */
function holdText(hold: NonNullable<Detail['hold']>): string {
  if (hold.state === 'kept') return tr('holdKept', { reason: hold.reason ?? '' });
  return hold.state === 'removed' ? tr('holdRemoved') : tr('holdHeld');
}

/** Units chosen from the roster (those assigned stay ticked), then a finding for each assigned unit not yet heard. */
function unitForms(o: Detail, redraw: () => void): Kid {
  const assigned = new Set(o.units.map((u) => u.unit));
  const boxes = o.rosterUnits.map((unit, i) => h('input', { type: 'checkbox', value: unit, id: `unit-${i}`, checked: assigned.has(unit), disabled: assigned.has(unit) }));
  const chooser = o.rosterUnits.length
    ? h(
        'form',
        { class: 'form', id: 'assign-form', onsubmit: act(() => post(`/api/v1/objections/${o.id}/assignment`, { units: boxes.filter((b) => b.checked && !b.disabled).map((b) => b.value) }), redraw) },
        h('fieldset', {}, h('legend', {}, tr('assignUnits')), boxes.map((b, i) => h('label', { class: 'check', for: b.id }, b, ` ${o.rosterUnits[i]}`))),
        h('div', {}, h('button', { type: 'submit' }, tr('assign'))),
      )
    : h('p', { class: 'muted' }, tr('noRosterUnits'));
  const findingForms = o.units
    .filter((u) => u.finding === null)
    .map((u, i) => {
      const text = h('textarea', { rows: 3, id: `finding-text-${i}` });
      return h(
        'form',
        { class: 'form finding-form', onsubmit: act(() => post(`/api/v1/objections/${o.id}/findings`, { unit: u.unit, findings: text.value }), redraw) },
        field(tr('unitFinding', { unit: u.unit }), text),
        h('div', {}, h('button', { type: 'submit' }, tr('saveFindings'))),
      );
    });
  return [chooser, findingForms];
}

/** Each assigned unit and its finding as recorded (or pending). */
function unitList(o: Detail): Kid {
  if (!o.units.length) return null;
  return h(
    'ul',
    { class: 'plain', id: 'unit-findings' },
    o.units.map((u) => h('li', {}, h('strong', {}, u.unit), '：', u.finding ?? tr('findingPending'), u.findingAt ? h('span', { class: 'muted' }, `（${beijing(u.findingAt)}）`) : null)),
  );
}

/** An upheld objection's entry still on its list: the judging group's reason for keeping it. */
function keepForm(o: Detail, redraw: () => void): Kid {
  const reason = h('textarea', { rows: 3 });
  return h(
    'form',
    { class: 'form', id: 'keep-form', onsubmit: act(() => post(`/api/v1/objections/${o.id}/keep`, { reason: reason.value }), redraw) },
    field(tr('keepReason'), reason),
    h('div', {}, h('button', { type: 'submit' }, tr('keepEntry'))),
  );
}

/** The result notice: a draft written for this objection, its preview, and publishing on confirmation. */
async function drawResultDraft(box: HTMLElement, o: Detail, redraw: () => void) {
  const drafts = (await call<NoticeListJson>(`/api/v1/notices?cycleId=${staff.cycleId}&state=draft`)).notices;
  const draft = drafts.find((n) => n.draft?.objectionIds.includes(o.id));
  if (!draft) {
    replace(
      box,
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'draft-result',
          onclick: act(
            () =>
              post('/api/v1/notices', {
                cycleId: staff.cycleId,
                type: 'objection-result',
                title: `关于${o.organisation}异议核查结果的公告`,
                body: `根据《杭州市政府质量奖管理办法》三（三）7，现将受理编号 ${o.trackingNo} 的异议核查结果予以公布。`,
                objectionIds: [o.id],
              }),
            redraw,
          ),
        },
        tr('draftResult'),
      ),
    );
    return;
  }
  let preview: Kid;
  try {
    preview = previewBox(draft.title, await call<NoticePreview>(`/api/v1/notices/${draft.id}/preview`));
  } catch (e) {
    preview = alertBox('error', errorText(e));
  }
  replace(
    box,
    h('h4', {}, tr('resultDraft'), ' ', h('span', { class: 'badge badge-closed' }, tr('draft'))),
    preview,
    h(
      'div',
      { class: 'row-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'publish-result',
          onclick: (ev: Event) => {
            if (!confirm(tr('publishConfirm'))) return;
            void act(
              () => post<NoticeJson>(`/api/v1/notices/${draft.id}/publish`),
              (r) => {
                say('ok', `${tr('resultNotice')}：`, h('a', { href: `/notices/${r.id}` }, r.title));
                redraw();
              },
            )(ev);
          },
        },
        tr('publishResult'),
      ),
      h('button', { type: 'button', id: 'discard-result', onclick: act(() => call(`/api/v1/notices/${draft.id}`, { method: 'DELETE' }), redraw) }, tr('deleteDraft')),
    ),
  );
}
