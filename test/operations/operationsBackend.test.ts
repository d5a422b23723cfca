import { type BackendFeature, coreServices, createBackendModule, type SchedulerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { mockCredentials, TestDatabases, type TestBackend } from '@backstage/backend-test-utils';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import type { JsonObject } from '@backstage/types';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { parseFleet } from '../../dev/emulator';
import { fromEnv } from '@aws-sdk/credential-providers';
import type { RoleSpec } from '../../dev/emulator/fleet';
import { operateRoleTrust } from '../../src/access/operateRoleTrust';
import { buildTeamPolicies } from '../../src/access/teamPolicies';
import type { OwnedService } from '../../src/access/ownedServices';
import type { Operation, OperationCapabilities } from '../../src/gate/operationView';
import { EcsOperator, OperatorError } from '../../src/operations/ecsOperator';
import { eventually, fetchEntities, handWrittenClaim, handWrittenEntities, handWrittenGroup, handWrittenUser, startCatalogBackend } from '../support/catalogBackend';
import { notificationsOf, startBackendWithDatabases } from '../support/notificationsBackend';
import { POSTGRES, usePostgresDatabase } from '../support/postgresDatabase';
import { demoPermissionPolicyModule } from '../../dev/demo/demoPermissionPolicy';
import { httpAuthKeepingActor, userInfoFrom } from '../support/permissionUsers';
import { useEmulator } from '../support/scanFixture';

const A = '111111111111';
const B = '222222222222';
const ARN = (account: string, name: string) => `arn:aws:ecs:eu-west-1:${account}:service/shop/${name}`;

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTOPERATIONS01', secretAccessKey: 'operations-secret', accountId: A, arn: `arn:aws:iam::${A}:role/backstage` }],
  accounts: [
    {
      id: A,
      roles: [{ name: 'reader' }, { name: 'ecs-operate-team-shop' }, { name: 'ecs-operate-team-search' }],
      regions: {
        'eu-west-1': {
          clusters: [
            {
              name: 'shop',
              services: [
                { name: 'cart', tags: { owner: 'team-shop' }, taskDefinition: 'cart:3', desiredCount: 2 },
                { name: 'cart-preview', tags: { owner: 'team-shop', environment: 'staging' }, taskDefinition: 'cart:3' },
                { name: 'worker', tags: { owner: 'team-shop' } },
                { name: 'search-ui', tags: { owner: 'team-search' } },
              ],
            },
          ],
        },
      },
    },
    {
      id: B,
      roles: [{ name: 'reader' }, { name: 'ecs-operate-team-shop' }],
      regions: { 'eu-west-1': { clusters: [{ name: 'shop', services: [{ name: 'batch', tags: { owner: 'team-shop' } }] }] } },
    },
  ],
});

const operations = {
  roleArn: 'arn:aws:iam::{accountId}:role/ecs-operate-{team}',
  gates: [
    { lifecycle: 'production', approvals: 1 },
    { lifecycle: 'staging', approvals: 0 },
  ],
  scale: { min: 1, max: 6 },
};
const schedule = { frequency: { minutes: 10 }, timeout: { minutes: 5 } };
const config: JsonObject = {
  app: { baseUrl: 'http://127.0.0.1:3000' },
  permission: { enabled: true },
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: {
    providers: {
      awsEcs: {
        production: { accounts: [A], regions: ['eu-west-1'], rateLimit: { perSecond: 1000, burst: 1000 }, schedule, operations },
        // Requests here expire before anyone can approve them.
        sandbox: { accounts: [B], regions: ['eu-west-1'], rateLimit: { perSecond: 1000, burst: 1000 }, schedule, operations: { ...operations, expireAfter: { seconds: 1 } } },
      },
    },
  },
};

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const DAVE = 'user:default/dave';
const OWNERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-shop'],
  [DAVE]: [DAVE, 'group:default/team-shop'],
  [BOB]: [BOB, 'group:default/team-search'],
  [CAROL]: [CAROL, 'group:default/team-shop'],
};

/** What the scan will find each team owning: the operate policies are written for exactly these. */
const OWNED: OwnedService[] = [
  ...(['cart', 'cart-preview'] as const).map(name => ({ arn: ARN(A, name), accountId: A, taskDefinitionFamily: 'cart', owner: 'group:default/team-shop' })),
  { arn: ARN(A, 'worker'), accountId: A, taskDefinitionFamily: 'worker', owner: 'group:default/team-shop' },
  { arn: ARN(A, 'search-ui'), accountId: A, taskDefinitionFamily: 'search-ui', owner: 'group:default/team-search' },
  { arn: ARN(B, 'batch'), accountId: B, taskDefinitionFamily: 'batch', owner: 'group:default/team-shop' },
].map(s => ({ ...s, region: 'eu-west-1', clusterArn: `arn:aws:ecs:eu-west-1:${s.accountId}:cluster/shop` }));

/** A team's operate role in an account: the operate profile's documents, trusting Backstage's principal only. */
function operateRole(team: string, account: string): RoleSpec {
  const ref = `group:default/${team}`;
  const { policies } = buildTeamPolicies({ services: OWNED, team: ref, profile: 'operate', accountId: account });
  return { name: `ecs-operate-${team}`, trustPolicy: operateRoleTrust(ref, `arn:aws:iam::${A}:role/backstage`) as RoleSpec['trustPolicy'], policies: policies.map(p => p.document) as RoleSpec['policies'] };
}

/** The catalog with the ECS module, the drift plugin and the permission backend with the owners-only policy. */
async function startOperationsBackend(knex: Knex, notifications?: Knex): Promise<{ backend: TestBackend; refs: Record<string, string> }> {
  let scheduler: SchedulerService | undefined;
  const start = (features: Array<BackendFeature | Promise<{ default: BackendFeature }>>) =>
    notifications
      ? startBackendWithDatabases({ databases: { catalog: knex, 'ecs-catalog-sync': knex, notifications }, config, features: [...features, import('@backstage/plugin-notifications-backend')] })
      : startCatalogBackend({ knex, config, features });
  const backend = await start([
      import('../../src'),
      import('../../src/plugin'),
      createBackendModule({
        pluginId: 'catalog',
        moduleId: 'hand-written',
        register(env) {
          env.registerInit({
            deps: { processing: catalogProcessingExtensionPoint, scheduler: coreServices.scheduler },
            async init({ processing, scheduler: catalogScheduler }) {
              processing.addEntityProvider(
                handWrittenEntities([
                  handWrittenGroup('team-shop'),
                  handWrittenGroup('team-search'),
                  handWrittenClaim('worker', 'team-shop', ARN(A, 'worker')),
                  ...Object.entries(OWNERSHIP).map(([user, refs]) => handWrittenUser(user.slice('user:default/'.length), refs.filter(r => r.startsWith('group:')))),
                ]),
              );
              scheduler = catalogScheduler;
            },
          });
        },
      }),
      import('@backstage/plugin-permission-backend'),
      // The example backend's policy, the one docs/operations.md shows: ECS operations and approvals for owners only.
      demoPermissionPolicyModule,
      userInfoFrom(OWNERSHIP),
      httpAuthKeepingActor,
  ]);
  await eventually(() => fetchEntities(backend, 'kind=component'), found => found.length === 1, 'the claiming component');
  for (const task of (await scheduler!.getScheduledTasks()).filter(t => t.id.startsWith('AwsEcsEntityProvider:'))) await scheduler!.triggerTask(task.id);
  const services = await eventually(
    () => fetchEntities(backend, 'spec.type=ecs-service'),
    found => found.length === 5 && found.some(e => e.metadata.title === 'worker' && (e.spec?.dependencyOf as string[] | undefined)?.includes('component:default/worker')),
    'the five ECS service entities, the worker claimed',
  );
  return { backend, refs: Object.fromEntries(services.map((e: Entity) => [e.metadata.title!, stringifyEntityRef(e)])) };
}

async function callBackend(backend: TestBackend, user: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`http://127.0.0.1:${backend.server.port()}/api/ecs-catalog-sync${path}`, {
    method,
    headers: { Authorization: mockCredentials.user.header(user), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function describeService(account: string, name: string) {
  const ecs = new ECSClient({ region: 'eu-west-1' });
  try {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: `arn:aws:ecs:eu-west-1:${account}:cluster/shop`, services: [name] }));
    return out.services![0];
  } finally {
    ecs.destroy();
  }
}

describe('ECS operations through the backend, the permission framework and the emulator', () => {
  const emulator = useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: TestBackend;
  let refs: Record<string, string>;

  beforeAll(async () => {
    // The roles as an administrator would create them from `iam-policy --profile operate --role-trust`.
    for (const [team, account] of [['team-shop', A], ['team-search', A], ['team-shop', B]] as const) emulator().putRole(account, operateRole(team, account));
    ({ backend, refs } = await startOperationsBackend(await databases.init('SQLITE_3'), await databases.init('SQLITE_3')));
    emulator().clearCallLog();
  });
  afterAll(async () => {
    await backend?.stop();
  });

  const call = (user: string, method: 'GET' | 'POST', path: string, body?: unknown) => callBackend(backend, user, method, path, body);

  it('lets an owner ask, refuses others and the requester’s own approval, and runs the change once another owner approves', async () => {
    const caps = await call(ALICE, 'GET', `/operations/capabilities?entityRef=${encodeURIComponent(refs.cart)}`);
    expect(caps.status).toBe(200);
    expect(caps.json as OperationCapabilities).toMatchObject({ enabled: true, canApprove: true, scale: { min: 1, max: 6 }, taskDefinitionFamily: 'cart' });
    expect((caps.json as OperationCapabilities).actions.map(a => [a.action, a.allowed, a.approvalsRequired])).toEqual([
      ['restart', true, 1],
      ['scale', true, 1],
      ['deploy', true, 1],
    ]);
    const bobCaps = (await call(BOB, 'GET', `/operations/capabilities?entityRef=${encodeURIComponent(refs.cart)}`)).json as OperationCapabilities;
    expect(bobCaps.canApprove).toBe(false);
    expect(bobCaps.actions.every(a => !a.allowed && a.reason?.includes('ecs.service.'))).toBe(true);

    const refused = await call(BOB, 'POST', '/operations', { entityRef: refs.cart, action: 'restart', reason: 'not mine' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('ecs.service.restart');

    const before = await describeService(A, 'cart');
    const asked = await call(ALICE, 'POST', '/operations', { entityRef: refs.cart, action: 'restart', reason: 'tasks stuck on an old secret' });
    expect(asked.status).toBe(201);
    const op = asked.json as Operation;
    expect(op).toMatchObject({ status: 'pending', requestedBy: ALICE, approvalsRequired: 1, roleArn: `arn:aws:iam::${A}:role/ecs-operate-team-shop`, sourceIdentity: 'alice@default' });
    expect(op.before?.deploymentId).toBe(before.deployments?.find(d => d.status === 'PRIMARY')?.id);

    expect((await call(ALICE, 'POST', `/operations/${op.id}/approve`, {})).status).toBe(403);
    const notOwner = await call(BOB, 'POST', `/operations/${op.id}/approve`, {});
    expect(notOwner.status).toBe(403);
    expect(notOwner.json.error.message).toContain('ecs.operation.approve');

    const approved = await call(CAROL, 'POST', `/operations/${op.id}/approve`, { comment: 'go' });
    expect(approved.status).toBe(200);
    const done = approved.json as Operation;
    expect(done).toMatchObject({ status: 'succeeded', approvedBy: [CAROL] });
    const after = await describeService(A, 'cart');
    const primary = after.deployments?.find(d => d.status === 'PRIMARY');
    expect(primary?.id).toBe(done.after?.deploymentId);
    expect(primary?.id).not.toBe(op.before?.deploymentId);
    expect(done.awsRequestId).toMatch(/\S/);
    // AWS saw the change made by team-shop's role in alice's name, tagged with the team, the user and the operation.
    const [update] = emulator().callLog({ eventName: 'UpdateService' });
    expect(update).toMatchObject({
      requestID: done.awsRequestId,
      recipientAccountId: A,
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${A}:assumed-role/ecs-operate-team-shop/alice@default`,
        sessionContext: { sourceIdentity: 'alice@default', principalTags: { 'backstage-team': 'team-shop', 'backstage-user': ALICE, 'backstage-operation': op.id } },
      },
      requestParameters: expect.objectContaining({ forceNewDeployment: true }),
    });
    expect(update.errorCode).toBeUndefined();
    const assumes = emulator().callLog({ eventName: 'AssumeRole' });
    expect(assumes.map(a => [a.userIdentity.arn, a.requestParameters?.roleArn, a.requestParameters?.sourceIdentity, a.requestParameters?.durationSeconds])).toEqual([
      [`arn:aws:iam::${A}:role/backstage`, `arn:aws:iam::${A}:role/ecs-operate-team-shop`, 'alice@default', 900],
      [`arn:aws:iam::${A}:role/backstage`, `arn:aws:iam::${A}:role/ecs-operate-team-shop`, 'alice@default', 900],
    ]);
    // Nothing the emulator recorded holds a secret it issued.
    const log = JSON.stringify(emulator().callLog());
    for (const secret of emulator().issuedSecrets().filter((s: string) => !s.startsWith('ASIA'))) expect(log).not.toContain(secret);
    expect(done.events.map(e => [e.kind, e.actor])).toEqual([
      ['requested', ALICE],
      ['approved', CAROL],
      ['started', null],
      ['succeeded', null],
    ]);

    // The other owners were asked through the notifications plugin, the requester told of the outcome; nobody else heard of it.
    const titles = async (user: string) => (await notificationsOf(backend, user)).map(n => n.payload.title);
    expect(await titles(CAROL)).toContain('Approval needed: restart of cart');
    expect(await titles(ALICE)).toEqual(['Your restart of cart ran']);
    expect(await titles(BOB)).toEqual([]);

    // The trail is readable by anyone who may see the service, newest first.
    const history = await call(BOB, 'GET', `/operations?entityRef=${encodeURIComponent(refs.cart)}`);
    expect(history.json.items[0]).toMatchObject({ id: op.id, status: 'succeeded' });
    expect((await call(CAROL, 'POST', `/operations/${op.id}/approve`, {})).status).toBe(409);
  });

  it('runs an ungated change at once, through the entity that claims the service too', async () => {
    const staging = await call(ALICE, 'POST', '/operations', { entityRef: refs['cart-preview'], action: 'scale', desiredCount: 3, reason: 'load test' });
    expect(staging.status).toBe(201);
    expect(staging.json).toMatchObject({ status: 'succeeded', approvalsRequired: 0, gate: 'operations.gates[1]', after: { desiredCount: 3 } });
    expect((await describeService(A, 'cart-preview')).desiredCount).toBe(3);

    // A rollback to an earlier revision of the service's own family, which the role's deploy grant allows by ARN.
    const rollback = await call(ALICE, 'POST', '/operations', { entityRef: refs['cart-preview'], action: 'deploy', taskDefinition: 'cart:2', reason: 'revert the cache change' });
    expect(rollback.json).toMatchObject({ status: 'succeeded', after: { taskDefinition: 'cart:2' } });
    expect((await describeService(A, 'cart-preview')).taskDefinition).toBe(`arn:aws:ecs:eu-west-1:${A}:task-definition/cart:2`);

    const viaClaim = await call(ALICE, 'GET', '/operations/capabilities?entityRef=component:default/worker');
    expect(viaClaim.json).toMatchObject({ entityRef: refs.worker });
  });

  it('answers a 400 naming the field, and checks bounds and family against config and the service', async () => {
    const cases: Array<[unknown, string]> = [
      [{ entityRef: refs.cart, action: 'scale', reason: 'x' }, 'desiredCount is required'],
      [{ entityRef: refs.cart, action: 'scale', desiredCount: 9, reason: 'x' }, 'desiredCount must be from 1 to 6'],
      [{ entityRef: refs.cart, action: 'deploy', taskDefinition: 'search:1', reason: 'x' }, 'own family cart'],
      [{ entityRef: refs.cart, action: 'restart' }, 'reason'],
    ];
    for (const [body, message] of cases) {
      const answer = await call(ALICE, 'POST', '/operations', body);
      expect([answer.status, answer.json.error.message]).toEqual([400, expect.stringContaining(message)]);
    }
  });

  it('refuses a change to a service that moved since the request, and a request that expired', async () => {
    const asked = (await call(ALICE, 'POST', '/operations', { entityRef: refs.cart, action: 'scale', desiredCount: 4, reason: 'sale' })).json as Operation;
    // A deploy pipeline changes the service meanwhile.
    const ecs = new ECSClient({ region: 'eu-west-1' });
    await ecs.send(new UpdateServiceCommand({ cluster: `arn:aws:ecs:eu-west-1:${A}:cluster/shop`, service: 'cart', forceNewDeployment: true }));
    ecs.destroy();
    const approved = (await call(CAROL, 'POST', `/operations/${asked.id}/approve`, {})).json as Operation;
    expect(approved.status).toBe('refused');
    expect(approved.error).toContain('the service changed since the request');
    expect((await describeService(A, 'cart')).desiredCount).toBe(2);

    const batch = (await call(ALICE, 'POST', '/operations', { entityRef: refs.batch, action: 'restart', reason: 'nightly' })).json as Operation;
    expect(batch.status).toBe('pending');
    await new Promise(resolve => setTimeout(resolve, 1_200));
    const late = await call(CAROL, 'POST', `/operations/${batch.id}/approve`, {});
    expect(late.status).toBe(409);
    expect(late.json.error.message).toContain('expired');
    expect((await call(CAROL, 'GET', `/operations/${batch.id}`)).json).toMatchObject({ status: 'expired' });
  });

  it('has AWS refuse team-search’s role on team-shop’s service even when Backstage’s own check is bypassed', async () => {
    const operator = new EcsOperator(async () => fromEnv());
    const session = await operator.open({
      roleArn: `arn:aws:iam::${A}:role/ecs-operate-team-search`,
      sourceIdentity: 'bob@default',
      tags: [
        { Key: 'backstage-team', Value: 'team-search' },
        { Key: 'backstage-user', Value: BOB },
        { Key: 'backstage-operation', Value: 'forged' },
      ],
      durationSeconds: 900,
      region: 'eu-west-1',
    });
    try {
      const cart = { clusterArn: `arn:aws:ecs:eu-west-1:${A}:cluster/shop`, serviceName: 'cart' };
      const denied = await session.change({ ...cart, action: 'scale', desiredCount: 0, taskDefinition: null }).catch(e => e);
      expect(denied).toBeInstanceOf(OperatorError);
      expect(denied.code).toBe('AccessDeniedException');
      expect(denied.message).toContain(`assumed-role/ecs-operate-team-search/bob@default is not authorized to perform: ecs:UpdateService on resource: ${ARN(A, 'cart')}`);
      // Its own service is fine.
      await expect(session.describe({ clusterArn: cart.clusterArn, serviceName: 'search-ui' })).resolves.toMatchObject({ snapshot: { desiredCount: expect.any(Number) } });
    } finally {
      session.close();
    }
    expect((await describeService(A, 'cart')).desiredCount).toBeGreaterThan(0);
    const refused = emulator().callLog({ eventName: 'UpdateService' }).filter(r => r.errorCode === 'AccessDeniedException');
    expect(refused.map(r => r.userIdentity.sessionContext?.sourceIdentity)).toEqual(['bob@default']);

    // Nor can Backstage assume team-shop's role for someone tagged as another team: the trust policy wants the team's own tag.
    const forged = await operator
      .open({ roleArn: `arn:aws:iam::${A}:role/ecs-operate-team-shop`, sourceIdentity: 'bob@default', tags: [{ Key: 'backstage-team', Value: 'team-search' }, { Key: 'backstage-user', Value: BOB }], durationSeconds: 900, region: 'eu-west-1' })
      .catch(e => e);
    expect(forged).toBeInstanceOf(OperatorError);
    expect(forged.message).toContain('not authorized to perform: sts:');
  });

  it('takes operations from users only, and rejects with a reason', async () => {
    const service = await fetch(`http://127.0.0.1:${backend.server.port()}/api/ecs-catalog-sync/operations?entityRef=${encodeURIComponent(refs.cart)}`, {
      headers: { Authorization: mockCredentials.service.header() },
    });
    expect(service.status).toBe(403);
    const asked = (await call(ALICE, 'POST', '/operations', { entityRef: refs.cart, action: 'restart', reason: 'x' })).json as Operation;
    expect((await call(CAROL, 'POST', `/operations/${asked.id}/reject`, {})).status).toBe(400);
    const rejected = await call(CAROL, 'POST', `/operations/${asked.id}/reject`, { comment: 'freeze until Monday' });
    expect(rejected.json).toMatchObject({ status: 'rejected', error: 'rejected by user:default/carol: freeze until Monday' });
  });
});

(POSTGRES ? describe : describe.skip)('approvals on two replicas sharing one PostgreSQL database', () => {
  const emulator = useEmulator(fleet);
  const { knexFor } = usePostgresDatabase('ecs_sync_operations');

  it('runs a change once when two owners approve it at the same moment on different replicas', async () => {
    const first = await startOperationsBackend(knexFor());
    const second = await startOperationsBackend(knexFor());
    try {
      const cart = first.refs.cart;
      emulator().clearCallLog();
      const deployments = new Set<string>();
      for (let round = 0; round < 3; round++) {
        const asked = (await callBackend(first.backend, ALICE, 'POST', '/operations', { entityRef: cart, action: 'restart', reason: `race ${round}` })).json as Operation;
        expect(asked.status).toBe('pending');
        const answers = await Promise.all([
          callBackend(first.backend, CAROL, 'POST', `/operations/${asked.id}/approve`, {}),
          callBackend(second.backend, DAVE, 'POST', `/operations/${asked.id}/approve`, {}),
        ]);
        // Each approval is answered: the one that ran the change, and the other as counted or too late.
        for (const answer of answers) expect([200, 409]).toContain(answer.status);
        const final = (await callBackend(second.backend, ALICE, 'GET', `/operations/${asked.id}`)).json as Operation;
        expect(final.status).toBe('succeeded');
        expect(final.events.filter(e => e.kind === 'started')).toHaveLength(1);
        deployments.add(final.after!.deploymentId!);
      }
      // Three restarts, three UpdateService calls and three new deployments: none ran twice.
      expect(emulator().callLog({ eventName: 'UpdateService' })).toHaveLength(3);
      expect(deployments.size).toBe(3);
    } finally {
      // Before the database goes.
      await Promise.all([first.backend.stop(), second.backend.stop()]);
    }
  });
});
