import { loadConfigSchema } from '@backstage/config-loader';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const APP_DIR = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(APP_DIR, 'dist');
const APP_PACKAGE = 'ecs-catalog-sync-example-app';

/**
 * Lays the bundle out the way `@backstage/plugin-app-backend` serves it:
 * assets under `static/`, the page as `index.html.tmpl` (the app backend adds
 * a `<script type="backstage.io/config">` holding the frontend-visible config
 * to it on every start, which the app's config loader reads), and
 * `.config-schema.json`, which tells the app backend which keys are visible to
 * the frontend. Nothing of the config is baked into the bundle.
 */
function appBackendLayout(): Plugin {
  let outDir = DIST;
  return {
    name: 'backstage-app-backend-layout',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await rename(path.join(outDir, 'index.html'), path.join(outDir, 'index.html.tmpl'));
      // The schemas that the app's dependencies publish (config.schema.json, or config.d.ts compiled).
      const schema = await loadConfigSchema({ dependencies: [APP_PACKAGE] });
      await writeFile(path.join(outDir, '.config-schema.json'), JSON.stringify(schema.serialize()));
    },
  };
}

export default defineConfig({
  root: APP_DIR,
  base: '/',
  plugins: [appBackendLayout()],
  resolve: {
    alias: {
      // The catalog's CSV export imports csv-stringify's Node build, which needs Node's stream module
      // at load time and breaks the catalog page; the package ships a self-contained browser build.
      'csv-stringify/lib/sync': 'csv-stringify/lib/browser/sync.js',
    },
  },
  define: {
    // Backstage's config loader reads a build-time config from here first; the example app has none.
    'process.env.APP_CONFIG': 'undefined',
    // Some of Backstage's browser dependencies still reach the global object as Node's `global`, which webpack used to provide.
    global: 'globalThis',
  },
  build: {
    outDir: DIST,
    assetsDir: 'static',
    emptyOutDir: true,
    sourcemap: false,
    // One app, read once by a browser on the same machine: chunk size is not worth a warning.
    chunkSizeWarningLimit: 10_000,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Material UI and framer-motion mark modules 'use client' for React server components; a browser bundle has none.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
