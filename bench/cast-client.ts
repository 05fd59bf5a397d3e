/**
 * Benchmark helper (not a test): the tablets of bench/read.ts's cast run, in a process of their own
 * so that the server's CPU per cast is the server's alone. Reads `{ url, bodies }` as JSON on stdin,
 * sends every body at once as a POST, and prints `{ results: [{ status, ms }], cpuMs }` on stdout.
 * @module
 */
let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { url, bodies } = JSON.parse(input) as { url: string; bodies: string[] };
const cpu0 = process.cpuUsage();
const results = await Promise.all(
  bodies.map(async (body) => {
    const s = performance.now();
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - s };
  }),
);
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ results, cpuMs: (cpu.user + cpu.system) / 1000 }));
export {};
