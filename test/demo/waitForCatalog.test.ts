import type { CatalogApi } from '../../dev/demo/catalogApi';
import { CatalogWaitTimeout, waitForEcsEntities, waitForReadiness } from '../../dev/demo/waitForCatalog';

function fakeApi(counts: Array<number | Error>, ready: boolean[] = [true]): CatalogApi {
  let c = 0;
  let r = 0;
  return {
    baseUrl: 'http://127.0.0.1:1',
    count: async () => {
      const next = counts[Math.min(c++, counts.length - 1)];
      if (next instanceof Error) throw next;
      return next;
    },
    isReady: async () => ready[Math.min(r++, ready.length - 1)],
  } as unknown as CatalogApi;
}

describe('waitForEcsEntities', () => {
  it('returns once the count is non-zero and the same in two polls in a row', async () => {
    await expect(waitForEcsEntities(fakeApi([0, 0, 12, 40, 45, 45, 99]), { timeoutMs: 10_000, intervalMs: 1 })).resolves.toBe(45);
  });

  it('keeps polling through API errors', async () => {
    await expect(waitForEcsEntities(fakeApi([new Error('ECONNREFUSED'), 3, 3]), { timeoutMs: 10_000, intervalMs: 1 })).resolves.toBe(3);
  });

  it('gives up with a message saying what it saw', async () => {
    const error = await waitForEcsEntities(fakeApi([0]), { timeoutMs: 20, intervalMs: 1 }).catch(e => e);
    expect(error).toBeInstanceOf(CatalogWaitTimeout);
    expect(error.message).toMatch(/^the first ECS scan had not landed in the catalog after 0 s \(0 spec\.type=ecs-service entities so far\)/);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const waiting = waitForEcsEntities(fakeApi([0]), { timeoutMs: 60_000, intervalMs: 5, signal: controller.signal });
    controller.abort(new Error('stopped by SIGINT'));
    await expect(waiting).rejects.toThrow('stopped by SIGINT');
  });
});

describe('waitForReadiness', () => {
  it('polls until the readiness endpoint answers', async () => {
    await expect(waitForReadiness(fakeApi([0], [false, false, true]), { timeoutMs: 10_000, intervalMs: 1 })).resolves.toBeUndefined();
  });

  it('gives up after the timeout', async () => {
    await expect(waitForReadiness(fakeApi([0], [false]), { timeoutMs: 10, intervalMs: 1 })).rejects.toThrow(/was not ready after/);
  });
});
