/**
 * Issuance benchmark (not a test): `npx tsx bench/cosign.ts` (or `npm run bench:cosign`).
 * The time to issue one member's token, per member, in one run:
 *   single key   tablet blinds; the bureau signs (sk·B); the tablet checks the answer, unblinds, verifies
 *   co-issued    tablet blinds; the bureau signs; the co-signer checks the member's device signature,
 *                the approved list and its served record, and signs; the tablet checks each share
 *                against its signer's key, adds, unblinds, verifies under the aggregate key
 * Both flows run the same code as the product (crypto/, src/cosigner/core.ts) in one process, without
 * the network and database (the same for both); members alternate between the two flows so that load
 * on the machine affects both alike. Reports medians and the ratio co-issued / single key.
 * BENCH_QUICK=1: 8 members per flow (default 24).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { blind, blindSign, deriveBallotKey, finalizeToken, newToken, popProve, tokenMessage, verifyToken } from '../crypto/blind.js';
import { finalizeCoIssuedToken } from '../crypto/cosign.js';
import { fromHex, toHex } from '../crypto/bytes.js';
import { generateSignerKey, newSigner } from '../crypto/note.js';
import { approve, propose, sign, type CosignerSecrets, type CosignerState } from '../src/cosigner/core.js';
import { eligibleListHash } from '../src/cosigner/statements.js';
import { issueMessage } from '../src/votes/messages.js';

const QUICK = process.env.BENCH_QUICK === '1';
const MEMBERS = QUICK ? 8 : 24;
const ballotId = 'b_bench0000000';
const bureau = deriveBallotKey(new Uint8Array(32).fill(7), ballotId);
const secrets: CosignerSecrets = { masterSecret: new Uint8Array(32).fill(42), signer: newSigner(generateSignerKey('bench-cosigner').signerKey) };
const devices = Array.from({ length: MEMBERS * 2 }, (_, i) => {
  const secret = ed25519.utils.randomSecretKey();
  return { memberId: `m_${String(i).padStart(12, '0')}`, name: `成员${i + 1}`, unit: `单位${i + 1}`, secret, deviceKey: toHex(ed25519.getPublicKey(secret)) };
});
const state: CosignerState = { ballots: {} };
const proposal = propose(state, secrets, {
  ballotId,
  cycleId: 'bench',
  meetingId: 'mt_bench000000',
  bureauPublicKey: toHex(bureau.publicKey),
  bureauProofOfPossession: toHex(popProve(bureau.secretKey)),
  eligible: devices.map(({ memberId, name, unit, deviceKey }) => ({ memberId, name, unit, deviceKey })),
});
approve(state, secrets, ballotId, eligibleListHash(state.ballots[ballotId]!.eligible), 'bench', new Date());
const aggregate = fromHex(proposal.aggregatePublicKey);
const cosignerKey = fromHex(proposal.cosignerPublicKey);

function single(): number {
  const t0 = performance.now();
  const m = tokenMessage(ballotId, newToken());
  const { blinded, r } = blind(m);
  const answer = blindSign(bureau.secretKey, blinded);
  const S = finalizeToken(bureau.publicKey, m, blinded, answer, r);
  if (!verifyToken(bureau.publicKey, m, S)) throw new Error('single: bad token');
  return performance.now() - t0;
}

function coIssued(d: (typeof devices)[number]): number {
  const t0 = performance.now();
  const m = tokenMessage(ballotId, newToken());
  const { blinded, r } = blind(m);
  const B = toHex(blinded);
  const request = toHex(ed25519.sign(issueMessage(ballotId, d.memberId, B), d.secret));
  const bureauShare = blindSign(bureau.secretKey, blinded);
  const cosignerShare = fromHex(sign(state, secrets, { ballotId, memberId: d.memberId, blinded: B, signature: request }).blindSignature);
  const S = finalizeCoIssuedToken(m, blinded, r, [
    { signer: 'bureau', publicKey: bureau.publicKey, blindSignature: bureauShare },
    { signer: 'co-signer', publicKey: cosignerKey, blindSignature: cosignerShare },
  ]);
  if (!verifyToken(aggregate, m, S)) throw new Error('co-issued: bad token');
  return performance.now() - t0;
}

single();
coIssued(devices[devices.length - 1]!); // warm-up (that member is then served; not reused)
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < MEMBERS; i++) {
  a.push(single());
  b.push(coIssued(devices[i]!));
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const ma = median(a);
const mb = median(b);
console.log(`issuance per member, ${MEMBERS} members per flow (median; crypto and co-signer checks, no network or database)`);
console.log(`  single key (bureau alone)      ${ma.toFixed(1)} ms`);
console.log(`  co-issued (bureau + co-signer) ${mb.toFixed(1)} ms`);
console.log(`  ratio co-issued / single key   ${(mb / ma).toFixed(2)}×`);
