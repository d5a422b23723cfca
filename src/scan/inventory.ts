/**
 * The scan's output: plain data that every later stage (mapping, reconciliation,
 * reports) consumes. Nothing here refers to the AWS SDK, so the pure core can be
 * tested with hand-written inventories.
 */

export type EcsServiceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE';

export interface EcsService {
  arn: string;
  name: string;
  clusterArn: string;
  /** Always a 12-digit string: leading zeros are part of the id. */
  accountId: string;
  region: string;
  status: EcsServiceStatus;
  /** Keys exactly as ECS returned them (any casing); `{}` when the service has no tags. */
  tags: Record<string, string>;
  desiredCount: number;
  runningCount: number;
  /** Absent when the service runs on capacity providers. */
  launchType?: string;
  taskDefinition: string;
  /** ISO-8601. */
  createdAt: string;
}

/**
 * The family of the task definition a service runs, read from the ARN ECS
 * returns (`arn:…:task-definition/<family>:<revision>`); undefined when the
 * service names none (an external deployment controller keeps it on task
 * sets) or the name breaks ECS's family grammar.
 */
export function taskDefinitionFamily(service: Pick<EcsService, 'taskDefinition'>): string | undefined {
  const family = /^arn:[a-z-]+:ecs:[a-z0-9-]+:\d{12}:task-definition\/([^:/]+):\d+$/.exec(service.taskDefinition)?.[1];
  return family !== undefined && isTaskDefinitionFamily(family) ? family : undefined;
}

/**
 * ECS's grammar for a family. The family ends up in IAM resource ARNs, so
 * anything else, a wildcard above all, must never pass for one.
 */
export function isTaskDefinitionFamily(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,255}$/.test(value);
}

/** Listed by ECS and running or on its way out; an INACTIVE service is deleted. */
export function isLive(service: Pick<EcsService, 'status'>): boolean {
  return service.status === 'ACTIVE' || service.status === 'DRAINING';
}

export interface ShardError {
  /** The AWS error name (`AccessDeniedException`, `ThrottlingException`, ...). */
  name: string;
  /** Always names the account, the region and the API call, even when AWS sent no message. */
  message: string;
}

export type ShardStatus = 'ok' | 'failed';

/** A shard with nothing counted yet. */
export function emptyShard(accountId: string, region: string, status: ShardStatus): ShardResult {
  return { accountId, region, status, clusters: 0, services: 0, apiCalls: 0, throttled: 0, retries: 0, credentialRefreshes: 0 };
}

/** One account in one region: the unit that is either read completely or not at all. */
export interface ShardResult {
  accountId: string;
  region: string;
  /** `ok` only when every page of every list was read. */
  status: ShardStatus;
  error?: ShardError;
  clusters: number;
  services: number;
  /** HTTP calls sent to ECS for this shard, retries included. */
  apiCalls: number;
  /** Calls that ECS answered with a throttling error. */
  throttled: number;
  /** Calls that were sent again after a throttle or a transient error. */
  retries: number;
  /** Times the shard's credentials had to be fetched again after AWS called them expired. */
  credentialRefreshes: number;
  /** How long the shard took to read, in milliseconds (not part of any entity). */
  durationMs?: number;
}

/** How the list of accounts was obtained when the scope comes from AWS Organizations. */
export interface DiscoveryResult {
  status: 'ok' | 'failed';
  accounts: number;
  error?: ShardError;
}

export interface Inventory {
  shards: ShardResult[];
  services: EcsService[];
  discovery?: DiscoveryResult;
  /** Every account of the provider's scope, when this scan read only a part of it (one scan group). */
  scopeAccounts?: string[];
}

export function shardKey(accountId: string, region: string): string {
  return `${accountId}/${region}`;
}

export function compareShards(a: { accountId: string; region: string }, b: { accountId: string; region: string }): number {
  return a.accountId === b.accountId ? compareStrings(a.region, b.region) : compareStrings(a.accountId, b.accountId);
}

/** Code-point order, independent of the process locale, so output is byte-identical everywhere. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
