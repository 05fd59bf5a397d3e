// The one typed Database interface (kysely). Each table's row type sits next to the domain that owns it
// in this file; migrations in schema/migrations create them and are frozen once released.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** Key/value facts about this installation (e.g. the schema's birth, the log's origin). */
export interface MetaTable {
  key: string;
  value: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Calendar: the bureau's local overrides of the State Council table (src/calendar). */
export interface CalendarOverrideTable {
  id: Generated<number>;
  date: string; // YYYY-MM-DD, Beijing date
  kind: 'off' | 'work';
  reason: string;
  created_at: CreatedAt;
  created_by: string;
}

/** An award cycle (评比表彰周期), e.g. "2026". */
export interface CycleTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

/** Bureau staff and supervisory-group accounts; their bearer tokens are stored only as hashes. */
export interface AccountTable {
  id: Generated<number>;
  role: 'staff' | 'supervisor';
  name: string;
  email: string | null;
  created_at: CreatedAt;
  disabled_at: Date | null;
}

export interface AccountTokenTable {
  token_hash: string;
  account_id: number;
  created_at: CreatedAt;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** A judging-group member (one per member unit) for one cycle, with the tablet's device key. */
export interface MemberTable {
  id: string;
  cycle_id: string;
  name: string;
  unit: string;
  is_chair: boolean;
  enroll_code_hash: string | null;
  enroll_expires_at: Date | null;
  enrolled_at: Date | null;
  device_key: string | null;
  created_at: CreatedAt;
}

export interface MemberChallengeTable {
  challenge: string;
  member_id: string;
  expires_at: Date;
  used_at: Date | null;
}

export interface MemberSessionTable {
  token_hash: string;
  member_id: string;
  expires_at: Date;
}

export interface Database {
  meta: MetaTable;
  calendar_override: CalendarOverrideTable;
  cycle: CycleTable;
  account: AccountTable;
  account_token: AccountTokenTable;
  member: MemberTable;
  member_challenge: MemberChallengeTable;
  member_session: MemberSessionTable;
}
