import { TokenBucket } from '../../src/scan/tokenBucket';

describe('TokenBucket', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  async function settle() {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }

  function track(bucket: TokenBucket, n: number): boolean[] {
    const done = Array.from({ length: n }, () => false);
    done.forEach((_, i) => bucket.take().then(() => (done[i] = true)));
    return done;
  }

  it('lets a burst through at once, then one call per 1/rate seconds, in order', async () => {
    const bucket = new TokenBucket(10, 3);
    const done = track(bucket, 6);
    await settle();
    expect(done).toEqual([true, true, true, false, false, false]);
    jest.advanceTimersByTime(100);
    await settle();
    expect(done).toEqual([true, true, true, true, false, false]);
    jest.advanceTimersByTime(200);
    await settle();
    expect(done).toEqual([true, true, true, true, true, true]);
  });

  it('never holds more than the burst however long it was idle', async () => {
    const bucket = new TokenBucket(10, 2);
    jest.advanceTimersByTime(60_000);
    const done = track(bucket, 3);
    await settle();
    expect(done).toEqual([true, true, false]);
  });

  it('stops spending after a throttle until tokens have refilled', async () => {
    const bucket = new TokenBucket(10, 5);
    bucket.drain();
    const done = track(bucket, 1);
    await settle();
    expect(done).toEqual([false]);
    jest.advanceTimersByTime(100);
    await settle();
    expect(done).toEqual([true]);
  });
});
