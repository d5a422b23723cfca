import { Config } from '@backstage/config';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_MAPPING_DEFAULTS, DEFAULT_TAG_KEYS, type MappingOptions } from '../mapping/mappingOptions';
import { parseMappingRules } from '../mapping/rules';
import { toEntityRef } from '../mapping/entityRefs';
import { passRoleProblem } from '../access/passRoles';
import { ConfigError } from './configError';
import { Duration } from 'luxon';
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

/** When entities of services that are gone may be removed. */
export interface RemovalPolicy {
  /** How long a service must stay missing from complete scans of its shard before its entity goes. */
  gracePeriodMs: number;
  /** Removals above this share of the provider's entities are held back while `guard` is on. */
  maxFraction: number;
  guard: boolean;
}

export interface EcsProviderConfig {
  id: string;
  accounts: string[];
  regions: string[];
  organization?: OrganizationDiscoveryConfig;
  scan: ScanTuning;
  schedule: SchedulerServiceTaskScheduleDefinition;
  mapping: MappingOptions;
  removal: RemovalPolicy;
  /**
   * How many scheduled tasks the accounts are split into. Backend replicas that
   * share one database run different groups at the same time.
   */
  scanGroups: number;
  access: AccessConfig;
}

/** What the team-scoped IAM policies may grant beyond ECS itself. */
export interface AccessConfig {
  /**
   * Role ARN templates a team may pass to its tasks under the `deploy`
   * profile; `{team}` and `{accountId}` are filled in per policy.
   */
  passRoles: string[];
}

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

const PROVIDER_KEYS = [
  'accounts',
  'regions',
  'organization',
  'concurrency',
  'rateLimit',
  'retry',
  'callTimeout',
  'schedule',
  'mapping',
  'removal',
  'scanGroups',
  'access',
] as const;
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};
// When the schedule is a cron expression there is no single interval to wait for.
const FALLBACK_GRACE_MS = 60 * 60_000;
const DEFAULT_MAX_FRACTION = 0.25;
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

  const schedule = readSchedule(config, path);
  return {
    id,
    accounts,
    regions,
    organization,
    scan: readScanTuning(config, path),
    schedule,
    mapping: readMapping(id, config, path),
    removal: readRemoval(config, path, schedule),
    scanGroups: readPositiveInteger(config, 'scanGroups', path, 1),
    access: readAccess(config, path),
  };
}

function readAccess(config: Config, path: string): AccessConfig {
  const access = config.getOptionalConfig('access');
  if (!access) return { passRoles: [] };
  const at = `${path}.access`;
  assertKnownKeys(access, at, ['passRoles']);
  const raw = access.getOptional('passRoles');
  if (raw === undefined) return { passRoles: [] };
  if (!Array.isArray(raw)) throw new ConfigError(`${at}.passRoles`, 'must be a list of IAM role ARNs, {team} and {accountId} filled in per policy');
  const passRoles = raw.map((value, i) => {
    const key = `${at}.passRoles[${i}]`;
    if (typeof value !== 'string') throw new ConfigError(key, `${JSON.stringify(value)} is not an IAM role ARN`);
    const problem = passRoleProblem(value);
    if (problem) throw new ConfigError(key, problem);
    return value;
  });
  return { passRoles: [...new Set(passRoles)] };
}

function readMapping(id: string, config: Config, path: string): MappingOptions {
  const mapping = config.getOptionalConfig('mapping');
  if (!mapping) return { providerId: id, tagKeys: DEFAULT_TAG_KEYS, defaults: DEFAULT_MAPPING_DEFAULTS, rules: [] };
  const at = `${path}.mapping`;
  assertKnownKeys(mapping, at, ['tagKeys', 'defaults', 'rules', 'rulesFile']);

  const tagKeys = { ...DEFAULT_TAG_KEYS };
  const keys = mapping.getOptionalConfig('tagKeys');
  if (keys) {
    assertKnownKeys(keys, `${at}.tagKeys`, Object.keys(DEFAULT_TAG_KEYS));
    for (const field of Object.keys(DEFAULT_TAG_KEYS) as Array<keyof typeof DEFAULT_TAG_KEYS>) {
      const list = keys.getOptional(field);
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.length === 0 || list.some(k => typeof k !== 'string' || k.trim() === '')) {
        throw new ConfigError(`${at}.tagKeys.${field}`, 'must be a non-empty list of tag keys, tried in order');
      }
      tagKeys[field] = list as string[];
    }
  }

  const defaults = { ...DEFAULT_MAPPING_DEFAULTS };
  const given = mapping.getOptionalConfig('defaults');
  if (given) {
    assertKnownKeys(given, `${at}.defaults`, ['owner', 'system', 'lifecycle', 'namespace']);
    const owner = given.getOptionalString('owner');
    if (owner !== undefined) {
      if (!toEntityRef(owner, 'group', 'default')) throw new ConfigError(`${at}.defaults.owner`, `'${owner}' is not an entity reference such as team-a or group:default/team-a`);
      defaults.owner = owner;
    }
    const system = given.getOptionalString('system');
    if (system !== undefined) {
      if (!toEntityRef(system, 'system', 'default')) throw new ConfigError(`${at}.defaults.system`, `'${system}' is not an entity reference`);
      defaults.system = system;
    }
    const lifecycle = given.getOptionalString('lifecycle');
    if (lifecycle !== undefined) {
      if (!/^[a-z0-9](?:[a-z0-9._-]{0,61}[a-z0-9])?$/.test(lifecycle)) throw new ConfigError(`${at}.defaults.lifecycle`, `'${lifecycle}' must be one lower-case word`);
      defaults.lifecycle = lifecycle;
    }
    const namespace = given.getOptionalString('namespace');
    if (namespace !== undefined) {
      if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(namespace) || namespace.length > 63) throw new ConfigError(`${at}.defaults.namespace`, `'${namespace}' is not a valid namespace`);
      defaults.namespace = namespace;
    }
  }

  const rules = parseMappingRules(mapping.getOptional('rules'), `${at}.rules`);
  const rulesFile = mapping.getOptionalString('rulesFile');
  if (rulesFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(nodePath.resolve(rulesFile), 'utf8');
    } catch (error) {
      throw new ConfigError(`${at}.rulesFile`, `cannot read ${rulesFile}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new ConfigError(`${at}.rulesFile`, `${rulesFile} is not valid YAML: ${(error as Error).message}`);
    }
    const list = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as { rules?: unknown }).rules : parsed;
    rules.push(...parseMappingRules(list, `${rulesFile}: rules`));
  }
  return { providerId: id, tagKeys, defaults, rules };
}

function readRemoval(config: Config, path: string, schedule: SchedulerServiceTaskScheduleDefinition): RemovalPolicy {
  const frequency = schedule.frequency;
  const interval =
    frequency && typeof frequency === 'object' && !('cron' in frequency) && !('trigger' in frequency)
      ? Duration.fromObject(frequency as Record<string, number>).toMillis()
      : FALLBACK_GRACE_MS;
  const removal = config.getOptionalConfig('removal');
  if (!removal) return { gracePeriodMs: interval, maxFraction: DEFAULT_MAX_FRACTION, guard: true };
  const at = `${path}.removal`;
  assertKnownKeys(removal, at, ['gracePeriod', 'maxFraction', 'guard']);
  const gracePeriodMs = readDurationMs(removal, 'gracePeriod', at, interval, { allowZero: true });
  const maxFraction = removal.getOptional('maxFraction') ?? DEFAULT_MAX_FRACTION;
  if (typeof maxFraction !== 'number' || !(maxFraction >= 0 && maxFraction <= 1)) {
    throw new ConfigError(`${at}.maxFraction`, `${JSON.stringify(maxFraction)} must be a number from 0 to 1`);
  }
  const guard = removal.getOptional('guard') ?? true;
  if (typeof guard !== 'boolean') throw new ConfigError(`${at}.guard`, 'must be true or false');
  return { gracePeriodMs, maxFraction, guard };
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

function readSchedule(config: Config, path: string): SchedulerServiceTaskScheduleDefinition {
  if (!config.has('schedule')) return DEFAULT_SCHEDULE;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(config.getConfig('schedule'));
  } catch (error) {
    throw new ConfigError(`${path}.schedule`, (error as Error).message);
  }
}
