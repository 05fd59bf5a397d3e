// Tooling: `npm run admin -- <command>` — staff and supervisor accounts and their tokens. See `--help`.
// With DATABASE_URL it works on that database (shared safely with a running server). With the embedded
// database it opens DATA_DIR's folder when no server holds it, and otherwise goes through the running
// server on this machine, with the local admin key that server wrote into DATA_DIR/admin.json.
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { parseConfig } from '../src/config.js';
import { DataDirLockedError, openPGlite } from '../src/platform/node/pglite.js';
import { readAdminFile } from '../src/platform/node/admin-file.js';
import { openPostgres } from '../src/db/postgres.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createAccount, disableAccount, issueAccountToken, listAccountsWithTokens, revokeAccountToken } from '../src/auth/accounts.js';
import { LOCAL_ADMIN_HEADER } from '../src/auth/first-run.js';

const usage = `npm run admin -- <command> [options]   (staff and supervisor accounts and their access tokens)

  create-account --role staff|supervisor --name NAME [--email E] [--days N]
                                 creates an account and prints its first token (shown once)
  issue-token --account ID [--days N]
                                 prints a new token for the account (shown once)
  revoke-token --token TOKEN     revokes a token
  disable-account --account ID   disables an account: all its tokens stop working
  list                           accounts and their tokens (by handle, never the token itself)
  --help                         this text

Works while the server runs: with the embedded database (no DATABASE_URL), it goes through the server
started from the same DATA_DIR (default ./data); with DATABASE_URL, on that database directly.
The same can be done in the staff console's 账号 tab.`;

interface Backend {
  createAccount(a: { role: 'staff' | 'supervisor'; name: string; email?: string | undefined; days?: number | undefined }): Promise<unknown>;
  issueToken(accountId: number, days?: number): Promise<unknown>;
  revokeToken(token: string): Promise<boolean>;
  disableAccount(accountId: number): Promise<boolean>;
  list(): Promise<unknown>;
  close(): Promise<void>;
}

const until = (days?: number) => (days ? new Date(Date.now() + days * 86_400_000) : null);

function databaseBackend(database: Awaited<ReturnType<typeof openPGlite>> | ReturnType<typeof openPostgres>): Backend {
  const db = database.db;
  return {
    async createAccount(a) {
      const account = await createAccount(db, a);
      return { account, token: await issueAccountToken(db, account.id, until(a.days)) };
    },
    async issueToken(id, days) {
      return { account: id, token: await issueAccountToken(db, id, until(days)) };
    },
    revokeToken: (token) => revokeAccountToken(db, token, new Date()),
    disableAccount: (id) => disableAccount(db, id, new Date()),
    list: () => listAccountsWithTokens(db),
    close: () => database.close(),
  };
}

/** The running server's account routes, with its local admin key. */
function serverBackend(url: string, key: string): Backend {
  const call = async (method: string, p: string, json?: unknown) => {
    const res = await fetch(url + p, {
      method,
      headers: { [LOCAL_ADMIN_HEADER]: key, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const body = (await res.json()) as Record<string, unknown>;
    return { ok: res.ok, status: res.status, body };
  };
  const must = async (r: Promise<{ ok: boolean; body: Record<string, unknown> }>) => {
    const { ok, body } = await r;
    if (!ok) throw new Error(String(body.detail_zh ?? body.detail ?? 'request failed'));
    return body;
  };
  return {
    async createAccount(a) {
      const r = await must(call('POST', '/api/v1/accounts', { role: a.role, name: a.name, ...(a.email ? { email: a.email } : {}), ...(a.days ? { days: a.days } : {}) }));
      return { account: { id: r.accountId, role: a.role, name: a.name, email: a.email?.toLowerCase() ?? null }, token: r.token };
    },
    async issueToken(id, days) {
      const r = await must(call('POST', `/api/v1/accounts/${id}/tokens`, days ? { days } : {}));
      return { account: id, token: r.token };
    },
    revokeToken: async (token) => (await call('POST', '/api/v1/accounts/revoke-token', { token })).ok,
    disableAccount: async (id) => (await call('POST', `/api/v1/accounts/${id}/disable`)).ok,
    list: async () => (await must(call('GET', '/api/v1/accounts'))).accounts,
    close: async () => {},
  };
}

async function open(): Promise<Backend> {
  const config = parseConfig(process.env);
  if (config.DATABASE_URL) {
    const database = openPostgres(config.DATABASE_URL, { max: 1 });
    await migrateToLatest(database.db);
    return databaseBackend(database);
  }
  try {
    const database = await openPGlite(path.join(config.DATA_DIR, 'pglite'));
    await migrateToLatest(database.db);
    return databaseBackend(database);
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    const server = readAdminFile(config.DATA_DIR);
    if (!server) throw new Error(`${e.message}; and no ${path.join(config.DATA_DIR, 'admin.json')} from a running server to go through`);
    return serverBackend(server.url, server.key);
  }
}

const positiveInt = (s: string | undefined) => (s && /^[1-9]\d*$/.test(s) ? Number(s) : undefined);

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      account: { type: 'string' },
      days: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || command === 'help') {
    console.log(usage);
    return 0;
  }
  const days = positiveInt(values.days);
  const account = positiveInt(values.account);
  const valid =
    (command === 'create-account' && (values.role === 'staff' || values.role === 'supervisor') && !!values.name) ||
    (command === 'issue-token' && account !== undefined) ||
    (command === 'revoke-token' && !!values.token) ||
    (command === 'disable-account' && account !== undefined) ||
    command === 'list';
  if (!valid || (values.days !== undefined && days === undefined)) {
    console.error(usage);
    return 2;
  }
  const backend = await open();
  try {
    switch (command) {
      case 'create-account':
        console.log(JSON.stringify(await backend.createAccount({ role: values.role as 'staff' | 'supervisor', name: values.name!, email: values.email, days })));
        return 0;
      case 'issue-token':
        console.log(JSON.stringify(await backend.issueToken(account!, days)));
        return 0;
      case 'revoke-token': {
        const ok = await backend.revokeToken(values.token!);
        console.log(JSON.stringify({ revoked: ok }));
        return ok ? 0 : 1;
      }
      case 'disable-account': {
        const ok = await backend.disableAccount(account!);
        console.log(JSON.stringify({ disabled: ok }));
        return ok ? 0 : 1;
      }
      default:
        console.log(JSON.stringify(await backend.list(), null, 2));
        return 0;
    }
  } finally {
    await backend.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
