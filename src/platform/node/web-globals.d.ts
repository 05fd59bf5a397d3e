// Web-platform type names the app uses that Node 20 provides at runtime but @types/node 20 does not
// declare globally (the DOM lib and the Workers types do). Only the Node type-check reads this file.
export {};

declare global {
  type JsonWebKey = import('node:crypto').webcrypto.JsonWebKey;
  type CryptoKey = import('node:crypto').webcrypto.CryptoKey;
  type BodyInit = import('undici-types').BodyInit;
}
