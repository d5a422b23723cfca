import type { Config } from '@backstage/config';
import type { OrganizationDiscoveryConfig, ScanScope, ScanTuning } from '../scan/scanScope';
import { ECS_THROTTLING } from '../scan/ecsThrottling';
import { ConfigError } from './configError';
import { assertKnownKeys, readAccountId, readAccountIdList, readDurationMs, readPositiveInteger, readPositiveNumber, readRegionList } from './readers';

/**
 * ECS's smallest default bucket among the reads the scan makes (cluster reads),
 * per account and region: an explicit `rateLimit` above it is warned about.
 */
export const ECS_RATE_LIMIT = ECS_THROTTLING.clusterReads;

/** A `rateLimit` that sets one of its keys keeps the other at what it was before budgets: just under ECS's cluster reads. */
const EXPLICIT_RATE_LIMIT_DEFAULTS = { perSecond: ECS_RATE_LIMIT.perSecond - 1, burst: ECS_RATE_LIMIT.burst - 1 };

export const DEFAULT_SCAN_TUNING: ScanTuning = {
  // Each shard keeps to its own budget of its own account's buckets, so the
  // shards run side by side as far as the machine allows.
  concurrency: { shards: 'auto', callsPerShard: 4 },
  // Half of every bucket: a deploy pipeline polling DescribeServices in the
  // same account keeps the other half, and the scan slows down further when
  // it sees a throttle it cannot have caused.
  rateBudget: 0.5,
  retry: { maxAttempts: 10, maxDelayMs: 20_000 },
  callTimeoutMs: 30_000,
};

/** `accounts`, `organization`, `regions` and the pacing keys of one provider. */
export function readScanScope(config: Config, path: string): ScanScope {
  const regions = readRegionList(config, 'regions', path);
  if (!regions || regions.length === 0) {
    throw new ConfigError(`${path}.regions`, 'required: list the regions to scan, for example [eu-west-1, us-east-1]');
  }
  const organization = readOrganization(config, path);
  const accounts = readAccountIdList(config, 'accounts', path) ?? [];
  if (accounts.length === 0 && !organization) {
    throw new ConfigError(`${path}.accounts`, 'required: list the account ids to scan, or configure organization discovery');
  }
  return { accounts, regions, organization, tuning: readScanTuning(config, path) };
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

export function readScanTuning(config: Config, path: string): ScanTuning {
  const d = DEFAULT_SCAN_TUNING;
  const concurrency = config.getOptionalConfig('concurrency');
  if (concurrency) assertKnownKeys(concurrency, `${path}.concurrency`, ['shards', 'callsPerShard']);
  const rateLimit = config.getOptionalConfig('rateLimit');
  if (rateLimit) assertKnownKeys(rateLimit, `${path}.rateLimit`, ['perSecond', 'burst']);
  const retry = config.getOptionalConfig('retry');
  if (retry) assertKnownKeys(retry, `${path}.retry`, ['maxAttempts', 'maxDelay']);

  if (rateLimit && config.has('rateBudget')) {
    throw new ConfigError(`${path}.rateLimit`, 'set either rateBudget (a share of each of ECS\'s buckets) or rateLimit (one explicit bucket per shard), not both');
  }
  const tuning: ScanTuning = {
    concurrency: {
      shards: concurrency ? readShards(concurrency, `${path}.concurrency`) : d.concurrency.shards,
      callsPerShard: concurrency
        ? readPositiveInteger(concurrency, 'callsPerShard', `${path}.concurrency`, d.concurrency.callsPerShard)
        : d.concurrency.callsPerShard,
    },
    rateBudget: readRateBudget(config, path, d.rateBudget),
    retry: {
      maxAttempts: retry ? readPositiveInteger(retry, 'maxAttempts', `${path}.retry`, d.retry.maxAttempts) : d.retry.maxAttempts,
      maxDelayMs: retry ? readDurationMs(retry, 'maxDelay', `${path}.retry`, d.retry.maxDelayMs) : d.retry.maxDelayMs,
    },
    callTimeoutMs: readDurationMs(config, 'callTimeout', path, d.callTimeoutMs),
  };
  if (rateLimit) {
    tuning.rateLimit = {
      perSecond: readPositiveNumber(rateLimit, 'perSecond', `${path}.rateLimit`, EXPLICIT_RATE_LIMIT_DEFAULTS.perSecond),
      burst: readPositiveInteger(rateLimit, 'burst', `${path}.rateLimit`, EXPLICIT_RATE_LIMIT_DEFAULTS.burst),
    };
  }
  return tuning;
}

function readShards(concurrency: Config, path: string): number | 'auto' {
  const raw = concurrency.getOptional('shards');
  if (raw === undefined) return DEFAULT_SCAN_TUNING.concurrency.shards;
  if (raw === 'auto') return 'auto';
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    throw new ConfigError(`${path}.shards`, `${JSON.stringify(raw)} must be 'auto' or a whole number of at least 1`);
  }
  return raw;
}

function readRateBudget(config: Config, path: string, defaultValue: number): number {
  const raw = config.getOptional('rateBudget');
  if (raw === undefined) return defaultValue;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0 || raw > 1) {
    throw new ConfigError(`${path}.rateBudget`, `${JSON.stringify(raw)} must be a number greater than 0 and at most 1: the share of each of ECS's buckets one shard may use (0.5 leaves half to deploy pipelines and the console)`);
  }
  return raw;
}
