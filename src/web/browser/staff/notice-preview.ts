// A draft notice as it will be published (GET /api/v1/notices/{id}/preview): the organisations of a list
// (with each ballot's winners and their award) and the objections of a result notice with their decisions.
import { AWARD_LABEL } from '../../i18n.js';
import { h, lang, table, tr } from '../dom.js';
import type { MsgKey } from '../../i18n.js';
import type { NoticePreviewJson } from '../../../notices/responses.js';

export type NoticePreview = NoticePreviewJson;

export function previewBox(title: string, p: NoticePreview, body?: string) {
  return h(
    'div',
    { class: 'preview' },
    h('h3', {}, title),
    body ? body.split(/\n+/).map((x) => h('p', {}, x)) : null,
    p.objections
      ? table(
          [tr('trackingNo'), tr('objectTo'), tr('receivedDate'), tr('decision'), tr('resultSummary')],
          p.objections.map((o) => [o.trackingNo, o.organisation, o.receivedDate, tr(`dec_${o.decision}` as MsgKey), o.summary]),
          { class: 'table preview-objections' },
        )
      : p.organisations.length
        ? h('ol', { class: 'preview-organisations' }, p.organisations.map((o) => h('li', {}, o.name, o.award ? `（${AWARD_LABEL[o.award]?.[lang] ?? o.award}）` : '', o.code ? ` ${o.code}` : '')))
        : h('p', { class: 'muted' }, tr('none')),
  );
}
