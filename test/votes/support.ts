// A secret ballot brought to its casting phase (shared with the benchmarks, in tools/harness/casting.ts).
export * from '../../tools/harness/casting.js';
