import { DEFAULT_FAULTS, parseFleet } from '../../dev/emulator';
import { scanOnce as scan, useEmulator } from '../support/scanFixture';

const MAIN = { accessKeyId: 'AKIATESTPOLITE000001', secretAccessKey: 'polite-secret' };
const SERVICES = 1200;

// One shard that needs more than its budget's burst: 1 ListClusters, then 12
// ListServices pages and 120 DescribeServices batches on the service-reads bucket.
const fleet = parseFleet({
  principals: [{ ...MAIN, accountId: '111111111111' }],
  accounts: [
    {
      id: '111111111111',
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': { clusters: [{ name: 'big', services: Array.from({ length: SERVICES }, (_, i) => ({ name: `svc-${String(i).padStart(4, '0')}` })) }] },
      },
    },
  ],
});
const MINIMUM_CALLS = 1 + 12 + 120;

// A small shard for the busy account: 1 ListClusters, 1 ListServices, 10 DescribeServices.
const SMALL = 100;
const smallFleet = parseFleet({
  ...fleet,
  accounts: [{ ...fleet.accounts[0]!, regions: { 'eu-west-1': { clusters: [{ name: 'small', services: Array.from({ length: SMALL }, (_, i) => ({ name: `svc-${i}` })) }] } } }],
});
const SMALL_MINIMUM_CALLS = 1 + 1 + 10;

const CONFIG = (extra = '') => `
aws:
  accountDefaults: { roleName: reader }
catalog:
  providers:
    awsEcs:
      test:
        accounts: ['111111111111']
        regions: [eu-west-1]
${extra}`;

describe('a scan that shares ECS buckets with a deploy pipeline', () => {
  const getEmulator = useEmulator(fleet);
  let emulator: ReturnType<typeof getEmulator>;

  beforeEach(() => {
    emulator = getEmulator();
    emulator.replaceFleet(fleet);
    emulator.setFaults({ rateLimit: DEFAULT_FAULTS.rateLimit, latencyMs: 0 });
    emulator.resetStats();
  });
  afterEach(() => emulator.setDeployPipeline(false));

  it('leaves the pipeline every call it makes by default, with the minimum number of calls', async () => {
    emulator.setDeployPipeline({ callsPerSecond: 5 });
    const inventory = await scan(CONFIG());
    const stats = emulator.stats;
    expect(inventory.shards[0]).toMatchObject({ status: 'ok', services: SERVICES, apiCalls: MINIMUM_CALLS, throttled: 0 });
    expect(stats.deployPipeline.calls).toBeGreaterThan(0);
    expect(stats.deployPipeline.throttled).toBe(0);
  });

  it('keeps the shard complete when someone else drains the bucket, slowing down instead of failing', async () => {
    // A busy account: a small service-reads bucket the pipeline keeps nearly empty.
    emulator.replaceFleet(smallFleet);
    emulator.setFaults({ rateLimit: { serviceReads: { burst: 2, perSecond: 10 } } });
    emulator.setDeployPipeline({ callsPerSecond: 8 });
    const inventory = await scan(CONFIG('        retry: { maxAttempts: 30, maxDelay: PT0.5S }'));
    const shard = inventory.shards[0];
    expect(shard).toMatchObject({ status: 'ok', services: SMALL });
    expect(new Set(inventory.services.map(s => s.arn)).size).toBe(SMALL);
    expect(shard.throttled).toBeGreaterThan(0);
    expect(shard.apiCalls).toBe(SMALL_MINIMUM_CALLS + shard.throttled);
  });
});
