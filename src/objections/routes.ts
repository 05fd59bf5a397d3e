// Objection endpoints: the public intake (multipart, its own body limit) and status look-up, the public
// receipts of a notice, and the staff's handling with the supervisors' read-only view.
import { z } from '@hono/zod-openapi';
import { newRouter, problemResponses, jsonResponse, jsonBody } from '../openapi.js';
import { route } from '../auth/guard.js';
import { principalOf, type Principal } from '../auth/principal.js';
import { CycleId } from '../cycles/routes.js';
import { NoticeId } from '../notices/responses.js';
import { readLimitedBody } from '../http/limited-body.js';
import { getNoticeRow } from '../notices/rows.js';
import { Problem } from '../errors.js';
import { EVIDENCE_TYPES, MAX_EVIDENCE_FILES } from './evidence.js';
import { recordObjection } from './intake.js';
import { MULTIPART_OVERHEAD_BYTES, parseIntakeForm, TEXT_LIMITS } from './intake-form.js';
import { assertFiledInWindow, assertWindowOpen } from './intake-window.js';
import { checkSubmission } from './intake-checks.js';
import { hitRateLimit } from './ratelimit.js';
import { clientAddress } from '../net/address.js';
import { Decision, DetailSchema, PublicReceiptSchema, PublicStatusSchema, ReceiptSchema, Status, SummarySchema, ObjectionListSchema } from './responses.js';
import { getEvidenceFile, getObjectionDetail, listObjections, listReceipts, lookupStatus } from './queries.js';
import { assignUnits, decide, keepEntry, recordFinding } from './verification.js';


const ObjectionId = z.string().regex(/^o_[A-Za-z0-9_-]{12}$/).openapi({ example: 'o_AbCdEfGhIjKl' });

const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(1, 'must not be empty'));


/** The multipart form, for the OpenAPI document only: the handler parses and validates it itself. */
const intakeFormDoc = {
  type: 'object',
  required: ['kind', 'name', 'contact', 'organisation', 'facts', 'reasons', 'declaration'],
  properties: {
    kind: { type: 'string', enum: ['unit', 'person'], description: '单位 or 个人' },
    name: { type: 'string', maxLength: TEXT_LIMITS.name, description: 'Objector (unit or person); encrypted at rest, never public' },
    contact: { type: 'string', maxLength: TEXT_LIMITS.contact, description: 'Contact details; encrypted at rest, never public' },
    organisation: { type: 'string', maxLength: TEXT_LIMITS.organisation, description: 'The organisation objected to; must be on the notice' },
    facts: { type: 'string', maxLength: TEXT_LIMITS.facts, description: '事实' },
    reasons: { type: 'string', maxLength: TEXT_LIMITS.reasons, description: '理由' },
    declaration: { type: 'string', enum: ['true'], description: 'The objector declares the materials truthful' },
    idNumber: { type: 'string', description: 'person: 居民身份证号码 (GB 11643 check digit); encrypted, never public' },
    signature: { type: 'string', description: 'person: typed signature, the same as name (or upload a signed letter)' },
    creditCode: { type: 'string', description: 'unit: 统一社会信用代码 (GB 32100 check character); encrypted, never public' },
    contactPerson: { type: 'string', description: 'unit: 联系人; encrypted, never public' },
    letter: { type: 'string', format: 'binary', description: 'unit: scan of the objection letter bearing the unit’s seal (required); person: signed letter (instead of a typed signature)' },
    noEvidence: { type: 'string', enum: ['true'], description: 'No evidence is provided (未提供佐证材料); required when no file is attached; the result notice says so' },
    files: {
      type: 'array',
      maxItems: MAX_EVIDENCE_FILES,
      items: { type: 'string', format: 'binary' },
      description: `佐证材料: up to ${MAX_EVIDENCE_FILES} files of ${Object.values(EVIDENCE_TYPES)
        .map((t) => t.label)
        .join(', ')}, type judged by content; each ≤ EVIDENCE_FILE_LIMIT_BYTES, total ≤ EVIDENCE_TOTAL_LIMIT_BYTES`,
    },
  },
} as const;

const registeredFormDoc = {
  ...intakeFormDoc,
  required: [...intakeFormDoc.required, 'channel', 'receivedDate'],
  properties: {
    ...intakeFormDoc.properties,
    channel: { type: 'string', enum: ['in-person', 'post', 'fax'], description: '当面递交 / 邮寄 / 传真' },
    receivedDate: { type: 'string', format: 'date', description: 'Beijing date the bureau received it; the 5-working-day clock counts from it' },
    postmarkDate: { type: 'string', format: 'date', description: 'post only: the postmark date (以邮戳为准)' },
  },
} as const;

const actorOf = (p: Principal) => (p.role === 'staff' || p.role === 'supervisor' ? `${p.role}:${p.accountId}:${p.name}` : p.role);

export const objectionRoutes = newRouter()
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/notices/{id}/objections',
      roles: ['public'],
      tags: ['objections'],
      summary: 'File an objection (异议) during the notice’s 公示 window: facts, reasons and evidence; returns the receipt once',
      request: {
        params: z.object({ id: NoticeId }),
        body: { content: { 'multipart/form-data': { schema: intakeFormDoc as never } }, required: true },
      },
      responses: {
        201: jsonResponse('received: the receipt (the access code is shown only now)', ReceiptSchema),
        ...problemResponses(400, 404, 409, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const deps = c.env.deps;
      // The instant the request arrived decides whether it is inside the window.
      const now = deps.clock.now();
      await hitRateLimit(deps, 'objection-submit', clientAddress(c));
      const notice = await assertWindowOpen(deps, c.req.valid('param').id, now);
      const body = await readLimitedBody(c.req.raw, deps.config.EVIDENCE_TOTAL_LIMIT_BYTES + MULTIPART_OVERHEAD_BYTES);
      const fields = await parseIntakeForm(c.req.header('content-type'), body);
      const sub = await checkSubmission(deps, fields, now);
      const receipt = await recordObjection(deps, notice, fields, sub, now);
      c.header('Cache-Control', 'no-store');
      return c.json(receipt, 201);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/notices/{id}/objections/registered',
      roles: ['staff'],
      tags: ['objections'],
      summary: 'Register an objection received on paper, by post or by fax (staff): its receipt date starts the clock; by post, the postmark decides lateness (以邮戳为准)',
      request: {
        params: z.object({ id: NoticeId }),
        body: { content: { 'multipart/form-data': { schema: registeredFormDoc as never } }, required: true },
      },
      responses: {
        201: jsonResponse('registered: the same receipt, to send to the objector', ReceiptSchema),
        ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const deps = c.env.deps;
      const now = deps.clock.now();
      const body = await readLimitedBody(c.req.raw, deps.config.EVIDENCE_TOTAL_LIMIT_BYTES + MULTIPART_OVERHEAD_BYTES);
      const fields = await parseIntakeForm(c.req.header('content-type'), body, true);
      const notice = await assertFiledInWindow(deps, c.req.valid('param').id, fields.registration, now);
      const sub = await checkSubmission(deps, fields, now);
      const receipt = await recordObjection(deps, notice, fields, sub, now, { ...fields.registration, registeredBy: actorOf(principalOf(c)) });
      c.header('Cache-Control', 'no-store');
      return c.json(receipt, 201);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/objections/status',
      roles: ['public'],
      tags: ['objections'],
      summary: 'The objector’s status look-up, with the tracking number and access code in the body (never in a URL)',
      request: {
        body: jsonBody(
          z.object({
            trackingNo: z.string().trim().min(1).max(40),
            accessCode: z.string().trim().min(1).max(60),
          }),
        ),
      },
      responses: { 200: jsonResponse('status', PublicStatusSchema), ...problemResponses(400, 404, 429) },
    }),
    async (c) => {
      const deps = c.env.deps;
      await hitRateLimit(deps, 'objection-status', clientAddress(c));
      const { trackingNo, accessCode } = c.req.valid('json');
      c.header('Cache-Control', 'no-store');
      return c.json(await lookupStatus(deps.db, trackingNo, accessCode, deps.clock.now()), 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/notices/{id}/receipts',
      roles: ['public'],
      tags: ['objections'],
      summary: 'The objections received on a notice, as the public log records them: tracking number, digest, dates — never who or what',
      request: { params: z.object({ id: NoticeId }) },
      responses: { 200: jsonResponse('receipts', z.object({ receipts: z.array(PublicReceiptSchema) })), ...problemResponses(400, 404) },
    }),
    async (c) => {
      const { db, clock } = c.env.deps;
      const id = c.req.valid('param').id;
      const n = await getNoticeRow(db, id);
      const p = principalOf(c);
      if (n.status !== 'published' && p.role !== 'staff' && p.role !== 'supervisor') {
        throw new Problem('not-found', { en: `No notice ${id}.`, zh: `没有公告 ${id}。` });
      }
      return c.json({ receipts: await listReceipts(db, clock.now(), { noticeId: id }) }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/objections',
      roles: ['staff', 'supervisor'],
      tags: ['objections'],
      summary: 'Objections with their due dates and working days left, soonest due first; overdue ones flagged',
      request: {
        query: z.object({
          cycleId: CycleId.optional(),
          noticeId: NoticeId.optional(),
          status: Status.optional(),
          overdue: z.enum(['true', 'false']).optional(),
        }),
      },
      responses: { 200: jsonResponse('objections', ObjectionListSchema), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const objections = await listObjections(c.env.deps.db, c.env.deps.clock.now(), {
        cycleId: q.cycleId,
        noticeId: q.noticeId,
        status: q.status,
        overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
      });
      return c.json({ objections }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/objections/{id}',
      roles: ['staff', 'supervisor'],
      tags: ['objections'],
      summary: 'One objection in full, with the objector’s name and contact (staff and supervisors only)',
      request: { params: z.object({ id: ObjectionId }) },
      responses: { 200: jsonResponse('objection', DetailSchema), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await getObjectionDetail(c.env.deps, c.req.valid('param').id, c.env.deps.clock.now()), 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/objections/{id}/files/{position}',
      roles: ['staff', 'supervisor'],
      tags: ['objections'],
      summary: 'Download an evidence file, or (position 0) the signed or sealed letter (as an attachment, under its sanitised name)',
      request: { params: z.object({ id: ObjectionId, position: z.coerce.number().int().min(0).max(MAX_EVIDENCE_FILES) }) },
      responses: {
        200: { description: 'the file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id, position } = c.req.valid('param');
      const f = await getEvidenceFile(c.env.deps, id, position);
      const ascii = f.file_name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return c.body(f.data as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': f.media_type,
        'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.file_name)}`,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      });
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/objections/{id}/assignment',
      roles: ['staff'],
      tags: ['objections'],
      summary: 'Assign member units of the cycle’s judging group to verify the objection with the bureau (会同评审组相关成员单位); units already assigned stay; logged (objection-assigned)',
      request: {
        params: z.object({ id: ObjectionId }),
        body: jsonBody(z.object({ units: z.array(z.string().trim().min(1).max(200)).min(1).max(50).openapi({ description: 'Units of the roster (rosterUnits in the detail)' }) })),
      },
      responses: { 200: jsonResponse('objection', DetailSchema), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const deps = c.env.deps;
      const id = c.req.valid('param').id;
      const units = [...new Set(c.req.valid('json').units)];
      await assignUnits(deps.db, id, units, deps.clock.now(), actorOf(principalOf(c)));
      return c.json(await getObjectionDetail(deps, id, deps.clock.now()), 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/objections/{id}/findings',
      roles: ['staff'],
      tags: ['objections'],
      summary: 'Record one assigned unit’s finding (核查情况), once; public, logged (objection-finding)',
      request: { params: z.object({ id: ObjectionId }), body: jsonBody(z.object({ unit: z.string().trim().min(1).max(200), findings: text(20_000) })) },
      responses: { 200: jsonResponse('objection', DetailSchema), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const deps = c.env.deps;
      const id = c.req.valid('param').id;
      const { unit, findings } = c.req.valid('json');
      await recordFinding(deps.db, id, unit, findings, deps.clock.now(), actorOf(principalOf(c)));
      return c.json(await getObjectionDetail(deps, id, deps.clock.now()), 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/objections/{id}/decision',
      roles: ['staff'],
      tags: ['objections'],
      summary: 'Decide (成立 / 部分成立 / 不成立) with the summary the 异议核查结果 notice will print, citing every assigned unit’s finding (at least one unit); logged (objection-decision); publish it with an objection-result notice',
      request: { params: z.object({ id: ObjectionId }), body: jsonBody(z.object({ decision: Decision, summary: text(5_000) })) },
      responses: { 200: jsonResponse('objection', DetailSchema), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const deps = c.env.deps;
      const id = c.req.valid('param').id;
      const { decision, summary } = c.req.valid('json');
      await decide(deps.db, id, decision, summary, deps.clock.now(), actorOf(principalOf(c)));
      return c.json(await getObjectionDetail(deps, id, deps.clock.now()), 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/objections/{id}/keep',
      roles: ['staff'],
      tags: ['objections'],
      summary: 'Record why the judging group keeps on its list the entry of an upheld objection whose result is published (三(三)8); releases the hold; logged (objection-hold-kept)',
      request: { params: z.object({ id: ObjectionId }), body: jsonBody(z.object({ reason: text(5_000) })) },
      responses: { 200: jsonResponse('objection', DetailSchema), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const deps = c.env.deps;
      const id = c.req.valid('param').id;
      await keepEntry(deps.db, id, c.req.valid('json').reason, deps.clock.now(), actorOf(principalOf(c)));
      return c.json(await getObjectionDetail(deps, id, deps.clock.now()), 200);
    },
  );
