// JSON columns (text holding JSON: a ballot's rules and candidates, a procedure's document, choices…)
// are read back through the zod schema of what was written, so that a corrupt or hand-edited row is a
// clear error naming the column, not a value of the wrong type travelling on.
import type * as z from 'zod';

/** A row whose JSON column does not hold what the code wrote there. */
export class CorruptRowError extends Error {
  override readonly name = 'CorruptRowError';
}

/** The JSON text of `column` (e.g. "ballot.rules"), parsed under `schema`; CorruptRowError if it does not parse. */
export function parseJsonColumn<S extends z.ZodType>(schema: S, text: string, column: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CorruptRowError(`${column} is not JSON`);
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new CorruptRowError(`${column} does not match its schema: ${issue?.path.join('.') || '(value)'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}
