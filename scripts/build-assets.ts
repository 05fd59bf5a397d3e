// Tooling: copies the browser assets the app serves itself (no public CDN) into public/assets.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'public', 'assets');

fs.mkdirSync(path.join(out, 'scalar'), { recursive: true });
const scalar = path.join(root, 'node_modules', '@scalar', 'api-reference', 'dist', 'browser', 'standalone.js');
fs.copyFileSync(scalar, path.join(out, 'scalar', 'standalone.js'));
console.log(`assets: ${path.relative(root, out)}`);
