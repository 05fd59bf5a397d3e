// How a build knows its source commit: git in a checkout (CI's fresh clone too), SOURCE_COMMIT for an
// exported tree, the SOURCE_COMMIT file that `git archive` fills in, else "unknown" — and a stated
// commit that contradicts git is refused.
import { execFileSync, execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceCommit } from '../../scripts/build-assets.js';
import { diffFiles, integrityOf, manifestFingerprint, type AssetManifest } from '../../src/assets/manifest.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hzqa-commit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const head = (() => {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
})();

describe('source commit of a build', () => {
  it.skipIf(!head)('a git checkout: HEAD; a stated SOURCE_COMMIT must agree with it', () => {
    expect(sourceCommit(root, {}).commit).toBe(head);
    expect(sourceCommit(root, { SOURCE_COMMIT: head!.toUpperCase() }).commit).toBe(head);
    expect(() => sourceCommit(root, { SOURCE_COMMIT: 'a'.repeat(40) })).toThrow(/is not this checkout's HEAD/);
    expect(() => sourceCommit(root, { SOURCE_COMMIT: 'main' })).toThrow(/full commit hash/);
  });

  it.skipIf(!head)('a tree exported with git archive (no .git): the SOURCE_COMMIT file it filled in', () => {
    const dir = path.join(tmp, 'archive');
    fs.mkdirSync(dir);
    execSync(`git -C ${JSON.stringify(root)} archive HEAD SOURCE_COMMIT | tar -x -C ${JSON.stringify(dir)}`);
    expect(sourceCommit(dir, {})).toEqual({ commit: head, dirty: false });
    // In a checkout the file holds the unexpanded placeholder, which is never taken for a commit.
    expect(fs.readFileSync(path.join(root, 'SOURCE_COMMIT'), 'utf8').trim()).toBe('$Format:%H$');
  });

  it('a bare tree: SOURCE_COMMIT from the environment, else "unknown"', () => {
    const dir = path.join(tmp, 'bare');
    fs.mkdirSync(dir);
    expect(sourceCommit(dir, { SOURCE_COMMIT: 'b'.repeat(40) })).toEqual({ commit: 'b'.repeat(40), dirty: false });
    expect(sourceCommit(dir, {})).toEqual({ commit: 'unknown', dirty: false });
  });

  it('fingerprints, integrity values and file differences', () => {
    expect(manifestFingerprint('0123456789abcdef' + '0'.repeat(48))).toBe('0123-4567-89AB-CDEF');
    expect(() => manifestFingerprint('XYZ')).toThrow(/64 lowercase hex/);
    // SRI of the empty file (W3C SRI examples use the same base64 digest form).
    expect(integrityOf('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')).toBe('sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    const m = (files: [string, string][]): AssetManifest => ({ v: 1, commit: 'unknown', dirty: false, esbuild: '0.27.3', files: files.map(([p, h]) => ({ path: p, sha256: h.repeat(64), size: 1 })) });
    expect(diffFiles(m([['/assets/a.js', '1'], ['/assets/b.js', '2']]), m([['/assets/a.js', '1'], ['/assets/c.js', '3']]))).toEqual([
      { path: '/assets/b.js', problem: 'missing' },
      { path: '/assets/c.js', problem: 'extra' },
    ]);
    expect(diffFiles(m([['/assets/a.js', '1']]), m([['/assets/a.js', '2']]))).toEqual([{ path: '/assets/a.js', problem: 'differs' }]);
  });
});
