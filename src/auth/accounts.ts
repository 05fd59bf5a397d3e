import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { hashSecret, randomToken } from './secrets.js';
import { ACCOUNT_TOKEN_PREFIX } from './guard.js';

export async function createAccount(db: Kysely<Database>, a: { role: 'staff' | 'supervisor'; name: string; email?: string | undefined }) {
  return db
    .insertInto('account')
    .values({ role: a.role, name: a.name, email: a.email?.toLowerCase() ?? null })
    .returning(['id', 'role', 'name', 'email'])
    .executeTakeFirstOrThrow();
}

/** A new bearer token for an account: returned once, stored as its SHA-256. */
export async function issueAccountToken(db: Kysely<Database>, accountId: number, expiresAt: Date | null = null) {
  const token = randomToken(ACCOUNT_TOKEN_PREFIX);
  await db.insertInto('account_token').values({ token_hash: hashSecret(token), account_id: accountId, expires_at: expiresAt }).execute();
  return token;
}

export async function revokeAccountToken(db: Kysely<Database>, token: string, now: Date) {
  const r = await db.updateTable('account_token').set({ revoked_at: now }).where('token_hash', '=', hashSecret(token)).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function listAccounts(db: Kysely<Database>) {
  return db.selectFrom('account').select(['id', 'role', 'name', 'email', 'disabled_at']).orderBy('id').execute();
}

/** A token's public handle: the first 16 hex digits of its SHA-256 (the token itself is never kept). */
export const tokenIdOf = (tokenHash: string) => tokenHash.slice(0, 16);

/** Every account with its tokens (by handle), for the console's 账号 tab and `npm run admin -- list`. */
export async function listAccountsWithTokens(db: Kysely<Database>) {
  const accounts = await db.selectFrom('account').select(['id', 'role', 'name', 'email', 'created_at', 'disabled_at']).orderBy('id').execute();
  const tokens = await db.selectFrom('account_token').select(['token_hash', 'account_id', 'created_at', 'expires_at', 'revoked_at']).orderBy('created_at').execute();
  return accounts.map((a) => ({
    ...a,
    tokens: tokens.filter((t) => t.account_id === a.id).map((t) => ({ id: tokenIdOf(t.token_hash), created_at: t.created_at, expires_at: t.expires_at, revoked_at: t.revoked_at })),
  }));
}

/** Revokes one token of an account by its handle; false when there is no such token. */
export async function revokeAccountTokenById(db: Kysely<Database>, accountId: number, tokenId: string, now: Date) {
  if (!/^[0-9a-f]{16}$/.test(tokenId)) return false;
  const r = await db
    .updateTable('account_token')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where('token_hash', 'like', `${tokenId}%`)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Disables an account (its tokens stop working at once); false when it does not exist or already is. */
export async function disableAccount(db: Kysely<Database>, accountId: number, now: Date) {
  const r = await db.updateTable('account').set({ disabled_at: now }).where('id', '=', accountId).where('disabled_at', 'is', null).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** How many staff accounts can still sign in (not disabled). */
export async function activeStaffCount(db: Kysely<Database>) {
  const r = await db.selectFrom('account').select((eb) => eb.fn.countAll<string | number>().as('n')).where('role', '=', 'staff').where('disabled_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}
