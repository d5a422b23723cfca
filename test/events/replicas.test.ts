import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import type { JsonObject } from '@backstage/types';
import knexFactory, { type Knex } from 'knex';
import { parseFleet } from '../../dev/emulator';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { eventually, fetchEntities, providerUnderTest } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

// Switched on by .ci/run, which points it at the machine's PostgreSQL; skipped elsewhere.
const POSTGRES = process.env.ECS_CATALOG_SYNC_TEST_POSTGRES;
const A = '111111111111';
const REGION = 'eu-west-1';
const TOPIC = 'ecs-events';
const SERVICES = ['api', 'worker', 'cron', 'web', 'auth', 'mail'];
const ARN = (name: string) => `arn:aws:ecs:${REGION}:${A}:service/c/${name}`;

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTEVREPLICAS01', secretAccessKey: 'replicas-secret', accountId: A }],
  accounts: [{ id: A, roles: [{ name: 'reader' }], regions: { [REGION]: { clusters: [{ name: 'c', services: SERVICES.map(name => ({ name, tags: { owner: 'team-0' } })) }] } } }],
});

function config(queueUrl: string, prefix: string): JsonObject {
  return {
    // Each plugin in a database of its own, as in production: the catalog and the
    // events backend would otherwise race to create one migrations table.
    backend: { database: { client: 'pg', connection: POSTGRES!, prefix } },
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
          shared: {
            accounts: [A],
            regions: [REGION],
            rateLimit: { perSecond: 1000, burst: 1000 },
            schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
            events: { topic: TOPIC, debounce: { milliseconds: 300 } },
          },
        },
      },
    },
  };
}

const ownerOf = (entities: Entity[], title: string) => entities.find(e => e.metadata.title === title)?.spec?.owner;

(POSTGRES ? describe : describe.skip)('ECS events on two replicas sharing one PostgreSQL database', () => {
  const getEmulator = useEmulator(fleet);
  let admin: Knex;
  const prefix = `ecs_sync_events_${process.pid}_${Date.now()}_`;

  beforeAll(() => {
    admin = knexFactory({ client: 'pg', connection: POSTGRES });
  });
  afterAll(async () => {
    const { rows } = (await admin.raw('SELECT datname FROM pg_database WHERE datname LIKE ?', [`${prefix}%`])) as { rows: Array<{ datname: string }> };
    for (const { datname } of rows) await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.destroy();
  });

  async function startReplica(queueUrl: string): Promise<{ backend: TestBackend; provider: AwsEcsEntityProvider }> {
    let provider: AwsEcsEntityProvider | undefined;
    const backend = await startTestBackend({
      features: [
        import('@backstage/plugin-catalog-backend'),
        mockServices.rootConfig.factory({ data: config(queueUrl, prefix) }),
        databaseServiceFactory,
        schedulerServiceFactory,
        eventsServiceFactory,
        import('@backstage/plugin-events-backend'),
        import('@backstage/plugin-events-backend-module-aws-sqs'),
        providerUnderTest({ onProvider: p => (provider = p) }),
      ],
    });
    return { backend, provider: provider! };
  }

  it('handles each event once across the replicas, however often SQS delivers it', async () => {
    const emulator = getEmulator();
    const queueUrl = emulator.createQueue(A, 'ecs-events-replicas');
    const a = await startReplica(queueUrl);
    const b = await startReplica(queueUrl);
    try {
      await a.provider.refresh();
      await eventually(() => fetchEntities(b.backend, 'spec.type=ecs-service'), e => e.length === SERVICES.length, 'the scanned services');
      emulator.resetStats();
      // Every event twice: both replicas poll the queue, so copies land on either.
      emulator.configureEvents({ queueUrl, duplicate: 1, reorderMs: 200, seed: 3 });
      for (let round = 1; round <= 3; round++) for (const name of SERVICES) emulator.setServiceTags(ARN(name), { owner: `team-${round}` });
      const { duplicated, produced } = emulator.eventStats;
      expect(duplicated).toBe(produced);
      const delivered = produced * 2;
      const seen = () => a.provider.eventCounts!.received + b.provider.eventCounts!.received;
      await eventually(async () => seen(), n => n === delivered, `all ${delivered} deliveries received`, 60_000);
      await Promise.all([a.provider.flushEvents(), b.provider.flushEvents()]);
      const handled = a.provider.eventCounts!.handled + b.provider.eventCounts!.handled;
      const duplicates = a.provider.eventCounts!.duplicates + b.provider.eventCounts!.duplicates;
      expect(handled).toBe(produced);
      expect(duplicates).toBe(duplicated);
      // Both replicas took part, and no round described a service twice for one event.
      expect(a.provider.eventCounts!.received).toBeGreaterThan(0);
      expect(b.provider.eventCounts!.received).toBeGreaterThan(0);
      const rounds = a.provider.eventCounts!.rounds + b.provider.eventCounts!.rounds;
      const calls = emulator.stats.byAction['ecs:DescribeServices'] ?? 0;
      expect(calls).toBe(a.provider.eventCounts!.describeCalls + b.provider.eventCounts!.describeCalls);
      expect(calls).toBeLessThanOrEqual(rounds);
      const entities = await eventually(
        () => fetchEntities(a.backend, 'spec.type=ecs-service'),
        e => SERVICES.every(name => ownerOf(e, name) === 'group:default/team-3'),
        'every owner from the last retag',
        30_000,
      );
      expect(entities).toHaveLength(SERVICES.length);
      process.stdout.write(`events on two replicas: ${delivered} deliveries of ${produced} events, handled ${handled}, ${rounds} rounds, ${calls} DescribeServices calls\n`);
    } finally {
      emulator.configureEvents(undefined);
      await a.backend.stop();
      await b.backend.stop();
    }
  }, 180_000);
});
