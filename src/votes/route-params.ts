// What the vote routes (routes.ts, conduct-routes.ts, countersign-routes.ts) share: the path
// parameters and signature formats they accept, and the guards on who the caller is.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { principalOf, type Principal } from '../auth/principal.js';
import { problem } from '../errors.js';

export const MeetingId = z.string().regex(/^mt_[A-Za-z0-9_-]{12}$/);
export const BallotId = z.string().regex(/^b_[A-Za-z0-9_-]{12}$/);
export const ProcedureId = z.string().regex(/^pr_[A-Za-z0-9_-]{12}$/);
export const MemberId = z.string().regex(/^m_[A-Za-z0-9_-]{12}$/);

/** Exactly `bytes` bytes as lowercase hex. */
export const Hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes of lowercase hex`);
/** An Ed25519 signature by a device key. */
export const Signature = Hex(64);

/** The calling member (a tablet's session); any other caller is refused. */
export function memberOf(c: Context): Extract<Principal, { role: 'member' }> {
  const p = principalOf(c);
  if (p.role !== 'member') throw problem('forbidden', 'Members only.', '仅限评审组成员。');
  return p;
}

/** The calling supervisor; any other caller is refused. */
export function supervisorOf(c: Context): Extract<Principal, { role: 'supervisor' | 'staff' }> {
  const p = principalOf(c);
  if (p.role !== 'supervisor') throw problem('forbidden', 'Supervisors only.', '仅限监督小组。');
  return p;
}

/** Members act only within their own cycle; staff, supervisors and the public are not bound to one. */
export function sameCycle(c: Context, cycleId: string): void {
  const p = principalOf(c);
  if (p.role === 'member' && p.cycleId !== cycleId) throw problem('forbidden', 'This belongs to another cycle.', '不属于本周期。');
}
