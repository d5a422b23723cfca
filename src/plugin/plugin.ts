import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { driftReportRegistryRef } from './driftReportRegistry';
import { createEntityClaimsRouter } from './entityClaimsRouter';
import { createIamPolicyRouter } from './iamPolicyRouter';
import { createDriftRouter } from './router';

/**
 * Serves the drift reports that the ECS catalog module publishes, under
 * `/api/ecs-catalog-sync`: `GET /providers`, `GET /drift` (JSON, Markdown or
 * HTML), `GET /drift/page` (the HTML page), `GET /iam-policy` (a team's
 * least-privilege IAM policies) and `GET /entity/:namespace/:kind/:name/claims`
 * (one entity's claims as the latest report judged them, for the entity page).
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
        catalog: catalogServiceRef,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, logger, registry, catalog, httpAuth }) {
        httpRouter.use(createDriftRouter({ registry, logger }));
        httpRouter.use(createIamPolicyRouter({ registry, catalog, httpAuth, logger }));
        httpRouter.use(createEntityClaimsRouter({ registry, catalog, httpAuth, logger }));
      },
    });
  },
});
