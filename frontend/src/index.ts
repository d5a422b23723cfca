/**
 * The ECS catalog sync frontend plugin for apps of the legacy frontend
 * system. Apps of the new frontend system import `<this package>/alpha`.
 */
export { ecsCatalogSyncPlugin, EcsDriftPage, EntityEcsClaimsCard, EntityEcsClaimsWarning, EntityEcsOperationsCard } from './plugin';
export { ecsCatalogSyncApiRef } from './api/EcsCatalogSyncApi';
export type { EcsCatalogSyncApi } from './api/EcsCatalogSyncApi';
export { EcsCatalogSyncClient } from './api/EcsCatalogSyncClient';
export { hasEcsFindings, isEcsClaimingEntity } from './entityPredicates';
export { EcsDriftIcon } from './components/EcsDriftIcon';
export { rootRouteRef as ecsDriftRouteRef } from './routes';
export type * from './api/types';
