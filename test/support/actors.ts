// People of a test: staff and supervisor accounts with real tokens, members enrolled from "tablets"
// (shared with the benchmarks, in tools/harness/actors.ts).
export * from '../../tools/harness/actors.js';
