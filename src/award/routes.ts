// 审定, the submission to the city government, its decision and the awarded list over HTTP (fixing.ts,
// approval.ts, awarded.ts). Staff propose the 审定 and record the documents; members vote on their
// tablets or the chair records the hands; a supervisor confirms the chair's record; the state of each
// stage, the decision's file and the awarded list on any date are public (they are in the public log).
import { z, type RouteHandler } from '@hono/zod-openapi';
import { AWARD_FILE_MAX_BASE64 } from './file-limit.js';
import type { Context } from 'hono';
import { newRouter, problemResponses, jsonResponse, jsonBody } from '../openapi.js';
import { route } from '../auth/guard.js';
import { principalOf, type Principal } from '../auth/principal.js';
import type { AppEnv } from '../deps.js';
import { Problem, problem } from '../errors.js';
import { checkpointAfterWrite } from '../log/index.js';
import { fromBase64 } from '../../crypto/bytes.js';
import { getCycle } from '../cycles/queries.js';
import { CycleId } from '../cycles/routes.js';
import { getMeeting } from '../votes/meetings.js';
import { MeetingId, memberOf, sameCycle, Signature, supervisorOf, Hex } from '../votes/route-params.js';
import { beijingDate } from '../calendar/dates.js';
import { closeFixingHands, confirmFixingRecord, latestFixing, openFixingOfMeeting, proposeFixing, recordFixingByChair, voteFixing } from './fixing.js';
import { approvalFile, approvals, recordDecision, recordSubmission } from './approval.js';
import { fixingBasis } from './basis.js';
import { awardedOn } from './queries.js';
import { Awarded, AwardDecision, AwardFixing, AwardFixingDecided, AwardFixingProposed, AwardState, AwardSubmission } from './responses.js';

export const FixingId = z.string().regex(/^af_[A-Za-z0-9_-]{12}$/);
const Count = z.number().int().min(0).max(1000);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const ApprovalBody = z
  .object({
    date: IsoDate,
    documentNumber: z.string().trim().min(1).max(60).openapi({ example: '杭政办函〔2024〕10号' }),
    title: z.string().trim().min(1).max(200),
    file: z.object({ name: z.string().trim().min(1).max(200), contentBase64: z.string().min(1).max(AWARD_FILE_MAX_BASE64) }),
  })
  .strict();

const actorOf = (p: Principal) => (p.role === 'staff' || p.role === 'supervisor' ? `${p.role}:${p.accountId}:${p.name}` : p.role);
/** After a logged write: the checkpoint refreshed, a failure only warned of (the write is committed). */
const logged = async (c: Context<AppEnv>) => checkpointAfterWrite(c.env.deps);

async function fixingCycle(c: Context<AppEnv>, fixingId: string) {
  const row = await c.env.deps.db.selectFrom('award_fixing').select('cycle_id').where('id', '=', fixingId).executeTakeFirst();
  if (!row) throw new Problem('not-found', { en: `No 审定 ${fixingId}.`, zh: `没有审定事项 ${fixingId}。` });
  sameCycle(c, row.cycle_id);
}

function decodeFile(file: { name: string; contentBase64: string }) {
  try {
    return { name: file.name, data: fromBase64(file.contentBase64) };
  } catch {
    throw problem('invalid-request', 'file.contentBase64 is not base64.', '文件内容（contentBase64）不是有效的 base64 编码。', { errors: [{ path: 'file.contentBase64', message: 'not base64' }] });
  }
}

/** A 文号 as printed (杭政办函〔2024〕10号); refused with the form expected. */
function checkNumber(n: string) {
  if (!/^[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号$/.test(n))
    throw problem('invalid-request', `文号 ${n} is not in the form 杭政办函〔2024〕10号.`, `文号“${n}”格式不正确，应如：杭政办函〔2024〕10号。`, { errors: [{ path: 'documentNumber', message: 'form 杭政办函〔2024〕10号' }] });
}

/** The two approval documents, recorded alike: the submission to the city government and its decision. */
const APPROVAL_STAGES = {
  submission: {
    summary: '提请市政府审议批准 (三(三)8): the bureau’s submission of the fixed list — date, 文号, title, the document file (base64); logged with the file’s SHA-256',
    response: AwardSubmission,
    record: recordSubmission,
  },
  decision: {
    summary: 'The city government’s decision (四(二)) on the submission — date, 文号 (杭政办函〔2024〕10号), title, the decision document (base64); logged with its SHA-256',
    response: AwardDecision,
    record: recordDecision,
  },
} as const;
type ApprovalStage = keyof typeof APPROVAL_STAGES;

const approvalRoute = <S extends ApprovalStage>(stage: S) =>
  route({
    method: 'post',
    path: `/api/v1/cycles/{cycleId}/award/${stage}` as `/api/v1/cycles/{cycleId}/award/${S}`,
    roles: ['staff'],
    tags: ['award'],
    summary: APPROVAL_STAGES[stage].summary,
    request: { params: z.object({ cycleId: CycleId }), body: jsonBody(ApprovalBody) },
    responses: { 201: jsonResponse('recorded', APPROVAL_STAGES[stage].response), ...problemResponses(400, 401, 403, 404, 409, 413, 422) },
  });

/** Staff record the submission or the decision: the cycle exists, the 文号 has its printed form, the file decodes. */
const recordApproval =
  <S extends ApprovalStage>(stage: S): RouteHandler<ReturnType<typeof approvalRoute<S>>, AppEnv> =>
  async (c) => {
    const { cycleId } = c.req.valid('param');
    await getCycle(c.env.deps.db, cycleId);
    const body = c.req.valid('json');
    checkNumber(body.documentNumber);
    const r = await APPROVAL_STAGES[stage].record(c.env.deps, cycleId, { ...body, file: decodeFile(body.file) }, actorOf(principalOf(c)));
    return c.json(r, 201);
  };

export const awardRoutes = newRouter()
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles/{cycleId}/award',
      roles: ['public'],
      tags: ['award'],
      summary: 'After the 公示: what the 审定 rests on and what still stands in its way, the 审定, the submission to the city government and its decision',
      request: { params: z.object({ cycleId: CycleId }) },
      responses: { 200: jsonResponse('state', AwardState), ...problemResponses(404) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      const { db, clock } = c.env.deps;
      await getCycle(db, cycleId);
      const hasList = await db.selectFrom('notice').select('id').where('cycle_id', '=', cycleId).where('type', '=', 'initial-winners').where('status', '=', 'published').executeTakeFirst();
      const b = hasList ? await fixingBasis(db, cycleId, clock.now()) : null;
      const a = await approvals(db, cycleId);
      return c.json({ cycleId, basis: b?.basis ?? null, blockers: b?.blockers ?? null, fixing: await latestFixing(db, cycleId), submission: a.submission, decision: a.decision }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles/{cycleId}/awarded',
      roles: ['public'],
      tags: ['award'],
      summary: 'The organisations holding the award on a date (default today, Beijing): the government’s decision less revocations approved by then',
      request: { params: z.object({ cycleId: CycleId }), query: z.object({ date: IsoDate.optional() }) },
      responses: { 200: jsonResponse('awarded', Awarded), ...problemResponses(400, 404) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      await getCycle(c.env.deps.db, cycleId);
      const date = c.req.valid('query').date ?? beijingDate(c.env.deps.clock.now());
      return c.json({ cycleId, date, ...(await awardedOn(c.env.deps.db, cycleId, date)) }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/meetings/{meetingId}/award-fixing',
      roles: ['staff'],
      tags: ['award'],
      summary: 'Put the 审定 of the 拟授奖组织名单 to the meeting (三(三)8): after every 公示 closed, every objection answered, no entry on hold',
      request: { params: z.object({ meetingId: MeetingId }) },
      responses: { 201: jsonResponse('proposed', AwardFixingProposed), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const r = await proposeFixing(c.env.deps.db, c.req.valid('param').meetingId, c.env.deps.clock.now());
      await logged(c);
      return c.json(r, 201);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/meetings/{meetingId}/award-fixing',
      roles: ['staff', 'supervisor', 'member'],
      tags: ['award'],
      summary: 'The meeting’s 审定 under discussion, with the counts so far (404 when none)',
      request: { params: z.object({ meetingId: MeetingId }) },
      responses: { 200: jsonResponse('under discussion', AwardFixing), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { meetingId } = c.req.valid('param');
      sameCycle(c, (await getMeeting(c.env.deps.db, meetingId)).cycle_id);
      const f = await openFixingOfMeeting(c.env.deps.db, meetingId);
      if (!f) throw new Problem('not-found', { en: 'No 审定 is under discussion at this meeting.', zh: '本次会议没有待表决的审定事项。' });
      const me = principalOf(c);
      let myVote: 'for' | 'against' | 'abstain' | null = null;
      if (me.role === 'member') myVote = (await c.env.deps.db.selectFrom('award_fixing_vote').select('choice').where('fixing_id', '=', f.id).where('member_id', '=', me.memberId).executeTakeFirst())?.choice ?? null;
      return c.json({ ...f, myVote }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/award-fixings/{fixingId}/votes',
      roles: ['member'],
      tags: ['award'],
      summary: 'Tablet: my 同意/不同意/弃权 on the 审定, signed over "hzqa-award-fixing/v1\\n<meetingId>\\n<proposalHash>\\n<memberId>\\n<choice>\\n"',
      request: { params: z.object({ fixingId: FixingId }), body: jsonBody(z.object({ choice: z.enum(['for', 'against', 'abstain']), signature: Signature })) },
      responses: { 200: jsonResponse('recorded', z.object({ fixingId: z.string(), choice: z.enum(['for', 'against', 'abstain']) })), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = memberOf(c);
      const { fixingId } = c.req.valid('param');
      await fixingCycle(c, fixingId);
      const { choice, signature } = c.req.valid('json');
      return c.json(await voteFixing(c.env.deps.db, fixingId, p.memberId, choice, signature), 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/award-fixings/{fixingId}/close',
      roles: ['staff'],
      tags: ['award'],
      summary: 'Close the members’ show of hands on the 审定: decided under the adopted 表决办法’s quorum and pass rule',
      request: { params: z.object({ fixingId: FixingId }) },
      responses: { 200: jsonResponse('decided', AwardFixingDecided), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const r = await closeFixingHands(c.env.deps.db, c.req.valid('param').fixingId, c.env.deps.clock.now());
      await logged(c);
      return c.json(r, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/award-fixings/{fixingId}/chair-record',
      roles: ['chair'],
      tags: ['award'],
      summary: 'Chair: the counts of the show of hands on the 审定, signed over "hzqa-award-fixing-record/v1\\n…"; a supervisor confirms',
      request: { params: z.object({ fixingId: FixingId }), body: jsonBody(z.object({ for: Count, against: Count, abstain: Count, signature: Signature })) },
      responses: { 200: jsonResponse('recorded; a supervisor confirms', z.object({ fixingId: z.string(), awaiting: z.literal('supervisor') })), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const p = memberOf(c);
      const { fixingId } = c.req.valid('param');
      await fixingCycle(c, fixingId);
      const { signature, ...counts } = c.req.valid('json');
      return c.json(await recordFixingByChair(c.env.deps.db, fixingId, p, counts, signature), 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/award-fixings/{fixingId}/confirm',
      roles: ['supervisor'],
      tags: ['award'],
      summary:
        'Supervisor: confirm the chair’s record of the show of hands on the 审定 with the device key registered for the cycle, signed over "hzqa-award-fixing-confirm/v1\\n<meetingId>\\n<proposalHash>\\n<for>\\n<against>\\n<abstain>\\n<chairSignature>\\n" (logged by name, key and signature)',
      request: { params: z.object({ fixingId: FixingId }), body: jsonBody(z.object({ deviceKey: Hex(32), signature: Signature })) },
      responses: { 200: jsonResponse('decided', AwardFixingDecided), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = supervisorOf(c);
      const { fixingId } = c.req.valid('param');
      await fixingCycle(c, fixingId);
      const r = await confirmFixingRecord(c.env.deps.db, fixingId, p, c.req.valid('json'), c.env.deps.clock.now());
      await logged(c);
      return c.json(r, 200);
    },
  )
  .openapi(approvalRoute('submission'), recordApproval('submission'))
  .openapi(approvalRoute('decision'), recordApproval('decision'))
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles/{cycleId}/award/files/{sha256}',
      roles: ['public'],
      tags: ['award'],
      summary: 'The decision’s document file by its logged SHA-256 (the submission’s only for staff and supervisors)',
      request: { params: z.object({ cycleId: CycleId, sha256: Hex(32) }) },
      responses: { 200: { description: 'the file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const { cycleId, sha256 } = c.req.valid('param');
      const f = await approvalFile(c.env.deps, cycleId, sha256);
      const me = principalOf(c);
      if (!f || (f.stage === 'submission' && me.role !== 'staff' && me.role !== 'supervisor')) throw new Problem('not-found', { en: 'No such file.', zh: '没有该文件。' });
      return c.body(f.data as Uint8Array<ArrayBuffer>, 200, { 'content-type': f.mediaType, 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`, 'cache-control': 'no-store' });
    },
  );
