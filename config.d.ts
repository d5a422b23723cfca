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
            /**
             * Shards (one account in one region) scanned at the same time.
             * Default 'auto': as many as the cores can keep at their budget
             * (at least 8, at most 256, fewer when free memory is short).
             */
            shards?: number | 'auto';
            /** ECS calls in flight per shard. Default 4. */
            callsPerShard?: number;
          };
          /**
           * The share of each of ECS's token buckets per account and region
           * (cluster reads: burst 50, 20/s; service reads, ListServices and
           * DescribeServices together: burst 100, 20/s) that one shard uses,
           * burst and rate alike; greater than 0, at most 1. Default 0.5: deploy
           * pipelines polling ECS in the same account keep the other half, and
           * a shard slows down further when it is throttled all the same.
           */
          rateBudget?: number;
          /**
           * One explicit token bucket for all of a shard's ECS calls, instead
           * of `rateBudget` (not both). A key left out is 19 per second or a
           * burst of 49.
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
          /**
           * When the provider scans (frequency, timeout, initialDelay).
           * Default: every 30 minutes, timeout 15 minutes, first scan 15 seconds after start.
           * A timeout longer than the frequency is cut to it.
           */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
          /**
           * How many scheduled tasks the accounts are split into, balanced by the
           * services each account held at its last scan and staggered across the
           * interval. Replicas sharing one database take turns running them, and
           * take over each other's groups. Default 1.
           */
          scanGroups?: number;
          /** How tags and rules become ownership. */
          mapping?: {
            /** Tag keys per field, tried in order, matched without regard to case. */
            tagKeys?: {
              /** Default [owner, team]. */
              owner?: string[];
              /** Default [system]. */
              system?: string[];
              /** Default [environment, stage, lifecycle]. */
              lifecycle?: string[];
              /** The component the service runs, as spec.dependencyOf. Default [component]. */
              component?: string[];
            };
            /** Used when no tag and no rule gives a value. */
            defaults?: {
              /** Default 'unknown' (group:default/unknown). */
              owner?: string;
              /** Default none. */
              system?: string;
              /** Default 'production'. */
              lifecycle?: string;
              /** Namespace of the entities. Default 'default'. */
              namespace?: string;
            };
            /**
             * Rules tried in order; the first whose every condition matches applies.
             * Tags still win over a rule for owner, system and lifecycle.
             */
            rules?: Array<{
              name?: string;
              match: {
                /** One quoted account id or a list. */
                accountId?: string | string[];
                region?: string | string[];
                /** Cluster name: a glob such as 'pay*', or a regular expression written '/.../'. */
                cluster?: string;
                /** Service name: a glob or '/regex/'. */
                service?: string;
                /** Tag key (any case) and, optionally, its exact value. */
                tag?: { key: string; value?: string };
              };
              set: {
                owner?: string;
                system?: string;
                lifecycle?: string;
                namespace?: string;
                labels?: { [key: string]: string };
              };
            }>;
            /** A YAML file with more rules (a list, or an object with `rules`), read at start-up after the inline ones. */
            rulesFile?: string;
          };
          /** When entities of services that are gone may be removed. */
          removal?: {
            /**
             * How long a service must be missing from complete scans of its account and
             * region before its entity is removed: { hours: 1 }, PT1H, '1h', or PT0S to remove at once.
             * Default: one scan interval (one hour for cron schedules).
             */
            gracePeriod?: { [unit: string]: number } | string;
            /** Removals of more than this share of the entities a scan covers (the provider's, or one scan group's) are held back. Default 0.25. */
            maxFraction?: number;
            /** Set to false to let a large removal through. Default true. */
            guard?: boolean;
          };
          /** What the team-scoped IAM policies (`ecs-catalog-sync iam-policy`, `GET /iam-policy`) may grant beyond ECS. */
          access?: {
            /**
             * IAM role ARNs a team may pass to its tasks under the deploy profile;
             * `{team}` is the team's entity name, `{namespace}` its namespace and `{accountId}`
             * the policy's account, for example arn:aws:iam::{accountId}:role/ecs-task-{team};
             * no wildcard beside `{team}`.
             */
            passRoles?: string[];
          };
          /**
           * Notifications to the owners of the entities that claim ECS services, through
           * the notifications plugin when the backend has it: one per claiming entity and
           * finding when it first appears, updated when it changes, "resolved" when it goes.
           */
          notifications?: {
            /** Set to false to send none. Default true. */
            enabled?: boolean;
          };
          /**
           * Refresh the services ECS events name between scheduled scans. The events
           * reach the topic through `@backstage/plugin-events-backend-module-aws-sqs`
           * (`events.modules.awsSqs.awsSqsConsumingEventPublisher.topics.<topic>`);
           * the scheduled scan stays the source of truth and repairs any event lost.
           */
          events?: {
            /** The events topic the SQS module publishes the ECS events on. */
            topic: string;
            /** How long events are gathered before one round describes the services they name. Default 1 second, at most 1 minute. */
            debounce?: { [unit: string]: number } | string;
          };
          /**
           * ECS operations (restart, scale, deploy) on the provider's services,
           * from the drift plugin's routes and the entity card, behind review
           * gates, executed as the owning team's operate role in the service's
           * account. Absent: no operations.
           */
          operations?: {
            /**
             * The team's operate role: `{accountId}` is the service's account, `{team}` the owning
             * group's entity name, e.g. arn:aws:iam::{accountId}:role/ecs-operate-{team}
             * (see docs/access.md, "The operate role").
             */
            roleArn: string;
            /** The IAM role (or user) ARN Backstage runs as: the only principal the operate roles trust (`iam-policy --role-trust`). */
            principal?: string;
            /**
             * Review gates, first match wins: lists left out match anything.
             * E.g. `[{ lifecycle: production, approvals: 1 }, { lifecycle: [staging, experimental], approvals: 0 }]`.
             */
            gates?: Array<{
              lifecycle?: string | string[];
              action?: ('restart' | 'scale' | 'deploy') | Array<'restart' | 'scale' | 'deploy'>;
              account?: string | string[];
              /** Approvals by owners other than the requester, 0 to 5. */
              approvals: number;
            }>;
            /** Approvals a change needs when no gate matches. Default 1. */
            defaultApprovals?: number;
            /** A request not approved within this long expires. Default 4 hours, at most 7 days. */
            expireAfter?: { [unit: string]: number } | string;
            /** Bounds on the desired count a scale may set. Default 0 to 10. */
            scale?: { min?: number; max?: number };
          };
        };
      };
    };
  };
}
