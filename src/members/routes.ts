import { z } from '@hono/zod-openapi';
import { newRouter, problemResponses, jsonResponse, jsonBody } from '../openapi.js';
import { route } from '../auth/guard.js';
import { principalOf } from '../auth/principal.js';
import { Problem } from '../errors.js';
import { getCycle } from '../cycles/queries.js';
import { CycleId } from '../cycles/routes.js';
import { refuseWhileCasting } from '../votes/casting-hold.js';
import { hitRateLimit } from '../objections/ratelimit.js';
import { clientAddress } from '../net/address.js';
import { enroll, listMembers, newChallenge, registerMember, reissueEnrollment, signIn, signInMessage } from './queries.js';
import { toHex } from '../../crypto/bytes.js';
import { amendMember, removeMember } from './roster-changes.js';
import { checkpointAfterWrite } from '../log/index.js';
import { Enrollment, MemberId, RosterSchema } from './responses.js';

const MemberName = z.string().trim().min(1).max(100);
const MemberUnit = z.string().trim().min(1).max(200);
const Reason = z.string().trim().min(1).max(500).openapi({ example: '姓名录入有误' });
const RosterChange = z.object({ id: MemberId, logIndex: z.number().int() }).openapi('RosterChange');

export const memberRoutes = newRouter()
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/cycles/{cycleId}/members',
      roles: ['staff'],
      tags: ['members'],
      summary: 'Register a judging-group member (评审组成员) and get a one-time enrollment code',
      request: {
        params: z.object({ cycleId: CycleId }),
        body: jsonBody(z.object({ name: MemberName, unit: MemberUnit, isChair: z.boolean().default(false) })),
      },
      responses: { 201: jsonResponse('registered; the code is shown only now', Enrollment), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { db, clock } = c.env.deps;
      const { cycleId } = c.req.valid('param');
      await getCycle(db, cycleId);
      const r = await registerMember(db, { cycleId, ...c.req.valid('json') }, clock.now());
      await checkpointAfterWrite(c.env.deps);
      return c.json({ id: r.id, enrollmentCode: r.enrollmentCode, expiresAt: r.expiresAt.toISOString() }, 201);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/members/{memberId}/enrollment',
      roles: ['staff'],
      tags: ['members'],
      summary: 'Issue a new enrollment code (lost or replaced tablet); the old device key stops working; logged; refused while a vote is open',
      request: { params: z.object({ memberId: MemberId }) },
      responses: { 201: jsonResponse('new code, shown only now', Enrollment), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const r = await reissueEnrollment(c.env.deps.db, c.req.valid('param').memberId, c.env.deps.clock.now());
      await checkpointAfterWrite(c.env.deps);
      return c.json({ id: r.id, enrollmentCode: r.enrollmentCode, expiresAt: r.expiresAt.toISOString() }, 201);
    },
  )
  .openapi(
    route({
      method: 'patch',
      path: '/api/v1/members/{memberId}',
      roles: ['staff'],
      tags: ['members'],
      summary: 'Correct a member’s name, unit or chair with a reason, before the member took part (no tablet ever enrolled, on no meeting’s roster); logged',
      request: {
        params: z.object({ memberId: MemberId }),
        body: jsonBody(z.object({ name: MemberName.optional(), unit: MemberUnit.optional(), isChair: z.boolean().optional(), reason: Reason }).strict()),
      },
      responses: { 200: jsonResponse('corrected', RosterChange), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const r = await amendMember(c.env.deps.db, c.req.valid('param').memberId, c.req.valid('json'), c.env.deps.clock.now());
      await checkpointAfterWrite(c.env.deps);
      return c.json({ id: r.id, logIndex: r.logIndex }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/members/{memberId}/removal',
      roles: ['staff'],
      tags: ['members'],
      summary: 'Take a member off the roster with a reason, before the member took part (no tablet ever enrolled, on no meeting’s roster); logged',
      request: { params: z.object({ memberId: MemberId }), body: jsonBody(z.object({ reason: Reason }).strict()) },
      responses: { 200: jsonResponse('removed', RosterChange), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const r = await removeMember(c.env.deps.db, c.req.valid('param').memberId, c.req.valid('json').reason, c.env.deps.clock.now());
      await checkpointAfterWrite(c.env.deps);
      return c.json({ id: r.id, logIndex: r.logIndex }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/cycles/{cycleId}/members',
      roles: ['staff', 'supervisor', 'member'],
      tags: ['members'],
      summary: 'The roster of the judging group',
      request: { params: z.object({ cycleId: CycleId }) },
      responses: { 200: jsonResponse('roster', RosterSchema), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cycleId } = c.req.valid('param');
      const p = principalOf(c);
      if (p.role === 'member' && p.cycleId !== cycleId) {
        throw new Problem('forbidden', { en: 'Members see the roster of their own cycle.', zh: '成员只能查看本周期名单。' });
      }
      await getCycle(c.env.deps.db, cycleId);
      const rows = await listMembers(c.env.deps.db, cycleId);
      return c.json(
        { members: rows.map((m) => ({ id: m.id, name: m.name, unit: m.unit, isChair: m.is_chair, enrolled: !!m.enrolled_at, deviceKey: m.device_key })) },
        200,
      );
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/members/enroll',
      roles: ['public'],
      tags: ['members'],
      summary: 'Tablet: redeem the one-time code and register the device key generated on the tablet',
      request: { body: jsonBody(z.object({ code: z.string().trim().min(6).max(20), deviceKey: z.string() })) },
      responses: {
        200: jsonResponse('enrolled', z.object({ memberId: MemberId, cycleId: CycleId, name: z.string(), unit: z.string(), isChair: z.boolean() })),
        ...problemResponses(400, 403, 429),
      },
    }),
    async (c) => {
      const { code, deviceKey } = c.req.valid('json');
      await hitRateLimit(c.env.deps, 'member-enroll', clientAddress(c));
      const m = await enroll(c.env.deps.db, code, deviceKey, c.env.deps.clock.now());
      await checkpointAfterWrite(c.env.deps);
      return c.json({ memberId: m.id, cycleId: m.cycle_id, name: m.name, unit: m.unit, isChair: m.is_chair }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/members/challenge',
      roles: ['public'],
      tags: ['members'],
      summary: 'Tablet: get a sign-in challenge to sign with the device key',
      request: { body: jsonBody(z.object({ memberId: MemberId })) },
      responses: { 200: jsonResponse('challenge', z.object({ challenge: z.string(), message: z.string(), expiresAt: z.string() })), ...problemResponses(400, 409, 429) },
    }),
    async (c) => {
      const { memberId } = c.req.valid('json');
      await refuseWhileCasting(c.env.deps.db, memberId);
      await hitRateLimit(c.env.deps, 'member-challenge', clientAddress(c));
      const ch = await newChallenge(c.env.deps.db, memberId, c.env.deps.clock.now());
      return c.json({ challenge: ch.challenge, message: toHex(signInMessage(memberId, ch.challenge)), expiresAt: ch.expiresAt.toISOString() }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/members/session',
      roles: ['public'],
      tags: ['members'],
      summary: 'Tablet: sign in with the signed challenge; returns a member session token',
      request: { body: jsonBody(z.object({ memberId: MemberId, challenge: z.string().min(8).max(64), signature: z.string() })) },
      responses: { 200: jsonResponse('session', z.object({ token: z.string(), expiresAt: z.string() })), ...problemResponses(400, 401, 409) },
    }),
    async (c) => {
      const { memberId, challenge, signature } = c.req.valid('json');
      await refuseWhileCasting(c.env.deps.db, memberId);
      const s = await signIn(c.env.deps.db, memberId, challenge, signature, c.env.deps.clock.now());
      return c.json({ token: s.token, expiresAt: s.expiresAt.toISOString() }, 200);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/members/me',
      roles: ['member'],
      tags: ['members'],
      summary: 'Tablet: who am I',
      responses: {
        200: jsonResponse('me', z.object({ memberId: MemberId, cycleId: CycleId, name: z.string(), unit: z.string(), isChair: z.boolean() })),
        ...problemResponses(401, 403),
      },
    }),
    async (c) => {
      const p = principalOf(c);
      if (p.role !== 'member') throw new Problem('forbidden', { en: 'Members only.', zh: '仅限评审组成员。' });
      return c.json({ memberId: p.memberId, cycleId: p.cycleId, name: p.name, unit: p.unit, isChair: p.isChair }, 200);
    },
  );
