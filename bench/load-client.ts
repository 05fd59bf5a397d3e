/**
 * Benchmark helper (not a test): the load client of bench/read.ts, in a process of its own, so the
 * servers under test (the app and the bare Hono app, both in the bench's process) share the machine
 * with the client the same way and a ratio between them is fair. One JSON request per stdin line,
 * `{ port, path, connections, seconds, headers? }`; one JSON LoadResult per stdout line, in order.
 * Loopback only; bounded as bench/load.ts is.
 * @module
 */
import * as readline from 'node:readline';
import { load } from './load.js';

interface Job {
  port: number;
  path: string;
  connections?: number;
  seconds?: number;
  headers?: Record<string, string>;
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const job = JSON.parse(line) as Job;
  try {
    const r = await load(job.port, job.path, { connections: job.connections, seconds: job.seconds, headers: job.headers });
    process.stdout.write(JSON.stringify(r) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }) + '\n');
  }
}
