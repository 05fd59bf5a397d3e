// The JSON shapes of the cycle routes (src/cycles/routes.ts); pages import the types (`import type`).
import { z } from '@hono/zod-openapi';

export const CycleId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'lowercase letters, digits and -, at most 40').openapi({ example: '2026' });
export const Cycle = z.object({ id: CycleId, name: z.string(), createdAt: z.string() }).openapi('Cycle');
export const CycleListSchema = z.object({ cycles: z.array(Cycle) });

export type CycleListJson = z.infer<typeof CycleListSchema>;
