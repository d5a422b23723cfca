import { createPermission } from '@backstage/plugin-permission-common';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import { createConditionExports } from '@backstage/plugin-permission-node';
import { isEcsServiceOwner } from './isEcsServiceOwner';

/**
 * Restarting an ECS service (a new deployment of the same task definition),
 * checked against the service's catalog entity. For plugins that offer the
 * action: `permissions.authorize([{ permission: ecsServiceRestartPermission,
 * resourceRef: stringifyEntityRef(entity) }], { credentials })`.
 */
export const ecsServiceRestartPermission = createPermission({
  name: 'ecs.service.restart',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Scaling an ECS service (a new desiredCount, within the provider's bounds), checked against its catalog entity. */
export const ecsServiceScalePermission = createPermission({
  name: 'ecs.service.scale',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Deploying another revision of the service's own task-definition family (a rollback or forward), checked against its catalog entity. */
export const ecsServiceDeployPermission = createPermission({
  name: 'ecs.service.deploy',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Approving or rejecting someone else's operation on an ECS service, checked
 * against the service's catalog entity. The backend never lets a requester
 * approve their own change, whatever the policy answers.
 */
export const ecsOperationApprovePermission = createPermission({
  name: 'ecs.operation.approve',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** The permission each operation is requested under. */
export const ecsOperationPermissions = {
  restart: ecsServiceRestartPermission,
  scale: ecsServiceScalePermission,
  deploy: ecsServiceDeployPermission,
} as const;

/** Every permission this package defines. */
export const ecsServicePermissions = [ecsServiceRestartPermission, ecsServiceScalePermission, ecsServiceDeployPermission, ecsOperationApprovePermission];

/**
 * For permission policies: `ecsServiceConditions.isEcsServiceOwner({ claims })`
 * and `createEcsServiceConditionalDecision(permission, condition)`.
 */
export const { conditions: ecsServiceConditions, createConditionalDecision: createEcsServiceConditionalDecision } = createConditionExports({
  resourceRef: catalogEntityPermissionResourceRef,
  rules: { isEcsServiceOwner },
});
