// A full garbage collection on demand, for the Node server's start.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs V8's full (mark-compact) collection after the current turn of the event loop. The embedded
 * database's first start makes garbage that holds hundreds of MB outside the JavaScript heap — PGlite
 * runs initdb in a second PostgreSQL instance whose WebAssembly memory and in-memory files are freed
 * only when that instance is collected — and a server that then idles or serves small requests may not
 * run a full collection for a long time. Measured: a collection in the same turn as the start's last
 * database call frees little of it; one turn later, all of it.
 * `gc` is reached without `node --expose-gc`: a context created while the flag is set has it.
 */
export async function collectGarbage(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
