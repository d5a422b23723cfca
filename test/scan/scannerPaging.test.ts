import { parseFleet } from '../../dev/emulator';
import { scanOnce as scan, useEmulator } from '../support/scanFixture';

const MAIN = { accessKeyId: 'AKIATESTPAGING000001', secretAccessKey: 'paging-secret' };
const SMALL_CLUSTERS = 105;
const BIG_CLUSTER_SERVICES = 230;

// 106 clusters (two ListClusters pages) and one cluster of 230 services (three
// ListServices pages, 23 DescribeServices batches).
const fleet = parseFleet({
  principals: [{ ...MAIN, accountId: '111111111111' }],
  accounts: [
    {
      id: '111111111111',
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [
            { name: 'big', services: Array.from({ length: BIG_CLUSTER_SERVICES }, (_, i) => ({ name: `svc-${String(i).padStart(3, '0')}` })) },
            ...Array.from({ length: SMALL_CLUSTERS }, (_, i) => ({ name: `c${String(i).padStart(3, '0')}`, services: [{ name: 'only' }] })),
          ],
        },
      },
    },
  ],
});
const EXPECTED_SERVICES = BIG_CLUSTER_SERVICES + SMALL_CLUSTERS;
// 2 ListClusters pages; ListServices: 3 pages for the big cluster, 1 per small one;
// DescribeServices: 23 batches for the big cluster, 1 per small one.
const MINIMUM_CALLS = 2 + (3 + SMALL_CLUSTERS) + (23 + SMALL_CLUSTERS);

const CONFIG = (extra = '') => `
aws:
  accountDefaults: { roleName: reader }
catalog:
  providers:
    awsEcs:
      test:
        accounts: ['111111111111']
        regions: [eu-west-1]
${extra || FAST}`;

// Client-side pacing is not what most of these tests are about; without this a
// 340-call shard takes as long as ECS's real limits would make it.
const FAST = '        rateLimit: { perSecond: 1000, burst: 1000 }';

describe('EcsScanner paging and pacing', () => {
  const getEmulator = useEmulator(fleet);
  let emulator: ReturnType<typeof getEmulator>;

  beforeEach(() => {
    emulator = getEmulator();
    emulator.replaceFleet(fleet);
    emulator.resetStats();
    emulator.setFaults({ rateLimit: false, latencyMs: 0 });
  });

  it('reads past 100 clusters and past 100 services in a cluster with the minimum number of calls', async () => {
    const inventory = await scan(CONFIG());
    expect(inventory.shards[0]).toMatchObject({ status: 'ok', clusters: SMALL_CLUSTERS + 1, services: EXPECTED_SERVICES });
    expect(new Set(inventory.services.map(s => s.arn)).size).toBe(EXPECTED_SERVICES);
    expect(inventory.shards[0].apiCalls).toBe(MINIMUM_CALLS);
    expect(emulator.stats.byAction).toMatchObject({
      'ecs:ListClusters': 2,
      'ecs:ListServices': 3 + SMALL_CLUSTERS,
      'ecs:DescribeServices': 23 + SMALL_CLUSTERS,
    });
  });

  it('paces itself under the real rate limit: throttles are retried and the shard completes', async () => {
    // Buckets far smaller than the client's pacing expects (each category its own,
    // as ECS keeps them), so throttling does happen even on a slow machine.
    emulator.setFaults({ rateLimit: { burst: 5, perSecond: 30 } });
    const inventory = await scan(CONFIG('        rateLimit: { perSecond: 200, burst: 20 }\n        retry: { maxAttempts: 30, maxDelay: PT0.1S }'));
    expect(inventory.shards[0]).toMatchObject({ status: 'ok', services: EXPECTED_SERVICES });
    expect(inventory.shards[0].throttled).toBe(emulator.stats.throttled);
    expect(inventory.shards[0].throttled).toBeGreaterThan(0);
    expect(inventory.shards[0].apiCalls).toBe(MINIMUM_CALLS + inventory.shards[0].throttled);
  });

  it('copes with services deleted while the scan is between pages', async () => {
    const inactive = 'arn:aws:ecs:eu-west-1:111111111111:service/big/svc-229';
    const purged = 'arn:aws:ecs:eu-west-1:111111111111:service/big/svc-228';
    let done = false;
    const unsubscribe = emulator.onRequest(info => {
      // After the listing of the big cluster, before its last batch is described.
      if (!done && info.action === 'DescribeServices' && String(info.body.cluster).endsWith('/big')) {
        done = true;
        emulator.deleteService(inactive);
        emulator.purgeService(purged);
      }
    });
    try {
      const inventory = await scan(CONFIG());
      expect(inventory.shards[0].status).toBe('ok');
      expect(inventory.services.find(s => s.arn === purged)).toBeUndefined();
      expect(inventory.services.find(s => s.arn === inactive)?.status).toBe('INACTIVE');
      expect(inventory.services).toHaveLength(EXPECTED_SERVICES - 1);
    } finally {
      unsubscribe();
    }
  });

  it('gives up a call that exceeds the call timeout and names it', async () => {
    emulator.setFaults({ latencyMs: 400 });
    const inventory = await scan(CONFIG(`${FAST}\n        callTimeout: { milliseconds: 100 }\n        retry: { maxAttempts: 2, maxDelay: PT0.01S }`));
    expect(inventory.shards[0]).toMatchObject({ status: 'failed', apiCalls: 2, retries: 1 });
    expect(inventory.shards[0].error).toEqual({
      name: 'TimeoutError',
      message: expect.stringMatching(/^ecs:ListClusters failed in account 111111111111, region eu-west-1: TimeoutError: /),
    });
  });
});
