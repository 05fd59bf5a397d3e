import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';

// Two projects: the app on Node (PGlite, and PostgreSQL when TEST_DATABASE_URL is set), and the Worker
// entry inside workerd (through a Hyperdrive binding to TEST_DATABASE_URL; skipped without it).
const pgUrl = process.env.TEST_DATABASE_URL;

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
                    hyperdrives: { HYPERDRIVE: pgUrl },
                    bindings: {
                      LOG_SIGNER_KEY: 'PRIVATE+KEY+localhost/hz-quality-award/log+placeholder',
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
