import type { Config } from '@backstage/config';
import type { OrganizationDiscoveryConfig, ScanScope, ScanTuning } from '../scan/scanScope';
import { ConfigError } from './configError';
import { assertKnownKeys, readAccountId, readAccountIdList, readDurationMs, readPositiveInteger, readPositiveNumber, readRegionList } from './readers';

/** ECS's own token bucket for the read calls, per account and region, by default. */
export const ECS_RATE_LIMIT = { perSecond: 20, burst: 50 } as const;

export const DEFAULT_SCAN_TUNING: ScanTuning = {
  concurrency: { shards: 8, callsPerShard: 4 },
  // Just under ECS's own bucket: a fleet's shards need little more than a burst
  // each, so the burst sets the scan's time; a throttle now and then is retried with backoff.
  rateLimit: { perSecond: ECS_RATE_LIMIT.perSecond - 1, burst: ECS_RATE_LIMIT.burst - 1 },
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
