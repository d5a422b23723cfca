import { parseFleet } from '../../dev/emulator';
import { abortable } from '../../src/scan/shardClient';
import { scannerFor, useEmulator } from '../support/scanFixture';

/**
 * A backend that stops, or a run past its timeout, aborts the scan's signal:
 * no call starts after that, the scan rejects instead of returning a partial
 * inventory, and a call waiting out a retry backoff is given up at once.
 */
const A = '111111111111';
const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTABORT0000001', secretAccessKey: 'abort-secret', accountId: A }],
  accounts: [
    {
      id: A,
      roles: [{ name: 'reader' }],
      regions: Object.fromEntries(
        ['eu-west-1', 'us-east-1', 'eu-central-1', 'ap-southeast-2'].map(region => [
          region,
          { clusters: Array.from({ length: 6 }, (_, c) => ({ name: `c${c}`, services: Array.from({ length: 25 }, (_, s) => ({ name: `s${s}` })) })) },
        ]),
      ),
    },
  ],
});

const CONFIG = `
aws: { accountDefaults: { roleName: reader } }
catalog:
  providers:
    awsEcs:
      test:
        accounts: ['${A}']
        regions: [eu-west-1, us-east-1, eu-central-1, ap-southeast-2]
        concurrency: { shards: 2, callsPerShard: 2 }
        rateLimit: { perSecond: 1000, burst: 1000 }
`;

describe('a stopped scan', () => {
  const getEmulator = useEmulator(fleet);

  afterEach(() => getEmulator().setFaults({ latencyMs: 0 }));

  it('starts no call after the stop and rejects with the stop’s reason', async () => {
    const emulator = getEmulator();
    emulator.setFaults({ latencyMs: 40 });
    const scanner = scannerFor(CONFIG);
    try {
      // The whole scan, for the count of calls it needs.
      emulator.resetStats();
      await scanner.scan();
      const whole = emulator.stats.byAction['ecs:DescribeServices'];

      emulator.resetStats();
      const stop = new AbortController();
      const scan = scanner.scan({ signal: stop.signal });
      const outcome = scan.then(
        () => 'finished',
        (error: Error) => error.name,
      );
      // Stop once the scan is well under way.
      while ((emulator.stats.byAction['ecs:DescribeServices'] ?? 0) < 4) await new Promise(resolve => setTimeout(resolve, 10));
      stop.abort();
      const atStop = emulator.stats.totalCalls;
      expect(await outcome).toBe('AbortError');
      // Calls already sent may still arrive (at most one per concurrent slot); nothing new starts.
      await new Promise(resolve => setTimeout(resolve, 300));
      expect(emulator.stats.totalCalls - atStop).toBeLessThanOrEqual(4);
      expect(emulator.stats.byAction['ecs:DescribeServices']).toBeLessThan(whole / 2);
    } finally {
      scanner.close();
    }
  });
});

describe('abortable', () => {
  // The SDK sleeps out a retry backoff (up to retry.maxDelay) before it looks at its abort signal again.
  it('rejects with the stop’s reason at once, whatever the work is waiting for', async () => {
    const stop = new AbortController();
    const backoff = new Promise<string>(() => {});
    const call = abortable(backoff, stop.signal);
    stop.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('settles with the work when nothing stops it, and ignores a late failure after a stop', async () => {
    await expect(abortable(Promise.resolve('page'), new AbortController().signal)).resolves.toBe('page');
    const stop = new AbortController();
    stop.abort();
    const failing = Promise.reject(new Error('throttled'));
    await expect(abortable(failing, stop.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
