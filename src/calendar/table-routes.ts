// Staff: entering a new year's State Council table from the text of its notice. Preview parses the
// text and lists every day off and make-up working day; publishing requires the preview's hash (what
// staff saw and confirmed) and appends the table to the public log, after which pending provisional
// due dates are recomputed, each change a logged correction.
import { z } from '@hono/zod-openapi';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { route } from '../auth/guard.js';
import { principalOf } from '../auth/principal.js';
import { jsonBody, jsonResponse, newRouter, problemResponses } from '../openapi.js';
import { Problem } from '../errors.js';
import { weekday } from './dates.js';
import { logEnteredTable } from './log.js';
import { parseHolidayNotice } from './notice-text.js';
import { officialDays, type OfficialYear } from './table.js';
import { Preview, TablePublished } from './responses.js';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

const TableInput = z.object({
  text: z.string().min(50).max(20_000).openapi({ description: 'The notice’s text as published (title, 文号, items 一、…, 落款)' }),
  url: z.string().url().max(500).openapi({ example: 'https://www.gov.cn/zhengce/content/202611/content_0000000.htm' }),
});


function preview(parsed: OfficialYear) {
  const days = officialDays(parsed).map((d) => ({ date: d.date, weekday: WEEKDAYS[weekday(d.date)]!, kind: d.kind, holiday: d.holiday, item: d.item }));
  const confirm = bytesToHex(sha256(utf8ToBytes(JSON.stringify(parsed)))).slice(0, 16);
  return { year: parsed.year, notice: parsed.notice, days, confirm };
}

export const calendarTableRoutes = newRouter()
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/calendar/tables/preview',
      roles: ['staff'],
      tags: ['calendar'],
      summary: 'Parse a State Council holiday notice’s text and list its days, for confirmation (nothing is stored)',
      request: { body: jsonBody(TableInput) },
      responses: { 200: jsonResponse('the parsed table, day by day', Preview), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const { text, url } = c.req.valid('json');
      return c.json(preview(parseHolidayNotice(text, url)), 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/calendar/tables',
      roles: ['staff'],
      tags: ['calendar'],
      summary: 'Publish a year’s State Council table as a public log entry (after preview); recomputes provisional due dates',
      request: { body: jsonBody(TableInput.extend({ confirm: z.string().regex(/^[0-9a-f]{16}$/) })) },
      responses: {
        201: jsonResponse(
          'published',
          TablePublished,
        ),
        ...problemResponses(400, 401, 403, 409),
      },
    }),
    async (c) => {
      const { text, url, confirm } = c.req.valid('json');
      const parsed = parseHolidayNotice(text, url);
      if (preview(parsed).confirm !== confirm) {
        throw new Problem('conflict', {
          en: 'The table differs from the one previewed and confirmed; preview it again.',
          zh: '该节假日安排与确认时预览的不一致，请重新预览。',
        });
      }
      const p = principalOf(c);
      const by = p.role === 'staff' ? p.name : 'staff';
      const textHash = bytesToHex(sha256(utf8ToBytes(text)));
      const change = await logEnteredTable(c.env.deps.db, parsed, by, textHash, c.env.deps.clock.now());
      return c.json({ year: parsed.year, logIndex: change.logIndex, calendarVersion: change.calendarVersion, corrections: change.corrections }, 201);
    },
  );
