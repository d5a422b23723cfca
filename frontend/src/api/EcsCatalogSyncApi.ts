import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DriftReport, EntityEcsView, Operation, OperationCapabilities, OperationRequest } from './types';

/** The drift plugin's routes (`/api/ecs-catalog-sync`), as the signed-in user. */
export interface EcsCatalogSyncApi {
  /** One entity's claims (or, for an ECS service entity, its facts) as the latest report judged them. */
  getEntityView(entity: CompoundEntityRef, options?: { provider?: string }): Promise<EntityEcsView>;
  /** The provider's latest drift report, every owner's findings. */
  getDriftReport(options?: { provider?: string }): Promise<DriftReport>;
  /** The provider ids that publish reports. */
  getProviders(): Promise<string[]>;
  /** What the user may do to the one ECS service the entity is or claims; a 404 when there is not exactly one. */
  getOperationCapabilities(entityRef: string): Promise<OperationCapabilities>;
  /** The operations of the one ECS service the entity is or claims, newest first. */
  listOperations(entityRef: string): Promise<Operation[]>;
  getOperation(id: string): Promise<Operation>;
  /** Asks for an operation; it waits for approvals (`pending`) or runs at once. */
  requestOperation(request: OperationRequest): Promise<Operation>;
  approveOperation(id: string, options?: { comment?: string }): Promise<Operation>;
  rejectOperation(id: string, options: { comment: string }): Promise<Operation>;
}

export const ecsCatalogSyncApiRef = createApiRef<EcsCatalogSyncApi>({ id: 'plugin.ecs-catalog-sync.service' });
