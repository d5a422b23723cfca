import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../repoRoot';

/** The npm name of `dev/app`, which `app.packageName` points the app backend at. */
export const EXAMPLE_APP_PACKAGE = 'ecs-catalog-sync-example-app';

/** Written into the bundle after a build: the fingerprint of the sources it was built from. */
const FINGERPRINT_FILE = '.source-fingerprint';

export interface AppBundlePaths {
  /** The repository: its lockfile and `node_modules` take part in the fingerprint. */
  readonly root: string;
  /** `dev/app`. */
  readonly appDir: string;
  /** `dev/app/dist`, what the app backend serves. */
  readonly distDir: string;
}

export function appBundlePaths(root: string = repoRoot()): AppBundlePaths {
  const appDir = path.join(root, 'dev', 'app');
  return { root, appDir, distDir: path.join(appDir, 'dist') };
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

/**
 * Builds the bundle with Vite in a child process; rejects with Vite's output
 * when the build fails. The build goes to a folder beside `dist` that replaces
 * it at the end, so a backend starting meanwhile reads the old bundle or the
 * new one, never a half-written one.
 */
export async function buildAppBundle(paths: AppBundlePaths = appBundlePaths()): Promise<void> {
  const fingerprint = sourceFingerprint(paths);
  const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [paths.appDir] })), 'bin', 'vite.js');
  const next = `${paths.distDir}.next-${process.pid}`;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', next, '--emptyOutDir'], { cwd: paths.appDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.once('error', reject);
    child.once('exit', code => (code === 0 ? resolve(text) : reject(new Error(`building the example app (vite build in ${paths.appDir}) failed:\n${text}`))));
  }).catch((error: unknown) => {
    rmSync(next, { recursive: true, force: true });
    throw error;
  });
  if (output.trim()) process.stderr.write(output);
  recordSourceFingerprint({ ...paths, distDir: next }, fingerprint);
  const old = `${paths.distDir}.old-${process.pid}`;
  if (existsSync(paths.distDir)) renameSync(paths.distDir, old);
  renameSync(next, paths.distDir);
  rmSync(old, { recursive: true, force: true });
}

/**
 * Marks the bundle in `distDir` as built from the sources as they are now (or
 * as they were when `fingerprint` was taken, before a build that read them).
 */
export function recordSourceFingerprint(paths: AppBundlePaths, fingerprint: string = sourceFingerprint(paths)): void {
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
  const { root } = paths;
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

/** Roles of the workspace packages a web app can bundle (see `backstage.role` in their package.json). */
const BUNDLED_ROLES = new Set(['frontend-plugin', 'frontend-plugin-module', 'web-library', 'common-library']);

/**
 * The repository's own packages that can end up in the bundle: the app's
 * dependencies that are workspaces, and every workspace with a frontend role,
 * so a plugin the app imports counts before it is declared as a dependency.
 */
function workspaceDependencies(appDir: string, root: string): string[] {
  const app = readManifest(path.join(appDir, 'package.json'));
  const linked = Object.keys(app.dependencies ?? {}).flatMap(name => {
    const link = path.join(root, 'node_modules', name);
    if (!existsSync(link)) return [];
    const target = realpathSync(link);
    return target.split(path.sep).includes('node_modules') ? [] : [target];
  });
  const frontend = workspaceFolders(root).filter(dir => BUNDLED_ROLES.has(readManifest(path.join(dir, 'package.json')).backstage?.role ?? ''));
  return [...new Set([...linked, ...frontend])].filter(dir => dir !== appDir);
}

interface Manifest {
  dependencies?: Record<string, string>;
  workspaces?: string[];
  backstage?: { role?: string };
}

function readManifest(file: string): Manifest {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : {};
}

/** The root package.json's `workspaces`, a trailing `/*` expanded to the folders it names. */
function workspaceFolders(root: string): string[] {
  return (readManifest(path.join(root, 'package.json')).workspaces ?? []).flatMap(pattern => {
    if (!pattern.endsWith('/*')) return [path.join(root, pattern)];
    const parent = path.join(root, pattern.slice(0, -2));
    return existsSync(parent) ? readdirSync(parent, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => path.join(parent, e.name)) : [];
  }).filter(dir => existsSync(path.join(dir, 'package.json')));
}

function filesUnder(dir: string, skip: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    if (skip.includes(entry.name) || entry.name.startsWith('dist.')) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, skip);
    return entry.isFile() ? [full] : [];
  });
}
