import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { DemoPermissionPolicy, OWNER_ONLY_PERMISSIONS } from '../../dev/demo/demoPermissionPolicy';
import { ecsServiceRestartPermission } from '../../src/permissions/ecsServicePermissions';

function userOf(name: string, ownershipEntityRefs: string[]): PolicyQueryUser {
  const userEntityRef = `user:default/${name}`;
  return { credentials: mockCredentials.user(userEntityRef), info: { userEntityRef, ownershipEntityRefs } };
}

const catalogEntityPermission = (name: string) => createPermission({ name, attributes: { action: 'update' }, resourceType: 'catalog-entity' });

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();
  const alice = userOf('alice', ['user:default/alice', 'group:default/team-payments']);

  it.each([...OWNER_ONLY_PERMISSIONS])("answers %s with the condition that the user's groups own the ECS service", async name => {
    const decision = await policy.handle({ permission: catalogEntityPermission(name) }, alice);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ECS_SERVICE_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/alice', 'group:default/team-payments'] },
      },
    });
  });

  it("covers the package's own restart permission", async () => {
    expect(OWNER_ONLY_PERMISSIONS.has(ecsServiceRestartPermission.name)).toBe(true);
    expect((await policy.handle({ permission: ecsServiceRestartPermission }, alice)).result).toBe(AuthorizeResult.CONDITIONAL);
  });

  it('allows every other permission, with or without a user', async () => {
    const read = createPermission({ name: 'catalog.entity.read', attributes: { action: 'read' }, resourceType: 'catalog-entity' });
    const create = createPermission({ name: 'catalog.entity.create', attributes: { action: 'create' } });
    for (const permission of [read, create]) {
      expect(await policy.handle({ permission }, alice)).toEqual({ result: AuthorizeResult.ALLOW });
      expect(await policy.handle({ permission })).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('denies an ECS operation without a signed-in user', async () => {
    expect(await policy.handle({ permission: ecsServiceRestartPermission })).toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies an ECS operation name that is not a catalog entity permission', async () => {
    const basic = createPermission({ name: 'ecs.service.restart', attributes: { action: 'update' } });
    const otherResource = createPermission({ name: 'ecs.service.scale', attributes: { action: 'update' }, resourceType: 'scaffolder-template' });
    expect(await policy.handle({ permission: basic }, alice)).toEqual({ result: AuthorizeResult.DENY });
    expect(await policy.handle({ permission: otherResource }, alice)).toEqual({ result: AuthorizeResult.DENY });
  });
});
