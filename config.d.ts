import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Amazon ECS entity providers, one per id. The id is part of the
       * provider name and must never change once entities exist: Backstage
       * deletes the entities of a provider name that disappears.
       */
      awsEcs?: {
        [id: string]: {
          /**
           * Account ids to scan, as quoted 12-digit strings ('012345678901').
           * Required unless `organization` is set; both may be combined.
           */
          accounts?: string[];
          /** Regions to scan in every account, for example [eu-west-1, us-east-1]. Required. */
          regions: string[];
          /**
           * Discover accounts through AWS Organizations (`organizations:ListAccounts`).
           * Only ACTIVE accounts are scanned.
           */
          organization?: {
            /** The account whose credentials list the organization; default: the main account. */
            managementAccountId?: string;
            /** When not empty, only these discovered accounts are scanned. */
            include?: string[];
            /** Discovered accounts never scanned. */
            exclude?: string[];
          };
          concurrency?: {
            /** Shards (one account in one region) scanned at the same time. Default 8. */
            shards?: number;
            /** ECS calls in flight per shard. Default 4. */
            callsPerShard?: number;
          };
          /**
           * Client-side pacing per shard, kept below ECS's own limit (burst 50,
           * 20 per second per account and region). Default: 18 per second, burst 40.
           */
          rateLimit?: {
            perSecond?: number;
            burst?: number;
          };
          retry?: {
            /** Attempts per call, the first included, for throttles, 5xx and timeouts. Default 10. */
            maxAttempts?: number;
            /** Longest backoff between two attempts. Default 20 seconds. */
            maxDelay?: { [unit: string]: number } | string;
          };
          /** Timeout of one HTTP call to AWS. Default 30 seconds. */
          callTimeout?: { [unit: string]: number } | string;
          /** When the provider scans (frequency, timeout, initialDelay). */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
      };
    };
  };
}
