/**
 * Tooling: does every package the lockfile installs accept the Node versions this project declares?
 * npm prints EBADENGINE when a package's `engines.node` rejects the running Node; this finds the same
 * packages from package-lock.json alone, for the lowest version `engines.node` allows and for any other
 * version named (the one running, in the test and in CI).
 *
 *   npx tsx tools/engines.ts    lists the packages that reject them; exit 1 if any
 *
 * The range grammar is npm's as packages write it (`>=20`, `^20.19.0 || >=22.12.0`, `>= 14.6`, `18 || 20`,
 * `~1.2`, `1.x`); anything else is reported as unreadable rather than guessed.
 * @module
 */

type Version = readonly [number, number, number];

function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function parseVersion(v: string): Version {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  if (!m) throw new Error(`not a version: ${v}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

type Test = (v: Version) => boolean;

/** One comparator (`>=20.19`, `^18.17.0`, `20`, `1.x`) as a test; undefined if it cannot be read. */
function comparator(op: string, parts: (number | undefined)[]): Test | undefined {
  const [M, m, p] = parts;
  if (M === undefined) return () => true; // `*` or `x`
  const low: Version = [M, m ?? 0, p ?? 0];
  // The first version past a partial one: 20 → 21.0.0, 20.3 → 20.4.0.
  const past: Version = m === undefined ? [M + 1, 0, 0] : p === undefined ? [M, m + 1, 0] : [M, m, p + 1];
  switch (op) {
    case '>=': return (v) => cmp(v, low) >= 0;
    case '>': return (v) => cmp(v, past) >= 0;
    case '<': return (v) => cmp(v, low) < 0;
    case '<=': return (v) => cmp(v, past) < 0;
    case '^': {
      const top: Version = M > 0 ? [M + 1, 0, 0] : m !== undefined && m > 0 ? [0, m + 1, 0] : past;
      return (v) => cmp(v, low) >= 0 && cmp(v, top) < 0;
    }
    case '~': {
      const top: Version = m === undefined ? [M + 1, 0, 0] : [M, m + 1, 0];
      return (v) => cmp(v, low) >= 0 && cmp(v, top) < 0;
    }
    case '':
    case '=': return (v) => cmp(v, low) >= 0 && cmp(v, past) < 0;
    default: return undefined;
  }
}

/** Does the range admit the version? undefined when the range cannot be read. */
export function admits(range: string, version: string): boolean | undefined {
  const v = parseVersion(version);
  let any = false;
  for (const alternative of range.split('||')) {
    const text = alternative.trim();
    if (text === '' || text === '*') return true;
    const re = /(>=|<=|>|<|=|\^|~)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?\s*/gy;
    const tests: Test[] = [];
    let end = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const num = (s: string | undefined) => (s === undefined || /[xX*]/.test(s) ? undefined : Number(s));
      const parts = [num(m[2]), num(m[3]), num(m[4])];
      const t = comparator(m[1] ?? '', parts);
      if (!t) return undefined;
      tests.push(t);
      end = re.lastIndex;
    }
    if (end !== text.length || tests.length === 0) return undefined;
    if (tests.every((t) => t(v))) any = true;
  }
  return any;
}

export interface EngineProblem {
  /** The package's place in the lockfile (node_modules/…). */
  where: string;
  version: string;
  engine: string;
  /** The Node versions it rejects, or 'unreadable'. */
  rejects: string[] | 'unreadable';
}

interface Lock {
  packages: Record<string, { version?: string; engines?: unknown }>;
}

/** The lowest Node version a range such as `>=20.19` allows. */
export function lowestAllowed(range: string): string {
  const m = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range);
  if (!m) throw new Error(`engines.node should read ">=X.Y": ${range}`);
  return `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}`;
}

/** Every locked package whose engines.node rejects one of the versions. */
export function engineProblems(lock: Lock, versions: string[]): EngineProblem[] {
  const out: EngineProblem[] = [];
  for (const [where, pkg] of Object.entries(lock.packages)) {
    if (where === '') continue;
    const engines = pkg.engines;
    // Old packages wrote engines as an array of strings; npm ignores those, and so does this.
    if (!engines || typeof engines !== 'object' || Array.isArray(engines)) continue;
    const engine = (engines as Record<string, unknown>).node;
    if (typeof engine !== 'string') continue;
    const answers = versions.map((v) => [v, admits(engine, v)] as const);
    if (answers.some(([, a]) => a === undefined)) out.push({ where, version: pkg.version ?? '?', engine, rejects: 'unreadable' });
    else {
      const rejects = answers.filter(([, a]) => !a).map(([v]) => v);
      if (rejects.length) out.push({ where, version: pkg.version ?? '?', engine, rejects });
    }
  }
  return out;
}

async function main() {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;
  const versions = [lowestAllowed(pkg.engines.node), process.versions.node];
  const problems = engineProblems(lock, versions);
  for (const p of problems) {
    console.log(`${p.where}@${p.version} wants node ${p.engine}: rejects ${p.rejects === 'unreadable' ? '(unreadable range)' : p.rejects.join(', ')}`);
  }
  console.log(`${problems.length} package(s) reject node ${versions.join(' or ')} (package.json engines.node ${pkg.engines.node})`);
  process.exitCode = problems.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
