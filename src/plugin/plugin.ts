import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { driftReportRegistryRef } from '../report/driftReportRegistry';
import { createDriftRouter } from './router';

/**
 * Serves the drift reports that the ECS catalog module publishes, under
 * `/api/ecs-catalog-sync`: `GET /providers`, `GET /drift` (JSON, Markdown or
 * HTML) and `GET /drift/page` (the HTML page).
 *
 * Every route keeps Backstage's default auth policy: a request needs user or
 * service credentials (`Authorization: Bearer ...`). A deployment that wants
 * to open a route wider does so in its own backend, for example with a module
 * of this plugin that calls
 *
 * ```ts
 * httpRouter.addAuthPolicy({ path: '/drift/page', allow: 'user-cookie' });   // signed-in browsers
 * httpRouter.addAuthPolicy({ path: '/drift', allow: 'unauthenticated' });    // anyone who can reach the backend
 * ```
 *
 * This plugin never relaxes the policy itself.
 */
export const ecsCatalogSyncPlugin = createBackendPlugin({
  pluginId: 'ecs-catalog-sync',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        registry: driftReportRegistryRef,
      },
      async init({ httpRouter, logger, registry }) {
        httpRouter.use(createDriftRouter({ registry, logger }));
      },
    });
  },
});
