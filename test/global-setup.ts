// Runs once before the node test project: builds what the app serves from public/assets, so that
// test files running in parallel never rebuild it under each other's feet.
import { buildAssets } from '../scripts/build-assets.js';

export default async function setup() {
  await buildAssets();
}
