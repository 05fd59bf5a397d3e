/**
 * The cycle's log as the checks read it: every entry of the bundle whose document matched its hash
 * and parsed under its type's schema (src/log/documents/), typed by entry type, in log order.
 * Entries present but unreadable are remembered by index, so that a later check does not report
 * the same loss again as a missing stage.
 * @module
 */
import type { DocumentOf, EntryType } from '../../log/documents/index.js';

export type Refs = Record<string, string | number>;

/** A readable entry of type T with its parsed document. */
export type LoggedEntry<T extends EntryType = EntryType> = {
  [K in T]: { index: number; type: K; cycle: string | null; docHash: string; refs: Refs; doc: DocumentOf<K> };
}[T];

/** Entry types that belong to one ballot (their document names its ballotId). */
export type BallotEntryType = 'ballot-prepared' | 'ballot-key' | 'ballot-voting' | 'ballot-phase' | 'ballot-bulletin' | 'ballot-result';

export class Ledger {
  /** Readable entries, in log order. */
  readonly entries: LoggedEntry[];
  /** Index → type of every entry in the bundle that parsed as an entry, readable or not. */
  readonly types: ReadonlyMap<number, string>;
  /** Indexes of entries whose document is missing, does not match its hash, or does not parse. */
  readonly unreadable: ReadonlySet<number>;
  private readonly byIndex: Map<number, LoggedEntry>;

  constructor(entries: LoggedEntry[], types: ReadonlyMap<number, string>, unreadable: ReadonlySet<number>) {
    this.entries = [...entries].sort((a, b) => a.index - b.index);
    this.types = types;
    this.unreadable = unreadable;
    this.byIndex = new Map(this.entries.map((e) => [e.index, e]));
  }

  /** Some entry could not be read: missing stages are then not reported again. */
  get someUnreadable(): boolean {
    return this.unreadable.size > 0;
  }

  at(index: number): LoggedEntry | undefined {
    return this.byIndex.get(index);
  }

  /** The readable entry at `index` if it is of type T. */
  atOfType<T extends EntryType>(index: number | null | undefined, type: T): LoggedEntry<T> | undefined {
    if (index === null || index === undefined) return undefined;
    const entry = this.byIndex.get(index);
    return entry && entry.type === type ? (entry as LoggedEntry<T>) : undefined;
  }

  ofType<T extends EntryType>(type: T): LoggedEntry<T>[] {
    // The type tag decides the document's schema (parsed in log.ts readEntries), so the narrowing holds.
    return this.entries.filter((e) => e.type === type) as LoggedEntry<T>[];
  }

  /** Entries of a ballot type grouped by ballot, each list in log order. */
  byBallot<T extends BallotEntryType>(type: T): Map<string, LoggedEntry<T>[]> {
    const groups = new Map<string, LoggedEntry<T>[]>();
    for (const entry of this.ofType(type)) {
      const list = groups.get(entry.doc.ballotId) ?? [];
      list.push(entry);
      groups.set(entry.doc.ballotId, list);
    }
    return groups;
  }
}
