// The verifier and the tablets against a corrupt bureau that holds its own keys and its database
// (superuser): a ballot minted with the bureau's share alone into an abstainer's slot, a stored choice
// changed, a ballot dropped — each fails the verifier (with the members' signed receipts where needed)
// and shows on the tablet as not counted as cast. An honest co-issued cycle passes everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import type { TestApp } from '../support/app.js';
import { adoptProcedure, cycleWithMembers, enrolledTablets, fetchOf, staffAndSupervisor } from '../support/actors.js';
import { ballotKeysOf, call, Tablet, type BallotKeys, type SecretReceipt } from '../../src/protocol/tablet.js';
import { checkCountedInLog } from '../../src/protocol/bulletin.js';
import { verifierKeyOf } from '../../src/log/index.js';
import { verifyBundle, type VerifyReport } from '../../src/verify/index.js';
import type { ExportBundle } from '../../src/verify/bundle.js';
import { blind, blindSign, deriveBallotKey, finalizeToken, newToken, tokenMessage } from '../../crypto/blind.js';
import { toHex } from '../../crypto/bytes.js';
import { canonicalJson } from '../../src/log/append.js';
import { approveAtCosigner, cosignedApp, type TestCosigner } from '../cosigner/support.js';

interface Built {
  t: TestDb;
  h: TestApp;
  cosigner: TestCosigner;
  ballotId: string;
  keys: BallotKeys;
  receipts: SecretReceipt[];
  bundle: ExportBundle;
  logKey: string;
  mintedToken?: string;
}

const CHOICES = [
  { c01: 'for', c02: 'for', c03: 'against' },
  { c01: 'for', c02: 'against', c03: 'for' },
  { c01: 'against', c02: 'for', c03: 'abstain' },
  { c01: 'for', c02: 'for', c03: 'abstain' },
] as const;

/** 5 members check in, 4 take a token and cast, 1 abstains; `corrupt` runs the bureau's attacks before casting closes. */
async function build(corrupt: boolean): Promise<Built> {
  const t = await openTestDb('pglite');
  const { h, cosigner } = cosignedApp(t, { config: { LOG_CHECKPOINT_INTERVAL_MS: 0 } });
  const { staff, supervisor } = await staffAndSupervisor(h);
  const tablets = await enrolledTablets(h, await cycleWithMembers(h, staff, '2026', 5));
  const f = fetchOf(h);
  const staffCall = <T>(path: string, json?: unknown) => call<T>(f, path, { method: json === undefined ? 'GET' : 'POST', token: staff, ...(json !== undefined ? { json } : {}) });
  const meetingId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/meetings', { title: '全体会议' })).id;
  for (const tab of tablets) await tab.checkIn(meetingId);
  await adoptProcedure(f, { staff, supervisor }, meetingId, tablets[0]!, tablets.length);
  const ballotId = (await staffCall<{ id: string }>('/api/v1/cycles/2026/ballots', { meetingId, award: 'quality', seats: 2, candidates: [{ name: '甲公司' }, { name: '乙集团' }, { name: '丙医院' }] })).id;
  await staffCall(`/api/v1/ballots/${ballotId}/phase`, { to: 'issuing' }).catch(() => undefined); // 409: awaiting approval
  expect((await approveAtCosigner(cosigner, ballotId)).res.status).toBe(200);
  const opened = await staffCall<{ ballot: Parameters<typeof ballotKeysOf>[0] }>(`/api/v1/ballots/${ballotId}/phase`, { to: 'issuing' });
  const keys = ballotKeysOf(opened.ballot);
  const tokens = [];
  for (const tab of tablets.slice(0, 4)) tokens.push(await tab.obtainToken(ballotId, keys));
  await staffCall(`/api/v1/ballots/${ballotId}/phase`, { to: 'casting' });
  const receipts: SecretReceipt[] = [];
  for (let i = 0; i < 4; i++) receipts.push(await Tablet.cast(f, ballotId, tokens[i]!, CHOICES[i]!, keys.receiptKey));
  let mintedToken: string | undefined;
  if (corrupt) {
    const db = h.deps.db;
    // Minting: a token signed with the bureau's key alone, in the abstainer's slot.
    const m = tokenMessage(ballotId, newToken());
    const { blinded, r } = blind(m);
    const { secretKey, publicKey } = deriveBallotKey(h.deps.keys.ballotMasterSecret, ballotId);
    const S = finalizeToken(publicKey, m, blinded, blindSign(secretKey, blinded), r);
    mintedToken = toHex(m.slice(m.length - 32));
    await db.insertInto('secret_ballot').values({ ballot_id: ballotId, token: mintedToken, signature: toHex(S), choices: canonicalJson({ c01: 'for', c02: 'for', c03: 'against' }) }).execute();
    // Changing a stored choice (member 2's), dropping a ballot (member 3's).
    await db.updateTable('secret_ballot').set({ choices: canonicalJson({ c01: 'against', c02: 'against', c03: 'for' }) }).where('token', '=', receipts[1]!.token).execute();
    await db.deleteFrom('secret_ballot').where('token', '=', receipts[2]!.token).execute();
  }
  for (const to of ['closed', 'tallied']) await staffCall(`/api/v1/ballots/${ballotId}/phase`, { to });
  const res = await h.request('/api/v1/cycles/2026/export', { headers: { authorization: `Bearer ${supervisor}` } });
  expect(res.status).toBe(200);
  return { t, h, cosigner, ballotId, keys, receipts, bundle: (await res.json()) as ExportBundle, logKey: verifierKeyOf(h.deps.keys.logSignerKey), ...(mintedToken ? { mintedToken } : {}) };
}

const statusOf = (r: VerifyReport, id: string) => r.checks.filter((c) => c.id === id).map((c) => c.status);
const detailsOf = (r: VerifyReport, id: string) => JSON.stringify(r.checks.filter((c) => c.id === id).map((c) => c.details));

describe('co-issued cycle, honest', () => {
  let c: Built;
  beforeAll(async () => {
    c = await build(false);
  });
  afterAll(async () => c.t.close());

  it('passes every check with the pinned co-signer key and the members’ receipts', () => {
    const r = verifyBundle(c.bundle, { logKey: c.logKey, cosignerKey: c.cosigner.key.verifierKey, receipts: c.receipts.map((x) => x.castReceipt) });
    expect(r.checks.filter((x) => x.status === 'fail')).toEqual([]);
    expect(r.ok).toBe(true);
    for (const id of ['ballot-co-issued', 'served-lists-agree', 'enrollment-traced', 'cast-receipts', 'bulletin-signatures']) expect(statusOf(r, id)).toEqual(['pass']);
  });

  it('fails the co-issuance check under another pinned co-signer key', () => {
    const other = 'someone+01234567+' + Buffer.alloc(33, 1).toString('base64');
    const r = verifyBundle(c.bundle, { logKey: c.logKey, cosignerKey: other });
    expect(statusOf(r, 'ballot-co-issued')).toEqual(['fail']);
  });

  it('every tablet finds its ballot in the logged bulletin', async () => {
    for (const rec of c.receipts) expect((await checkCountedInLog(fetchOf(c.h), { logKey: c.logKey, publicKey: c.keys.publicKey, receipt: rec })).counted).toBe(true);
  });
});

describe('co-issued cycle, corrupt bureau (its keys, its database)', () => {
  let c: Built;
  let report: VerifyReport;
  beforeAll(async () => {
    c = await build(true);
    report = verifyBundle(c.bundle, { logKey: c.logKey, cosignerKey: c.cosigner.key.verifierKey, receipts: c.receipts.map((x) => x.castReceipt) });
  });
  afterAll(async () => c.t.close());

  it('the minted ballot (bureau’s share only) fails the verifier: it does not verify under the aggregate key', () => {
    expect(report.ok).toBe(false);
    expect(statusOf(report, 'bulletin-signatures')).toEqual(['fail']);
    expect(detailsOf(report, 'bulletin-signatures')).toContain(c.mintedToken!.slice(0, 12));
  });

  it('the changed choice and the dropped ballot fail the verifier with the receipts as evidence', () => {
    expect(statusOf(report, 'cast-receipts')).toEqual(['fail']);
    const d = detailsOf(report, 'cast-receipts');
    expect(d).toContain(`token ${c.receipts[1]!.token.slice(0, 12)}…): the logged bulletin`);
    expect(d).toMatch(new RegExp(`token ${c.receipts[2]!.token.slice(0, 12)}…\\): accepted by the server \\(signed receipt\\) but missing`));
    // The untouched receipts are not named.
    expect(d).not.toContain(c.receipts[0]!.token.slice(0, 12));
    // Without receipts the changed choice and the drop would be invisible to counts alone: the receipts are needed.
    const noReceipts = verifyBundle(c.bundle, { logKey: c.logKey, cosignerKey: c.cosigner.key.verifierKey });
    expect(statusOf(noReceipts, 'cast-receipts')).toEqual([]);
  });

  it('each tablet shows its ballot as not counted as cast', async () => {
    const check = (i: number) => checkCountedInLog(fetchOf(c.h), { logKey: c.logKey, publicKey: c.keys.publicKey, receipt: c.receipts[i]! });
    expect(await check(1)).toMatchObject({ counted: false, reason: 'missing-or-altered' });
    expect(await check(2)).toMatchObject({ counted: false, reason: 'missing-or-altered' });
    // Member 1's own ballot is intact, but the bulletin carries a ballot with no valid token: not counted as cast.
    expect(await check(0)).toMatchObject({ counted: false, reason: 'unsound' });
  });

  it('a forged receipt is not evidence', () => {
    const forged = { ...c.receipts[0]!.castReceipt!, choicesHash: '0'.repeat(64) };
    const r = verifyBundle(c.bundle, { logKey: c.logKey, cosignerKey: c.cosigner.key.verifierKey, receipts: [forged] });
    expect(detailsOf(r, 'cast-receipts')).toContain('not evidence');
  });
});

describe('the CLI: --cosigner-key and --receipts', () => {
  let c: Built;
  beforeAll(async () => {
    c = await build(true);
  });
  afterAll(async () => c.t.close());

  it('exits 1 naming the receipts of the changed and the dropped ballot; 2 for an unreadable receipt file', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'hzqa-receipts-'));
    const bundle = join(dir, 'bundle.json');
    writeFileSync(bundle, JSON.stringify(c.bundle));
    const files = c.receipts.map((r, i) => {
      const f = join(dir, `receipt-${i + 1}.json`);
      writeFileSync(f, JSON.stringify(i === 0 ? r : r.castReceipt)); // a tablet's saved ballot, or the bare receipt
      return f;
    });
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', '--bundle', bundle, '--log-key', c.logKey, '--lang', 'en', ...args], { encoding: 'utf8', timeout: 90_000 });
    const r = cli(['--cosigner-key', c.cosigner.key.verifierKey, '--receipts', ...files]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/\[FAIL\] cast-receipts/);
    expect(r.stdout).toContain(`receipt 3 (ballot ${c.ballotId}, token ${c.receipts[2]!.token.slice(0, 12)}…): accepted by the server (signed receipt) but missing`);
    expect(r.stdout).toContain(`receipt 2 (ballot ${c.ballotId}, token ${c.receipts[1]!.token.slice(0, 12)}…): the logged bulletin`);
    expect(r.stdout).toMatch(/\[FAIL\] bulletin-signatures/);
    expect(cli(['--receipts', join(dir, 'nope.json')]).status).toBe(2);
  });
});
