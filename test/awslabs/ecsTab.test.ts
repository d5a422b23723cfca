import { TestDatabases, mockCredentials, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { AlphaEntity } from '@backstage/catalog-model/alpha';
import type { JsonObject } from '@backstage/types';
import { parseFleet } from '../../dev/emulator';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { eventually, fetchEntities, HAND_WRITTEN_LOCATION, handWrittenEntities, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

/**
 * The AWS Labs ECS backend (`@aws/amazon-ecs-plugin-for-backstage-backend`,
 * the API behind the ECS entity tab) in one real backend with the catalog and
 * this module, against the emulator: every entity the module emits must open
 * in the tab, and where our reading of a claim differs from the tab's, the
 * value the warning offers must open in it too. Its three unpublished sibling
 * packages are stand-ins (dev/stand-ins/README.md).
 */

const A = '111111111111';
const REGION = 'eu-west-1';
const ARN_KEY = 'aws.amazon.com/amazon-ecs-service-arn';
const TAGS_KEY = 'aws.amazon.com/amazon-ecs-service-tags';
const REPORTED_KEY = 'aws.amazon.com/ecs-reported-service-arn';
const serviceArn = (cluster: string | null, name: string) => `arn:aws:ecs:${REGION}:${A}:service/${cluster ? `${cluster}/` : ''}${name}`;

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTECSTAB000001', secretAccessKey: 'tab-secret', accountId: A }],
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
                { name: 'checkout', desiredCount: 3, tags: { owner: 'team-shop', App: 'checkout' } },
                { name: 'billing', arnFormat: 'short', desiredCount: 2, tags: { owner: 'team-shop' } },
                { name: 'idle', desiredCount: 0 },
                { name: 'draining', status: 'DRAINING', desiredCount: 1, pendingCount: 1, launchType: 'EC2' },
                { name: 'gone', status: 'INACTIVE' },
              ],
            },
            { name: 'edge', services: [{ name: 'proxy', arnFormat: 'short' }, { name: 'spot', capacityProviders: ['FARGATE_SPOT'], desiredCount: 2 }] },
          ],
        },
      },
    },
  ],
});

const config: JsonObject = {
  aws: { accountDefaults: { roleName: 'reader' }, locator: { resourceTaggingApi: { accounts: [A], regions: [REGION] } } },
  catalog: { providers: { awsEcs: { test: { accounts: [A], regions: [REGION], rateLimit: { perSecond: 1000, burst: 1000 } } } } },
};

const component = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations: { ...HAND_WRITTEN_LOCATION, ...annotations } },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
});

const handWritten: Entity[] = [
  // Written in the short form ECS reported before the migration: we match it, the tab cannot parse it.
  component('billing-short', { [ARN_KEY]: serviceArn(null, 'billing') }),
  // The key in another case than the service's tag: we match it, the Tagging API does not.
  component('checkout-tags', { [TAGS_KEY]: 'app=checkout' }),
  // Two services in one value: we read both, the tab one unparseable ARN.
  component('pair', { [ARN_KEY]: `${serviceArn('shop', 'idle')},${serviceArn('edge', 'spot')}` }),
  // Both annotations: the tab reads neither.
  component('both', { [ARN_KEY]: serviceArn('edge', 'spot'), [TAGS_KEY]: 'App=checkout' }),
  // The values the warnings offer, as an owner would write them.
  component('billing-long', { [ARN_KEY]: serviceArn('shop', 'billing') }),
  component('checkout-exact', { [TAGS_KEY]: 'App=checkout' }),
];

interface TabAnswer {
  status: number;
  body: { clusters?: Array<{ cluster: { clusterArn: string }; services: Array<{ service: { serviceArn: string; serviceName: string }; tasks: Array<{ taskArn: string; group: string }> }> }>; error?: { message: string } };
}

describe('the AWS Labs ECS tab on this module’s entities', () => {
  let provider: AwsEcsEntityProvider;
  let backend: TestBackend;
  // Declared before the database and the emulator, so the backend stops before they go away.
  afterAll(async () => {
    await backend?.stop();
  });
  useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function tab(entity: { kind: string; name: string; namespace?: string }): Promise<TabAnswer> {
    const url = `http://127.0.0.1:${backend.server.port()}/api/amazon-ecs/v1/entity/${entity.namespace ?? 'default'}/${entity.kind}/${entity.name}/services`;
    const response = await fetch(url, { headers: { Authorization: mockCredentials.user.header() } });
    return { status: response.status, body: (await response.json()) as TabAnswer['body'] };
  }
  async function byName(kind: string, name: string): Promise<AlphaEntity> {
    const url = `http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-name/${kind}/default/${name}`;
    return (await (await fetch(url, { headers: { Authorization: mockCredentials.user.header() } })).json()) as AlphaEntity;
  }
  const warnings = (entity: AlphaEntity) => (entity.status?.items ?? []).filter(i => i.type === 'aws.amazon.com/ecs-claim').map(i => i.message);

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    backend = await startCatalogBackend({
      knex,
      config,
      features: [
        providerUnderTest({ withClaimsProcessor: true, alsoProvide: [handWrittenEntities(handWritten)], onProvider: p => (provider = p) }),
        import('@aws/amazon-ecs-plugin-for-backstage-backend'),
      ],
    });
    await eventually(() => fetchEntities(backend, 'kind=component'), e => e.length === handWritten.length, 'the hand-written components');
    await provider.refresh();
  }, 60_000);

  it('answers 200 for every emitted entity, short-ARN services included, with the service and its tasks', async () => {
    const emitted = await eventually(() => fetchEntities(backend, 'spec.type=ecs-service'), e => e.length === 6, 'the six live services');
    const expectedTasks: Record<string, number> = { checkout: 3, billing: 2, idle: 0, draining: 2, proxy: 1, spot: 2 };
    for (const entity of emitted) {
      const annotations = entity.metadata.annotations!;
      const reported = annotations[REPORTED_KEY] ?? annotations[ARN_KEY];
      const answer = await tab({ kind: entity.kind, name: entity.metadata.name, namespace: entity.metadata.namespace });
      expect({ entity: entity.metadata.title, status: answer.status }).toEqual({ entity: entity.metadata.title, status: 200 });
      expect(answer.body.clusters).toHaveLength(1);
      const [cluster] = answer.body.clusters!;
      expect(cluster.cluster.clusterArn).toBe(annotations['aws.amazon.com/amazon-ecs-cluster-arn']);
      expect(cluster.services.map(s => s.service.serviceArn)).toEqual([reported]);
      const [service] = cluster.services;
      expect(service.tasks).toHaveLength(expectedTasks[entity.metadata.title!]);
      for (const task of service.tasks) expect(task.group).toBe(`service:${entity.metadata.title}`);
    }
    const billing = emitted.find(e => e.metadata.title === 'billing')!;
    expect(billing.metadata.annotations![ARN_KEY]).toBe(serviceArn('shop', 'billing'));
    expect(billing.metadata.annotations![REPORTED_KEY]).toBe(serviceArn(null, 'billing'));
  }, 60_000);

  it('fails on the claims it reads otherwise, and opens with the value each warning offers', async () => {
    // As written: the tab cannot parse a short ARN or a comma list, and finds nothing for a key in another case.
    expect(await tab({ kind: 'component', name: 'billing-short' })).toMatchObject({ status: 500, body: { error: { message: 'Malformed ECS Service ARN' } } });
    const pair = await tab({ kind: 'component', name: 'pair' });
    // It takes `shop` as the cluster and `idle,arn:…:service` as one service name, which ECS does not know.
    expect(pair.status).toBe(200);
    expect(pair.body.clusters!.flatMap(c => c.services)).toEqual([]);
    expect(await tab({ kind: 'component', name: 'checkout-tags' })).toEqual({ status: 200, body: { clusters: [] } });

    // We match them all (no phantom), and say what to write instead.
    const offered = async (name: string) => {
      const entity = await eventually(() => byName('component', name), e => warnings(e).some(w => w.includes('AWS Labs ECS tab')), `the tab warning on ${name}`);
      const warning = warnings(entity).find(w => w.includes('AWS Labs ECS tab'))!;
      expect(warnings(entity).filter(w => w.includes('names') && w.includes('but'))).toEqual([]);
      return warning;
    };
    expect(await offered('billing-short')).toContain(`Set ${ARN_KEY} to ${serviceArn('shop', 'billing')} instead`);
    expect(await offered('checkout-tags')).toContain(`Set ${TAGS_KEY} to App=checkout instead`);
    expect(await offered('pair')).toContain('No one annotation claims the same services for both');
    expect(await tab({ kind: 'component', name: 'both' })).toMatchObject({ status: 500, body: { error: { message: 'Annotation not found on entity' } } });
    expect(await offered('both')).toContain('the tab reads neither annotation when both are set');

    // The offered values open in the tab with the services we match, and draw no such warning.
    const services = async (name: string) => {
      const answer = await tab({ kind: 'component', name });
      expect(answer.status).toBe(200);
      return answer.body.clusters!.flatMap(c => c.services.map(s => s.service.serviceArn));
    };
    expect(await services('billing-long')).toEqual([serviceArn(null, 'billing')]);
    expect(await services('checkout-exact')).toEqual([serviceArn('shop', 'checkout')]);
    for (const name of ['billing-long', 'checkout-exact']) {
      expect(warnings(await byName('component', name)).filter(w => w.includes('AWS Labs ECS tab'))).toEqual([]);
    }

  }, 60_000);
});
