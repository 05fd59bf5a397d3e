// Native BLS (@chainsafe/blst) for Node tooling: the same loader the Node server uses.
export { loadNativeBlst, type NativeBlst } from '../src/tokens/native.js';
