import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import type { TestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import knexFactory, { type Knex } from 'knex';
import { parseFleet } from '../../dev/emulator';
import { scanGroupOf } from '../../src/sync/scanGroups';
import { eventually, fetchEntities, startCatalogBackend } from '../support/catalogBackend';
import { RecordingLogger } from '../support/recordingLogger';
import { useEmulator } from '../support/scanFixture';

// Switched on by .ci/run, which points it at the machine's PostgreSQL; skipped elsewhere.
const POSTGRES = process.env.ECS_CATALOG_SYNC_TEST_POSTGRES;
const GROUPS = 4;
const ACCOUNTS = Array.from({ length: 8 }, (_, i) => String(100000000000 + i * 7919).padStart(12, '0'));
const REGIONS = ['eu-west-1', 'us-east-1'];

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTREPLICAS0001', secretAccessKey: 'replicas-secret', accountId: ACCOUNTS[0] }],
  accounts: ACCOUNTS.map(id => ({
    id,
    roles: [{ name: 'reader' }],
    regions: Object.fromEntries(REGIONS.map(region => [region, { clusters: [{ name: 'c', services: [{ name: 'api' }, { name: 'worker' }] }] }])),
  })),
});
const LIVE_SERVICES = ACCOUNTS.length * REGIONS.length * 2;

const config: JsonObject = {
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: {
    providers: {
      awsEcs: {
        shared: {
          accounts: ACCOUNTS,
          regions: REGIONS,
          scanGroups: GROUPS,
          rateLimit: { perSecond: 1000, burst: 1000 },
          schedule: { frequency: { seconds: 2 }, timeout: { seconds: 30 } },
        },
      },
    },
  },
};

/** Which group each finished run was, on which replica, read from the provider's log lines. */
function runsIn(lines: string[]): number[] {
  return lines.flatMap(line => {
    const match = /^(?:info|warn) group (\d+) of \d+: ECS scan: /.exec(line);
    return match ? [Number(match[1]) - 1] : [];
  });
}

(POSTGRES ? describe : describe.skip)('two backend replicas sharing one PostgreSQL database', () => {
  const getEmulator = useEmulator(fleet);
  let admin: Knex;
  const database = `ecs_sync_replicas_${process.pid}_${Date.now()}`;
  const knexes: Knex[] = [];

  beforeAll(async () => {
    admin = knexFactory({ client: 'pg', connection: POSTGRES });
    await admin.raw(`CREATE DATABASE "${database}"`);
  });
  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
    await admin.raw(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.destroy();
  });

  function startReplica(lines: string[]): Promise<TestBackend> {
    const url = new URL(POSTGRES!);
    url.pathname = `/${database}`;
    const knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 10 } });
    knexes.push(knex);
    return startCatalogBackend({
      knex,
      config,
      features: [
        // The real scheduler: global tasks are coordinated through the shared database.
        schedulerServiceFactory,
        createServiceFactory({ service: coreServices.rootLogger, deps: {}, factory: () => new RecordingLogger(lines) }),
        import('../../src'),
      ],
    });
  }

  it('shares the groups between replicas, scans each shard once per run, hands over when one stops, and loses or duplicates nothing', async () => {
    const emulator = getEmulator();
    emulator.resetStats();
    const linesA: string[] = [];
    const linesB: string[] = [];
    const a = await startReplica(linesA);
    const b = await startReplica(linesB);
    let stopped = false;
    try {
      // Both replicas take part: each has finished runs of some groups.
      await eventually(async () => [runsIn(linesA).length, runsIn(linesB).length], ([x, y]) => x > 0 && y > 0, 'runs on both replicas', 90_000);
      const entities = await eventually(() => fetchEntities(b, 'spec.type=ecs-service'), e => e.length === LIVE_SERVICES, 'every service in the catalog', 60_000);
      expect(new Set(entities.map(e => e.metadata.name)).size).toBe(LIVE_SERVICES);

      // Stop A; B takes over every group.
      await a.stop();
      stopped = true;
      const afterStop = runsIn(linesB).length;
      await eventually(
        async () => new Set(runsIn(linesB).slice(afterStop)),
        groups => groups.size === GROUPS,
        'replica B to run every group after A stopped',
        90_000,
      );
      await b.stop();

      // Each finished run of a group read each of its shards exactly once: the calls to
      // ListClusters per shard equal the runs of its group, across both replicas.
      const runs = [...runsIn(linesA), ...runsIn(linesB)];
      const stats = emulator.stats.byScopeAction;
      for (const account of ACCOUNTS) {
        const group = scanGroupOf(account, GROUPS);
        const finished = runs.filter(g => g === group).length;
        for (const region of REGIONS) {
          const listed = stats[`${account}/${region}`]?.['ecs:ListClusters'] ?? 0;
          // A run cut short by the stop may have listed without finishing.
          expect(listed === finished || listed === finished + 1).toBe(true);
        }
      }

      // Nothing lost or duplicated: a fresh replica on the same database serves exactly the fleet.
      const c = await startReplica([]);
      try {
        const final = await fetchEntities(c, 'spec.type=ecs-service');
        expect(final).toHaveLength(LIVE_SERVICES);
        expect(new Set(final.map(e => e.metadata.annotations!['aws.amazon.com/amazon-ecs-service-arn'])).size).toBe(LIVE_SERVICES);
      } finally {
        await c.stop();
      }
    } finally {
      if (!stopped) await a.stop();
    }
  }, 300_000);
});
