// The JSON shapes of the log routes (src/log/routes.ts) that pages read: signed checkpoints with their
// cosignatures, and an entry with its document and inclusion proof. Pages import the types (`import type`).
import { z } from '@hono/zod-openapi';

export const B64 = z.string().openapi({ description: 'base64 (RFC 4648 §4)' });
export const Cosignature = z.object({ witness: z.string(), keyId: z.string(), line: z.string(), cosignedAt: z.string() }).openapi('LogCosignature');
export const CheckpointInfo = z
  .object({ size: z.number().int(), root: B64, signedAt: z.string(), note: z.string(), cosignatures: z.array(Cosignature) })
  .openapi('LogCheckpoint');
export const CheckpointList = z.object({ checkpoints: z.array(CheckpointInfo) });

/** A log index or tree size as the routes accept it: a decimal integer without leading zeros. */
export const DECIMAL_SIZE = /^(0|[1-9][0-9]{0,14})$/;
/** A SHA-256 as the routes accept it: 64 lowercase hex digits. */
export const HEX_HASH = /^[0-9a-f]{64}$/;
export const HexHash = z.string().regex(HEX_HASH, '64 lowercase hex digits').openapi({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
export const CheckpointRef = z
  .object({ size: z.number().int(), root: B64, note: z.string().openapi({ description: 'the signed checkpoint note, with its cosignatures' }) })
  .openapi('LogCheckpointRef');
export const EntryResponse = z
  .object({
    index: z.number().int(),
    type: z.string(),
    cycleId: z.string().nullable(),
    refs: z.record(z.string(), z.union([z.string(), z.number()])),
    entry: B64.openapi({ description: 'the entry bytes (the Merkle leaf data)' }),
    docHash: HexHash,
    document: z.unknown(),
    checkpoint: CheckpointRef.nullable(),
    proof: z.array(B64).nullable().openapi({ description: 'RFC 9162 inclusion proof against `checkpoint`; null while the entry is not yet in a checkpoint' }),
  })
  .openapi('LogEntry');

export type LogEntryJson = z.infer<typeof EntryResponse>;
export type CheckpointListJson = z.infer<typeof CheckpointList>;
