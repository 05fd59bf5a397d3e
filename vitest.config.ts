import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { generateSignerKey } from './crypto/note.js';

// Two projects: the app on Node (PGlite, and PostgreSQL when TEST_DATABASE_URL is set), and the Worker
// entry inside workerd (through a Hyperdrive binding to TEST_DATABASE_URL; skipped without it).
const pgUrl = process.env.TEST_DATABASE_URL;
// Miniflare's Hyperdrive wants a password in the URL; trust-auth servers ignore it.
const hyperdriveUrl = pgUrl && withPassword(pgUrl);
function withPassword(url: string) {
  const u = new URL(url);
  if (!u.password) u.password = 'unused';
  return u.toString();
}

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/worker/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          // public/assets (API docs bundle, page bundles) is built once, before any test file runs.
          globalSetup: ['./test/global-setup.ts'],
        },
      },
      ...(pgUrl
        ? [
            {
              plugins: [
                cloudflareTest({
                  main: './src/worker.ts',
                  wrangler: { configPath: './wrangler.toml' },
                  miniflare: {
                    hyperdrives: { HYPERDRIVE: hyperdriveUrl! },
                    bindings: {
                      LOG_SIGNER_KEY: generateSignerKey('localhost/hz-quality-award/log').signerKey,
                      BALLOT_MASTER_SECRET: '11'.repeat(32),
                      CONTACT_KEY: '22'.repeat(32),
                    },
                  },
                }),
              ],
              test: { name: 'workers', include: ['test/worker/**/*.test.ts'], testTimeout: 60_000 },
            },
          ]
        : []),
    ],
  },
});
