// The co-signer's HTTP service (run by scripts/cosigner.ts on the supervisors' machine; driven in
// memory by the tests). One request at a time: the state is loaded, changed and saved before the
// answer leaves, so a crash never forgets a member it served.
//
//   GET  /                               { verifierKey }: the identity key supervisors pin
//   POST /ballots/{ballotId}/proposal    bureau (relayed): key, proof, eligible list → keys, status
//   GET  /ballots/{ballotId}             the proposal as the supervisor's approval screen shows it
//   POST /ballots/{ballotId}/approval    supervisor: { listHash, approvedBy }, with the approval token
//                                        (Authorization: Bearer …) kept in the key folder
//   POST /ballots/{ballotId}/blind-signatures   tablet (maybe relayed): { memberId, blinded, signature }
//   POST /ballots/{ballotId}/close       bureau (relayed): the signed served list
// Refusals are RFC 9457 problem+json, Chinese and English.
import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes, utf8 } from '../../crypto/bytes.js';
import { approve, close, CosignerRefusal, describe, propose, sign, type CosignerSecrets, type CosignerState } from './core.js';
import { EligibleMember } from './statements.js';

export interface CosignerStore {
  load(): Promise<CosignerState>;
  save(state: CosignerState): Promise<void>;
}

export class MemoryCosignerStore implements CosignerStore {
  state: CosignerState = { ballots: {} };
  async load() {
    return structuredClone(this.state);
  }
  async save(s: CosignerState) {
    this.state = structuredClone(s);
  }
}

export interface CosignerOptions {
  secrets: CosignerSecrets;
  verifierKey: string;
  /** The supervisors' approval token (kept in the key folder; the bureau never has it). */
  approvalToken: string;
  store: CosignerStore;
  clock?: () => Date;
}

const ProposalBody = z.object({
  cycleId: z.string().min(1).max(100),
  meetingId: z.string().min(1).max(40),
  bureauPublicKey: z.string(),
  bureauProofOfPossession: z.string(),
  eligible: z.array(EligibleMember).min(1).max(500),
  classes: z.array(z.object({ recused: z.array(z.string().min(1).max(40)).min(1).max(100), bureauPublicKey: z.string(), bureauProofOfPossession: z.string() })).max(500).optional(),
});
const ApprovalBody = z.object({ listHash: z.string().regex(/^[0-9a-f]{64}$/), approvedBy: z.string().min(1).max(100) });
const SignBody = z.object({ memberId: z.string().min(1).max(40), blinded: z.string().max(200), signature: z.string().max(200) });

function problem(c: Context, status: 400 | 401 | 403 | 404 | 409, code: string, en: string, zh: string) {
  return c.body(JSON.stringify({ type: `urn:hzqa:cosigner:${code}`, title: code, status, detail: en, detail_zh: zh }), status, { 'content-type': 'application/problem+json' });
}

export function cosignerApp(opts: CosignerOptions) {
  const clock = opts.clock ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();
  /** One exchange at a time: load, run, save, answer. */
  const exclusive = <T>(fn: (s: CosignerState) => T): Promise<T> => {
    const run = queue.then(async () => {
      const s = await opts.store.load();
      const out = fn(s);
      await opts.store.save(s);
      return out;
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const app = new Hono();
  app.onError((e, c) => {
    if (e instanceof CosignerRefusal) return problem(c, e.status, e.code, e.en, e.zh);
    if (e instanceof z.ZodError || e instanceof SyntaxError) return problem(c, 400, 'malformed', `Malformed request: ${e.message.slice(0, 200)}`, '请求格式错误。');
    return problem(c, 400, 'error', 'The co-signer could not handle this request.', '联合签发方无法处理该请求。');
  });
  const body = async <S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> => schema.parse(await c.req.json());
  const ballotId = (c: Context) => {
    const id = c.req.param('ballotId') ?? '';
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(id)) throw new CosignerRefusal(400, 'malformed', 'Malformed ballot id.', '投票编号格式错误。');
    return id;
  };

  app.get('/', (c) => c.json({ verifierKey: opts.verifierKey }));
  app.post('/ballots/:ballotId/proposal', async (c) => {
    const id = ballotId(c);
    const p = await body(c, ProposalBody);
    return c.json(await exclusive((s) => propose(s, opts.secrets, { ballotId: id, ...p })));
  });
  app.get('/ballots/:ballotId', async (c) => {
    const id = ballotId(c);
    const s = await opts.store.load();
    const b = s.ballots[id];
    if (!b) return problem(c, 404, 'unknown-ballot', `No ballot ${id}.`, `没有投票 ${id}。`);
    return c.json(describe(opts.secrets, b));
  });
  app.post('/ballots/:ballotId/approval', async (c) => {
    const id = ballotId(c);
    const given = (c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, '');
    // Compared as hashes: constant time in the token's content.
    if (!equalBytes(sha256(utf8(given)), sha256(utf8(opts.approvalToken)))) return problem(c, 401, 'approval-token', 'Only a supervisor with the approval token approves the list.', '仅持有批准口令的监督人员可以批准名单。');
    const a = await body(c, ApprovalBody);
    return c.json({ approval: await exclusive((s) => approve(s, opts.secrets, id, a.listHash, a.approvedBy, clock())) });
  });
  app.post('/ballots/:ballotId/blind-signatures', async (c) => {
    const id = ballotId(c);
    const r = await body(c, SignBody);
    const out = await exclusive((s) => sign(s, opts.secrets, { ballotId: id, ...r }));
    return c.json({ blindSignature: out.blindSignature });
  });
  app.post('/ballots/:ballotId/close', async (c) => {
    const id = ballotId(c);
    return c.json({ servedStatement: await exclusive((s) => close(s, opts.secrets, id, clock())) });
  });
  return app;
}
