// Staff and supervisor accounts and their bearer tokens, managed by staff in the console (账号 tab) and
// by `npm run admin` (through the local admin key, src/auth/first-run.ts); and the first run's setup:
// the first staff account, created with the one-time key printed by `npm start`.
import { z } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, newRouter, problemResponses } from '../openapi.js';
import { problem } from '../errors.js';
import { route } from './guard.js';
import { activeStaffCount, createAccount, disableAccount, issueAccountToken, listAccountsWithTokens, revokeAccountToken, revokeAccountTokenById, tokenIdOf } from './accounts.js';
import { hashSecret } from './secrets.js';
import { isSetupKey } from './first-run.js';
import { AccountList, AccountRole, IssuedToken, SetupState } from './account-responses.js';

const Name = z.string().trim().min(1).max(100);
const Email = z.string().trim().email().max(200);
/** A token's validity in days; none: until revoked. */
const Days = z.number().int().min(1).max(3650);

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const AccountId = z.object({ id: z.coerce.number().int().positive() });

async function issue(db: Parameters<typeof issueAccountToken>[0], accountId: number, days: number | undefined, now: Date) {
  const token = await issueAccountToken(db, accountId, days ? new Date(now.getTime() + days * 86_400_000) : null);
  return { accountId, tokenId: tokenIdOf(hashSecret(token)), token };
}

export const accountRoutes = newRouter()
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/setup',
      roles: ['public'],
      tags: ['accounts'],
      summary: 'Whether the first staff account is still to be created (first run)',
      responses: { 200: jsonResponse('first-run state', SetupState) },
    }),
    async (c) => c.json({ firstAccountNeeded: !!c.env.deps.localKeys?.setup && (await activeStaffCount(c.env.deps.db)) === 0 }, 200),
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/setup',
      roles: ['public'],
      tags: ['accounts'],
      summary: 'Create the first staff account with the one-time setup key printed by npm start',
      request: { body: jsonBody(z.object({ setupKey: z.string().min(1).max(200), name: Name, email: Email.optional() })) },
      responses: { 201: jsonResponse('the first staff account and its token (shown once)', IssuedToken), ...problemResponses(400, 403, 409) },
    }),
    async (c) => {
      const { setupKey, name, email } = c.req.valid('json');
      const deps = c.env.deps;
      if (!isSetupKey(deps.localKeys, setupKey)) {
        throw problem('forbidden', 'The setup link is not valid or has been used.', '设置链接无效或已使用。请使用启动服务时终端中显示的最新链接。');
      }
      // Used up before anything is awaited: two pages submitting at once cannot both get in.
      deps.localKeys!.setup = undefined;
      if ((await activeStaffCount(deps.db)) > 0) {
        throw problem('conflict', 'A staff account already exists; sign in with its token.', '已有工作人员账号，请用其访问令牌登录。');
      }
      const account = await createAccount(deps.db, { role: 'staff', name, email });
      return c.json(await issue(deps.db, account.id, undefined, deps.clock.now()), 201);
    },
  )
  .openapi(
    route({
      method: 'get',
      path: '/api/v1/accounts',
      roles: ['staff'],
      tags: ['accounts'],
      summary: 'Staff and supervisor accounts with their tokens (handles only)',
      responses: { 200: jsonResponse('accounts', AccountList), ...problemResponses(401, 403) },
    }),
    async (c) => {
      const accounts = await listAccountsWithTokens(c.env.deps.db);
      return c.json(
        {
          accounts: accounts.map((a) => ({
            id: a.id,
            role: a.role,
            name: a.name,
            email: a.email,
            createdAt: a.created_at.toISOString(),
            disabledAt: iso(a.disabled_at),
            tokens: a.tokens.map((t) => ({ id: t.id, createdAt: t.created_at.toISOString(), expiresAt: iso(t.expires_at), revokedAt: iso(t.revoked_at) })),
          })),
        },
        200,
      );
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/accounts',
      roles: ['staff'],
      tags: ['accounts'],
      summary: 'Create a staff or supervisor account and its first token (shown once)',
      request: { body: jsonBody(z.object({ role: AccountRole, name: Name, email: Email.optional(), days: Days.optional() })) },
      responses: { 201: jsonResponse('the account and its token', IssuedToken), ...problemResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const { role, name, email, days } = c.req.valid('json');
      const db = c.env.deps.db;
      if (email && (await db.selectFrom('account').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst())) {
        throw problem('conflict', 'An account with this e-mail exists.', '已有使用该电子邮箱的账号。');
      }
      const account = await createAccount(db, { role, name, email });
      return c.json(await issue(db, account.id, days, c.env.deps.clock.now()), 201);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/accounts/{id}/tokens',
      roles: ['staff'],
      tags: ['accounts'],
      summary: 'Issue another token for an account (shown once)',
      request: { params: AccountId, body: jsonBody(z.object({ days: Days.optional() })) },
      responses: { 201: jsonResponse('the token', IssuedToken), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const db = c.env.deps.db;
      const account = await db.selectFrom('account').select(['id', 'disabled_at']).where('id', '=', id).executeTakeFirst();
      if (!account) throw problem('not-found', 'No such account.', '该账号不存在。');
      if (account.disabled_at) throw problem('conflict', 'The account is disabled.', '该账号已停用。');
      return c.json(await issue(db, id, c.req.valid('json').days, c.env.deps.clock.now()), 201);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/accounts/{id}/tokens/{tokenId}/revoke',
      roles: ['staff'],
      tags: ['accounts'],
      summary: 'Revoke one token of an account',
      request: { params: AccountId.extend({ tokenId: z.string().regex(/^[0-9a-f]{16}$/) }) },
      responses: { 200: jsonResponse('revoked', z.object({ revoked: z.literal(true) })), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, tokenId } = c.req.valid('param');
      if (!(await revokeAccountTokenById(c.env.deps.db, id, tokenId, c.env.deps.clock.now()))) {
        throw problem('not-found', 'No such token, or it is already revoked.', '没有该令牌，或已撤销。');
      }
      return c.json({ revoked: true as const }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/accounts/revoke-token',
      roles: ['staff'],
      tags: ['accounts'],
      summary: 'Revoke a token given in full (a token found written down or leaked)',
      request: { body: jsonBody(z.object({ token: z.string().min(8).max(200) })) },
      responses: { 200: jsonResponse('revoked', z.object({ revoked: z.literal(true) })), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      if (!(await revokeAccountToken(c.env.deps.db, c.req.valid('json').token, c.env.deps.clock.now()))) {
        throw problem('not-found', 'No such token.', '没有该令牌。');
      }
      return c.json({ revoked: true as const }, 200);
    },
  )
  .openapi(
    route({
      method: 'post',
      path: '/api/v1/accounts/{id}/disable',
      roles: ['staff'],
      tags: ['accounts'],
      summary: 'Disable an account (all its tokens stop working); the last staff account cannot be disabled',
      request: { params: AccountId },
      responses: { 200: jsonResponse('disabled', z.object({ disabled: z.literal(true) })), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const db = c.env.deps.db;
      const account = await db.selectFrom('account').select(['role', 'disabled_at']).where('id', '=', id).executeTakeFirst();
      if (!account || account.disabled_at) throw problem('not-found', 'No such active account.', '该账号不存在或已停用。');
      if (account.role === 'staff' && (await activeStaffCount(db)) <= 1) {
        throw problem('conflict', 'The last staff account cannot be disabled.', '不能停用最后一个工作人员账号。');
      }
      await disableAccount(db, id, c.env.deps.clock.now());
      return c.json({ disabled: true as const }, 200);
    },
  );
