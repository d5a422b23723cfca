import { mockCredentials, TestDatabases, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
import { parseFleet } from '../../dev/emulator';
import { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { eventually, fetchEntities, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

const ARN = (account: string, cluster: string, name: string) => `arn:aws:ecs:eu-west-1:${account}:service/${cluster}/${name}`;

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTPROVIDER0001', secretAccessKey: 'provider-secret', accountId: '111111111111' }],
  accounts: [
    {
      id: '111111111111',
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [
            {
              name: 'shop',
              services: [
                { name: 'cart', tags: { Owner: 'Team-Shop', Environment: 'production' } },
                { name: 'checkout', tags: { owner: 'team-payments', component: 'checkout', system: 'payments' } },
                { name: 'search' },
                { name: 'edge-proxy', tags: { team: 'team-edge' } },
              ],
            },
          ],
        },
      },
    },
    {
      id: '222222222222',
      roles: [{ name: 'reader' }],
      regions: { 'eu-west-1': { clusters: [{ name: 'edge', services: [{ name: 'edge-proxy', tags: { team: 'team-edge' } }, { name: 'api' }] }] } },
    },
  ],
});

const providerConfig = (removal: JsonObject = { gracePeriod: 'PT10M', maxFraction: 0.5 }): JsonObject => ({
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: {
    providers: {
      awsEcs: {
        test: {
          accounts: ['111111111111', '222222222222'],
          regions: ['eu-west-1'],
          rateLimit: { perSecond: 1000, burst: 1000 },
          schedule: { frequency: { minutes: 10 }, timeout: { minutes: 5 } },
          removal,
        },
      },
    },
  },
});

const ecsEntities = (backend: TestBackend) => fetchEntities(backend, 'spec.type=ecs-service');
const arnsOf = (entities: Entity[]) => entities.map(e => e.metadata.annotations!['aws.amazon.com/amazon-ecs-service-arn']).sort();
const ALL_ARNS = [
  ARN('111111111111', 'shop', 'cart'),
  ARN('111111111111', 'shop', 'checkout'),
  ARN('111111111111', 'shop', 'edge-proxy'),
  ARN('111111111111', 'shop', 'search'),
  ARN('222222222222', 'edge', 'api'),
  ARN('222222222222', 'edge', 'edge-proxy'),
].sort();

describe('the catalog module in a real backend', () => {
  const getEmulator = useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('scans on start-up and the entities appear in the catalog with names, owners and annotations', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startCatalogBackend({ knex, config: providerConfig(), features: [import('../../src')] });
    try {
      const entities = await eventually(() => ecsEntities(backend), e => e.length === 6, 'six ECS entities');
      expect(arnsOf(entities)).toEqual(ALL_ARNS);
      const cart = entities.find(e => e.metadata.title === 'cart')!;
      expect(cart.metadata.name).toMatch(/^cart-[a-z2-7]{10}$/);
      expect(cart.metadata.annotations).toMatchObject({
        'aws.amazon.com/amazon-ecs-service-arn': ARN('111111111111', 'shop', 'cart'),
        'aws.amazon.com/account-id': '111111111111',
        'aws.amazon.com/region': 'eu-west-1',
        'backstage.io/managed-by-location': 'aws-ecs:test',
      });
      expect(cart.spec).toMatchObject({ type: 'ecs-service', owner: 'group:default/team-shop', lifecycle: 'production' });
      const checkout = entities.find(e => e.metadata.title === 'checkout')!;
      expect(checkout.spec).toMatchObject({ owner: 'group:default/team-payments', system: 'system:default/payments', dependencyOf: ['component:default/checkout'] });
      expect(entities.find(e => e.metadata.title === 'search')!.spec!.owner).toBe('group:default/unknown');
      // The same service name in two accounts: two entities, two names.
      const edges = entities.filter(e => e.metadata.title === 'edge-proxy');
      expect(edges).toHaveLength(2);
      expect(edges[0].metadata.name).not.toBe(edges[1].metadata.name);
    } finally {
      await backend.stop();
    }
  });

  describe('with the clock in the hands of the test', () => {
    let clock: Date;
    let provider: AwsEcsEntityProvider;
    let knex: Knex;
    let running: TestBackend | undefined;

    /** A backend on this test's database; stopped after the test, whatever happens. */
    async function start(config = providerConfig()) {
      running = await startCatalogBackend({ knex, config, features: [providerUnderTest({ now: () => clock, onProvider: p => (provider = p) })] });
      return running;
    }

    const later = (minutes: number) => {
      clock = new Date(clock.getTime() + minutes * 60_000);
    };

    beforeEach(async () => {
      clock = new Date('2026-01-01T00:00:00Z');
      getEmulator().replaceFleet(fleet);
      getEmulator().setFaults({ deniedAccounts: [] });
      knex = await databases.init('SQLITE_3');
    });

    afterEach(async () => {
      await running?.stop();
      running = undefined;
    });

    it('removes a deleted service after the grace period and not before, and the timer survives a restart', async () => {
      let backend = await start();
      await provider.refresh();
      await eventually(() => ecsEntities(backend), e => e.length === 6, 'six entities');

      getEmulator().deleteService(ARN('111111111111', 'shop', 'search'));
      later(5);
      expect(await provider.refresh()).toMatchObject({ removed: 0, pending: 1 });
      later(4);
      expect(await provider.refresh()).toMatchObject({ removed: 0, pending: 1 });
      expect(arnsOf(await ecsEntities(backend))).toEqual(ALL_ARNS);

      // A restart in the middle of the grace period: the timer lives in the database.
      await backend.stop();
      backend = await start();
      // Ten minutes after it was first missed: gone only if the restart kept the timer.
      later(6);
      expect(await provider.refresh()).toMatchObject({ removed: 1, pending: 0 });
      await eventually(() => ecsEntities(backend), e => e.length === 5, 'the deleted service to disappear');
      expect(arnsOf(await ecsEntities(backend))).not.toContain(ARN('111111111111', 'shop', 'search'));
    });

    it('keeps the entities of a denied account', async () => {
      const backend = await start(providerConfig({ gracePeriod: 'PT0S', maxFraction: 1 }));
      await provider.refresh();
      await eventually(() => ecsEntities(backend), e => e.length === 6, 'six entities');
      getEmulator().setFaults({ deniedAccounts: ['222222222222'] });
      later(30);
      const summary = await provider.refresh();
      expect(summary.failedShards.map(s => s.accountId)).toEqual(['222222222222']);
      expect(summary.removed).toBe(0);
      later(60);
      await provider.refresh();
      await new Promise(resolve => setTimeout(resolve, 2500));
      expect(arnsOf(await ecsEntities(backend))).toEqual(ALL_ARNS);
    });

    it('holds back a scan that would remove most entities', async () => {
      const backend = await start(providerConfig({ gracePeriod: 'PT0S', maxFraction: 0.5 }));
      await provider.refresh();
      await eventually(() => ecsEntities(backend), e => e.length === 6, 'six entities');
      for (const arn of ALL_ARNS.slice(0, 4)) getEmulator().deleteService(arn);
      later(10);
      const summary = await provider.refresh();
      expect(summary).toMatchObject({ removed: 0, heldBack: { count: 4, total: 6, maxFraction: 0.5 } });
      await new Promise(resolve => setTimeout(resolve, 2500));
      expect(arnsOf(await ecsEntities(backend))).toEqual(ALL_ARNS);
    });

    it('holds back a removal its scan group cannot afford, however small a share of the whole provider it is', async () => {
      const config = providerConfig({ gracePeriod: 'PT0S', maxFraction: 0.5 });
      // Three groups: the two accounts fall into different ones.
      ((config.catalog as JsonObject).providers as { awsEcs: { test: JsonObject } }).awsEcs.test.scanGroups = 3;
      const backend = await start(config);
      await provider.refresh();
      await eventually(() => ecsEntities(backend), e => e.length === 6, 'six entities');
      // Every service of one account is gone: a third of the provider, all of its group.
      for (const arn of ALL_ARNS.filter(a => a.includes(':222222222222:'))) getEmulator().deleteService(arn);
      later(10);
      const summary = await provider.refresh();
      expect(summary).toMatchObject({ removed: 0, heldBack: { count: 2, total: 2, maxFraction: 0.5 } });
      await new Promise(resolve => setTimeout(resolve, 2500));
      expect(arnsOf(await ecsEntities(backend))).toEqual(ALL_ARNS);
    });

    it('changes nothing when the scheduler gave up on the run before it could send', async () => {
      const backend = await start();
      const controller = new AbortController();
      controller.abort(new Error('the task timed out'));
      await expect(provider.refreshGroup(0, controller.signal)).rejects.toThrow('the task timed out');
      await new Promise(resolve => setTimeout(resolve, 2500));
      expect(await ecsEntities(backend)).toEqual([]);
      // The next run, not given up on, sends everything.
      await provider.refresh();
      await eventually(() => ecsEntities(backend), e => e.length === 6, 'six entities');
    });

    it('sends back an entity the catalog lost behind its back, with the next scan', async () => {
      const backend = await start();
      await provider.refresh();
      const entities = await eventually(() => ecsEntities(backend), e => e.length === 6, 'six entities');
      // Unregistered by hand (or dropped by an orphan clean-up while the provider was away).
      const lost = entities.find(e => e.metadata.title === 'cart')!;
      const url = `http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-uid/${lost.metadata.uid}`;
      expect((await fetch(url, { method: 'DELETE', headers: { Authorization: mockCredentials.user.header() } })).status).toBe(204);
      await eventually(() => ecsEntities(backend), e => e.length === 5, 'the entity to be gone');
      later(10);
      // Nothing changed in AWS, so nothing counts as written; the catalog gets it back all the same.
      expect(await provider.refresh()).toMatchObject({ added: 0, changed: 0, removed: 0, entities: 6 });
      const back = await eventually(() => ecsEntities(backend), e => e.length === 6, 'the entity to come back');
      expect(arnsOf(back)).toEqual(ALL_ARNS);
    });

    it('leaves every entity untouched when the fleet has not changed', async () => {
      const backend = await start();
      await provider.refresh();
      const before = await eventually(() => ecsEntities(backend), e => e.length === 6, 'six entities');
      later(10);
      expect(await provider.refresh()).toMatchObject({ added: 0, changed: 0, removed: 0, entities: 6 });
      await new Promise(resolve => setTimeout(resolve, 2500));
      const after = await ecsEntities(backend);
      const etags = (entities: Entity[]) => Object.fromEntries(entities.map(e => [e.metadata.name, e.metadata.etag]));
      expect(etags(after)).toEqual(etags(before));

      // And a changed tag is one changed entity.
      getEmulator().setServiceTags(ARN('111111111111', 'shop', 'search'), { owner: 'team-search' });
      later(10);
      expect(await provider.refresh()).toMatchObject({ added: 0, changed: 1, removed: 0 });
      await eventually(
        () => ecsEntities(backend),
        e => e.find(x => x.metadata.title === 'search')?.spec?.owner === 'group:default/team-search',
        'the new owner',
      );
    });
  });
});
