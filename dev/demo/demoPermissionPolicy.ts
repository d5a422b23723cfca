import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthorizeResult, isResourcePermission, type PolicyDecision } from '@backstage/plugin-permission-common';
import type { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { createEcsServiceConditionalDecision, ecsServiceConditions, ecsServicePermissions } from '../../src/permissions/ecsServicePermissions';

/** The ECS operations, and approving them, which the policy gives to the owners of a service only. */
export const OWNER_ONLY_PERMISSIONS: ReadonlySet<string> = new Set(ecsServicePermissions.map(p => p.name));

/**
 * The example backend's permission policy: everything is allowed, except the
 * ECS operations, which only the owners of the service may perform (the
 * catalog evaluates the condition against the service's entity). A request
 * without a signed-in user gets no ECS operation at all.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const { permission } = request;
    if (!OWNER_ONLY_PERMISSIONS.has(permission.name)) return { result: AuthorizeResult.ALLOW };
    if (!user || !isResourcePermission(permission, 'catalog-entity')) return { result: AuthorizeResult.DENY };
    return createEcsServiceConditionalDecision(permission, ecsServiceConditions.isEcsServiceOwner({ claims: user.info.ownershipEntityRefs }));
  }
}

/** Installs `DemoPermissionPolicy` in the permission backend. */
export const demoPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});

export default demoPermissionPolicyModule;
