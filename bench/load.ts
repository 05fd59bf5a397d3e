/**
 * A small bounded HTTP/1.1 load loop for the benchmarks (no dependency): `connections` keep-alive
 * sockets to a loopback port, each sending one GET at a time for `seconds`, counting complete
 * responses by status. Bodies are skipped by Content-Length (or to the end of a chunked body).
 * Only 127.0.0.1; bounded in time and in connections.
 * @module
 */
import * as net from 'node:net';

export interface LoadResult {
  requests: number;
  perSecond: number;
  statuses: Record<number, number>;
  p50: number;
  p99: number;
}

export async function load(port: number, path: string, opts: { connections?: number; seconds?: number; headers?: Record<string, string> } = {}): Promise<LoadResult> {
  const connections = Math.min(opts.connections ?? 50, 256);
  const ms = Math.min((opts.seconds ?? 3) * 1000, 60_000);
  const extra = Object.entries(opts.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`, 'latin1');
  const statuses: Record<number, number> = {};
  const latencies: number[] = [];
  let requests = 0;
  const started = performance.now();
  const deadline = started + ms;

  const one = () =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.setNoDelay(true);
      let buf: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const send = () => {
        if (performance.now() >= deadline) {
          socket.end();
          return resolve();
        }
        sentAt = performance.now();
        socket.write(request);
      };
      socket.on('connect', send);
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.subarray(0, end).toString('latin1');
          let total: number;
          const len = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          if (len) total = end + 4 + Number(len[1]);
          else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
            const term = buf.indexOf('\r\n0\r\n\r\n', end);
            const empty = buf.indexOf('0\r\n\r\n', end + 4) === end + 4 ? end + 4 + 5 : -1;
            if (empty > 0) total = empty;
            else if (term < 0) return;
            else total = term + 7;
          } else total = end + 4; // 304 and other bodiless answers
          if (buf.length < total) return;
          const status = Number(head.slice(9, 12));
          statuses[status] = (statuses[status] ?? 0) + 1;
          requests++;
          latencies.push(performance.now() - sentAt);
          buf = buf.subarray(total);
          send();
        }
      });
    });

  await Promise.all(Array.from({ length: connections }, one));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { requests, perSecond: requests / elapsed, statuses, p50: pct(0.5), p99: pct(0.99) };
}
