// The JSON shapes of the member routes (src/members/routes.ts) that pages read: the roster and a
// one-time enrollment code. Pages import the types (`import type`).
import { z } from '@hono/zod-openapi';

export const MemberId = z.string().regex(/^m_[A-Za-z0-9_-]{12}$/).openapi({ example: 'm_AbCdEfGhIjKl' });
export const Enrollment = z.object({ id: MemberId, enrollmentCode: z.string(), expiresAt: z.string() }).openapi('Enrollment');
export const RosterMember = z
  .object({ id: MemberId, name: z.string(), unit: z.string(), isChair: z.boolean(), enrolled: z.boolean(), deviceKey: z.string().nullable() })
  .openapi('RosterMember');
export const RosterSchema = z.object({ members: z.array(RosterMember) });

export type EnrollmentJson = z.infer<typeof Enrollment>;
export type RosterJson = z.infer<typeof RosterSchema>;
