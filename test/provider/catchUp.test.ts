import type { SchedulerService, SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { parseFleet } from '../../dev/emulator';
import { providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

const A = '111111111111';
const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTCATCHUP00001', secretAccessKey: 'catch-up-secret', accountId: A }],
  accounts: [{ id: A, roles: [{ name: 'reader' }], regions: { 'eu-west-1': { clusters: [{ name: 'c', services: [{ name: 'api' }] }] } } }],
});
const config = {
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: {
    providers: {
      awsEcs: { test: { accounts: [A], regions: ['eu-west-1'], rateLimit: { perSecond: 1000, burst: 1000 }, schedule: { frequency: { minutes: 20 }, timeout: { minutes: 10 } } } },
    },
  },
};

/** A scheduler that hands each task to the test, which runs it as the scheduler would after a takeover. */
function handingScheduler(tasks: Map<string, SchedulerServiceTaskInvocationDefinition['fn']>): SchedulerService {
  return {
    scheduleTask: async (task: SchedulerServiceTaskInvocationDefinition) => {
      tasks.set(task.id, task.fn);
    },
    triggerTask: async () => {},
  } as unknown as SchedulerService;
}

describe('the scheduled run after a takeover', () => {
  const getEmulator = useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('is skipped when the group was scanned moments ago, and runs once half an interval has passed', async () => {
    const tasks = new Map<string, SchedulerServiceTaskInvocationDefinition['fn']>();
    let now = new Date('2026-12-01T10:00:00Z');
    const backend = await startCatalogBackend({
      knex: await databases.init('SQLITE_3'),
      config,
      features: [providerUnderTest({ onProvider: () => {}, now: () => now, scheduler: handingScheduler(tasks) })],
    });
    try {
      const run = () => tasks.get('AwsEcsEntityProvider:test:refresh')!(new AbortController().signal);
      const listed = () => getEmulator().stats.byAction['ecs:ListClusters'] ?? 0;
      getEmulator().resetStats();
      await run();
      expect(listed()).toBe(1);
      // The scheduler, catching up with time it missed, runs the group again at once: nothing new to read.
      now = new Date('2026-12-01T10:01:00Z');
      await run();
      expect(listed()).toBe(1);
      now = new Date('2026-12-01T10:11:00Z');
      await run();
      expect(listed()).toBe(2);
    } finally {
      await backend.stop();
    }
  });
});
