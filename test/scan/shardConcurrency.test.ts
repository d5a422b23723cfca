import { shardConcurrency } from '../../src/scan/shardConcurrency';

const tuning = (shards: number | 'auto', extra: { rateBudget?: number; rateLimit?: { perSecond: number; burst: number } } = {}) => ({
  concurrency: { shards, callsPerShard: 4 },
  rateBudget: extra.rateBudget ?? 0.5,
  rateLimit: extra.rateLimit,
});

describe('shardConcurrency', () => {
  it('keeps a configured number, never more than there are shards', () => {
    expect(shardConcurrency(tuning(3), 10)).toBe(3);
    expect(shardConcurrency(tuning(30), 10)).toBe(10);
  });

  it('runs every shard at once when the cores can keep them at their budget', () => {
    // 20 calls a second per shard at the default budget: 400 a core serve 20 shards each.
    expect(shardConcurrency(tuning('auto'), 20)).toBe(20);
  });

  it('runs fewer shards at once when each may call faster, but never fewer than 8', () => {
    const fast = shardConcurrency(tuning('auto', { rateBudget: 1 }), 1000);
    const polite = shardConcurrency(tuning('auto', { rateBudget: 0.25 }), 1000);
    expect(fast).toBeLessThan(polite);
    expect(shardConcurrency(tuning('auto', { rateLimit: { perSecond: 1_000_000, burst: 1_000_000 } }), 1000)).toBe(8);
    expect(polite).toBeLessThanOrEqual(256);
  });
});
