import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ecsCatalogSyncApiRef } from './api/EcsCatalogSyncApi';
import { EcsCatalogSyncClient } from './api/EcsCatalogSyncClient';
import { rootRouteRef } from './routes';

/** The plugin for apps of the legacy frontend system. */
export const ecsCatalogSyncPlugin = createPlugin({
  id: 'ecs-catalog-sync',
  apis: [
    createApiFactory({
      api: ecsCatalogSyncApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new EcsCatalogSyncClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The ECS drift page: mount it at `/ecs-drift`. */
export const EcsDriftPage = ecsCatalogSyncPlugin.provide(
  createRoutableExtension({
    name: 'EcsDriftPage',
    component: () => import('./components/DriftPage').then(m => m.DriftPage),
    mountPoint: rootRouteRef,
  }),
);

/** The entity's ECS claims (or an ECS service entity's facts): for the overview of entities that `isEcsClaimingEntity`. */
export const EntityEcsClaimsCard = ecsCatalogSyncPlugin.provide(
  createComponentExtension({
    name: 'EntityEcsClaimsCard',
    component: { lazy: () => import('./components/ClaimsCard').then(m => m.ClaimsCard) },
  }),
);

/** A warning at the top of the entity page when the latest scan found something wrong with the entity's claims. */
export const EntityEcsClaimsWarning = ecsCatalogSyncPlugin.provide(
  createComponentExtension({
    name: 'EntityEcsClaimsWarning',
    component: { lazy: () => import('./components/ClaimsWarning').then(m => m.ClaimsWarning) },
  }),
);

/**
 * Restart, scale and deploy the one ECS service the entity is or claims, with
 * pending approvals and the history: for the overview of entities that
 * `isEcsClaimingEntity`. Renders nothing where operations are off or the entity
 * claims several services.
 */
export const EntityEcsOperationsCard = ecsCatalogSyncPlugin.provide(
  createComponentExtension({
    name: 'EntityEcsOperationsCard',
    component: { lazy: () => import('./components/EcsOperationsCard').then(m => m.EcsOperationsCard) },
  }),
);
