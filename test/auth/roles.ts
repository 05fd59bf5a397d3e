// Who may call what, written by hand from the regulation and the design, route by route: the role
// matrix test compares every route's declared roles with this table, so a route declared with the
// wrong roles fails, and a new route fails until it is added here.
import type { Role } from '../../src/auth/principal.js';

export const ROLE_TABLE: Record<string, Role[]> = {
  // Health, API document, problem pages, public pages: anyone.
  'GET /healthz': ['public'],
  'GET /api/openapi.json': ['public'],
  'GET /api/docs': ['public'],
  'GET /problems/:slug': ['public'],
  'GET /': ['public'],
  'GET /notices': ['public'],
  'GET /notices/:id': ['public'],
  'GET /notices/:id/objection': ['public'],
  'GET /objections/receipt': ['public'],
  'GET /objections/status': ['public'],
  // The pages load for anyone; what they show is fetched with the user's own token.
  'GET /tablet': ['public'],
  'GET /meeting/:id/screen': ['public'],
  'GET /print/ballots/:id/tally-sheet': ['public'],
  'GET /print/meetings/:id/minutes': ['public'],
  'GET /favicon.ico': ['public'],
  'GET /staff': ['public'],
  'GET /supervisor': ['public'],

  // First run: anyone may ask whether the first staff account is still to be made; creating it needs the
  // one-time key printed by npm start (checked in the route). Accounts and tokens: staff only.
  'GET /api/v1/setup': ['public'],
  'POST /api/v1/setup': ['public'],
  'GET /api/v1/accounts': ['staff'],
  'POST /api/v1/accounts': ['staff'],
  'POST /api/v1/accounts/:id/tokens': ['staff'],
  'POST /api/v1/accounts/:id/tokens/:tokenId/revoke': ['staff'],
  'POST /api/v1/accounts/revoke-token': ['staff'],
  'POST /api/v1/accounts/:id/disable': ['staff'],

  // The working-day calendar is public; only the award office corrects it.
  'GET /api/v1/calendar/workdays': ['public'],
  'GET /api/v1/calendar/days': ['public'],
  'GET /api/v1/calendar': ['public'],
  'POST /api/v1/calendar/overrides': ['staff'],
  'DELETE /api/v1/calendar/overrides/:date': ['staff'],
  // Entering a year's State Council table (and previewing what it changes) is the office's too.
  'POST /api/v1/calendar/tables': ['staff'],
  'POST /api/v1/calendar/tables/preview': ['staff'],

  // Cycles and the roster: the office sets them up; the roster is seen by the office, the supervisory
  // group and the members themselves, not by the public.
  'GET /api/v1/cycles': ['public'],
  'POST /api/v1/cycles': ['staff'],
  'POST /api/v1/cycles/:cycleId/members': ['staff'],
  'GET /api/v1/cycles/:cycleId/members': ['staff', 'supervisor', 'member'],
  'POST /api/v1/members/:memberId/enrollment': ['staff'],
  // Corrections and removals of the roster before a member took part: staff, logged.
  'PATCH /api/v1/members/:memberId': ['staff'],
  'POST /api/v1/members/:memberId/removal': ['staff'],
  // A tablet enrols and signs in with its 注册码 and device key: no account before that.
  'POST /api/v1/members/enroll': ['public'],
  'POST /api/v1/members/challenge': ['public'],
  'POST /api/v1/members/session': ['public'],
  'GET /api/v1/members/me': ['member'],
  // Where objections are received (受理单位, 联系人…) is printed on every notice: public; the office sets it.
  'GET /api/v1/cycles/:id/objection-intake': ['public'],
  'PUT /api/v1/cycles/:id/objection-intake': ['staff'],
  // A supervisor registers their own signing device.
  'POST /api/v1/cycles/:cycleId/supervisor-devices': ['supervisor'],

  // The meeting: the office convenes it; the chair (主持人) and the office run and close it; the
  // supervisory group watches; members check in themselves.
  'POST /api/v1/cycles/:cycleId/meetings': ['staff'],
  'GET /api/v1/meetings/:meetingId': ['staff', 'supervisor', 'chair'],
  'POST /api/v1/meetings/:meetingId/close': ['staff', 'chair'],
  'GET /api/v1/members/me/meeting': ['member'],
  'POST /api/v1/meetings/:meetingId/checkins': ['member'],

  // Ballots: the office prepares them; the chair or the office moves the phases and calls a run-off.
  // A member obtains a blind token and raises hands as themselves; the cast itself is anonymous, so
  // it carries no identity at all. The office may record a hand shown in the room, marked as such.
  'POST /api/v1/cycles/:cycleId/ballots': ['staff'],
  'GET /api/v1/cycles/:cycleId/ballots': ['public'],
  'GET /api/v1/ballots/:ballotId': ['public'],
  'POST /api/v1/ballots/:ballotId/phase': ['staff', 'chair'],
  'POST /api/v1/ballots/:ballotId/runoff': ['staff', 'chair'],
  'POST /api/v1/ballots/:ballotId/withdraw': ['staff'],
  // The register of applicants and the 候选组织建议名单: the office writes, anyone reads.
  'POST /api/v1/cycles/:cycleId/applicants': ['staff'],
  'GET /api/v1/cycles/:cycleId/applicants': ['public'],
  // After the 公示: the 审定 at a meeting (staff propose and close the hands, members vote, the chair records,
  // a supervisor confirms), the submission and the government's decision recorded by the office; the state, the
  // decision's file and the awarded list are public (the submission's file only for staff and supervisors, in the handler).
  'GET /api/v1/cycles/:cycleId/award': ['public'],
  'GET /api/v1/cycles/:cycleId/awarded': ['public'],
  'POST /api/v1/meetings/:meetingId/award-fixing': ['staff'],
  'GET /api/v1/meetings/:meetingId/award-fixing': ['staff', 'supervisor', 'member'],
  'POST /api/v1/award-fixings/:fixingId/votes': ['member'],
  'POST /api/v1/award-fixings/:fixingId/close': ['staff'],
  'POST /api/v1/award-fixings/:fixingId/chair-record': ['chair'],
  'POST /api/v1/award-fixings/:fixingId/confirm': ['supervisor'],
  'POST /api/v1/cycles/:cycleId/award/submission': ['staff'],
  'POST /api/v1/cycles/:cycleId/award/decision': ['staff'],
  'GET /api/v1/cycles/:cycleId/award/files/:sha256': ['public'],
  'POST /api/v1/cycles/:cycleId/candidate-lists': ['staff'],
  'POST /api/v1/ballots/:ballotId/tokens': ['member'],
  'POST /api/v1/ballots/:ballotId/cast': ['public'],
  'GET /api/v1/ballots/:ballotId/bulletin': ['public'],
  'POST /api/v1/ballots/:ballotId/hands': ['member'],
  'POST /api/v1/ballots/:ballotId/hands/:memberId': ['staff'],
  // A hand the office recorded is confirmed by the supervisory group, not by the office itself.
  'POST /api/v1/ballots/:ballotId/hands/:memberId/confirmation': ['supervisor'],
  'GET /api/v1/ballots/:ballotId/record': ['staff', 'supervisor', 'member'],

  // How the meeting is held: the office puts the 表决办法 to the meeting; members vote on it as themselves,
  // or the chair records the hands and a supervisor confirms; 回避 is signed by the member's or the chair's
  // tablet; 计票人/监票人 confirm a result on their own tablets. The papers and the result reference are
  // public; the live view is for the office, the supervisors and the chair; the meeting screen needs the
  // display link the office creates (checked by its key, not by a role).
  'GET /api/v1/cycles/:cycleId/meetings': ['staff', 'supervisor'],
  'POST /api/v1/meetings/:meetingId/procedure': ['staff'],
  'GET /api/v1/meetings/:meetingId/procedure': ['staff', 'supervisor', 'member'],
  'POST /api/v1/procedures/:procedureId/votes': ['member'],
  'POST /api/v1/procedures/:procedureId/close': ['staff', 'chair'],
  'POST /api/v1/procedures/:procedureId/chair-record': ['chair'],
  'POST /api/v1/procedures/:procedureId/confirm': ['supervisor'],
  'POST /api/v1/ballots/:ballotId/recusals': ['member'],
  'GET /api/v1/ballots/:ballotId/recusals': ['public'],
  'GET /api/v1/ballots/:ballotId/tally-sheet': ['public'],
  'POST /api/v1/ballots/:ballotId/confirmations': ['member'],
  'POST /api/v1/ballots/:ballotId/supervisor-confirmations': ['supervisor'],
  'GET /api/v1/ballots/:ballotId/result-reference': ['public'],
  'GET /api/v1/meetings/:meetingId/live': ['staff', 'supervisor', 'chair'],
  'POST /api/v1/meetings/:meetingId/display': ['staff'],
  'GET /api/v1/meetings/:meetingId/screen': ['public'],
  'GET /api/v1/meetings/:meetingId/minutes': ['public'],

  // The public log: anyone reads it; a witness's cosignature is checked against its key, not a role.
  'GET /api/v1/log/entries/:index': ['public'],
  'GET /api/v1/log/consistency': ['public'],
  'GET /api/v1/log/documents/:hash': ['public'],
  'GET /api/v1/log/checkpoints': ['public'],
  'GET /log/checkpoint': ['public'],
  'GET /log/key': ['public'],
  'GET /log/tile/*': ['public'],
  'POST /log/cosignatures': ['public'],

  // Notices (公示): the office drafts and publishes; anyone reads them and may object (实名, by
  // form); an objector follows their objection with its receipt.
  'GET /api/v1/notices': ['public'],
  'POST /api/v1/notices': ['staff'],
  'GET /api/v1/notices/:id': ['public'],
  'PATCH /api/v1/notices/:id': ['staff'],
  'DELETE /api/v1/notices/:id': ['staff'],
  'POST /api/v1/notices/:id/publish': ['staff'],
  'GET /api/v1/notices/:id/preview': ['staff'],
  'POST /api/v1/notices/:id/objections': ['public'],
  // Objections received on paper, by post or by fax are registered by the office.
  'POST /api/v1/notices/:id/objections/registered': ['staff'],
  'POST /api/v1/objections/status': ['public'],
  'GET /api/v1/notices/:id/receipts': ['public'],
  // Objections themselves (with the objector's contact and evidence): the office handles them, the
  // supervisory group reads them; nobody else.
  'GET /api/v1/objections': ['staff', 'supervisor'],
  'GET /api/v1/objections/:id': ['staff', 'supervisor'],
  'GET /api/v1/objections/:id/files/:position': ['staff', 'supervisor'],
  'POST /api/v1/objections/:id/assignment': ['staff'],
  'POST /api/v1/objections/:id/findings': ['staff'],
  'POST /api/v1/objections/:id/decision': ['staff'],
  'POST /api/v1/objections/:id/keep': ['staff'],

  // The cycle's export: its public part for anyone (each role gets what it may see).
  'GET /api/v1/cycles/:cycleId/export': ['public', 'staff', 'supervisor', 'member'],
  // Archive CSV: a published list and a logged result for anyone; the objection register for staff and supervisors.
  'GET /api/v1/notices/:id/organisations.csv': ['public'],
  'GET /api/v1/ballots/:ballotId/result.csv': ['public'],
  'GET /api/v1/cycles/:cycleId/objections.csv': ['staff', 'supervisor'],
};
