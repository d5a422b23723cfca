/** Discover accounts through AWS Organizations instead of (or besides) listing them. */
export interface OrganizationDiscoveryConfig {
  /** Account whose credentials call `organizations:ListAccounts`; the main account when absent. */
  managementAccountId?: string;
  /** When not empty, only these discovered accounts are scanned. */
  include: string[];
  exclude: string[];
}

/** How politely and how widely a scan calls ECS. */
export interface ScanTuning {
  concurrency: {
    /**
     * Shards (account and region) scanned at the same time; `auto`: as many
     * as the machine's cores can keep at their budget (`shardConcurrency.ts`).
     */
    shards: number | 'auto';
    /** ECS calls in flight per shard. */
    callsPerShard: number;
  };
  /**
   * The share (0 to 1) of each of ECS's buckets per account and region
   * (`ecsThrottling.ts`) one shard spends: its burst and its rate.
   */
  rateBudget: number;
  /** One explicit token bucket for all of a shard's ECS calls, instead of `rateBudget`. */
  rateLimit?: { perSecond: number; burst: number };
  retry: { maxAttempts: number; maxDelayMs: number };
  callTimeoutMs: number;
}

/** What one scanner reads: every listed or discovered account in every region, and how. */
export interface ScanScope {
  accounts: string[];
  regions: string[];
  organization?: OrganizationDiscoveryConfig;
  tuning: ScanTuning;
}
