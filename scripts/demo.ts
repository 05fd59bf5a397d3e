// Tooling: `npm run demo` — a fresh embedded database (a temporary folder, or DATA_DIR), a whole award
// cycle simulated through the HTTP API, then it keeps serving on PORT and prints what to open.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { parseConfig } from '../src/config.js';
import { startNodeServer } from '../src/platform/node/server.js';
import { createAccount, issueAccountToken } from '../src/auth/accounts.js';
import { runDemoCycle } from '../src/demo/cycle.js';
import { movableClock } from '../src/deps.js';
import { logSimulatedClock } from '../src/calendar/simulated-clock.js';
import { checkpointAfterWrite, verifierKeyOf } from '../src/log/checkpoint.js';

const dataDir = process.env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-demo-'));
// The demo walks a cycle's weeks: its clock starts on 2026-03-02 (a year whose State Council calendar is
// bundled, or CLOCK_START), is moved forward by the demo from list to list, to the 审定, the submission and the
// government's decision, then runs at real speed from there.
const clockStart = process.env.CLOCK_START ?? '2026-03-02T09:00:00+08:00';
const clock = movableClock(new Date(clockStart));
// The supervisory group's co-signer: its own process, its own key folder (never the bureau's secrets).
const cosignerDir = process.env.COSIGNER_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-cosigner-'));
const tsx = (args: string[]) => [process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'cosigner.ts'), ...args]] as const;
if (!fs.existsSync(path.join(cosignerDir, 'cosigner-key.json'))) {
  const init = spawnSync(...tsx(['--init', cosignerDir, '--name', 'demo.supervisors/cosigner']), { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`co-signer --init: ${init.stderr}`);
}
const cosignerProcess = spawn(...tsx(['--dir', cosignerDir, '--listen', process.env.COSIGNER_PORT ?? '0']), { stdio: ['ignore', 'pipe', 'inherit'] });
const cosigner = await new Promise<{ url: string; key: string }>((resolve, reject) => {
  let out = '';
  cosignerProcess.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const url = /listening on (\S+)/.exec(out)?.[1];
    const key = /co-signer key (\S+)/.exec(out)?.[1];
    if (url && key) resolve({ url, key });
  });
  cosignerProcess.once('exit', (code) => reject(new Error(`the co-signer exited (${code})`)));
});
const config = parseConfig({
  ...process.env,
  DATA_DIR: dataDir,
  DATABASE_URL: '',
  COSIGNER_URL: cosigner.url,
  COSIGNER_KEY: cosigner.key,
});

const server = await startNodeServer(config, { quiet: true, clock });
const db = server.deps.db;
const staff = await issueAccountToken(db, (await createAccount(db, { role: 'staff', name: '演示·市场监管局' })).id);
const supervisor = await issueAccountToken(db, (await createAccount(db, { role: 'supervisor', name: '演示·监督小组' })).id);
const fetchLocal = (p: string, init?: RequestInit) => fetch(server.url + p, init);
const approve = async (ballotId: string) => {
  // A supervisor in the room, on the supervisors' device: the co-signer's own approval command.
  const r = spawnSync(...tsx(['--dir', cosignerDir, '--url', cosigner.url, '--approve', ballotId, '--by', '演示·监督小组', '--yes']), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`co-signer approval: ${r.stderr || r.stdout}`);
};
const demo = await runDemoCycle(fetchLocal, { staffToken: staff, supervisorToken: supervisor, log: (l) => console.log(`  · ${l}`), approve, advance: (iso) => clock.set(iso) });
// The clock as the demo left it, in the log: every tool judges time on it (src/calendar/simulated-clock.ts).
await logSimulatedClock(db, clock);
// "demo ready" means a signed checkpoint covers the whole demo, this last entry included: signed now, not
// only when LOG_CHECKPOINT_INTERVAL_MS has passed since the previous one (the demo's last steps come
// milliseconds apart, and a tool reading the log at once would see the clock as it started).
await checkpointAfterWrite({ ...server.deps, config: { ...server.deps.config, LOG_CHECKPOINT_INTERVAL_MS: 0 } });
const base = `http://localhost:${new URL(server.url).port}`;

console.log(`
杭州市政府质量奖 投票与公示模块 — demo
  data folder      ${dataDir}
  clock            started at ${clockStart}, now ${clock.now().toISOString()} (moved by the demo)
  home             ${base}/
  notices (public) ${base}/notices
  tablet (member)  ${base}/tablet        enrollment code of a member not yet enrolled: ${demo.absentCode}
  staff console    ${base}/staff         token: ${staff}
  supervisor       ${base}/supervisor    token: ${supervisor}
  API docs         ${base}/api/docs
  export           ${base}/api/v1/cycles/${demo.cycleId}/export
  log key          ${verifierKeyOf(server.deps.keys.logSignerKey)}
  co-signer        ${cosigner.url}  (pid ${cosignerProcess.pid}, key folder ${cosignerDir})
  co-signer key    ${cosigner.key}
  decision         ${demo.award ? `${demo.award.decision.documentNumber} of ${demo.award.decision.date}, 表彰通报 ${base}/notices/${demo.award.commendation}` : 'not reached'}
  objection        tracking ${demo.objection.trackingNo}  access code ${demo.objection.accessCode}
demo ready`);

const stop = async () => {
  cosignerProcess.kill();
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
