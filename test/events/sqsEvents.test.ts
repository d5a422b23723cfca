import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockCredentials, TestDatabases, type TestBackend } from '@backstage/backend-test-utils';
import type { AlphaEntity } from '@backstage/catalog-model/alpha';
import type { Entity } from '@backstage/catalog-model';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import type { JsonObject } from '@backstage/types';
import { parseFleet, type Emulator } from '../../dev/emulator';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { eventually, fetchEntities, HAND_WRITTEN_LOCATION, handWrittenEntities, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

const A = '111111111111';
const B = '222222222222';
const REGION = 'eu-west-1';
const LONG = (cluster: string, name: string) => `arn:aws:ecs:${REGION}:${A}:service/${cluster}/${name}`;
const SHORT = (name: string) => `arn:aws:ecs:${REGION}:${A}:service/${name}`;
const CLUSTER = (name: string) => `arn:aws:ecs:${REGION}:${A}:cluster/${name}`;
const TOPIC = 'ecs-events';

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTEVENTS000001', secretAccessKey: 'events-secret', accountId: A }],
  accounts: [
    {
      id: A,
      roles: [{ name: 'reader' }],
      regions: {
        [REGION]: {
          clusters: [
            {
              name: 'shop',
              services: [
                { name: 'cart', tags: { owner: 'team-a' } },
                { name: 'search', tags: { owner: 'team-a' } },
                { name: 'legacy', arnFormat: 'short', tags: { owner: 'team-a' } },
                { name: 'orders', tags: { owner: 'team-a' } },
                { name: 'stock', tags: { owner: 'team-a' } },
                { name: 'ledger', tags: { owner: 'team-a' } },
              ],
            },
            { name: 'default', services: [{ name: 'web', tags: { owner: 'team-a' } }] },
          ],
        },
      },
    },
    { id: B, roles: [{ name: 'reader' }], regions: { [REGION]: { clusters: [{ name: 'shop', services: [{ name: 'cart' }] }] } } },
  ],
});

const handWritten: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'basket-app', annotations: { ...HAND_WRITTEN_LOCATION, 'aws.amazon.com/amazon-ecs-service-arn': LONG('shop', 'basket') } },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  },
];

function config(queueUrl: string): JsonObject {
  return {
    aws: { accountDefaults: { roleName: 'reader' } },
    events: {
      modules: {
        awsSqs: {
          awsSqsConsumingEventPublisher: {
            topics: { [TOPIC]: { queue: { url: queueUrl, region: REGION, waitTime: { seconds: 1 } }, waitTimeAfterEmptyReceive: { milliseconds: 100 } } },
          },
        },
      },
    },
    catalog: {
      providers: {
        awsEcs: {
          test: {
            accounts: [A],
            regions: [REGION],
            rateLimit: { perSecond: 1000, burst: 1000 },
            schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
            removal: { gracePeriod: 'PT0S', maxFraction: 1 },
            events: { topic: TOPIC, debounce: { milliseconds: 200 } },
          },
        },
      },
    },
  };
}

/** An EventBridge event as delivered to an SQS target. */
function event(id: string, detailType: string, detail: object, resources: string[] = [], account = A): string {
  return JSON.stringify({ version: '0', id, 'detail-type': detailType, source: 'aws.ecs', account, time: '2026-01-01T00:00:00Z', region: REGION, resources, detail });
}

function apiCall(id: string, eventName: string, requestParameters: object, responseElements: object | null = null): string {
  return event(id, 'AWS API Call via CloudTrail', { eventSource: 'ecs.amazonaws.com', eventName, requestParameters, responseElements });
}

const ownerOf = (entities: Entity[], title: string) => entities.find(e => e.metadata.title === title)?.spec?.owner;
const claimWarnings = (entity: AlphaEntity) => (entity.status?.items ?? []).filter(i => i.type === 'aws.amazon.com/ecs-claim').map(i => String(i.message));
const titles = (entities: Entity[]) => entities.map(e => e.metadata.title).sort();

describe('ECS events through the stock SQS module and the events backend', () => {
  const getEmulator = useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let emulator: Emulator;
  let queueUrl: string;
  let backend: TestBackend;
  let provider: AwsEcsEntityProvider;
  let eventCount = 0;

  const ecsEntities = () => fetchEntities(backend, 'spec.type=ecs-service');
  /** Changes the service's tags in ECS without any event, so only the event under test can show the change. */
  const retagSilently = (arn: string, owner: string) => {
    emulator.configureEvents(undefined);
    emulator.setServiceTags(arn, { owner });
  };
  /** Waits until the provider handled `count` more events and its rounds are done. */
  async function handled(before: number, count: number): Promise<void> {
    await eventually(async () => provider.eventCounts!.handled + provider.eventCounts!.duplicates, n => n >= before + count, `${count} events handled`);
    await provider.flushEvents();
  }
  async function byName(kind: string, name: string): Promise<AlphaEntity> {
    const url = `http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-name/${kind}/default/${name}`;
    const response = await fetch(url, { headers: { Authorization: mockCredentials.user.header() } });
    return (await response.json()) as AlphaEntity;
  }

  beforeAll(async () => {
    emulator = getEmulator();
    queueUrl = emulator.createQueue(A, 'ecs-events');
    const knex = await databases.init('SQLITE_3');
    backend = await startCatalogBackend({
      knex,
      config: config(queueUrl),
      features: [
        // The SQS module polls on the real scheduler; the provider's scans stay in the test's hands.
        schedulerServiceFactory,
        // The real events service (the test backend's default is a mock per plugin).
        eventsServiceFactory,
        import('@backstage/plugin-events-backend'),
        import('@backstage/plugin-events-backend-module-aws-sqs'),
        providerUnderTest({ withClaimsProcessor: true, alsoProvide: [handWrittenEntities(handWritten)], onProvider: p => (provider = p) }),
      ],
    });
    await eventually(() => fetchEntities(backend, 'kind=component'), e => e.length === 1, 'the hand-written claim');
    await provider.refresh();
    await eventually(ecsEntities, e => e.length === 7, 'the scanned services');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  beforeEach(() => {
    eventCount = provider.eventCounts!.handled + provider.eventCounts!.duplicates;
  });

  it('adds a service created in ECS from its events, and reconciles the claim that named it', async () => {
    expect(claimWarnings(await byName('component', 'basket-app'))[0]).toContain('basket');
    expect(claimWarnings(await byName('component', 'basket-app'))[0]).not.toContain('owner tag');
    emulator.configureEvents({ queueUrl });
    const callsBefore = emulator.stats.byAction['ecs:DescribeServices'] ?? 0;
    emulator.addService(A, REGION, 'shop', { name: 'basket', tags: { owner: 'team-b' } });
    await eventually(ecsEntities, e => titles(e).includes('basket'), 'the new service');
    // CloudTrail's CreateService and the native ECS Service Action name one service: one round, one call.
    await handled(eventCount, 2);
    expect((emulator.stats.byAction['ecs:DescribeServices'] ?? 0) - callsBefore).toBe(1);
    // The claim found its service: the phantom warning gives way to the owner drift between tag and claim.
    const claim = await eventually(() => byName('component', 'basket-app'), e => claimWarnings(e).some(m => m.includes('the owner tag says team-b')), 'the owner drift warning');
    expect(claimWarnings(claim)).toHaveLength(1);
  });

  it('follows an UpdateService and its deployment event', async () => {
    retagSilently(LONG('shop', 'search'), 'team-c');
    emulator.configureEvents({ queueUrl, styles: ['native'] });
    emulator.updateService(LONG('shop', 'search'), { desiredCount: 3 });
    await eventually(ecsEntities, e => ownerOf(e, 'search') === 'group:default/team-c', 'search owned by team-c');
    retagSilently(LONG('shop', 'search'), 'team-d');
    emulator.configureEvents({ queueUrl, styles: ['cloudtrail'] });
    emulator.updateService(LONG('shop', 'search'), { desiredCount: 2 });
    await eventually(ecsEntities, e => ownerOf(e, 'search') === 'group:default/team-d', 'search owned by team-d');
  });

  it('follows a retagged owner', async () => {
    emulator.configureEvents({ queueUrl });
    emulator.setServiceTags(LONG('shop', 'cart'), { owner: 'team-e' });
    await eventually(ecsEntities, e => ownerOf(e, 'cart') === 'group:default/team-e', 'cart owned by team-e');
  });

  it.each([
    ['a native event with a long ARN', (id: string) => event(id, 'ECS Service Action', { eventName: 'SERVICE_STEADY_STATE' }, [LONG('shop', 'orders')]), 'orders'],
    ['a native event with a short ARN', (id: string) => event(id, 'ECS Deployment State Change', { eventName: 'SERVICE_DEPLOYMENT_COMPLETED' }, [SHORT('legacy')]), 'legacy'],
    ['UpdateService by name and cluster name', (id: string) => apiCall(id, 'UpdateService', { service: 'stock', cluster: 'shop' }), 'stock'],
    ['UpdateService by name and cluster ARN', (id: string) => apiCall(id, 'UpdateService', { service: 'ledger', cluster: CLUSTER('shop') }), 'ledger'],
    ['UpdateService by name in the default cluster', (id: string) => apiCall(id, 'UpdateService', { service: 'web' }), 'web'],
    ['UpdateService by short ARN', (id: string) => apiCall(id, 'UpdateService', { service: SHORT('legacy'), cluster: 'shop' }), 'legacy'],
    ['UpdateService by long ARN', (id: string) => apiCall(id, 'UpdateService', { service: LONG('shop', 'orders') }), 'orders'],
    ['CreateService answered with a long ARN', (id: string) => apiCall(id, 'CreateService', { serviceName: 'stock', cluster: 'shop' }, { service: { serviceArn: LONG('shop', 'stock') } }), 'stock'],
    ['TagResource on a long ARN', (id: string) => apiCall(id, 'TagResource', { resourceArn: LONG('shop', 'ledger') }), 'ledger'],
    ['UntagResource on a short ARN', (id: string) => apiCall(id, 'UntagResource', { resourceArn: SHORT('legacy') }), 'legacy'],
  ])('refreshes the service named by %s', async (_what, body, title) => {
    const owner = `team-${eventCount}`;
    const arn = title === 'legacy' ? SHORT('legacy') : title === 'web' ? LONG('default', 'web') : LONG('shop', title);
    retagSilently(arn, owner);
    emulator.sendMessage(queueUrl, body(`forged-form-${eventCount}`));
    await eventually(ecsEntities, e => ownerOf(e, title) === `group:default/${owner}`, `${title} owned by ${owner}`);
  });

  it('removes nothing on a forged DeleteService for a service ECS still reports ACTIVE', async () => {
    emulator.sendMessage(queueUrl, apiCall('forged-delete', 'DeleteService', { service: 'orders', cluster: 'shop' }));
    await handled(eventCount, 1);
    expect(titles(await ecsEntities())).toContain('orders');
  });

  it('removes a deleted service at once with no grace period', async () => {
    emulator.configureEvents({ queueUrl });
    emulator.deleteService(LONG('shop', 'stock'));
    await eventually(ecsEntities, e => !titles(e).includes('stock'), 'stock removed');
  });

  it('counts and drops what it cannot use, and keeps consuming', async () => {
    const ignored = { ...provider.eventCounts!.ignored };
    emulator.sendMessage(queueUrl, JSON.stringify({ hello: 'world' }));
    emulator.sendMessage(queueUrl, event('other-account', 'ECS Service Action', {}, [`arn:aws:ecs:${REGION}:${B}:service/shop/cart`], B));
    emulator.sendMessage(queueUrl, event('task-event', 'ECS Task State Change', {}, [`arn:aws:ecs:${REGION}:${A}:task/shop/abc`]));
    await eventually(async () => provider.eventCounts!.ignored, now => (now['out-of-scope'] ?? 0) > (ignored['out-of-scope'] ?? 0), 'the out-of-scope event counted');
    expect(provider.eventCounts!.ignored.malformed ?? 0).toBeGreaterThan(ignored.malformed ?? 0);
    expect(provider.eventCounts!.ignored['unhandled-detail-type'] ?? 0).toBeGreaterThan(ignored['unhandled-detail-type'] ?? 0);
    expect(emulator.queueDepth(queueUrl)).toBe(0);
    // Still consuming.
    emulator.configureEvents({ queueUrl });
    emulator.setServiceTags(LONG('shop', 'orders'), { owner: 'team-after' });
    await eventually(ecsEntities, e => ownerOf(e, 'orders') === 'group:default/team-after', 'orders owned by team-after');
  });

  it('handles a duplicated event once, and the next scan repairs what dropped events missed', async () => {
    const duplicatesBefore = provider.eventCounts!.duplicates;
    emulator.configureEvents({ queueUrl, drop: 0.2, duplicate: 0.3, seed: 7 });
    const arns = [LONG('shop', 'cart'), LONG('shop', 'search'), LONG('shop', 'orders'), LONG('shop', 'ledger'), SHORT('legacy'), LONG('default', 'web')];
    for (let round = 0; round < 5; round++) for (const arn of arns) emulator.setServiceTags(arn, { owner: `team-r${round}` });
    const { delivered, dropped, duplicated } = emulator.eventStats;
    expect(dropped).toBeGreaterThan(0);
    expect(duplicated).toBeGreaterThan(0);
    await eventually(async () => emulator.queueDepth(queueUrl), depth => depth === 0, 'the queue drained');
    await eventually(async () => provider.eventCounts!.received, n => n > 0 && provider.eventCounts!.duplicates - duplicatesBefore >= duplicated, 'the duplicates noticed');
    await provider.flushEvents();
    expect(delivered).toBeGreaterThan(0);
    expect(provider.eventCounts!.duplicates - duplicatesBefore).toBe(duplicated);
    emulator.configureEvents(undefined);
    await provider.refresh();
    const entities = await eventually(ecsEntities, e => ['cart', 'search', 'orders', 'ledger', 'legacy', 'web'].every(t => ownerOf(e, t) === 'group:default/team-r4'), 'every owner as ECS has it');
    expect(titles(entities)).toEqual(['basket', 'cart', 'ledger', 'legacy', 'orders', 'search', 'web']);
  });
});
