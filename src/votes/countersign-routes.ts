// The supervisors' side of a staff-recorded show of hands: a device registered for the cycle, and its
// confirmation of each hand staff recorded (votes/countersign.ts).
import { z } from '@hono/zod-openapi';
import { newRouter, problemResponses, jsonResponse, jsonBody } from '../openapi.js';
import { route } from '../auth/guard.js';
import { CycleId } from '../cycles/routes.js';
import { checkpointAfterWrite } from '../log/index.js';
import { BallotId, Hex, MemberId, Signature, supervisorOf } from './route-params.js';
import { countersignHands, registerSupervisorDevice } from './countersign.js';


const Registered = z.object({ accountId: z.number().int(), name: z.string(), deviceKey: z.string(), fingerprint: z.string(), logIndex: z.number().int() }).openapi('SupervisorDevice');
/** The supervisors' page keeps this answer with the device's key. */
export type RegisteredJson = z.infer<typeof Registered>;
const Confirmed = z.object({ ballotId: z.string(), memberId: z.string(), confirmed: z.literal(true) }).openapi('HandsConfirmed');

export const countersignRoutes = newRouter()
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/cycles/{cycleId}/supervisor-devices',
      roles: ['supervisor'],
      tags: ['show of hands'],
      summary: 'Supervisor: register this device’s key for the cycle (logged as supervisor-device)',
      request: { params: z.object({ cycleId: CycleId }), body: jsonBody(z.object({ deviceKey: Hex(32) })) },
      responses: { 200: jsonResponse('registered', Registered), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = supervisorOf(c);
      const r = await registerSupervisorDevice(c.env.deps.db, { cycleId: c.req.valid('param').cycleId, accountId: p.accountId, name: p.name, deviceKey: c.req.valid('json').deviceKey }, c.env.deps.clock.now());
      await checkpointAfterWrite(c.env.deps);
      return c.json(r, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/ballots/{ballotId}/hands/{memberId}/confirmation',
      roles: ['supervisor'],
      tags: ['show of hands'],
      summary: 'Supervisor: confirm on this device a show of hands that staff recorded (signed with the registered device key)',
      request: { params: z.object({ ballotId: BallotId, memberId: MemberId }), body: jsonBody(z.object({ deviceKey: Hex(32), signature: Signature })) },
      responses: { 200: jsonResponse('confirmed', Confirmed), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = supervisorOf(c);
      const { ballotId, memberId } = c.req.valid('param');
      const r = await countersignHands(c.env.deps.db, ballotId, memberId, { accountId: p.accountId, ...c.req.valid('json') });
      return c.json(r, 200);
    },
  );
