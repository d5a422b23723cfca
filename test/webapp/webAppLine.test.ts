import { ConfigReader } from '@backstage/config';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appBundlePaths, recordSourceFingerprint, type AppBundlePaths } from '../../dev/webapp/appBundle';
import { webAppLine } from '../../dev/webapp/webAppLine';

describe('webAppLine', () => {
  let root: string;
  let paths: AppBundlePaths;
  const guest = new ConfigReader({ app: { baseUrl: 'http://127.0.0.1:7007' }, auth: { providers: { guest: {} } } });

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'web-app-line-'));
    paths = appBundlePaths(root);
    mkdirSync(path.join(paths.appDir, 'src'), { recursive: true });
    writeFileSync(path.join(root, 'package-lock.json'), '{}');
    writeFileSync(path.join(paths.appDir, 'package.json'), '{}');
    writeFileSync(path.join(paths.appDir, 'src', 'App.tsx'), 'export {};');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function built(): void {
    mkdirSync(paths.distDir, { recursive: true });
    writeFileSync(path.join(paths.distDir, 'index.html.tmpl'), '<html></html>');
    recordSourceFingerprint(paths);
  }

  it('gives the address of a current bundle and how people are signed in', () => {
    built();
    expect(webAppLine(guest, paths)).toBe('Web app: http://127.0.0.1:7007/ (signed in as the guest user, a local-only setting)');
  });

  it('says how to build the bundle when there is none', () => {
    expect(webAppLine(guest, paths)).toMatch(/^Web app: not served, .*npm run build:app/);
  });

  it('says when the bundle is older than its sources', () => {
    built();
    writeFileSync(path.join(paths.appDir, 'src', 'App.tsx'), 'export const changed = 1;');
    expect(webAppLine(guest, paths)).toMatch(/^Web app: http:\/\/127\.0\.0\.1:7007\/ \(.*built before dev\/app last changed: npm run build:app, then restart\)$/);
  });

  it('warns that sign-in fails without the guest provider', () => {
    built();
    expect(webAppLine(new ConfigReader({ app: { baseUrl: 'http://127.0.0.1:7007/' } }), paths)).toBe(
      'Web app: http://127.0.0.1:7007/ (sign-in fails: the example app needs auth.providers.guest in the config)',
    );
  });
});
