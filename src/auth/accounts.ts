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
