import { execFileSync } from 'node:child_process';
import { ROOT } from '../support/builtCli';

/** What `npm publish` would ship: the product (built by test/globalSetup.ts), its config schema and README, nothing else. */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [pack] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map(f => f.path).sort();
}

describe('the published package', () => {
  const files = packedFiles();

  it('holds the product, its entry points and its config schema', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'config.d.ts', 'dist/index.js', 'dist/index.d.ts', 'dist/alpha.js', 'dist/plugin/index.js', 'dist/cli/main.js']));
  });

  it('holds no emulator, benchmark, demo, test or example file', () => {
    expect(files.filter(f => /(^|\/)(dev|bench|demo|test|examples|emulator)(\/|$)|emulator|harness/i.test(f))).toEqual([]);
    expect(files.filter(f => !/^(dist\/|package\.json$|README\.md$|config\.d\.ts$|LICENSE$)/.test(f))).toEqual([]);
  });
});
