// Tooling: `npm run admin -- <command>` — staff and supervisor accounts and their tokens.
//   create-account --role staff|supervisor --name NAME [--email E]   prints the new account's token once
//   issue-token --account ID [--days N]                              prints a new token once
//   revoke-token --token TOKEN
//   list
// Uses DATABASE_URL, or the embedded PGlite in DATA_DIR (stop the server first: the folder is locked).
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { parseConfig } from '../src/config.js';
import { openPGlite } from '../src/platform/node/pglite.js';
import { openPostgres } from '../src/db/postgres.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createAccount, issueAccountToken, listAccounts, revokeAccountToken } from '../src/auth/accounts.js';

const usage = `usage: npm run admin -- create-account --role staff|supervisor --name NAME [--email E]
       npm run admin -- issue-token --account ID [--days N]
       npm run admin -- revoke-token --token TOKEN
       npm run admin -- list`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, account: { type: 'string' }, days: { type: 'string' }, token: { type: 'string' } },
  });
  const command = positionals[0];
  const config = parseConfig(process.env);
  const database = config.DATABASE_URL ? openPostgres(config.DATABASE_URL, { max: 1 }) : await openPGlite(path.join(config.DATA_DIR, 'pglite'));
  try {
    await migrateToLatest(database.db);
    const db = database.db;
    switch (command) {
      case 'create-account': {
        if ((values.role !== 'staff' && values.role !== 'supervisor') || !values.name) break;
        const a = await createAccount(db, { role: values.role, name: values.name, email: values.email });
        const token = await issueAccountToken(db, a.id);
        console.log(JSON.stringify({ account: a, token }));
        return 0;
      }
      case 'issue-token': {
        const id = Number(values.account);
        if (!Number.isInteger(id)) break;
        const days = values.days ? Number(values.days) : null;
        const token = await issueAccountToken(db, id, days ? new Date(Date.now() + days * 86400_000) : null);
        console.log(JSON.stringify({ account: id, token }));
        return 0;
      }
      case 'revoke-token': {
        if (!values.token) break;
        const ok = await revokeAccountToken(db, values.token, new Date());
        console.log(JSON.stringify({ revoked: ok }));
        return ok ? 0 : 1;
      }
      case 'list':
        console.log(JSON.stringify(await listAccounts(db), null, 2));
        return 0;
    }
    console.error(usage);
    return 2;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
