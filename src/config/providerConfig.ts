import { Config } from '@backstage/config';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ConfigError } from './configError';
import {
  assertKnownKeys,
  readAccountIdList,
  readDurationMs,
  readPositiveInteger,
  readPositiveNumber,
  readRegionList,
  readAccountId,
} from './readers';

export const PROVIDERS_KEY = 'catalog.providers.awsEcs';

/** Discover accounts through AWS Organizations instead of (or besides) listing them. */
export interface OrganizationDiscoveryConfig {
  /** Account whose credentials call `organizations:ListAccounts`; the main account when absent. */
  managementAccountId?: string;
  /** When not empty, only these discovered accounts are scanned. */
  include: string[];
  exclude: string[];
}

export interface ScanTuning {
  concurrency: {
    /** Shards (account and region) scanned at the same time. */
    shards: number;
    /** ECS calls in flight per shard. */
    callsPerShard: number;
  };
  /** Client-side token bucket per shard, kept below ECS's own limits (burst 50, 20 per second). */
  rateLimit: { perSecond: number; burst: number };
  retry: { maxAttempts: number; maxDelayMs: number };
  callTimeoutMs: number;
}

export interface EcsProviderConfig {
  id: string;
  accounts: string[];
  regions: string[];
  organization?: OrganizationDiscoveryConfig;
  scan: ScanTuning;
  schedule?: SchedulerServiceTaskScheduleDefinition;
}

export const DEFAULT_SCAN_TUNING: ScanTuning = {
  concurrency: { shards: 8, callsPerShard: 4 },
  rateLimit: { perSecond: 18, burst: 40 },
  retry: { maxAttempts: 10, maxDelayMs: 20_000 },
  callTimeoutMs: 30_000,
};

const PROVIDER_KEYS = ['accounts', 'regions', 'organization', 'concurrency', 'rateLimit', 'retry', 'callTimeout', 'schedule'] as const;
const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export function readProviderConfigs(root: Config): EcsProviderConfig[] {
  const providers = root.getOptionalConfig(PROVIDERS_KEY);
  if (!providers) return [];
  return providers.keys().map(id => {
    // The id becomes the provider name, which must never change; check it before
    // Backstage's own key validation throws a message without the path.
    if (!PROVIDER_ID.test(id)) {
      throw new ConfigError(`${PROVIDERS_KEY}.${id}`, `provider id '${id}' must start with a letter or digit and contain only letters, digits, '-' and '_'`);
    }
    return readProviderConfig(id, providers.getConfig(id));
  });
}

export function readProviderConfig(id: string, config: Config): EcsProviderConfig {
  const path = `${PROVIDERS_KEY}.${id}`;
  assertKnownKeys(config, path, PROVIDER_KEYS);

  const regions = readRegionList(config, 'regions', path);
  if (!regions || regions.length === 0) {
    throw new ConfigError(`${path}.regions`, 'required: list the regions to scan, for example [eu-west-1, us-east-1]');
  }
  const organization = readOrganization(config, path);
  const accounts = readAccountIdList(config, 'accounts', path) ?? [];
  if (accounts.length === 0 && !organization) {
    throw new ConfigError(`${path}.accounts`, 'required: list the account ids to scan, or configure organization discovery');
  }

  return {
    id,
    accounts,
    regions,
    organization,
    scan: readScanTuning(config, path),
    schedule: readSchedule(config, path),
  };
}

function readOrganization(config: Config, path: string): OrganizationDiscoveryConfig | undefined {
  const org = config.getOptionalConfig('organization');
  if (!org) return undefined;
  const orgPath = `${path}.organization`;
  assertKnownKeys(org, orgPath, ['managementAccountId', 'include', 'exclude']);
  const managementAccountId = org.has('managementAccountId')
    ? readAccountId(org.getOptional('managementAccountId'), `${orgPath}.managementAccountId`)
    : undefined;
  return {
    managementAccountId,
    include: readAccountIdList(org, 'include', orgPath) ?? [],
    exclude: readAccountIdList(org, 'exclude', orgPath) ?? [],
  };
}

function readScanTuning(config: Config, path: string): ScanTuning {
  const d = DEFAULT_SCAN_TUNING;
  const concurrency = config.getOptionalConfig('concurrency');
  if (concurrency) assertKnownKeys(concurrency, `${path}.concurrency`, ['shards', 'callsPerShard']);
  const rateLimit = config.getOptionalConfig('rateLimit');
  if (rateLimit) assertKnownKeys(rateLimit, `${path}.rateLimit`, ['perSecond', 'burst']);
  const retry = config.getOptionalConfig('retry');
  if (retry) assertKnownKeys(retry, `${path}.retry`, ['maxAttempts', 'maxDelay']);

  return {
    concurrency: {
      shards: concurrency ? readPositiveInteger(concurrency, 'shards', `${path}.concurrency`, d.concurrency.shards) : d.concurrency.shards,
      callsPerShard: concurrency
        ? readPositiveInteger(concurrency, 'callsPerShard', `${path}.concurrency`, d.concurrency.callsPerShard)
        : d.concurrency.callsPerShard,
    },
    rateLimit: {
      perSecond: rateLimit ? readPositiveNumber(rateLimit, 'perSecond', `${path}.rateLimit`, d.rateLimit.perSecond) : d.rateLimit.perSecond,
      burst: rateLimit ? readPositiveInteger(rateLimit, 'burst', `${path}.rateLimit`, d.rateLimit.burst) : d.rateLimit.burst,
    },
    retry: {
      maxAttempts: retry ? readPositiveInteger(retry, 'maxAttempts', `${path}.retry`, d.retry.maxAttempts) : d.retry.maxAttempts,
      maxDelayMs: retry ? readDurationMs(retry, 'maxDelay', `${path}.retry`, d.retry.maxDelayMs) : d.retry.maxDelayMs,
    },
    callTimeoutMs: readDurationMs(config, 'callTimeout', path, d.callTimeoutMs),
  };
}

function readSchedule(config: Config, path: string): SchedulerServiceTaskScheduleDefinition | undefined {
  if (!config.has('schedule')) return undefined;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(config.getConfig('schedule'));
  } catch (error) {
    throw new ConfigError(`${path}.schedule`, (error as Error).message);
  }
}
