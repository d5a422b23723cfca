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
    /** Shards (account and region) scanned at the same time. */
    shards: number;
    /** ECS calls in flight per shard. */
    callsPerShard: number;
  };
  /** Client-side token bucket per shard, kept below ECS's own limits. */
  rateLimit: { perSecond: number; burst: number };
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
