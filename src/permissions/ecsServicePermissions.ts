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

/** Every permission this package defines. */
export const ecsServicePermissions = [ecsServiceRestartPermission];

/**
 * For permission policies: `ecsServiceConditions.isEcsServiceOwner({ claims })`
 * and `createEcsServiceConditionalDecision(permission, condition)`.
 */
export const { conditions: ecsServiceConditions, createConditionalDecision: createEcsServiceConditionalDecision } = createConditionExports({
  resourceRef: catalogEntityPermissionResourceRef,
  rules: { isEcsServiceOwner },
});
