import type { Context } from 'hono';

export type Role = 'staff' | 'supervisor' | 'member' | 'chair' | 'public';

export type Principal =
  | { role: 'staff' | 'supervisor'; accountId: number; name: string }
  | { role: 'member'; memberId: string; cycleId: string; name: string; unit: string; isChair: boolean; deviceKey: string }
  | { role: 'public' };

export const principalOf = (c: Context): Principal => (c.get('principal') as Principal | undefined) ?? { role: 'public' };

/** Whether a principal holds one of the roles; `chair` is a member with the chair flag. */
export function holds(p: Principal, roles: readonly Role[]): boolean {
  if (roles.includes('public')) return true;
  if (p.role === 'member') return roles.includes('member') || (p.isChair && roles.includes('chair'));
  return roles.includes(p.role);
}
