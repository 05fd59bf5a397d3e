// Migrations kept in code (no fs, so the Worker bundles them too). Frozen: once a migration has
// shipped it is never edited; a change is a new migration with the next number.
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_accounts.js';
import * as m0003 from './0003_log.js';
import * as m0004 from './0004_votes.js';
import * as m0005 from './0005_notices.js';
import * as m0007 from './0007_cosign.js';
import * as m0009 from './0009_objection_intake.js';
import * as m0014 from './0014_log_frontier.js';
import * as m0015 from './0015_hands_countersign.js';
import * as m0010 from './0010_meeting_conduct.js';
import * as m0016 from './0016_register.js';
import * as m0017 from './0017_award_approval.js';
import * as m0018 from './0018_objection_verification.js';
import * as m0019 from './0019_supervisor_tellers.js';

const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_accounts': m0002,
  '0003_log': m0003,
  '0004_votes': m0004,
  '0005_notices': m0005,
  '0007_cosign': m0007,
  '0009_objection_intake': m0009,
  '0014_log_frontier': m0014,
  '0015_hands_countersign': m0015,
  '0010_meeting_conduct': m0010,
  '0016_register': m0016,
  '0017_award_approval': m0017,
  '0018_objection_verification': m0018,
  '0019_supervisor_tellers': m0019,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
