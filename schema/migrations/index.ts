// Migrations kept in code (no fs, so the Worker bundles them too). Frozen: once a migration has
// shipped it is never edited; a change is a new migration with the next number.
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_accounts.js';

const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_accounts': m0002,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
