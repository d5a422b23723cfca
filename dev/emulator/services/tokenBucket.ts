/**
 * Token buckets like the ones AWS rate-limits API calls with: `burst` calls may
 * go at once, then the bucket refills at `perSecond`. Refill is computed lazily
 * from the clock on each take, so idle buckets cost nothing.
 */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private limit: RateLimit | false,
    private readonly clock: () => number,
  ) {}

  /** Changing the limit starts every bucket full again. */
  setLimit(limit: RateLimit | false): void {
    this.limit = limit;
    this.buckets.clear();
  }

  /** Takes one token for `key`; false means the call is throttled. */
  take(key: string): boolean {
    const limit = this.limit;
    if (limit === false) return true;
    const now = this.clock();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: limit.burst, updatedAt: now };
      this.buckets.set(key, b);
    } else {
      const elapsed = Math.max(0, now - b.updatedAt) / 1000;
      b.tokens = Math.min(limit.burst, b.tokens + elapsed * limit.perSecond);
      b.updatedAt = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
