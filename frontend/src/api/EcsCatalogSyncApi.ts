import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DriftReport, EntityEcsView } from './types';

/** The drift plugin's routes (`/api/ecs-catalog-sync`), as the signed-in user. */
export interface EcsCatalogSyncApi {
  /** One entity's claims (or, for an ECS service entity, its facts) as the latest report judged them. */
  getEntityView(entity: CompoundEntityRef, options?: { provider?: string }): Promise<EntityEcsView>;
  /** The provider's latest drift report, every owner's findings. */
  getDriftReport(options?: { provider?: string }): Promise<DriftReport>;
  /** The provider ids that publish reports. */
  getProviders(): Promise<string[]>;
}

export const ecsCatalogSyncApiRef = createApiRef<EcsCatalogSyncApi>({ id: 'plugin.ecs-catalog-sync.service' });
