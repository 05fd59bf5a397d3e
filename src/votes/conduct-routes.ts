// How the meeting is conducted, over HTTP: the 表决办法 and its adoption, 回避, the tellers'
// confirmations, the live meeting view (staff console, meeting screen), the tally sheet and minutes.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { newRouter, problemResponses, jsonResponse, jsonBody } from '../openapi.js';
import { route } from '../auth/guard.js';
import { principalOf } from '../auth/principal.js';
import { BallotId, Hex, MeetingId, MemberId, memberOf, ProcedureId, sameCycle, Signature, supervisorOf } from './route-params.js';
import type { AppEnv } from '../deps.js';
import { Problem } from '../errors.js';
import { checkpointAfterWrite } from '../log/index.js';
import { getMeeting } from './meetings.js';
import { CycleId } from '../cycles/routes.js';
import { getBallot } from './ballots.js';
import { closeProcedureHands, confirmChairRecord, currentProcedure, proposeProcedure, recordProcedureByChair, voteProcedure } from './procedure.js';
import { declareRecusal, listRecusals } from './recusal.js';
import { confirmTally, confirmTallyBySupervisor, resultReference } from './tellers.js';
import { checkDisplayKey, createDisplayKey, meetingLive } from './live.js';
import { minutesDocument, tallySheet } from './report.js';
import { DEFAULT_RULES, RulesSchema } from './rules.js';
import { ChairRecorded, DisplayLink, Logged, MeetingList, MeetingLive, MeetingScreen, Minutes, Procedure, ProcedureDecided, ProcedureProposed, ProcedureVoted, Recusals, ResultReference, TallyConfirmed, TallySheet } from './conduct-responses.js';

const Count = z.number().int().min(0).max(1000);

async function procedureCycle(c: Context<AppEnv>, procedureId: string) {
  const row = await c.env.deps.db.selectFrom('meeting_procedure').innerJoin('meeting', 'meeting.id', 'meeting_procedure.meeting_id').select(['meeting.cycle_id']).where('meeting_procedure.id', '=', procedureId).executeTakeFirst();
  if (!row) throw new Problem('not-found', { en: `No procedure ${procedureId}.`, zh: `没有表决办法 ${procedureId}。` });
  sameCycle(c, row.cycle_id);
}

/** After a logged write: the checkpoint refreshed, a failure only warned of (the write is committed). */
const logged = async (c: Context<AppEnv>) => checkpointAfterWrite(c.env.deps);

export const conductRoutes = newRouter()
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles/{cycleId}/meetings',
      roles: ['staff', 'supervisor'],
      tags: ['meeting'],
      summary: 'The plenary meetings of a cycle, newest first (the supervisors’ page finds the meeting it watches here)',
      request: { params: z.object({ cycleId: CycleId }) },
      responses: { 200: jsonResponse('meetings', MeetingList), ...problemResponses(401, 403) },
    }),
    async (c) => {
      const rows = await c.env.deps.db.selectFrom('meeting').select(['id', 'title', 'status', 'opened_at']).where('cycle_id', '=', c.req.valid('param').cycleId).orderBy('opened_at', 'desc').orderBy('id').execute();
      return c.json({ meetings: rows.map((m) => ({ id: m.id, title: m.title, status: m.status, openedAt: m.opened_at.toISOString() })) }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/meetings/{meetingId}/procedure',
      roles: ['staff'],
      tags: ['meeting'],
      summary: 'Put the 表决办法 (quorum, pass rule, 计票人 and 监票人) to the meeting',
      request: {
        params: z.object({ meetingId: MeetingId }),
        body: jsonBody(
          z.object({
            rules: RulesSchema.optional(),
            counters: z.array(MemberId).max(10),
            scrutineers: z.array(MemberId).max(10),
            /** Supervisors (by account) attending with a device registered for the cycle, named 监票人. */
            supervisorScrutineers: z.array(z.number().int().min(1)).max(10).optional(),
          }),
        ),
      },
      responses: { 201: jsonResponse('proposed', ProcedureProposed), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const r = await proposeProcedure(c.env.deps.db, c.req.valid('param').meetingId, { rules: body.rules ?? DEFAULT_RULES, counters: body.counters, scrutineers: body.scrutineers, supervisorScrutineers: body.supervisorScrutineers ?? [] });
      await logged(c);
      return c.json(r, 201);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/meetings/{meetingId}/procedure',
      roles: ['staff', 'supervisor', 'member'],
      tags: ['meeting'],
      summary: 'The 表决办法 under discussion or adopted, with the counts so far',
      request: { params: z.object({ meetingId: MeetingId }) },
      responses: { 200: jsonResponse('procedure', Procedure), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { meetingId } = c.req.valid('param');
      sameCycle(c, (await getMeeting(c.env.deps.db, meetingId)).cycle_id);
      const p = await currentProcedure(c.env.deps.db, meetingId);
      if (!p) throw new Problem('not-found', { en: 'No 表决办法 has been put to this meeting.', zh: '尚未提出表决办法。' });
      const me = principalOf(c);
      return c.json({ ...p, myVote: me.role === 'member' ? (p.votes.find((v) => v.memberId === me.memberId)?.choice ?? null) : null }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/procedures/{procedureId}/votes',
      roles: ['member'],
      tags: ['meeting'],
      summary: 'Tablet: my 同意/不同意/弃权 on the 表决办法, signed over "hzqa-procedure/v1\\n<meetingId>\\n<procedureHash>\\n<memberId>\\n<choice>\\n"',
      request: { params: z.object({ procedureId: ProcedureId }), body: jsonBody(z.object({ choice: z.enum(['for', 'against', 'abstain']), signature: Signature })) },
      responses: { 200: jsonResponse('recorded', ProcedureVoted), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = memberOf(c);
      const { procedureId } = c.req.valid('param');
      await procedureCycle(c, procedureId);
      const { choice, signature } = c.req.valid('json');
      return c.json(await voteProcedure(c.env.deps.db, procedureId, p.memberId, choice, signature), 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/procedures/{procedureId}/close',
      roles: ['staff', 'chair'],
      tags: ['meeting'],
      summary: 'Close the members’ show of hands on the 表决办法: adopted with 同意 from more than half of those present',
      request: { params: z.object({ procedureId: ProcedureId }) },
      responses: { 200: jsonResponse('decided', ProcedureDecided), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const { procedureId } = c.req.valid('param');
      await procedureCycle(c, procedureId);
      const r = await closeProcedureHands(c.env.deps.db, procedureId);
      await logged(c);
      return c.json(r, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/procedures/{procedureId}/chair-record',
      roles: ['chair'],
      tags: ['meeting'],
      summary: 'Chair: the counts of the show of hands in the room, signed over "hzqa-procedure-record/v1\\n…"; a supervisor confirms',
      request: { params: z.object({ procedureId: ProcedureId }), body: jsonBody(z.object({ for: Count, against: Count, abstain: Count, signature: Signature })) },
      responses: { 200: jsonResponse('recorded; a supervisor confirms', ChairRecorded), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const p = memberOf(c);
      const { procedureId } = c.req.valid('param');
      await procedureCycle(c, procedureId);
      const { signature, ...counts } = c.req.valid('json');
      return c.json(await recordProcedureByChair(c.env.deps.db, procedureId, p, counts, signature), 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/procedures/{procedureId}/confirm',
      roles: ['supervisor'],
      tags: ['meeting'],
      summary: 'Supervisor: confirm the chair’s record of the show of hands on the 表决办法 (logged by name)',
      request: { params: z.object({ procedureId: ProcedureId }) },
      responses: { 200: jsonResponse('decided', ProcedureDecided), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const p = supervisorOf(c);
      const r = await confirmChairRecord(c.env.deps.db, c.req.valid('param').procedureId, p);
      await logged(c);
      return c.json(r, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/recusals',
      roles: ['member'],
      tags: ['ballots'],
      summary: '回避: a member declares a conflict with a candidate (or the chair recuses a member), signed over "hzqa-recusal/v1\\n<ballotId>\\n<memberId>\\n<candidateId>\\n"',
      request: {
        params: z.object({ ballotId: BallotId }),
        body: jsonBody(z.object({ memberId: MemberId.optional(), candidateId: z.string().min(1).max(40), reason: z.string().trim().max(200).default(''), signature: Signature })),
      },
      responses: { 201: jsonResponse('logged', Logged), 200: jsonResponse('already logged', Logged), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = memberOf(c);
      const { ballotId } = c.req.valid('param');
      sameCycle(c, (await getBallot(c.env.deps.db, ballotId)).cycleId);
      const body = c.req.valid('json');
      const r = await declareRecusal(c.env.deps.db, { ballotId, memberId: body.memberId ?? p.memberId, candidateId: body.candidateId, reason: body.reason, signer: p, signature: body.signature });
      await logged(c);
      return c.json(r, r.already ? 200 : 201);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/ballots/{ballotId}/recusals',
      roles: ['public'],
      tags: ['ballots'],
      summary: 'The recusals (回避) of a ballot',
      request: { params: z.object({ ballotId: BallotId }) },
      responses: { 200: jsonResponse('recusals', Recusals), ...problemResponses(404) },
    }),
    async (c) => {
      const { ballotId } = c.req.valid('param');
      await getBallot(c.env.deps.db, ballotId);
      return c.json({ recusals: await listRecusals(c.env.deps.db, ballotId) }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/ballots/{ballotId}/tally-sheet',
      roles: ['public'],
      tags: ['ballots'],
      summary: '计票结果报告单: 应到/实到/发出/收回/有效/无效, each candidate, tellers’ confirmations, the result’s log index and hash',
      request: { params: z.object({ ballotId: BallotId }) },
      responses: { 200: jsonResponse('sheet', TallySheet), ...problemResponses(404, 409) },
    }),
    async (c) => c.json(await tallySheet(c.env.deps.db, c.req.valid('param').ballotId), 200),
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/confirmations',
      roles: ['member'],
      tags: ['ballots'],
      summary: 'Tablet of a 计票人/监票人: confirm the logged result, signed over "hzqa-tally/v1\\n<ballotId>\\n<resultLogIndex>\\n<resultDocHash>\\n<role>\\n<memberId>\\n"',
      request: { params: z.object({ ballotId: BallotId }), body: jsonBody(z.object({ signature: Signature })) },
      responses: { 201: jsonResponse('logged', TallyConfirmed), 200: jsonResponse('already logged', TallyConfirmed), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = memberOf(c);
      const { ballotId } = c.req.valid('param');
      sameCycle(c, (await getBallot(c.env.deps.db, ballotId)).cycleId);
      const r = await confirmTally(c.env.deps.db, ballotId, p, c.req.valid('json').signature, c.env.deps.clock.now());
      await logged(c);
      return c.json(r, r.already ? 200 : 201);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/supervisor-confirmations',
      roles: ['supervisor'],
      tags: ['ballots'],
      summary: 'Supervisor named 监票人: confirm the logged result with the device registered for the cycle, signed over "hzqa-tally-supervisor/v1\\n<ballotId>\\n<resultLogIndex>\\n<resultDocHash>\\n<accountId>\\n"',
      request: { params: z.object({ ballotId: BallotId }), body: jsonBody(z.object({ deviceKey: Hex(32), signature: Signature })) },
      responses: { 201: jsonResponse('logged', TallyConfirmed), 200: jsonResponse('already logged', TallyConfirmed), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = supervisorOf(c);
      const r = await confirmTallyBySupervisor(c.env.deps.db, c.req.valid('param').ballotId, p, c.req.valid('json'), c.env.deps.clock.now());
      await logged(c);
      return c.json(r, r.already ? 200 : 201);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/ballots/{ballotId}/result-reference',
      roles: ['public'],
      tags: ['ballots'],
      summary: 'The result entry a teller signs: its log index and document hash',
      request: { params: z.object({ ballotId: BallotId }) },
      responses: { 200: jsonResponse('reference', ResultReference), ...problemResponses(404, 409) },
    }),
    async (c) => {
      const r = await resultReference(c.env.deps.db, c.req.valid('param').ballotId);
      return c.json({ ballotId: r.ballot.id, resultLogIndex: r.resultLogIndex, resultDocHash: r.resultDocHash }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/meetings/{meetingId}/live',
      roles: ['staff', 'supervisor', 'chair'],
      tags: ['meeting'],
      summary: 'The meeting as the room sees it: check-ins, quorum, 表决办法, each vote’s phase, fingerprint, counts and result (poll it)',
      request: { params: z.object({ meetingId: MeetingId }) },
      responses: { 200: jsonResponse('live', MeetingLive), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { meetingId } = c.req.valid('param');
      sameCycle(c, (await getMeeting(c.env.deps.db, meetingId)).cycle_id);
      c.header('Cache-Control', 'no-store');
      return c.json(await meetingLive(c.env.deps.db, meetingId), 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/meetings/{meetingId}/display',
      roles: ['staff'],
      tags: ['meeting'],
      summary: 'Create a display link for the meeting screen (the key is shown once; only its hash is kept)',
      request: { params: z.object({ meetingId: MeetingId }) },
      responses: { 201: jsonResponse('link', DisplayLink), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { meetingId } = c.req.valid('param');
      await getMeeting(c.env.deps.db, meetingId);
      const p = principalOf(c);
      const key = await createDisplayKey(c.env.deps.db, meetingId, p.role === 'staff' ? p.name : 'staff', c.env.deps.clock.now());
      return c.json({ key, path: `/meeting/${meetingId}/screen#k=${key}` }, 201);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/meetings/{meetingId}/screen',
      roles: ['public'],
      tags: ['meeting'],
      summary: 'The meeting screen’s data, with the display key in the X-Display-Key header (poll it)',
      request: { params: z.object({ meetingId: MeetingId }) },
      responses: { 200: jsonResponse('screen', MeetingScreen), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const { meetingId } = c.req.valid('param');
      await checkDisplayKey(c.env.deps.db, meetingId, c.req.header('x-display-key'));
      c.header('Cache-Control', 'no-store');
      const live = await meetingLive(c.env.deps.db, meetingId);
      // The screen shows counts, not the roster's contact details or the chair's pending record.
      return c.json({ ...live, roster: live.roster.map((m) => ({ name: m.name, unit: m.unit, checkedIn: m.checkedInAt !== null })) }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/meetings/{meetingId}/minutes',
      roles: ['public'],
      tags: ['meeting'],
      summary: '会议纪要: attendance, the 表决办法 and its adoption, each vote and result (logged when the meeting closes)',
      request: { params: z.object({ meetingId: MeetingId }) },
      responses: { 200: jsonResponse('minutes', Minutes), ...problemResponses(404) },
    }),
    async (c) => c.json(await minutesDocument(c.env.deps.db, c.req.valid('param').meetingId), 200),
  );
