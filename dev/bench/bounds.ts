/**
 * The shortest wall time token-bucket rate limits allow for a scan.
 *
 * A shard that must send `calls` calls through a bucket holding `burst` tokens
 * and refilling at `perSecond` cannot send its last call before
 * max(0, calls - burst) / perSecond seconds have passed, whatever its
 * concurrency: the first `burst` calls go at once, every further one waits for
 * a token. ECS keeps one bucket per account and region, so shards never share
 * a bucket and could in principle all run side by side: that is the
 * fully-parallel bound, the largest single-shard bound.
 *
 * The scanner, however, runs only `slots` shards at a time (p-limit, started in
 * configuration order, a freed slot takes the next shard). Replaying that with
 * each shard lasting exactly its own bound gives the greedy-schedule bound: the
 * least time the rate limits allow *given the scanner's shard concurrency*.
 * It is the figure to compare the measured wall time with; the fully-parallel
 * one shows what the concurrency setting itself costs.
 *
 * Both ignore the CPU and network cost of the calls (that is what the phase-A
 * baseline measures), so they are lower bounds, and with shards that fit in the
 * burst they are zero.
 */
export interface RateLimitSpec {
  burst: number;
  perSecond: number;
}

export function shardBoundSeconds(calls: number, limit: RateLimitSpec): number {
  return Math.max(0, calls - limit.burst) / limit.perSecond;
}

/** Makespan of running `durations` in order on `slots` workers, each taking the next job when free. */
export function greedyMakespan(durations: readonly number[], slots: number): number {
  const free = new Array<number>(Math.max(1, Math.min(slots, durations.length || 1))).fill(0);
  for (const d of durations) {
    // The slot that frees first takes the next shard (ties: lowest index, as p-limit's FIFO queue does).
    let best = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[best]) best = i;
    free[best] += d;
  }
  return Math.max(...free);
}

export interface ScanBounds {
  /** The slowest single shard: what unlimited shard concurrency could reach. */
  fullyParallelSeconds: number;
  /** Shards scheduled onto the scanner's slots in its order. */
  greedySeconds: number;
}

export function scanBounds(callsPerShard: readonly number[], limit: RateLimitSpec, slots: number): ScanBounds {
  const durations = callsPerShard.map(c => shardBoundSeconds(c, limit));
  return {
    fullyParallelSeconds: durations.length ? Math.max(...durations) : 0,
    greedySeconds: greedyMakespan(durations, slots),
  };
}

/** A shard's calls by ECS bucket: ListClusters are cluster reads; ListServices and DescribeServices, service reads. */
export interface CallsByCategory {
  clusterReads: number;
  serviceReads: number;
}

export interface CategoryLimits {
  clusterReads: RateLimitSpec;
  serviceReads: RateLimitSpec;
}

/**
 * The least time per-category buckets allow a shard: each category's calls
 * wait for their own bucket, and the categories refill side by side, so the
 * slowest category sets the shard's time.
 */
export function categoryShardBoundSeconds(calls: CallsByCategory, limits: CategoryLimits): number {
  return Math.max(shardBoundSeconds(calls.clusterReads, limits.clusterReads), shardBoundSeconds(calls.serviceReads, limits.serviceReads));
}

export function categoryScanBounds(shards: readonly CallsByCategory[], limits: CategoryLimits, slots: number): ScanBounds {
  const durations = shards.map(c => categoryShardBoundSeconds(c, limits));
  return {
    fullyParallelSeconds: durations.length ? Math.max(...durations) : 0,
    greedySeconds: greedyMakespan(durations, slots),
  };
}
