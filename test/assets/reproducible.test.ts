// The asset build is reproducible: two clean clones of the same commit, in different folders, build
// byte-identical files and the same manifest (naming that commit), with no path of the machine in
// any file; a rebuild from a checkout is compared file by file, and a changed source is named.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRebuild } from '../../src/verify/checks/assets.js';
import { type AssetManifest } from '../../src/assets/manifest.js';
import { rebuildFrom } from '../../tools/assets-check.js';
import { AssetManifestDocument as assetManifestSchema } from '../../src/log/documents/index.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const inGit = (() => {
  try {
    return fs.realpathSync(git(root, 'rev-parse', '--show-toplevel')) === fs.realpathSync(root);
  } catch {
    return false;
  }
})();

/** A clean clone of `commit` with the project's node_modules hard-linked in. */
function cloneAt(dir: string, commit: string) {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  execFileSync('git', ['clone', '--quiet', '--no-checkout', root, dir]);
  git(dir, 'checkout', '--quiet', commit);
  // The real folder, not a link to it: a linked node_modules would resolve outside the clone and put
  // the linked folder's path into the source maps.
  execFileSync('cp', ['-al', fs.realpathSync(path.join(root, 'node_modules')), path.join(dir, 'node_modules')]);
}

function build(dir: string) {
  const env = { ...process.env };
  delete env.SOURCE_COMMIT;
  execFileSync(path.join(dir, 'node_modules', '.bin', 'tsx'), ['scripts/build-assets.ts'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!inGit)('reproducible asset build', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-repro-'));
  // Different names and depths: nothing of the folder may reach the output.
  const a = path.join(tmp, 'first');
  const b = path.join(tmp, 'elsewhere', 'deeper', 'second-clone');
  const head = git(root, 'rev-parse', 'HEAD');
  let manifestA: AssetManifest;

  beforeAll(() => {
    cloneAt(a, head);
    cloneAt(b, head);
    build(a);
    build(b);
    manifestA = assetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(a, 'public', 'assets', 'manifest.json'), 'utf8')));
  }, 900_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('two clean clones in different folders build the same manifest and byte-identical files', () => {
    const filesA = filesUnder(path.join(a, 'public'));
    const filesB = filesUnder(path.join(b, 'public'));
    expect([...filesA.keys()].sort()).toEqual([...filesB.keys()].sort());
    for (const [name, bytes] of filesA) expect(Buffer.compare(bytes, filesB.get(name)!), name).toBe(0);
    expect(manifestA.commit).toBe(head);
    expect(manifestA.dirty).toBe(false);
    // Every served script, style and source map, and the API docs bundle, is listed.
    const paths = manifestA.files.map((f) => f.path);
    for (const p of ['/assets/web/tablet.js', '/assets/web/tablet.js.map', '/assets/web/styles.css', '/assets/scalar/standalone.js']) expect(paths).toContain(p);
    const underAssets = [...filesA.keys()].filter((name) => name.startsWith(`assets${path.sep}`));
    expect(paths.length).toBe(underAssets.length - 1); // every file under /assets but the manifest itself
    for (const [name, bytes] of filesA) {
      const text = bytes.toString('latin1');
      expect(text.includes(a), `${name} names the build folder`).toBe(false);
      expect(text.includes(os.homedir() + '/'), `${name} names a home folder`).toBe(false);
    }
    const map = JSON.parse(filesA.get(path.join('assets', 'web', 'tablet.js.map'))!.toString('utf8')) as { sources: string[] };
    expect(map.sources).toContain('src/web/browser/tablet/main.ts');
  });

  it('a rebuild from a checkout of the commit matches; a changed source is named by file', () => {
    expect(checkRebuild(manifestA, rebuildFrom(b))).toEqual([]);
    fs.appendFileSync(path.join(b, 'src', 'web', 'browser', 'tablet', 'main.ts'), "\nconsole.info('hello from a changed build');\n");
    const dirty = checkRebuild(manifestA, rebuildFrom(b));
    expect(dirty.map((x) => x.en).join('\n')).toMatch(/uncommitted changes/);
    expect(dirty.map((x) => x.file)).toContain('/assets/web/tablet.js');
    git(b, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '--quiet', '-am', 'changed');
    const other = checkRebuild(manifestA, rebuildFrom(b));
    expect(other.map((x) => x.file)).toEqual(expect.arrayContaining([null, '/assets/web/tablet.js', '/assets/web/tablet.js.map']));
    expect(other.map((x) => x.en).join('\n')).toMatch(new RegExp(`the logged build at ${head}`));
    // Untouched files still match: only what changed is named.
    expect(other.map((x) => x.file)).not.toContain('/assets/web/staff.js');
  });
});
