// Who may call what. Every route is declared with `route({ roles, … })`: the roles are enforced by a
// middleware that runs before validation, and published in the OpenAPI document as `x-roles`, from
// which test/auth/matrix.test.ts checks every route against every role.
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.js';
import { Problem, problem } from '../errors.js';
import { holds, type Principal, type Role } from './principal.js';
import { hashSecret } from './secrets.js';
import { AccessUnavailable, verifyAccessJwt } from './access.js';
import { isStrictPublicKey } from '../../crypto/ed25519-strict.js';
import { fromHex } from '../../crypto/bytes.js';

export const ACCOUNT_TOKEN_PREFIX = 'hzqa_a_';
export const MEMBER_SESSION_PREFIX = 'hzqa_m_';

/** Resolves the caller from `Authorization: Bearer …` or a Cloudflare Access JWT; public otherwise. */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db, clock, config, accessKeys } = c.env.deps;
  const now = clock.now();
  let principal: Principal = { role: 'public' };
  const header = c.req.header('authorization');
  if (header) {
    const m = /^Bearer ([A-Za-z0-9_-]{8,200})$/.exec(header);
    if (!m) throw problem('unauthorized', 'Malformed Authorization header.', 'Authorization 请求头格式错误。');
    const token = m[1]!;
    if (token.startsWith(ACCOUNT_TOKEN_PREFIX)) {
      const row = await db
        .selectFrom('account_token')
        .innerJoin('account', 'account.id', 'account_token.account_id')
        .select(['account.id', 'account.role', 'account.name', 'account_token.expires_at', 'account_token.revoked_at', 'account.disabled_at'])
        .where('account_token.token_hash', '=', hashSecret(token))
        .executeTakeFirst();
      if (!row || row.revoked_at || row.disabled_at || (row.expires_at && row.expires_at <= now)) {
        throw problem('unauthorized', 'The token is unknown, revoked or expired.', '令牌无效、已撤销或已过期。');
      }
      principal = { role: row.role, accountId: row.id, name: row.name };
    } else if (token.startsWith(MEMBER_SESSION_PREFIX)) {
      const row = await db
        .selectFrom('member_session')
        .innerJoin('member', 'member.id', 'member_session.member_id')
        .select(['member.id', 'member.cycle_id', 'member.name', 'member.unit', 'member.is_chair', 'member.device_key', 'member_session.expires_at'])
        .where('member_session.token_hash', '=', hashSecret(token))
        .executeTakeFirst();
      // A device key read back is checked again: one stored before keys were checked strictly (a
      // small-order key) signs nothing, so its session is refused too.
      if (!row || row.expires_at <= now || !row.device_key || !isStrictPublicKey(fromHex(row.device_key))) {
        throw problem('unauthorized', 'The session is unknown or expired; sign in again.', '会话无效或已过期,请重新登录。');
      }
      principal = {
        role: 'member',
        memberId: row.id,
        cycleId: row.cycle_id,
        name: row.name,
        unit: row.unit,
        isChair: row.is_chair,
        deviceKey: row.device_key,
      };
    } else {
      throw problem('unauthorized', 'Unknown kind of token.', '无法识别的令牌。');
    }
  } else {
    const jwt = c.req.header('cf-access-jwt-assertion');
    if (jwt && accessKeys && config.ACCESS_TEAM_DOMAIN && config.ACCESS_AUD) {
      let keys: JsonWebKey[];
      try {
        keys = await accessKeys();
      } catch (e) {
        if (!(e instanceof AccessUnavailable)) throw e;
        throw new Problem(
          'service-unavailable',
          { en: 'Cloudflare Access keys cannot be fetched now; try again shortly.', zh: '暂时无法获取 Cloudflare Access 签名密钥，请稍后重试。' },
          { headers: { 'Retry-After': String(e.retryAfterSeconds) }, extensions: { retryAfter: e.retryAfterSeconds } },
        );
      }
      const claims = await verifyAccessJwt(jwt, keys, {
        teamDomain: config.ACCESS_TEAM_DOMAIN,
        aud: config.ACCESS_AUD,
        nowSeconds: Math.floor(now.getTime() / 1000),
      });
      if (!claims) throw problem('unauthorized', 'The Access token is not valid.', 'Access 令牌无效。');
      const account = await db
        .selectFrom('account')
        .select(['id', 'role', 'name'])
        .where('email', '=', claims.email.toLowerCase())
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      if (!account) throw new Problem('forbidden', { en: 'No account for this identity.', zh: '该身份没有对应的账号。' });
      principal = { role: account.role, accountId: account.id, name: account.name };
    }
  }
  c.set('principal', principal);
  await next();
};

export function requireRoles(roles: readonly Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal') ?? { role: 'public' };
    if (!holds(p, roles)) {
      if (p.role === 'public') throw problem('unauthorized', 'Sign in to do this.', '请先登录。');
      throw new Problem('forbidden', {
        en: `This needs one of the roles: ${roles.join(', ')}.`,
        zh: `此操作需要以下角色之一：${roles.join('、')}。`,
      });
    }
    await next();
  };
}

type RouteConfig = Parameters<typeof createRoute>[0];

/** createRoute with its roles: enforced before validation and published as `x-roles`. */
export function route<const R extends RouteConfig>(config: R & { roles: readonly Role[] }) {
  const { roles, ...rest } = config;
  const guard: MiddlewareHandler = requireRoles(roles);
  const middleware: MiddlewareHandler[] = rest.middleware ? [guard, ...(Array.isArray(rest.middleware) ? rest.middleware : [rest.middleware])] : [guard];
  const published: Role[] = [...roles];
  return createRoute({ ...rest, middleware, 'x-roles': published });
}

/** Routes outside OpenAPI (C2SP log files, pages, assets) and who may read them. */
export const NON_API_ROUTES: { method: string; path: string; roles: readonly Role[] }[] = [
  { method: 'GET', path: '/api/openapi.json', roles: ['public'] },
  { method: 'GET', path: '/api/docs', roles: ['public'] },
  { method: 'GET', path: '/problems/:slug', roles: ['public'] },
  // Public log, C2SP files (src/log/routes.ts), at LOG_PREFIX (default /log). POST cosignatures is
  // public: a witness is authenticated by its cosignature itself (WITNESS_KEYS).
  { method: 'GET', path: '/log/checkpoint', roles: ['public'] },
  { method: 'GET', path: '/log/key', roles: ['public'] },
  { method: 'GET', path: '/log/tile/*', roles: ['public'] },
  { method: 'POST', path: '/log/cosignatures', roles: ['public'] },
  // Pages (src/web/): public shells; what they can do is decided by the API calls their scripts make
  // with the caller's own credentials (member session, staff or supervisor token).
  { method: 'GET', path: '/', roles: ['public'] },
  { method: 'GET', path: '/notices', roles: ['public'] },
  { method: 'GET', path: '/notices/:id', roles: ['public'] },
  { method: 'GET', path: '/notices/:id/objection', roles: ['public'] },
  { method: 'GET', path: '/objections/receipt', roles: ['public'] },
  { method: 'GET', path: '/objections/status', roles: ['public'] },
  // The shells below carry no data; their scripts act as member/chair (device key), staff, supervisor.
  { method: 'GET', path: '/tablet', roles: ['public'] },
  { method: 'GET', path: '/staff', roles: ['public'] },
  { method: 'GET', path: '/supervisor', roles: ['public'] },
  // The meeting screen's shell: its script reads the display key from the link's #fragment (never sent to the server in the URL).
  { method: 'GET', path: '/meeting/:id/screen', roles: ['public'] },
  // Print-ready papers from public log entries: the tally sheet of a vote, the minutes of a meeting.
  { method: 'GET', path: '/print/ballots/:id/tally-sheet', roles: ['public'] },
  { method: 'GET', path: '/print/meetings/:id/minutes', roles: ['public'] },
  { method: 'GET', path: '/favicon.ico', roles: ['public'] },
];
