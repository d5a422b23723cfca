import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../repoRoot';
import { appBundlePaths, ensureAppBundle } from './appBundle';

export const BUILD_APP_USAGE = 'npm run build:app [-- --force]';

/**
 * `build-app`: builds the example web app (`dev/app`) that the example backend
 * serves, unless its bundle was built from the current sources; `--force`
 * builds anyway. `npm start` and `npm run backend` run it first.
 */
export async function buildAppCommand(argv: string[], out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { force: { type: 'boolean', default: false } }, strict: true, allowPositionals: false });
  const paths = appBundlePaths();
  const where = path.relative(repoRoot(), paths.distDir);
  const started = Date.now();
  const result = await ensureAppBundle(paths, {
    force: values.force,
    onBuild: reason => out(`Building the example web app into ${where} (${reason})...`),
  });
  if (result === 'current') out(`The example web app in ${where} is up to date.`);
  else out(`Built the example web app in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 0;
}
