import { budgetBuckets, callCategory, ECS_THROTTLING } from '../../src/scan/ecsThrottling';
import { MIN_CALLS_PER_SECOND, ShardPacing } from '../../src/scan/shardPacing';

describe('ShardPacing', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  async function settle() {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }

  /** How many of `n` takes of `category` have gone through after `ms`. */
  async function through(pacing: ShardPacing, category: 'clusterReads' | 'serviceReads', n: number, ms: number): Promise<number> {
    let done = 0;
    for (let i = 0; i < n; i++) void pacing.take(category).then(() => done++);
    await settle();
    jest.advanceTimersByTime(ms);
    await settle();
    return done;
  }

  it('gives each category half of ECS documented bucket by default, burst and rate', async () => {
    expect(budgetBuckets(0.5)).toEqual({ clusterReads: { perSecond: 10, burst: 25 }, serviceReads: { perSecond: 10, burst: 50 } });
    const pacing = new ShardPacing({ rateBudget: 0.5 });
    // The burst at once, then 10 a second; the categories do not wait for each other.
    expect(await through(pacing, 'serviceReads', 70, 0)).toBe(50);
    expect(await through(pacing, 'clusterReads', 30, 0)).toBe(25);
    jest.advanceTimersByTime(1000);
    await settle();
    expect(pacing.limit('serviceReads')).toEqual({ perSecond: 10, burst: 50 });
  });

  it('maps the scan calls to their buckets: ListServices and DescribeServices share the service reads', () => {
    expect(callCategory('ListClustersCommand')).toBe('clusterReads');
    expect(callCategory('ListServicesCommand')).toBe('serviceReads');
    expect(callCategory('DescribeServicesCommand')).toBe('serviceReads');
    expect(ECS_THROTTLING.serviceReads).toEqual({ perSecond: 20, burst: 100 });
  });

  it('halves a category for the rest of the scan after a throttle it cannot have caused, once per pace', () => {
    const pacing = new ShardPacing({ rateBudget: 0.5 });
    // Three calls sent at the first pace, throttled together: one slowdown, not three.
    pacing.throttled('serviceReads', 0);
    pacing.throttled('serviceReads', 0);
    pacing.throttled('serviceReads', 0);
    expect(pacing.limit('serviceReads')).toEqual({ perSecond: 5, burst: 25 });
    expect(pacing.limit('clusterReads')).toEqual({ perSecond: 10, burst: 25 });
    expect(pacing.slowdowns).toBe(1);
    // A call sent at the new pace and throttled again: slower still, down to the floor.
    for (let pace = 1; pace < 20; pace++) pacing.throttled('serviceReads', pace);
    expect(pacing.limit('serviceReads')).toEqual({ perSecond: MIN_CALLS_PER_SECOND, burst: 1 });
    // The next scan of the shard starts at its full budget again.
    pacing.reset();
    expect(pacing.limit('serviceReads')).toEqual({ perSecond: 10, burst: 50 });
    expect(pacing.slowdowns).toBe(0);
  });

  it('sends the calls after a slowdown at the slower rate', async () => {
    const pacing = new ShardPacing({ rateBudget: 0.5 });
    expect(await through(pacing, 'serviceReads', 50, 0)).toBe(50);
    pacing.throttled('serviceReads', 0);
    // 5 a second now, from an empty bucket.
    expect(await through(pacing, 'serviceReads', 10, 1000)).toBe(5);
  });

  it('only drains after a throttle of pacing that reaches ECS limits: that throttle may be its own', () => {
    const whole = new ShardPacing({ rateBudget: 1 });
    whole.throttled('serviceReads', 0);
    expect(whole.limit('serviceReads')).toEqual({ perSecond: 20, burst: 100 });
    expect(whole.slowdowns).toBe(0);
    const explicit = new ShardPacing({ rateBudget: 0.5, rateLimit: { perSecond: 1000, burst: 1000 } });
    explicit.throttled('clusterReads', 0);
    expect(explicit.limit('clusterReads')).toEqual({ perSecond: 1000, burst: 1000 });
  });

  it('slows one explicit bucket down for every category at once', () => {
    const pacing = new ShardPacing({ rateBudget: 0.5, rateLimit: { perSecond: 8, burst: 16 } });
    pacing.throttled('serviceReads', 0);
    expect(pacing.limit('clusterReads')).toEqual({ perSecond: 4, burst: 8 });
    expect(pacing.limit('serviceReads')).toEqual({ perSecond: 4, burst: 8 });
  });
});
