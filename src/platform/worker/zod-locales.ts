// The Worker bundle's stand-in for zod's locale index (aliased in wrangler.toml). zod re-exports its
// sixty-odd message locales as `z.locales`; nothing here reads them (every error the service shows is
// its own problem+json text, src/errors.ts), and bundled they were a fifth of the Worker script — read
// at every cold start. English stays: it is zod's default and is imported directly by zod itself.
export { default as en } from 'zod/v4/locales/en.js';
