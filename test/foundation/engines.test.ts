// `npm ci` on the Node this project declares (package.json engines.node, and the Node running the tests,
// which is CI's) prints no EBADENGINE warning: every locked package accepts those versions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { admits, engineProblems, lowestAllowed } from '../../tools/engines.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8'));

describe('engines', () => {
  it('reads ranges as npm does', () => {
    expect(admits('>=22', '20.20.2')).toBe(false);
    expect(admits('>=22.0.0', '22.0.0')).toBe(true);
    expect(admits('>= 20', '20.19.0')).toBe(true);
    expect(admits('^20.19.0 || >=22.12.0', '20.19.0')).toBe(true);
    expect(admits('^20.19.0 || >=22.12.0', '22.11.0')).toBe(false);
    expect(admits('^18.17.0 || ^20.3.0 || >=21.0.0', '20.2.9')).toBe(false);
    expect(admits('^10 || ^12 || >=14', '13.1.0')).toBe(false);
    expect(admits('>=20.19', '20.18.9')).toBe(false);
    expect(admits('~20.19', '20.20.0')).toBe(false);
    expect(admits('20 || 22', '22.3.1')).toBe(true);
    expect(admits('>20', '20.99.0')).toBe(false);
    expect(admits('<=20', '20.99.0')).toBe(true);
    expect(admits('1.x', '1.9.0')).toBe(true);
    expect(admits('node >= 20', '20.0.0')).toBeUndefined();
  });

  it('every locked package accepts the declared lowest Node and the running one', () => {
    const declared = read('package.json').engines.node as string;
    const versions = [lowestAllowed(declared), process.versions.node];
    expect(versions[0]).toBe('20.19.0');
    const problems = engineProblems(read('package-lock.json'), versions);
    expect(problems).toEqual([]);
  });

  it('finds a package that wants a newer Node', () => {
    const lock = { packages: { '': {}, 'node_modules/a': { version: '1.0.0', engines: { node: '>=22' } }, 'node_modules/b': { version: '1.0.0', engines: { node: '>=18' } } } };
    expect(engineProblems(lock, ['20.19.0'])).toEqual([{ where: 'node_modules/a', version: '1.0.0', engine: '>=22', rejects: ['20.19.0'] }]);
  });
});
