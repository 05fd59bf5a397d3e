// Staff console, 工作日历 tab: the working-day calendar every window and 5-working-day clock counts
// with. A new year's State Council table is entered from the text of its notice
// (国务院办公厅关于YYYY年部分节假日安排的通知): the text is parsed and shown day by day, and only what
// staff saw is published (the preview's hash is sent back), as a public log entry; due dates computed
// provisionally are then recomputed, each change a logged correction listed here. Local days off or
// working days (本地调整) are added and withdrawn here too, each a log entry.
import { h, replace, table, tr, field } from '../dom.js';
import { act, call, panel, post, say } from './context.js';
import type { CalendarInfoJson, TablePreviewJson, TablePublishedJson } from '../../../calendar/responses.js';

type CalendarInfo = CalendarInfoJson;
type TablePreview = TablePreviewJson;
type Published = TablePublishedJson;

export async function drawCalendar() {
  const cal = await call<CalendarInfo>('/api/v1/calendar');
  const pending = cal.provisional.years.filter((y) => !cal.years.includes(y));
  const text = h('textarea', { id: 'table-text', rows: 10, required: true, minlength: 50 });
  const url = h('input', { id: 'table-url', type: 'url', required: true, placeholder: 'https://www.gov.cn/zhengce/content/…' });
  const preview = h('div', { id: 'table-preview' });
  const date = h('input', { id: 'override-date', type: 'date', required: true });
  const kind = h('select', { id: 'override-kind' }, h('option', { value: 'off' }, tr('dayOff')), h('option', { value: 'work' }, tr('dayWork')));
  const reason = h('input', { id: 'override-reason', required: true, maxlength: 500 });
  replace(
    panel,
    h('h2', {}, tr('calendarSection')),
    h('p', {}, tr('calendarYears', { years: cal.years.join('、') })),
    pending.length ? h('p', { class: 'muted', id: 'calendar-provisional' }, tr('calendarProvisional', { years: yearsText(pending) })) : null,
    table(
      [tr('calendarSource'), tr('publishedAt')],
      cal.sources.map((s) => [h('a', { href: s.url, rel: 'noreferrer' }, `${s.title}（${s.number}）`), s.published]),
      { id: 'calendar-sources' },
    ),
    h('h3', {}, tr('tableEntry')),
    h('p', { class: 'muted' }, tr('tableEntryIntro')),
    h(
      'form',
      {
        class: 'form',
        id: 'table-form',
        onsubmit: act(
          () => post<TablePreview>('/api/v1/calendar/tables/preview', { text: text.value, url: url.value.trim() }),
          (p) => replace(preview, previewCard(p, text.value, url.value.trim())),
        ),
      },
      ...field(tr('tableText'), text),
      ...field(tr('tableUrl'), url),
      h('div', {}, h('button', { type: 'submit' }, tr('tablePreview'))),
    ),
    preview,
    h('h3', {}, tr('overridesTitle')),
    cal.overrides.length
      ? table(
          [tr('date'), tr('overrideKind'), tr('overrideReason'), ''],
          cal.overrides.map((o) => [
            o.date,
            tr(o.kind === 'off' ? 'dayOff' : 'dayWork'),
            o.reason,
            h('button', { type: 'button', class: 'small', id: `withdraw-${o.date}`, onclick: act(() => call(`/api/v1/calendar/overrides/${o.date}`, { method: 'DELETE' })) }, tr('withdraw')),
          ]),
          { id: 'overrides' },
        )
      : h('p', { class: 'muted' }, tr('none')),
    h(
      'form',
      { class: 'inline-form', id: 'override-form', onsubmit: act(() => post('/api/v1/calendar/overrides', { date: date.value, kind: kind.value, reason: reason.value.trim() })) },
      h('label', {}, tr('date'), date),
      h('label', {}, tr('overrideKind'), kind),
      h('label', {}, tr('overrideReason'), reason),
      h('button', { type: 'submit' }, tr('overrideAdd')),
    ),
  );
}

/** 2028、2029 or, for a longer run, 2028年至2035 (the message adds the last 年). */
const yearsText = (ys: number[]) => (ys.length > 2 && ys.every((y, i) => i === 0 || y === ys[i - 1]! + 1) ? `${ys[0]}年至${ys.at(-1)}` : ys.join('、'));

/** The parsed table, day by day, and the button that publishes exactly it. */
function previewCard(p: TablePreview, text: string, url: string): HTMLElement {
  return h(
    'div',
    { class: 'panel' },
    h('h4', {}, `${p.notice.title}（${p.notice.number}，${p.notice.published}）`),
    h('p', {}, tr('tablePreviewCheck', { year: p.year, days: p.days.length })),
    table(
      [tr('date'), tr('weekday'), tr('overrideKind'), tr('holiday'), tr('tableItem')],
      p.days.map((d) => [d.date, d.weekday, h('span', { class: d.kind === 'off' ? 'ok-text' : 'bad-text' }, tr(d.kind === 'off' ? 'dayOff' : 'dayWork')), d.holiday, d.item]),
      { id: 'table-days' },
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        id: 'table-publish',
        onclick: (ev: Event) => {
          // Dismissing the confirmation publishes nothing and leaves the button as it was.
          if (!confirm(tr('tablePublishConfirm', { year: p.year }))) return;
          return act(
            () => post<Published>('/api/v1/calendar/tables', { text, url, confirm: p.confirm }),
            (r) => {
              say(
                'ok',
                tr('tablePublished', { year: r.year, index: r.logIndex, n: r.corrections.length }),
                r.corrections.length ? h('ul', { id: 'table-corrections' }, r.corrections.map((c) => h('li', {}, tr('dueCorrectedLine', { no: c.trackingNo, previous: c.previous, current: c.current })))) : null,
              );
              void drawCalendar();
            },
          )(ev);
        },
      },
      tr('tablePublish', { year: p.year }),
    ),
  );
}
