import { availableParallelism, freemem } from 'node:os';
import { budgetBuckets } from './ecsThrottling';
import type { ScanTuning } from './scanScope';

/**
 * ECS calls one core can send and parse per second: the scanner spends about
 * 1.2 ms of CPU per call (docs/performance.md), and half a core is left for
 * everything else the backend does.
 */
const CALLS_PER_CORE_PER_SECOND = 400;
/** Memory a shard in flight holds at most: its SDK client, sockets and a few pages of answers. */
const SHARD_MEMORY_BYTES = 16 * 1024 * 1024;
/** Never fewer than the old fixed default; never so many that sockets and clients pile up. */
const MIN_SHARDS = 8;
const MAX_SHARDS = 256;

/**
 * How many shards run at once. Each shard keeps to its own budget of ECS's
 * buckets, which belong to its account and region alone, so shards do not
 * slow each other down at ECS: the limit is this machine. `auto` runs as many
 * as the cores can serve at the shards' budgeted rate and free memory holds,
 * so the wall time is set by the biggest shard's budget, not by queueing.
 */
export function shardConcurrency(tuning: Pick<ScanTuning, 'concurrency' | 'rateBudget' | 'rateLimit'>, shards: number): number {
  const { shards: configured } = tuning.concurrency;
  if (configured !== 'auto') return Math.max(1, Math.min(configured, shards));
  const budget = budgetBuckets(tuning.rateBudget);
  const perShard = tuning.rateLimit?.perSecond ?? budget.clusterReads.perSecond + budget.serviceReads.perSecond;
  const byCpu = Math.floor((availableParallelism() * CALLS_PER_CORE_PER_SECOND) / Math.max(1e-9, perShard));
  const byMemory = Math.floor(freemem() / SHARD_MEMORY_BYTES);
  const auto = Math.max(MIN_SHARDS, Math.min(MAX_SHARDS, byCpu, byMemory));
  return Math.max(1, Math.min(auto, shards));
}
