// Runs once before the node test project: builds what the app serves from public/assets, so that
// test files running in parallel never rebuild it under each other's feet; and dumps one migrated
// PGlite data folder that every test database on PGlite starts from (test/support/db.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildAssets } from '../scripts/build-assets.js';
import { dumpMigratedPGlite } from './support/pglite-template.js';

export default async function setup(project: TestProject) {
  await buildAssets();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-pglite-template-'));
  const file = path.join(dir, 'migrated.tar');
  fs.writeFileSync(file, new Uint8Array(await (await dumpMigratedPGlite()).arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
