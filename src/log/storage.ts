/**
 * Storage of the public log's Merkle tree behind the narrow crypto/tlog.ts HashReader interface:
 * stored hashes (Crosby & Wallach §3.3 dense order, crypto/tlog.ts storedHashIndex) in table
 * log_hash as 32-byte bytea. A proof or tile is one query reading a batch of indexes
 * (O(log n) hashes for a proof, ≤ 256 for a tile).
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.js';
import { HASH_SIZE, TlogError, type HashReader } from '../../crypto/tlog.js';

/** A plain Uint8Array view of a bytea value (postgres.js returns Buffers, PGlite Uint8Arrays). */
export function toBytes(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** A HashReader over log_hash: every call is a single query. Works inside a transaction too. */
export function dbHashReader(db: Kysely<Database>): HashReader {
  return {
    async readHashes(indexes: number[]): Promise<Uint8Array[]> {
      if (indexes.length === 0) return [];
      const unique = [...new Set(indexes)];
      const rows = await db.selectFrom('log_hash').select(['idx', 'hash']).where('idx', 'in', unique).execute();
      const byIdx = new Map<number, Uint8Array>();
      for (const r of rows) byIdx.set(Number(r.idx), toBytes(r.hash));
      return indexes.map((x) => {
        const h = byIdx.get(x);
        if (!h || h.length !== HASH_SIZE) throw new TlogError('bad-reader', `log: no stored hash at index ${x}`);
        return h;
      });
    },
  };
}
