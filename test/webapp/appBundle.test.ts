import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appBundlePaths, appBundleState, recordSourceFingerprint, type AppBundlePaths } from '../../dev/webapp/appBundle';

/**
 * When `npm start` rebuilds the example web app: only when the bundle is
 * missing or was built from other sources than the ones on disk now.
 */
describe('the example web app bundle state', () => {
  let root: string;
  let paths: AppBundlePaths;
  const write = (relative: string, text: string) => {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'app-bundle-'));
    paths = appBundlePaths(root);
    write('package-lock.json', '{"lockfileVersion": 3}');
    write('package.json', JSON.stringify({ workspaces: ['dev', 'dev/app', 'plugins/*', 'frontend'] }));
    write('dev/package.json', JSON.stringify({ backstage: { role: 'cli' } }));
    // A frontend plugin in the repository that the app does not declare (yet).
    write('plugins/drift-card/package.json', JSON.stringify({ backstage: { role: 'frontend-plugin' } }));
    write('plugins/drift-card/src/card.tsx', 'export const card = 1;');
    write('plugins/backend-thing/package.json', JSON.stringify({ backstage: { role: 'backend-plugin' } }));
    write('dev/app/package.json', JSON.stringify({ dependencies: { 'ecs-frontend': '0.0.0', react: '^18.3.1' } }));
    write('dev/app/src/App.tsx', 'export const features = [];');
    // A workspace the app depends on (linked into node_modules), and an installed package.
    write('frontend/src/plugin.tsx', 'export const plugin = 1;');
    write('node_modules/react/index.js', 'module.exports = {};');
    symlinkSync(path.join(root, 'frontend'), path.join(root, 'node_modules', 'ecs-frontend'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function built(): void {
    write('dev/app/dist/index.html.tmpl', '<html></html>');
    recordSourceFingerprint(paths);
  }

  it('is missing until a bundle was built and recorded', () => {
    expect(appBundleState(paths)).toBe('missing');
    write('dev/app/dist/index.html.tmpl', '<html></html>');
    expect(appBundleState(paths)).toBe('missing');
    recordSourceFingerprint(paths);
    expect(appBundleState(paths)).toBe('current');
  });

  it.each([
    ['a source file of the app', 'dev/app/src/App.tsx'],
    ['a new file in the app', 'dev/app/src/extra.tsx'],
    ['the lockfile', 'package-lock.json'],
    ['a file of a workspace package the app depends on', 'frontend/src/plugin.tsx'],
    ['a file of a frontend plugin in the repository', 'plugins/drift-card/src/card.tsx'],
  ])('is stale once %s changes', (_what, file) => {
    built();
    write(file, 'changed');
    expect(appBundleState(paths)).toBe('stale');
  });

  it.each([
    ['the bundle itself', 'dev/app/dist/static/index.js'],
    ['an installed package (the lockfile speaks for it)', 'node_modules/react/index.js'],
    ['a file outside the app and its workspaces', 'src/index.ts'],
    ['the tooling workspace around the app', 'dev/demo/backend.ts'],
    ['a backend workspace', 'plugins/backend-thing/src/index.ts'],
  ])('stays current when %s changes', (_what, file) => {
    built();
    write(file, 'changed');
    expect(appBundleState(paths)).toBe('current');
  });
});
