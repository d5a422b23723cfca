import type { Config } from '@backstage/config';
import { appBundlePaths, appBundleState, type AppBundlePaths } from './appBundle';

/** The line the demo and the example backend print about the web app they serve. */
export function webAppLine(config: Config, paths: AppBundlePaths = appBundlePaths()): string {
  const url = `${config.getString('app.baseUrl').replace(/\/+$/, '')}/`;
  // The example app signs in through the guest provider and nothing else.
  const signIn = config.has('auth.providers.guest')
    ? 'signed in as the guest user, a local-only setting'
    : 'sign-in fails: the example app needs auth.providers.guest in the config';
  switch (appBundleState(paths)) {
    case 'missing':
      return 'Web app: not served, dev/app has no bundle yet (npm run build:app builds it; npm start does it first)';
    case 'stale':
      return `Web app: ${url} (${signIn}; built before dev/app last changed: npm run build:app, then restart)`;
    case 'current':
      return `Web app: ${url} (${signIn})`;
  }
}
