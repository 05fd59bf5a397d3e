// Notice endpoints: drafts and publication (staff), reading (everyone; drafts only staff/supervisors).
import { z } from '@hono/zod-openapi';
import { newRouter, problemResponses, jsonResponse, jsonBody } from '../openapi.js';
import { route } from '../auth/guard.js';
import { principalOf, type Principal } from '../auth/principal.js';
import { CycleId } from '../cycles/routes.js';
import { createDraft, deleteDraft, updateDraft } from './drafts.js';
import { publishNotice } from './publish.js';
import { getNotice, listNotices, toNoticeView } from './views.js';
import { publicNoticeJson } from './read.js';
import { REVALIDATE, cachedResponse } from '../cache/http.js';
import { getNoticeRow, noticeNotFound } from './rows.js';
import { previewDraft } from './draft-preview.js';
import { line, NoticeId, NoticeListSchema, NoticePreviewSchema, NoticeSchema, NoticeType, OrganisationSchema, RevocationSchema } from './responses.js';
import { problem } from '../errors.js';

const ObjectionIdRef = z.string().regex(/^o_[A-Za-z0-9_-]{12}$/);
const BallotIdRef = z.string().min(1).max(100);

const Text = z
  .string()
  .max(50_000)
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .pipe(z.string().min(1, 'must not be empty'));

const DraftBody = z
  .object({
    cycleId: CycleId,
    type: NoticeType,
    title: line(200),
    body: Text,
    organisations: z.array(OrganisationSchema).max(500).optional(),
    corrects: NoticeId.nullable().optional().openapi({ description: 'The published notice this one corrects (更正).' }),
    ballotIds: z.array(BallotIdRef).max(10).optional().openapi({ description: 'initial-winners: tallied ballots whose winners (and bulletins) the list links' }),
    objectionIds: z.array(ObjectionIdRef).max(100).optional().openapi({ description: 'objection-result: the decided objections whose results are announced' }),
    revocation: RevocationSchema.nullable().optional(),
    removed: z.array(line(200)).max(100).optional().openapi({ description: 'A correction of a list of initial winners: winners it takes off, each the organisation of an upheld objection still on hold (logged with its decision)' }),
    sequenceOverride: line(500).nullable().optional().openapi({ description: 'Lists: why this list is published before the previous list’s 公示 is over and its objections answered (logged, printed in the document)' }),
    firstDay: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .optional()
      .openapi({ description: 'Lists: the first day of the 7-working-day window, if later than the publication day (a non-working day moves to the next working day)' }),
  })
  .strict();

const PatchBody = DraftBody.omit({ cycleId: true, type: true }).partial().strict();

const seesDrafts = (p: Principal) => p.role === 'staff' || p.role === 'supervisor';
const actorOf = (p: Principal) => (p.role === 'staff' || p.role === 'supervisor' ? `${p.role}:${p.accountId}:${p.name}` : p.role);

export const noticeRoutes = newRouter()
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/notices',
      roles: ['public'],
      tags: ['notices'],
      summary: 'Public notices (公示/公告), newest first',
      request: {
        query: z.object({
          cycleId: CycleId.optional(),
          type: NoticeType.optional(),
          state: z.enum(['open', 'closed', 'draft']).optional().openapi({ description: 'open: taking objections now; closed: window over or corrected; draft: staff and supervisors only' }),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
      },
      responses: { 200: jsonResponse('notices', NoticeListSchema), ...problemResponses(400, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const p = principalOf(c);
      if (q.state === 'draft' && !seesDrafts(p)) {
        return c.json({ notices: [] }, 200);
      }
      const notices = await listNotices(c.env.deps.db, c.env.deps.clock.now(), { ...q, includeDrafts: seesDrafts(p) });
      return c.json({ notices }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/notices/{id}',
      roles: ['public'],
      tags: ['notices'],
      summary: 'One notice: full text, organisations, window (Beijing time), log index and document hash',
      request: { params: z.object({ id: NoticeId }) },
      responses: { 200: jsonResponse('notice', NoticeSchema), ...problemResponses(400, 404) },
    }),
    async (c) => {
      const p = principalOf(c);
      const deps = c.env.deps;
      const id = c.req.valid('param').id;
      if (seesDrafts(p)) return c.json(await getNotice(deps.db, id, deps.clock.now(), { includeDrafts: true }), 200);
      // A published notice changes only with the log (a correction) and the time (open, closed).
      const served = await publicNoticeJson(deps, id, deps.clock.now());
      if (!served) throw noticeNotFound(id);
      return cachedResponse(c, served, 'application/json', REVALIDATE) as never;
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/notices',
      roles: ['staff'],
      tags: ['notices'],
      summary: 'Draft a notice (not public until published); a correction gives `corrects`',
      request: { body: jsonBody(DraftBody) },
      responses: { 201: jsonResponse('draft', NoticeSchema), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { db, clock } = c.env.deps;
      const row = await createDraft(db, c.req.valid('json'), actorOf(principalOf(c)));
      return c.json(toNoticeView(row, clock.now(), []), 201);
    },
  )
  .openapi(
    route({
      method: 'patch',
      path: '/api/v1/notices/{id}',
      roles: ['staff'],
      tags: ['notices'],
      summary: 'Edit a draft (a published notice never changes: publish a correction)',
      request: { params: z.object({ id: NoticeId }), body: jsonBody(PatchBody) },
      responses: { 200: jsonResponse('draft', NoticeSchema), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { db, clock } = c.env.deps;
      const row = await updateDraft(db, c.req.valid('param').id, c.req.valid('json'), clock.now());
      return c.json(toNoticeView(row, clock.now(), []), 200);
    },
  )
  .openapi(
    route({
      method: 'delete',
      path: '/api/v1/notices/{id}',
      roles: ['staff'],
      tags: ['notices'],
      summary: 'Discard a draft',
      request: { params: z.object({ id: NoticeId }) },
      responses: { 204: { description: 'deleted' }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await deleteDraft(c.env.deps.db, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/notices/{id}/publish',
      roles: ['staff'],
      tags: ['notices'],
      summary: 'Publish a draft: fixes the 公示 window (7 working days, Beijing time) and appends the notice to the public log',
      request: { params: z.object({ id: NoticeId }) },
      responses: { 200: jsonResponse('published', NoticeSchema), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const deps = c.env.deps;
      const id = c.req.valid('param').id;
      await publishNotice(deps, id, actorOf(principalOf(c)));
      return c.json(await getNotice(deps.db, id, deps.clock.now(), { includeDrafts: true }), 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/notices/{id}/preview',
      roles: ['staff'],
      tags: ['notices'],
      summary: "A draft's organisations and objections as they would be published now (the ballots' winners, the objections' decisions)",
      request: { params: z.object({ id: NoticeId }) },
      responses: { 200: jsonResponse('preview', NoticePreviewSchema), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const row = await getNoticeRow(c.env.deps.db, c.req.valid('param').id);
      if (row.status !== 'draft') throw problem('conflict', 'The notice is published; read it instead.', '该公告已发布，请直接查看。');
      return c.json(await previewDraft(c.env.deps.db, row, c.env.deps.clock.now()), 200);
    },
  );

