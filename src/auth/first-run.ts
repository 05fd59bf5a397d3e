// First run and the local admin command, on Node. When no staff account can sign in, the server makes a
// one-time setup key and prints a link to /staff#setup=<key> (a fragment: never sent in a URL, never
// logged); the console page uses it once to create the first staff account. The server also makes, on
// every start, a key for `npm run admin` on this machine and writes it into DATA_DIR beside the database
// (readable by the same users that can read the database itself): it works only on /api/v1/accounts.
import type { MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { AppEnv, LocalKeys } from '../deps.js';
import { activeStaffCount } from './accounts.js';
import { hashSecret, randomToken } from './secrets.js';

export const SETUP_KEY_PREFIX = 'hzqa_s_';
export const LOCAL_ADMIN_KEY_PREFIX = 'hzqa_l_';
/** The header that carries the local admin key (never Authorization, which names accounts and members). */
export const LOCAL_ADMIN_HEADER = 'x-local-admin-key';
/** Who the local admin command acts as. */
export const LOCAL_ADMIN_NAME = '本机管理命令';

/** Keys for this run: a setup key only when no staff account can sign in. Returns the keys in clear once. */
export async function makeLocalKeys(db: Kysely<Database>): Promise<{ hashes: LocalKeys; setupKey?: string; adminKey: string }> {
  const adminKey = randomToken(LOCAL_ADMIN_KEY_PREFIX);
  const hashes: LocalKeys = { admin: hashSecret(adminKey) };
  if ((await activeStaffCount(db)) > 0) return { hashes, adminKey };
  const setupKey = randomToken(SETUP_KEY_PREFIX);
  hashes.setup = hashSecret(setupKey);
  return { hashes, setupKey, adminKey };
}

/** Whether `key` is this run's unused setup key. */
export function isSetupKey(keys: LocalKeys | undefined, key: string): boolean {
  return !!keys?.setup && key.startsWith(SETUP_KEY_PREFIX) && hashSecret(key) === keys.setup;
}

/**
 * On the account routes only: a request with this run's local admin key (and no other credential) acts
 * as staff named 本机管理命令. Anything else is left to `authenticate`.
 */
export const localAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header(LOCAL_ADMIN_HEADER);
  const expected = c.env.deps.localKeys?.admin;
  if (key && expected && !c.req.header('authorization') && key.startsWith(LOCAL_ADMIN_KEY_PREFIX) && hashSecret(key) === expected) {
    c.set('principal', { role: 'staff', accountId: 0, name: LOCAL_ADMIN_NAME });
  }
  await next();
};
