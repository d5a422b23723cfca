import { coreServices, createBackendModule, type SchedulerService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials, type TestBackend } from '@backstage/backend-test-utils';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AuthorizeResult, isPermission, type PolicyDecision } from '@backstage/plugin-permission-common';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import type { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import type { JsonObject } from '@backstage/types';
import { parseFleet } from '../../dev/emulator';
import { createEcsServiceConditionalDecision, ecsServiceConditions, ecsServiceRestartPermission } from '../../src/permissions/ecsServicePermissions';
import { createIsEcsServiceOwnerRule, isEcsServiceOwner } from '../../src/permissions/isEcsServiceOwner';
import { eventually, fetchEntities, HAND_WRITTEN_LOCATION, handWrittenClaim, handWrittenEntities, handWrittenGroup, startCatalogBackend } from '../support/catalogBackend';
import { httpAuthKeepingActor, userInfoFrom } from '../support/permissionUsers';
import { useEmulator } from '../support/scanFixture';

const A = '111111111111';
const ARN = (name: string) => `arn:aws:ecs:eu-west-1:${A}:service/shop/${name}`;
const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTPERMISSION01', secretAccessKey: 'permission-secret', accountId: A }],
  accounts: [
    {
      id: A,
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [{ name: 'shop', services: [{ name: 'cart', tags: { owner: 'team-shop' } }, { name: 'worker' }, { name: 'search-ui', tags: { Owner: 'team-search' } }] }],
        },
      },
    },
  ],
});

const config: JsonObject = {
  permission: { enabled: true },
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: {
    providers: {
      awsEcs: {
        // No initial delay: the test backend's scheduler runs the scan once, at start-up.
        production: { accounts: [A], regions: ['eu-west-1'], rateLimit: { perSecond: 1000, burst: 1000 }, schedule: { frequency: { minutes: 10 }, timeout: { minutes: 5 } } },
      },
    },
  },
};

/** The untagged worker is claimed by team-shop's component, so its entity inherits that owner. */
const handWritten: Entity[] = [
  handWrittenGroup('team-shop'),
  handWrittenGroup('team-search'),
  handWrittenClaim('worker', 'team-shop', ARN('worker')),
  // A look-alike of team-search's service entity, registered by hand and naming team-shop as its owner.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'forged', title: 'forged', annotations: { ...HAND_WRITTEN_LOCATION, 'aws.amazon.com/amazon-ecs-service-arn': ARN('search-ui') } },
    spec: { type: 'ecs-service', owner: 'team-shop' },
  },
];

const OWNERSHIP: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/team-shop'],
  'user:default/bob': ['user:default/bob', 'group:default/team-search'],
  'user:default/carol': ['user:default/carol', 'group:default/team-shop'],
};

/** The example policy of the README: restarts only for owners; carol may read only the ECS services she owns. */
class RestartOnlyForOwners implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (isPermission(request.permission, ecsServiceRestartPermission)) {
      return createEcsServiceConditionalDecision(request.permission, ecsServiceConditions.isEcsServiceOwner({ claims: user?.info.ownershipEntityRefs ?? [] }));
    }
    if (request.permission.name === 'catalog.entity.read' && user?.info.userEntityRef === 'user:default/carol' && 'resourceType' in request.permission) {
      return createEcsServiceConditionalDecision(request.permission as typeof ecsServiceRestartPermission, ecsServiceConditions.isEcsServiceOwner({ claims: user.info.ownershipEntityRefs }));
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'restart-only-for-owners',
  register(env) {
    env.registerInit({ deps: { policy: policyExtensionPoint }, async init({ policy }) { policy.setPolicy(new RestartOnlyForOwners()); } });
  },
});

const userInfo = userInfoFrom(OWNERSHIP);

describe('isEcsServiceOwner', () => {
  const rule = createIsEcsServiceOwnerRule(['production']);
  const service = (owner: string, extra: Partial<Entity> = {}, location = 'aws-ecs:production'): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'x', annotations: { 'aws.amazon.com/amazon-ecs-service-arn': ARN('cart'), 'backstage.io/managed-by-location': location } },
    spec: { type: 'ecs-service', owner },
    ...extra,
  });

  it.each([
    ['its owner by spec.owner', service('group:default/team-shop'), ['group:default/team-shop'], true],
    ['a short owner reference', service('team-shop'), ['group:default/team-shop'], true],
    ['owners compared without case', service('group:default/Team-Shop'), ['group:default/TEAM-SHOP'], true],
    ['the ownedBy relation over spec.owner', service('group:default/team-x', { relations: [{ type: 'ownedBy', targetRef: 'group:default/team-shop' }] }), ['group:default/team-shop'], true],
    ['someone else', service('group:default/team-search'), ['user:default/alice', 'group:default/team-shop'], false],
    ['no claims at all', service('group:default/team-shop'), [], false],
    ['a component owned by the team', { ...service('group:default/team-shop'), kind: 'Component' }, ['group:default/team-shop'], false],
    ['a resource of another type', { ...service('group:default/team-shop'), spec: { type: 'database', owner: 'group:default/team-shop' } }, ['group:default/team-shop'], false],
    ['a look-alike registered by hand', service('group:default/team-shop', {}, 'file:/catalog/forged.yaml'), ['group:default/team-shop'], false],
    ['an entity of a provider not configured here', service('group:default/team-shop', {}, 'aws-ecs:elsewhere'), ['group:default/team-shop'], false],
  ])('judges %s', (_name, entity, claims, expected) => {
    expect(rule.apply(entity, { claims })).toBe(expected);
  });

  it('is a catalog-entity rule whose query the catalog can run, limited to the configured providers’ entities', () => {
    expect(rule.resourceType).toBe('catalog-entity');
    expect(createIsEcsServiceOwnerRule(['staging', 'production']).toQuery({ claims: ['group:default/team-shop'] })).toEqual({
      allOf: [
        { key: 'kind', values: ['resource'] },
        { key: 'spec.type', values: ['ecs-service'] },
        { key: 'metadata.annotations.aws.amazon.com/amazon-ecs-service-arn' },
        { key: 'metadata.annotations.backstage.io/managed-by-location', values: ['aws-ecs:production', 'aws-ecs:staging'] },
        { key: 'relations.ownedBy', values: ['group:default/team-shop'] },
      ],
    });
  });

  it('exports a definition for conditions that matches nothing by itself', () => {
    expect(isEcsServiceOwner.name).toBe(rule.name);
    expect(isEcsServiceOwner.apply(service('group:default/team-shop'), { claims: ['group:default/team-shop'] })).toBe(false);
  });
});

describe('isEcsServiceOwner in the real permission framework', () => {
  useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: TestBackend;
  let refs: Record<string, string>;
  let scheduler: SchedulerService;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    backend = await startCatalogBackend({
      knex,
      config,
      features: [
        import('../../src'),
        createBackendModule({
          pluginId: 'catalog',
          moduleId: 'hand-written',
          register(env) {
            env.registerInit({
              deps: { processing: catalogProcessingExtensionPoint, scheduler: coreServices.scheduler },
              async init({ processing, scheduler: catalogScheduler }) {
                processing.addEntityProvider(handWrittenEntities(handWritten));
                scheduler = catalogScheduler;
              },
            });
          },
        }),
        import('@backstage/plugin-permission-backend'),
        policyModule,
        userInfo,
        httpAuthKeepingActor,
      ],
    });
    // The scan at start-up may run before the hand-written claim is in the catalog; scan again once it is.
    await eventually(() => fetchEntities(backend, 'kind=component'), found => found.length === 1, 'the claiming component');
    const tasks = await scheduler.getScheduledTasks();
    for (const task of tasks.filter(t => t.id.startsWith('AwsEcsEntityProvider:'))) await scheduler.triggerTask(task.id);
    const resources = await eventually(
      () => fetchEntities(backend, 'spec.type=ecs-service'),
      found => found.length === 4 && found.some(e => e.metadata.title === 'worker' && e.spec?.owner === 'group:default/team-shop'),
      'the three ECS service entities (and the forged one), the worker with its inherited owner',
    );
    refs = Object.fromEntries(resources.map(e => [e.metadata.title!, stringifyEntityRef(e)]));
  });
  afterAll(async () => {
    await backend?.stop();
  });

  async function authorize(user: string, resourceRefs: string[]): Promise<string[]> {
    const response = await fetch(`http://127.0.0.1:${backend.server.port()}/api/permission/authorize`, {
      method: 'POST',
      headers: { Authorization: mockCredentials.user.header(user), 'Content-Type': 'application/json' },
      body: JSON.stringify({ items: resourceRefs.map((resourceRef, i) => ({ id: String(i), permission: ecsServiceRestartPermission, resourceRef })) }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Array<{ id: string; result: AuthorizeResult }> };
    return body.items.sort((a, b) => Number(a.id) - Number(b.id)).map(i => i.result);
  }

  it('allows a restart only to the owners of the service, owner inherited from a claim included, and never through a look-alike entity', async () => {
    const all = [refs.cart, refs.worker, refs['search-ui'], 'component:default/worker', refs.forged];
    const { ALLOW, DENY } = AuthorizeResult;
    expect(await authorize('user:default/alice', all)).toEqual([ALLOW, ALLOW, DENY, DENY, DENY]);
    expect(await authorize('user:default/bob', all)).toEqual([DENY, DENY, ALLOW, DENY, DENY]);
    expect(await authorize('user:default/mallory', all)).toEqual([DENY, DENY, DENY, DENY, DENY]);
  });

  it('filters catalog queries through the rule when a policy makes reading conditional', async () => {
    const response = await fetch(`http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-query?limit=100`, {
      headers: { Authorization: mockCredentials.user.header('user:default/carol') },
    });
    const { items } = (await response.json()) as { items: Entity[] };
    expect(items.map(e => e.metadata.title).sort()).toEqual(['cart', 'worker']);
  });

  it('is listed in the catalog’s permission metadata for policy authors', async () => {
    const response = await fetch(`http://127.0.0.1:${backend.server.port()}/api/catalog/.well-known/backstage/permissions/metadata`, {
      headers: { Authorization: mockCredentials.service.header() },
    });
    const metadata = (await response.json()) as { rules: Array<{ name: string; resourceType: string }>; permissions: Array<{ name: string }> };
    expect(metadata.rules).toContainEqual(expect.objectContaining({ name: 'IS_ECS_SERVICE_OWNER', resourceType: 'catalog-entity' }));
    expect(metadata.permissions.map(p => p.name)).toContain('ecs.service.restart');
  });
});
