import { appBundlePaths, appBundleState, type AppBundlePaths } from './appBundle';

/** The line the demo and the example backend print about the web app they serve at `appBaseUrl`. */
export function webAppLine(appBaseUrl: string, paths: AppBundlePaths = appBundlePaths()): string {
  switch (appBundleState(paths)) {
    case 'missing':
      return 'Web app: not served, dev/app has no bundle yet (npm run build:app builds it; npm start does it first)';
    case 'stale':
      return `Web app: ${appBaseUrl}/ (built before dev/app last changed: npm run build:app, then restart)`;
    case 'current':
      return `Web app: ${appBaseUrl}/ (signed in as the guest user, a local-only setting)`;
  }
}
