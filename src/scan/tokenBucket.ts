/**
 * Client-side pacing: one bucket per category of ECS call of a shard, holding
 * a share of ECS's own bucket, so a large account is read at a steady pace
 * that leaves the rest of the bucket to whoever else calls ECS there.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private perSecond: number,
    private burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.tokens = burst;
    this.last = this.now();
  }

  take(): Promise<void> {
    this.refill();
    if (this.waiters.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise(resolve => {
      this.waiters.push(resolve);
      this.schedule();
    });
  }

  /** After a throttle the server's bucket is empty too: stop spending until ours refills. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  /**
   * Halves the rate and the burst (down to `minPerSecond` and one call), for
   * when someone else is spending the bucket we share with them.
   */
  slowDown(minPerSecond: number): void {
    this.refill();
    this.perSecond = Math.max(minPerSecond, this.perSecond / 2);
    this.burst = Math.max(1, Math.floor(this.burst / 2));
    this.tokens = Math.min(this.tokens, this.burst);
  }

  get limit(): { perSecond: number; burst: number } {
    return { perSecond: this.perSecond, burst: this.burst };
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(1, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.waiters.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.waiters.shift()!();
      }
      if (this.waiters.length > 0) this.schedule();
    }, wait);
  }
}
