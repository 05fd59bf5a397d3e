// A co-signer run in memory next to the app (its own secrets, nothing from the bureau), linked to the
// app as its relay target, and a cycle with a co-issued secret ballot.
import { testApp, type TestApp } from '../support/app.js';
import type { TestDb } from '../support/db.js';
import { cosignerApp, MemoryCosignerStore } from '../../src/cosigner/app.js';
import { generateSignerKey, newSigner } from '../../crypto/note.js';
import { randomBytes } from '@noble/hashes/utils.js';
import type { AppConfig } from '../../src/config.js';

export const APPROVAL_TOKEN = 'supervisors-approval-token';

export function newCosigner() {
  const key = generateSignerKey('supervisors.example/cosigner');
  const store = new MemoryCosignerStore();
  const app = cosignerApp({ secrets: { masterSecret: randomBytes(32), signer: newSigner(key.signerKey) }, verifierKey: key.verifierKey, approvalToken: APPROVAL_TOKEN, store });
  const request = async (path: string, init?: RequestInit) => app.request(path, init);
  return { key, store, app, request };
}

export type TestCosigner = ReturnType<typeof newCosigner>;

/** The app with a co-signer linked (as COSIGNER_URL / COSIGNER_KEY would). */
export function cosignedApp(t: TestDb, overrides: { config?: Partial<AppConfig>; now?: string } = {}): { h: TestApp; cosigner: TestCosigner } {
  const h = testApp(t, overrides);
  const cosigner = newCosigner();
  h.deps.cosigner = { verifierKey: cosigner.key.verifierKey, fetch: cosigner.request };
  return { h, cosigner };
}

/** A supervisor in the room approves the list as the co-signer shows it. */
export async function approveAtCosigner(cosigner: TestCosigner, ballotId: string, token = APPROVAL_TOKEN) {
  const shown = (await (await cosigner.request(`/ballots/${ballotId}`)).json()) as { listHash: string; eligible: { memberId: string }[] };
  const res = await cosigner.request(`/ballots/${ballotId}/approval`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ listHash: shown.listHash, approvedBy: '监督小组 李工' }),
  });
  return { res, shown };
}
