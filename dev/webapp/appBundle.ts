import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../repoRoot';

/** The npm name of `dev/app`, which `app.packageName` points the app backend at. */
export const EXAMPLE_APP_PACKAGE = 'ecs-catalog-sync-example-app';

/** Written into the bundle after a build: the fingerprint of the sources it was built from. */
const FINGERPRINT_FILE = '.source-fingerprint';

export interface AppBundlePaths {
  /** `dev/app`. */
  readonly appDir: string;
  /** `dev/app/dist`, what the app backend serves. */
  readonly distDir: string;
}

export function appBundlePaths(root: string = repoRoot()): AppBundlePaths {
  const appDir = path.join(root, 'dev', 'app');
  return { appDir, distDir: path.join(appDir, 'dist') };
}

export type AppBundleState = 'current' | 'missing' | 'stale';

/**
 * Whether `dev/app/dist` was built from the sources as they are now: the
 * app's own files, the lockfile (every dependency's version) and the files of
 * each workspace package the app depends on (the repository's frontend
 * plugin). Content hashes, not times: a fresh clone has no meaningful mtimes.
 */
export function appBundleState(paths: AppBundlePaths = appBundlePaths()): AppBundleState {
  const recorded = path.join(paths.distDir, FINGERPRINT_FILE);
  if (!existsSync(path.join(paths.distDir, 'index.html.tmpl')) || !existsSync(recorded)) return 'missing';
  return readFileSync(recorded, 'utf8') === sourceFingerprint(paths) ? 'current' : 'stale';
}

/** Builds the bundle with Vite in a child process; rejects with Vite's output when the build fails. */
export async function buildAppBundle(paths: AppBundlePaths = appBundlePaths()): Promise<void> {
  const fingerprint = sourceFingerprint(paths);
  const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [paths.appDir] })), 'bin', 'vite.js');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: paths.appDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.once('error', reject);
    child.once('exit', code => (code === 0 ? resolve(text) : reject(new Error(`building the example app (vite build in ${paths.appDir}) failed:\n${text}`))));
  });
  if (output.trim()) process.stderr.write(output);
  writeFileSync(path.join(paths.distDir, FINGERPRINT_FILE), fingerprint);
}

/** Builds the bundle unless it is current (or `force`); says whether it built. */
export async function ensureAppBundle(
  paths: AppBundlePaths = appBundlePaths(),
  options: { force?: boolean; onBuild?: (reason: string) => void } = {},
): Promise<'current' | 'built'> {
  const state = appBundleState(paths);
  if (state === 'current' && !options.force) return 'current';
  options.onBuild?.(state === 'current' ? 'forced' : state === 'missing' ? 'no bundle yet' : 'sources changed since the last build');
  await buildAppBundle(paths);
  return 'built';
}

function sourceFingerprint(paths: AppBundlePaths): string {
  const root = path.dirname(path.dirname(paths.appDir));
  const files = [
    ...filesUnder(paths.appDir, ['dist', 'node_modules']),
    path.join(root, 'package-lock.json'),
    ...workspaceDependencies(paths.appDir, root).flatMap(dir => filesUnder(dir, ['node_modules'])),
  ];
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Folders of the app's dependencies that are workspaces of this repository, not installed packages. */
function workspaceDependencies(appDir: string, root: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {}).flatMap(name => {
    const link = path.join(root, 'node_modules', name);
    if (!existsSync(link)) return [];
    const target = realpathSync(link);
    return target.split(path.sep).includes('node_modules') ? [] : [target];
  });
}

function filesUnder(dir: string, skip: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    if (skip.includes(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, skip);
    return entry.isFile() ? [full] : [];
  });
}
