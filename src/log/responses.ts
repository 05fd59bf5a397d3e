// The JSON shapes of the log routes (src/log/routes.ts) that pages read: signed checkpoints with their
// cosignatures. Pages import the types (`import type`).
import { z } from '@hono/zod-openapi';

export const B64 = z.string().openapi({ description: 'base64 (RFC 4648 §4)' });
export const Cosignature = z.object({ witness: z.string(), keyId: z.string(), line: z.string(), cosignedAt: z.string() }).openapi('LogCosignature');
export const CheckpointInfo = z
  .object({ size: z.number().int(), root: B64, signedAt: z.string(), note: z.string(), cosignatures: z.array(Cosignature) })
  .openapi('LogCheckpoint');
export const CheckpointList = z.object({ checkpoints: z.array(CheckpointInfo) });

export type CheckpointListJson = z.infer<typeof CheckpointList>;
