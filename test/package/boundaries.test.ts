import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/builtCli';

/**
 * The rooms of src/ and what they may lean on: the product never reaches into
 * the tooling, and the pure core (mapping, reconciliation, reports, access,
 * planning) never does I/O, whatever it imports on the way.
 */
const SRC = path.join(ROOT, 'src');
const PURE_ROOMS = ['analysis', 'mapping', 'reconcile', 'report', 'access', 'sync', 'fix', 'notify', 'events', 'gate'];
/** Modules that talk to the world: Backstage's backend services, AWS, the file system, the network. */
const IMPURE = [
  /^@backstage\/backend-/,
  /^@backstage\/plugin-[a-z-]+-(node|backend)/,
  /^@aws-sdk\//,
  /^@smithy\//,
  /^(node:)?(fs|fs\/promises|http|https|net|child_process|dgram|tls|worker_threads)$/,
  /^(knex|express|pg|better-sqlite3)$/,
];

interface SourceFile {
  file: string;
  /** Relative imports resolved to files, type-only ones left out: they vanish at run time. */
  local: string[];
  packages: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next form
    }
  }
  return base;
}

function read(file: string): SourceFile {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)]
    .filter(m => !m[2])
    .map(m => m[3])
    .concat([...text.matchAll(/\b(?:import|require)\(\s*'([^']+)'\s*\)/g)].map(m => m[1]));
  return {
    file,
    local: specifiers.filter(s => s.startsWith('.')).map(s => resolveLocal(file, s)),
    packages: specifiers.filter(s => !s.startsWith('.')),
  };
}

const files = new Map(sourceFiles(SRC).map(file => [file, read(file)]));
const relative = (file: string) => path.relative(ROOT, file);

describe('the rooms of src/', () => {
  it('has files to check', () => {
    expect(files.size).toBeGreaterThan(50);
  });

  it('never imports the tooling, the tests or anything else outside src/', () => {
    const outside = [...files.values()].flatMap(f => f.local.filter(target => !target.startsWith(`${SRC}${path.sep}`)).map(target => `${relative(f.file)} -> ${relative(target)}`));
    expect(outside).toEqual([]);
  });

  it.each([...PURE_ROOMS, 'scan'])('keeps src/%s off the shells: data flows from config to the core, never back', room => {
    const shells = ['config', 'provider', 'plugin', 'cli'].map(shell => path.join(SRC, shell) + path.sep);
    const back = [...files.values()]
      .filter(f => f.file.startsWith(path.join(SRC, room) + path.sep))
      .flatMap(f => f.local.filter(target => shells.some(shell => target.startsWith(shell))).map(target => `${relative(f.file)} -> ${relative(target)}`));
    expect(back).toEqual([]);
  });

  it.each(PURE_ROOMS)('keeps src/%s pure: nothing it loads, directly or through other files, does I/O', room => {
    const problems: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string, via: string[]) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = files.get(file);
      if (!source) return;
      for (const name of source.packages) {
        if (IMPURE.some(pattern => pattern.test(name))) problems.push(`${[...via, relative(file)].join(' -> ')} imports ${name}`);
      }
      for (const target of source.local) visit(target, [...via, relative(file)]);
    };
    for (const file of files.keys()) if (file.startsWith(path.join(SRC, room) + path.sep)) visit(file, []);
    expect(problems).toEqual([]);
  });
});
