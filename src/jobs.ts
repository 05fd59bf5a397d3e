// Scheduled work: a Workers cron trigger on the edge, a timer on Node. Each job is idempotent, so a
// missed or doubled run is harmless.
import type { Deps } from './deps.js';
import { readCache } from './cache/read-cache.js';
import { flagDeadlines } from './objections/queries.js';
import { purgeMemberAuth } from './members/queries.js';

export type Job = (deps: Deps) => Promise<Record<string, unknown>>;

const jobs: Record<string, Job> = {};

export function registerJob(name: string, job: Job) {
  jobs[name] = job;
}

export async function runScheduledJobs(deps: Deps): Promise<Record<string, unknown>> {
  await deps.ready;
  const report: Record<string, unknown> = {};
  for (const [name, job] of Object.entries(jobs)) {
    try {
      report[name] = await job(deps);
    } catch (e) {
      report[name] = { error: e instanceof Error ? e.message : String(e) };
      deps.logger.log('error', 'scheduled job failed', { job: name, error: String(e) });
    }
  }
  // The jobs write facts (a closed window, an overdue objection): the public reads see them next.
  readCache(deps).logMayHaveGrown();
  deps.logger.log('info', 'scheduled jobs', { report });
  return report;
}

// 三(三)7: objections past their 5-working-day verification date, notices whose 公示 window closed.
registerJob('objections-deadlines', flagDeadlines);

// Sign-in challenges once used or expired, and expired member sessions.
registerJob('member-auth-purge', purgeMemberAuth);
