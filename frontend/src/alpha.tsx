import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  type OverridableFrontendPlugin,
  PageBlueprint,
  type RouteRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ecsCatalogSyncApiRef } from './api/EcsCatalogSyncApi';
import { EcsCatalogSyncClient } from './api/EcsCatalogSyncClient';
import { EcsDriftIcon } from './components/EcsDriftIcon';
import { isEcsClaimingEntity } from './entityPredicates';

/** The ECS drift page, in apps of the new frontend system. */
export const ecsDriftRouteRef = createRouteRef();

const ecsCatalogSyncApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: ecsCatalogSyncApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new EcsCatalogSyncClient({ discoveryApi, fetchApi }),
    }),
});

/** `page:ecs-catalog-sync`: the report at `/ecs-drift`; its title and icon make the sidebar item. */
const ecsDriftPage = PageBlueprint.make({
  params: {
    path: '/ecs-drift',
    routeRef: ecsDriftRouteRef,
    title: 'ECS drift',
    icon: <EcsDriftIcon />,
    noHeader: true,
    loader: () => import('./components/DriftPage').then(m => <m.DriftPage />),
  },
});

/** `entity-card:ecs-catalog-sync/claims`: the claims card on every entity that claims ECS services, and on ECS service entities. */
const ecsClaimsCard = EntityCardBlueprint.make({
  name: 'claims',
  params: {
    filter: isEcsClaimingEntity,
    type: 'content',
    loader: () => import('./components/ClaimsCard').then(m => <m.ClaimsCard />),
  },
});

/** `entity-card:ecs-catalog-sync/claims-warning`: the warning, empty when all is well; order it first in `app.extensions` to have it on top. */
const ecsClaimsWarningCard = EntityCardBlueprint.make({
  name: 'claims-warning',
  params: {
    filter: isEcsClaimingEntity,
    type: 'content',
    loader: () => import('./components/ClaimsWarning').then(m => <m.ClaimsWarning />),
  },
});

/** `entity-card:ecs-catalog-sync/operations`: restart, scale and deploy the one service the entity is or claims; empty where there is none or operations are off. */
const ecsOperationsCard = EntityCardBlueprint.make({
  name: 'operations',
  params: {
    filter: isEcsClaimingEntity,
    type: 'content',
    loader: () => import('./components/EcsOperationsCard').then(m => <m.EcsOperationsCard />),
  },
});

/** `entity-content:ecs-catalog-sync/ecs`: an "ECS" tab with the warning, the claims and the operations. */
const ecsEntityContent = EntityContentBlueprint.make({
  name: 'ecs',
  params: {
    path: 'ecs',
    title: 'ECS',
    filter: isEcsClaimingEntity,
    loader: () =>
      Promise.all([import('./components/ClaimsWarning'), import('./components/ClaimsCard'), import('./components/EcsOperationsCard')]).then(
        ([{ ClaimsWarning }, { ClaimsCard }, { EcsOperationsCard }]) => (
          <>
            <ClaimsWarning />
            <ClaimsCard />
            <EcsOperationsCard />
          </>
        ),
      ),
  },
});

/** The plugin for apps of the new frontend system: `features: [ecsCatalogSyncPlugin]`, or discovered from the package. */
// Annotated: the inferred extension map names a nested copy of @backstage/filter-predicates that declarations cannot reference.
const ecsCatalogSyncPlugin: OverridableFrontendPlugin<{ root: RouteRef<undefined> }> = createFrontendPlugin({
  pluginId: 'ecs-catalog-sync',
  title: 'ECS drift',
  icon: <EcsDriftIcon />,
  routes: { root: ecsDriftRouteRef },
  extensions: [ecsCatalogSyncApi, ecsDriftPage, ecsClaimsWarningCard, ecsClaimsCard, ecsOperationsCard, ecsEntityContent],
});

export default ecsCatalogSyncPlugin;
export { ecsCatalogSyncPlugin };
