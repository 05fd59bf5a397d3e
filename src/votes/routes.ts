import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { newRouter, problemResponses, jsonResponse, jsonBody } from '../openapi.js';
import { route } from '../auth/guard.js';
import { principalOf } from '../auth/principal.js';
import type { AppEnv, Deps } from '../deps.js';
import { Problem } from '../errors.js';
import { getCycle } from '../cycles/queries.js';
import { CycleId } from '../cycles/routes.js';
import { checkpointAfterWrite } from '../log/index.js';
import { checkIn, closeMeeting, getMeeting, meetingStatus, openMeeting } from './meetings.js';
import { getBallot, listBallots, prepareBallot, seatsLeftByAward, type BallotView } from './ballots.js';
import { advancePhase, type PhaseContext } from './phase-change.js';
import { closeAtCosigner, obtainApproval } from './cosign.js';
import { tokenVerifier } from '../tokens/verifier.js';
import { BALLOT_PHASES } from './phases.js';
import { AWARDS } from './awards.js';
import { castBallot, getBulletin, issueToken } from './secret.js';
import { getHandsRecord, recordHands } from './hands.js';
import { DEFAULT_RULES, RulesSchema, describeRules, isCandidateId } from './rules.js';
import { keyFingerprint } from './messages.js';
import { CIPHERSUITE } from '../../crypto/blind.js';
import { castQueueFor } from './cast-queue.js';
import { CastReceiptSchema } from './receipts.js';
import { refuseWhileCasting } from './casting-hold.js';
import { castBudgetFor } from './cast-budget.js';
import { clientAddress } from '../net/address.js';
import { BallotId, Hex, MeetingId, MemberId, memberOf, sameCycle, Signature } from './route-params.js';
import { Ballot, BallotList, Bulletin, CheckedIn, HandsRecord, HandsRecorded, MeetingClosed, MeetingOpened, MeetingStatus, MyMeeting, PhaseMoved } from './responses.js';

const ChoicesSchema = z.record(z.string().min(1).max(40), z.enum(['for', 'against', 'abstain'])).openapi('Choices');
const CastAnswer = z.object({
  ballotId: z.string(),
  token: z.string(),
  receipt: z.string(),
  castReceipt: CastReceiptSchema,
});
const Award = z.enum(AWARDS);
const Phase = z.enum(BALLOT_PHASES);

function publicBallot(b: BallotView) {
  return {
    id: b.id,
    cycleId: b.cycleId,
    meetingId: b.meetingId,
    award: b.award,
    kind: b.kind,
    title: b.title,
    seats: b.seats,
    rules: b.rules,
    candidates: b.candidates,
    phase: b.phase,
    runoffOf: b.runoffOf,
    membersTotal: b.membersTotal,
    present: b.eligible?.length ?? null,
    eligible: b.eligible,
    ciphersuite: b.kind === 'secret' ? CIPHERSUITE : null,
    publicKey: b.publicKey,
    keyFingerprint: b.publicKey ? keyFingerprint(b.publicKey) : null,
    proofOfPossession: b.proofOfPossession,
    coIssuance: b.coIssuance,
    receiptKey: b.receiptKey,
    keyLogIndex: b.keyLogIndex,
    bulletinLogIndex: b.bulletinLogIndex,
    result: b.result,
    resultLogIndex: b.resultLogIndex,
    phases: b.phases,
    rulesText: describeRules(b.rules),
    keyClasses: b.keyClasses,
    recusals: b.recusals,
  };
}

/**
 * The co-signer's part of a phase change, done before the transaction (it is a network exchange):
 * its approval when a secret ballot opens issuance, its signed served list when casting opens.
 */
async function cosignerPhaseContext(deps: Deps, b: BallotView, to: string): Promise<PhaseContext> {
  const ctx: PhaseContext = { masterSecret: deps.keys.ballotMasterSecret, cosignerRequired: !!deps.cosigner };
  if (b.kind !== 'secret') return ctx;
  if (to === 'issuing' && b.phase === 'prepared' && deps.cosigner) ctx.approval = await obtainApproval(deps.db, deps.cosigner, deps.keys.ballotMasterSecret, b);
  if (to === 'casting' && b.phase === 'issuing' && b.coIssuance) {
    if (!deps.cosigner) throw new Problem('service-unavailable', { en: 'This ballot is co-issued but no co-signer is configured.', zh: '本次投票须联合签发，但未配置联合签发方。' });
    ctx.served = await closeAtCosigner(deps.cosigner, b.id, b.publicKey!);
  }
  return ctx;
}

async function afterLogWrite(c: Context<AppEnv>) {
  await checkpointAfterWrite(c.env.deps);
}

export const voteRoutes = newRouter()
  // ---------------------------------------------------------------- meeting and check-in
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/cycles/{cycleId}/meetings',
      roles: ['staff'],
      tags: ['meeting'],
      summary: 'Open the plenary meeting (全体会议) of a cycle',
      request: { params: z.object({ cycleId: CycleId }), body: jsonBody(z.object({ title: z.string().trim().min(1).max(200) })) },
      responses: { 201: jsonResponse('opened', MeetingOpened), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      await getCycle(c.env.deps.db, cycleId);
      const m = await openMeeting(c.env.deps.db, cycleId, c.req.valid('json').title, c.env.deps.clock.now());
      await afterLogWrite(c);
      return c.json(m, 201);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/meetings/{meetingId}',
      roles: ['staff', 'supervisor', 'chair'],
      tags: ['meeting'],
      summary: 'Roster, check-ins (签到) and quorum status',
      request: { params: z.object({ meetingId: MeetingId }) },
      responses: { 200: jsonResponse('status', MeetingStatus), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const s = await meetingStatus(c.env.deps.db, c.req.valid('param').meetingId);
      sameCycle(c, s.cycleId);
      return c.json(s, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/meetings/{meetingId}/close',
      roles: ['staff', 'chair'],
      tags: ['meeting'],
      summary: 'Close the meeting (all its ballots finished)',
      request: { params: z.object({ meetingId: MeetingId }) },
      responses: { 200: jsonResponse('closed', MeetingClosed), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const { meetingId } = c.req.valid('param');
      sameCycle(c, (await getMeeting(c.env.deps.db, meetingId)).cycle_id);
      const r = await closeMeeting(c.env.deps.db, meetingId, c.env.deps.clock.now());
      await afterLogWrite(c);
      return c.json(r, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/members/me/meeting',
      roles: ['member'],
      tags: ['meeting'],
      summary: 'Tablet: the open meeting of my cycle, whether I checked in, and its ballots',
      responses: { 200: jsonResponse('meeting', MyMeeting), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const p = memberOf(c);
      const { db } = c.env.deps;
      const m = await db.selectFrom('meeting').selectAll().where('cycle_id', '=', p.cycleId).orderBy('opened_at', 'desc').executeTakeFirst();
      if (!m) throw new Problem('not-found', { en: 'No meeting yet.', zh: '尚无会议。' });
      const ci = await db.selectFrom('checkin').select(['checked_in_at']).where('meeting_id', '=', m.id).where('member_id', '=', p.memberId).executeTakeFirst();
      const ballots = (await listBallots(db, p.cycleId)).filter((b) => b.meeting_id === m.id);
      return c.json(
        {
          meetingId: m.id,
          title: m.title,
          status: m.status,
          checkedInAt: ci?.checked_in_at.toISOString() ?? null,
          ballots: ballots.map((b) => ({ id: b.id, award: b.award, kind: b.kind, title: b.title, phase: b.phase, seats: b.seats })),
        },
        200,
      );
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/meetings/{meetingId}/checkins',
      roles: ['member'],
      tags: ['meeting'],
      summary: 'Tablet: check in (签到), signed with the device key over "hzqa-checkin/v1\\n<meetingId>\\n<memberId>\\n"',
      request: { params: z.object({ meetingId: MeetingId }), body: jsonBody(z.object({ signature: Signature })) },
      responses: { 200: jsonResponse('checked in', CheckedIn), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = memberOf(c);
      await refuseWhileCasting(c.env.deps.db, p.memberId);
      const r = await checkIn(c.env.deps.db, p, c.req.valid('param').meetingId, c.req.valid('json').signature, c.env.deps.clock.now());
      await afterLogWrite(c);
      return c.json({ checkedInAt: r.checkedInAt.toISOString(), logIndex: r.logIndex, already: r.already }, 200);
    },
  )
  // ---------------------------------------------------------------- ballots
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/cycles/{cycleId}/ballots',
      roles: ['staff'],
      tags: ['ballots'],
      summary: 'Prepare a ballot: candidates, seats (≤ 25 per award per cycle), quorum and pass rules',
      request: {
        params: z.object({ cycleId: CycleId }),
        body: jsonBody(
          z.object({
            meetingId: MeetingId,
            award: Award,
            title: z.string().trim().max(200).optional(),
            seats: z.number().int().min(1).max(25),
            rules: RulesSchema.optional(),
            candidates: z
              .array(z.object({ id: z.string().refine(isCandidateId, 'letters, digits, _ and -, at most 40, not a reserved name').optional(), name: z.string().trim().min(1).max(200) }))
              .min(1)
              .max(200),
          }),
        ),
      },
      responses: { 201: jsonResponse('prepared', Ballot), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      const body = c.req.valid('json');
      await getCycle(c.env.deps.db, cycleId);
      const id = await prepareBallot(c.env.deps.db, { cycleId, ...body, rules: body.rules ?? DEFAULT_RULES });
      await afterLogWrite(c);
      return c.json(publicBallot(await getBallot(c.env.deps.db, id)), 201);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles/{cycleId}/ballots',
      roles: ['public'],
      tags: ['ballots'],
      summary: 'The ballots of a cycle, with kind (secret | show-of-hands) and phase',
      request: { params: z.object({ cycleId: CycleId }) },
      responses: { 200: jsonResponse('ballots', BallotList), ...problemResponses(404) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      await getCycle(c.env.deps.db, cycleId);
      const rows = await listBallots(c.env.deps.db, cycleId);
      const seatsLeft = seatsLeftByAward(rows);
      return c.json(
        {
          ballots: rows.map((b) => ({ id: b.id, award: b.award, kind: b.kind, title: b.title, phase: b.phase, seats: b.seats, meetingId: b.meeting_id, runoffOf: b.runoff_of })),
          seatsLeft,
        },
        200,
      );
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/ballots/{ballotId}',
      roles: ['public'],
      tags: ['ballots'],
      summary: 'A ballot: candidates, seats, rules, phase, key and result',
      request: { params: z.object({ ballotId: BallotId }) },
      responses: { 200: jsonResponse('ballot', Ballot), ...problemResponses(404) },
    }),
    async (c) => c.json(publicBallot(await getBallot(c.env.deps.db, c.req.valid('param').ballotId)), 200),
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/phase',
      roles: ['staff', 'chair'],
      tags: ['ballots'],
      summary: 'Open or close the next phase (each a log entry)',
      request: { params: z.object({ ballotId: BallotId }), body: jsonBody(z.object({ to: Phase })) },
      responses: { 200: jsonResponse('moved', PhaseMoved), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ballotId } = c.req.valid('param');
      const { db, config } = c.env.deps;
      const to = c.req.valid('json').to;
      // Closing: from this instant this process takes no more casts for the ballot; its pending batch
      // is committed before the close, so every acknowledged cast is in the bulletin the close publishes.
      const queue = castQueueFor(config);
      if (to === 'closed') queue.markClosing(ballotId);
      let r;
      try {
        const ballot = await getBallot(db, ballotId);
        sameCycle(c, ballot.cycleId);
        const ctx = await cosignerPhaseContext(c.env.deps, ballot, to);
        if (to === 'closed') await queue.commitPending(db, ballotId);
        r = await advancePhase(db, ballotId, to, ctx);
      } finally {
        if (to === 'closed') queue.endClose(ballotId);
      }
      await afterLogWrite(c);
      return c.json({ ...r, ballot: publicBallot(await getBallot(c.env.deps.db, ballotId)) }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/runoff',
      roles: ['staff', 'chair'],
      tags: ['ballots'],
      summary: 'Prepare the run-off ballot among the candidates tied at the last seat, for the remaining seats',
      request: { params: z.object({ ballotId: BallotId }) },
      responses: { 201: jsonResponse('prepared', Ballot), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const { db } = c.env.deps;
      const parent = await getBallot(db, c.req.valid('param').ballotId);
      sameCycle(c, parent.cycleId);
      if (parent.phase !== 'tallied' || !parent.result?.runoff) {
        throw new Problem('conflict', { en: 'No run-off is required for this ballot.', zh: '该投票无需决选。' });
      }
      const existing = await db.selectFrom('ballot').select('id').where('runoff_of', '=', parent.id).executeTakeFirst();
      if (existing) throw new Problem('conflict', { en: `Run-off ${existing.id} already exists.`, zh: `决选投票 ${existing.id} 已存在。` }, { extensions: { ballotId: existing.id } });
      const tied = new Set(parent.result.runoff.candidates);
      const id = await prepareBallot(db, {
        cycleId: parent.cycleId,
        meetingId: parent.meetingId,
        award: parent.award,
        // The title is Chinese, as every title the members see: 决选 after the parent's.
        title: parent.title ? `${parent.title}（决选）` : '决选',
        seats: parent.result.runoff.seats,
        rules: parent.rules,
        candidates: parent.candidates.filter((x) => tied.has(x.id)),
        runoffOf: parent.id,
      });
      await afterLogWrite(c);
      return c.json(publicBallot(await getBallot(db, id)), 201);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/tokens',
      roles: ['member'],
      tags: ['secret ballot'],
      summary: 'Tablet: get the blind signature on a blinded token (B = r·H(ballotId‖token)), request signed with the device key',
      request: { params: z.object({ ballotId: BallotId }), body: jsonBody(z.object({ blinded: z.string(), signature: Signature })) },
      responses: {
        200: jsonResponse(
          'the bureau’s blind signature and, for a co-issued ballot, the co-signer’s (check each against its logged key, then add)',
          z.object({ blindSignature: z.string(), cosignerBlindSignature: z.string().optional() }),
        ),
        ...problemResponses(400, 401, 403, 404, 409, 503),
      },
    }),
    async (c) => {
      const p = memberOf(c);
      await refuseWhileCasting(c.env.deps.db, p.memberId);
      const { blinded, signature } = c.req.valid('json');
      const shares = await issueToken(c.env.deps.db, c.env.deps.keys.ballotMasterSecret, c.req.valid('param').ballotId, p, blinded, signature, c.env.deps.cosigner);
      return c.json(shares, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/cast',
      roles: ['public'],
      tags: ['secret ballot'],
      summary: 'Cast anonymously: (token, signature, choices) — send no cookie, no Authorization header',
      request: { params: z.object({ ballotId: BallotId }), body: jsonBody(z.object({ token: z.string(), signature: z.string(), choices: ChoicesSchema, recused: z.array(z.string().min(1).max(40)).max(200).optional() })) },
      responses: {
        201: jsonResponse('cast; keep the signed receipt (castReceipt) until the bulletin shows the ballot', CastAnswer),
        200: jsonResponse('the same ballot again: the same receipt', CastAnswer),
        ...problemResponses(400, 403, 404, 409, 422, 429),
      },
    }),
    async (c) => {
      if (c.req.header('authorization') || c.req.header('cookie')) {
        throw new Problem('invalid-request', {
          en: 'A ballot is cast anonymously: send it without a cookie or Authorization header.',
          zh: '选票须匿名投出：请勿携带 Cookie 或 Authorization 请求头。',
        });
      }
      const { token, signature, choices, recused } = c.req.valid('json');
      const { ballotId } = c.req.valid('param');
      const { deps } = c.env;
      const ctx = { queue: castQueueFor(deps.config), budget: castBudgetFor(deps.config), address: clientAddress(c), verifier: tokenVerifier(deps), batch: deps.batchTokens === true, masterSecret: deps.keys.ballotMasterSecret };
      const { created, ...receipt } = await castBallot(deps.db, ctx, ballotId, token, signature, choices, recused ?? []);
      return c.json(receipt, created ? 201 : 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/ballots/{ballotId}/bulletin',
      roles: ['public'],
      tags: ['secret ballot'],
      summary: 'The bulletin of all ballots (token, message, signature, choices), sorted by token; 409 before casting closes',
      request: { params: z.object({ ballotId: BallotId }) },
      responses: { 200: jsonResponse('bulletin', Bulletin), ...problemResponses(404, 409) },
    }),
    async (c) => c.json(await getBulletin(c.env.deps.db, c.req.valid('param').ballotId), 200),
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/hands',
      roles: ['member'],
      tags: ['show of hands'],
      summary: 'Tablet: my recorded show of hands, signed with the device key',
      request: { params: z.object({ ballotId: BallotId }), body: jsonBody(z.object({ choices: ChoicesSchema, signature: Signature })) },
      responses: { 200: jsonResponse('recorded', HandsRecorded), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const p = memberOf(c);
      await refuseWhileCasting(c.env.deps.db, p.memberId);
      const { choices, signature } = c.req.valid('json');
      const r = await recordHands(c.env.deps.db, c.req.valid('param').ballotId, p.memberId, choices, { kind: 'member', deviceKey: p.deviceKey, signature }, c.env.deps.clock.now());
      return c.json(r, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/hands/{memberId}',
      roles: ['staff'],
      tags: ['show of hands'],
      summary: 'Staff: record a member’s raised hands when the tablet fails (marked staff-recorded)',
      request: { params: z.object({ ballotId: BallotId, memberId: MemberId }), body: jsonBody(z.object({ choices: ChoicesSchema })) },
      responses: { 200: jsonResponse('recorded', HandsRecorded), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const p = principalOf(c);
      const { ballotId, memberId } = c.req.valid('param');
      const r = await recordHands(c.env.deps.db, ballotId, memberId, c.req.valid('json').choices, { kind: 'staff', staffName: p.role === 'staff' ? p.name : 'staff' }, c.env.deps.clock.now());
      return c.json(r, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/ballots/{ballotId}/record',
      roles: ['staff', 'supervisor', 'member'],
      tags: ['show of hands'],
      summary: 'The named record of a show of hands (the meeting and the supervisors)',
      request: { params: z.object({ ballotId: BallotId }) },
      responses: { 200: jsonResponse('record', HandsRecord), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const r = await getHandsRecord(c.env.deps.db, c.req.valid('param').ballotId);
      sameCycle(c, r.cycleId);
      return c.json(r, 200);
    },
  );
