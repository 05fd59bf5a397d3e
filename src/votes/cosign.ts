// The bureau's side of co-issuance (crypto/cosign.ts, src/cosigner/): it relays to the supervisory
// group's co-signer and logs what the co-signer signed. What the bureau cannot do: sign a token alone
// (the aggregate key needs the co-signer's share), change the approved list, or hide the co-signer's
// served list (the verifier requires it, signed by the pinned key).
//   obtainApproval  before issuance opens: proposes the ballot's key and the eligible list; answers 409
//                   until a supervisor approved it on their device; returns the signed approval.
//   relaySign       during issuance: forwards the member's signed request, returns the co-signer's share.
//   closeAtCosigner when casting opens: the co-signer's signed served list.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { CosignerLink } from '../deps.js';
import { Problem } from '../errors.js';
import { deriveBallotKey, popProve } from '../../crypto/blind.js';
import { checkCoIssuanceKeys } from '../../crypto/cosign.js';
import { fromHex, toHex } from '../../crypto/bytes.js';
import { KEY_STATEMENT, SERVED_STATEMENT, openStatement, StatementError, type EligibleMember, type KeyApproval, type ServedList } from '../cosigner/statements.js';
import type { BallotView } from './ballots.js';
import { checkedInMembers } from './meetings.js';
import { classKeyId } from './messages.js';
import { effectiveRecusals } from './recusal.js';

type Db = Kysely<Database> | Transaction<Database>;

const unreachable = (detail: string) =>
  new Problem('service-unavailable', { en: `The supervisory group's co-signer cannot be reached: ${detail}`, zh: `无法连接监督小组的联合签发方：${detail}` });

/** One request to the co-signer; its refusals pass through with their status and text. */
async function call<T>(link: CosignerLink, path: string, json?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await link.fetch(path, json === undefined ? { method: 'GET' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
  } catch (e) {
    throw unreachable(e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const en = `Co-signer: ${String(body.detail ?? text).slice(0, 300)}`;
    const zh = `联合签发方:${String(body.detail_zh ?? body.detail ?? text).slice(0, 300)}`;
    const code = String(body.title ?? '');
    const ext = { extensions: { cosigner: code } };
    if (res.status === 403) throw new Problem('forbidden', { en, zh }, ext);
    if (res.status === 409 || res.status === 404) throw new Problem('conflict', { en, zh }, ext);
    if (res.status === 400) throw new Problem('invalid-request', { en, zh }, ext);
    throw unreachable(`${res.status}`);
  }
  return body as T;
}

export interface Approval {
  note: string;
  doc: KeyApproval;
}

/**
 * The eligible list as the co-signer sees it: members checked in, with the device key of the check-in
 * and, for a member recused (回避), the candidates of the member's recusal class.
 */
export async function eligibleWithDevices(db: Db, meetingId: string, ballotId?: string): Promise<EligibleMember[]> {
  const members = await checkedInMembers(db, meetingId);
  const recused = new Map<string, string[]>();
  if (ballotId) for (const r of await effectiveRecusals(db, ballotId, members)) recused.set(r.memberId, [...(recused.get(r.memberId) ?? []), r.candidateId]);
  return members.map((m) => {
    const ids = recused.get(m.memberId);
    return { memberId: m.memberId, name: m.name, unit: m.unit, deviceKey: m.deviceKey, ...(ids?.length ? { recused: [...ids].sort() } : {}) };
  });
}

/** 回避: the bureau's key of each recusal class on the list, with its proof of possession. */
function proposedClasses(masterSecret: Uint8Array, ballotId: string, eligible: readonly EligibleMember[]) {
  const sets = [...new Set(eligible.filter((m) => m.recused).map((m) => m.recused!.join(',')))].sort();
  return sets.map((k) => {
    const recused = k.split(',');
    const { secretKey, publicKey } = deriveBallotKey(masterSecret, classKeyId(ballotId, recused));
    return { recused, bureauPublicKey: toHex(publicKey), bureauProofOfPossession: toHex(popProve(secretKey)) };
  });
}

/** Before issuance opens: the co-signer's approval of this ballot's keys and list, or 409 while it waits. */
export async function obtainApproval(db: Kysely<Database>, link: CosignerLink, masterSecret: Uint8Array, b: BallotView): Promise<Approval> {
  const { secretKey, publicKey } = deriveBallotKey(masterSecret, b.id);
  const eligible = await eligibleWithDevices(db, b.meetingId, b.id);
  if (eligible.length === 0) throw new Problem('conflict', { en: 'No member has checked in.', zh: '尚无成员签到。' });
  const classes = proposedClasses(masterSecret, b.id, eligible);
  const r = await call<{ status: string; approval: string | null; listHash: string; aggregatePublicKey: string }>(link, `/ballots/${b.id}/proposal`, {
    cycleId: b.cycleId,
    meetingId: b.meetingId,
    bureauPublicKey: toHex(publicKey),
    bureauProofOfPossession: toHex(popProve(secretKey)),
    eligible,
    ...(classes.length ? { classes } : {}),
  });
  if (r.status === 'proposed' || !r.approval) {
    throw new Problem(
      'conflict',
      {
        en: `The supervisory group has not yet approved the list of ${eligible.length} checked-in members on its device; issuance opens once it has.`,
        zh: `监督小组尚未在其设备上批准已签到的 ${eligible.length} 名成员名单；批准后方可开始发放凭证。`,
      },
      { extensions: { awaitingApproval: true, listHash: r.listHash, aggregatePublicKey: r.aggregatePublicKey, eligible: eligible.length } },
    );
  }
  return checkApproval(link.verifierKey, r.approval, b.id, toHex(publicKey), classes);
}

/** The approval is signed by the pinned co-signer key, for this ballot and this bureau key, with valid keys. */
export function checkApproval(
  cosignerKey: string,
  note: string,
  ballotId: string,
  bureauPublicKey: string,
  classes: readonly { recused: string[]; bureauPublicKey: string }[] = [],
): Approval {
  let doc: KeyApproval;
  try {
    doc = openStatement(note, cosignerKey, KEY_STATEMENT);
  } catch (e) {
    if (e instanceof StatementError) throw unreachable(`its approval does not verify (${e.message})`);
    throw e;
  }
  if (doc.ballotId !== ballotId || doc.bureauPublicKey !== bureauPublicKey) throw unreachable('its approval is for another ballot or key');
  const k = checkCoIssuanceKeys({
    bureauPublicKey: fromHex(doc.bureauPublicKey),
    bureauPop: fromHex(doc.bureauProofOfPossession),
    cosignerPublicKey: fromHex(doc.cosignerPublicKey),
    cosignerPop: fromHex(doc.cosignerProofOfPossession),
    aggregatePublicKey: fromHex(doc.aggregatePublicKey),
  });
  if (!k.ok) throw unreachable(`its keys do not check (${k.reason})`);
  // 回避: every class's pair is checked exactly like the ballot's own pair.
  const approved = doc.classes ?? [];
  const same = (x: readonly { recused: string[]; bureauPublicKey: string }[]) => x.map((c) => `${c.recused.join(',')}=${c.bureauPublicKey}`).sort().join(' ');
  if (same(approved) !== same(classes)) throw unreachable('its approval is for other recusal classes');
  for (const c of approved) {
    const ck = checkCoIssuanceKeys({
      bureauPublicKey: fromHex(c.bureauPublicKey),
      bureauPop: fromHex(c.bureauProofOfPossession),
      cosignerPublicKey: fromHex(c.cosignerPublicKey),
      cosignerPop: fromHex(c.cosignerProofOfPossession),
      aggregatePublicKey: fromHex(c.aggregatePublicKey),
    });
    if (!ck.ok) throw unreachable(`its keys for recusal class [${c.recused.join(',')}] do not check (${ck.reason})`);
  }
  return { note, doc };
}

/** During issuance: the co-signer's share for a member's signed request. */
export async function relaySign(link: CosignerLink, ballotId: string, memberId: string, blinded: string, signature: string): Promise<string> {
  const r = await call<{ blindSignature: string }>(link, `/ballots/${ballotId}/blind-signatures`, { memberId, blinded, signature });
  if (!/^[0-9a-f]{192}$/.test(r.blindSignature ?? '')) throw unreachable('malformed share');
  return r.blindSignature;
}

/** When casting opens: the co-signer stops signing and signs its served list. */
export async function closeAtCosigner(link: CosignerLink, ballotId: string, aggregatePublicKey: string): Promise<{ note: string; doc: ServedList }> {
  const r = await call<{ servedStatement: string }>(link, `/ballots/${ballotId}/close`, {});
  let doc: ServedList;
  try {
    doc = openStatement(r.servedStatement, link.verifierKey, SERVED_STATEMENT);
  } catch (e) {
    if (e instanceof StatementError) throw unreachable(`its served list does not verify (${e.message})`);
    throw e;
  }
  if (doc.ballotId !== ballotId || doc.aggregatePublicKey !== aggregatePublicKey) throw unreachable('its served list is for another ballot');
  return { note: r.servedStatement, doc };
}

export async function getCosign(db: Db, ballotId: string) {
  return (await db.selectFrom('ballot_cosign').selectAll().where('ballot_id', '=', ballotId).executeTakeFirst()) ?? null;
}
