/**
 * The public log: an append-only RFC 9162 Merkle log of every public fact of an award cycle,
 * published as C2SP tlog-tiles / tlog-checkpoint, cosigned by witnesses (tlog-witness,
 * tlog-cosignature). See append.ts (entry format, appending), checkpoint.ts (signing, cosignatures),
 * proofs.ts (proofs, tiles), witness.ts (the witness's add-checkpoint exchange). This module is what
 * the rest of the server writes and reads the log through; the log's HTTP routes (routes.ts) are
 * mounted by the app only, so that no domain module depends on the HTTP layer.
 * @module
 */
export {
  appendRawEntry,
  appendRawEntries,
  canonicalJson,
  documentHash,
  entryBytes,
  getDocument,
  getEntry,
  headSize,
  readEntryBytes,
  listEntries,
  CanonicalJsonError,
  ENTRY_VERSION,
  type AppendInput,
  type LogEntry,
} from './append.js';
export {
  appendEntry,
  parseDocument,
  isEntryType,
  ENTRY_SCHEMAS,
  ENTRY_TYPES,
  DocumentSchemaError,
  type EntryType,
  type DocumentOf,
  type TypedDocument,
} from './documents/index.js';
export { checkpointAfterWrite, refreshCheckpoint, latestCheckpoint, recentCheckpoints, servedNote, verifierKeyOf, addCosignatures, type StoredCheckpoint } from './checkpoint.js';
export { inclusionProof, consistencyProof, readTile } from './proofs.js';
export { dbHashReader } from './storage.js';
