// The JSON shapes of the account routes (src/auth/account-routes.ts) that pages read: accounts with their
// tokens, a token issued once, and the first-run state. Pages import the types (`import type`).
import { z } from '@hono/zod-openapi';

export const AccountRole = z.enum(['staff', 'supervisor']);
export const Account = z
  .object({
    id: z.number().int(),
    role: AccountRole,
    name: z.string(),
    email: z.string().nullable(),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
    tokens: z.array(z.object({ id: z.string(), createdAt: z.string(), expiresAt: z.string().nullable(), revokedAt: z.string().nullable() })),
  })
  .openapi('Account');
export const AccountList = z.object({ accounts: z.array(Account) });
export const IssuedToken = z.object({ accountId: z.number().int(), tokenId: z.string(), token: z.string() }).openapi('IssuedToken');
export const SetupState = z.object({ firstAccountNeeded: z.boolean() });

export type AccountListJson = z.infer<typeof AccountList>;
export type IssuedTokenJson = z.infer<typeof IssuedToken>;
export type SetupStateJson = z.infer<typeof SetupState>;
