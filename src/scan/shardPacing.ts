import { type BucketLimit, budgetBuckets, ECS_THROTTLING, type EcsCallCategory } from './ecsThrottling';
import type { ScanTuning } from './scanScope';
import { TokenBucket } from './tokenBucket';

/** Below this a shard would take hours; retries with backoff carry it through a busier spell instead. */
export const MIN_CALLS_PER_SECOND = 0.5;

/**
 * How one shard spends ECS's buckets: by default a budget per category (a
 * share of ECS's documented bucket), or, when `rateLimit` is set, one bucket
 * for all of the shard's calls. A throttle the shard cannot have caused
 * itself, because its pacing stays inside ECS's bucket, means someone else in
 * the account (a deploy pipeline, the console, Terraform) is using it: the
 * shard halves that category's pacing for the rest of its scan, once per
 * pace, so the calls throttled together count once.
 */
export class ShardPacing {
  private buckets!: Record<EcsCallCategory, TokenBucket>;
  private paces!: Record<EcsCallCategory, number>;
  /** How many times this scan of the shard slowed down. */
  slowdowns = 0;

  constructor(
    private readonly tuning: Pick<ScanTuning, 'rateBudget' | 'rateLimit'>,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.reset();
  }

  /** Every scan of the shard starts at its full budget again. */
  reset(): void {
    const explicit = this.tuning.rateLimit;
    if (explicit) {
      const shared = new TokenBucket(explicit.perSecond, explicit.burst, this.now);
      this.buckets = { clusterReads: shared, serviceReads: shared };
    } else {
      const budget = budgetBuckets(this.tuning.rateBudget);
      this.buckets = {
        clusterReads: new TokenBucket(budget.clusterReads.perSecond, budget.clusterReads.burst, this.now),
        serviceReads: new TokenBucket(budget.serviceReads.perSecond, budget.serviceReads.burst, this.now),
      };
    }
    this.paces = { clusterReads: 0, serviceReads: 0 };
    this.slowdowns = 0;
  }

  /** Waits for a token; resolves with the pace the call is sent at, for `throttled`. */
  async take(category: EcsCallCategory): Promise<number> {
    await this.buckets[category].take();
    return this.paces[category];
  }

  /** A call of `category`, sent at `pace`, was throttled. */
  throttled(category: EcsCallCategory, pace: number): void {
    const bucket = this.buckets[category];
    bucket.drain();
    if (pace !== this.paces[category] || !insideEcsBucket(bucket.limit, ECS_THROTTLING[category])) return;
    bucket.slowDown(MIN_CALLS_PER_SECOND);
    this.slowdowns += 1;
    // One shared bucket (an explicit rateLimit) slows every category down at once.
    for (const c of Object.keys(this.buckets) as EcsCallCategory[]) if (this.buckets[c] === bucket) this.paces[c] += 1;
  }

  limit(category: EcsCallCategory): BucketLimit {
    return this.buckets[category].limit;
  }
}

/** Pacing strictly inside ECS's bucket cannot empty it alone: a throttle then is someone else's doing. */
function insideEcsBucket(pacing: BucketLimit, ecs: BucketLimit): boolean {
  return pacing.perSecond < ecs.perSecond && pacing.burst < ecs.burst;
}
