// The token worker run from TypeScript source (tsx, vitest): tsx's loader is registered in this thread
// first, then token-worker.ts is loaded. The built server (dist/node) starts token-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./token-worker.ts');
