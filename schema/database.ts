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

export interface Database {
  meta: MetaTable;
  calendar_override: CalendarOverrideTable;
}
