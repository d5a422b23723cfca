/**
 * Fault injection for ECS and Tagging API calls: denied accounts, failing
 * regions, rate limits, random throttling and random 5xx. Every fault is an
 * error in the real service's wire shape, so the SDK's own retry logic and the
 * scanner's error handling see exactly what AWS would send.
 */
import { mulberry32, type Random } from '../prng';
import type { Caller } from './identity';
import { ECS_CATEGORY_LIMITS, ecsCategory, type EcsCategory } from './ecsThrottling';
import { TokenBuckets, type RateLimit } from './tokenBucket';
import { AwsError } from './wire';

export type { RateLimit } from './tokenBucket';
export type { EcsCategory } from './ecsThrottling';
export { ECS_CATEGORY_LIMITS, ecsCategory } from './ecsThrottling';

/** ECS buckets by category; a category left out keeps ECS's documented limit. */
export type EcsRateLimits = Partial<Record<EcsCategory, RateLimit>>;

/** The Tagging API's buckets when nothing else is said (GetResources): burst 50, 20/s. */
export const DEFAULT_TAGGING_LIMIT: Readonly<RateLimit> = Object.freeze({ burst: 50, perSecond: 20 });

export interface FailingRegion {
  /** Only this account's calls fail; absent = every account in the region. */
  accountId?: string;
  region: string;
  /** 500 → ServerException (default), 503 → ServiceUnavailableException. */
  status?: 500 | 503;
}

export interface Faults {
  /**
   * Token buckets per (account, region, category) for ECS calls, as ECS keeps
   * them (ecsThrottling.ts). Default: ECS's documented limits per category;
   * one `RateLimit`: that limit for every category (each still its own
   * bucket); per category: those categories changed; false: no limit.
   */
  rateLimit: RateLimit | EcsRateLimits | false;
  /** Buckets for the Tagging API; absent = burst 50, 20/s, or `rateLimit` when that is one RateLimit or false. */
  taggingRateLimit?: RateLimit | false;
  /** Added to every response. */
  latencyMs: number;
  /** ECS and Tagging calls made in these accounts get AccessDeniedException. */
  deniedAccounts: string[];
  /** Every ECS and Tagging call here fails with a 5xx. */
  failingRegions: FailingRegion[];
  /** Probability (0..1) that an ECS/Tagging call fails with a 500. */
  random5xxRate: number;
  /** Probability (0..1) of throttling an ECS/Tagging call regardless of the buckets. */
  throttleRate: number;
  /** Seed of the PRNG behind random5xxRate and throttleRate. */
  seed: number;
  /** Lifetime of credentials issued by STS; DurationSeconds in the request wins when smaller. */
  credentialLifetimeSeconds: number;
}

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({
  rateLimit: { ...ECS_CATEGORY_LIMITS },
  latencyMs: 0,
  deniedAccounts: [],
  failingRegions: [],
  random5xxRate: 0,
  throttleRate: 0,
  seed: 1,
  credentialLifetimeSeconds: 3600,
});

export type FaultedService = 'ecs' | 'tagging';

interface ServiceErrors {
  iamPrefix: string;
  throttle: string;
  server500: string;
  server503: string;
}

const ERRORS: Record<FaultedService, ServiceErrors> = {
  ecs: {
    iamPrefix: 'ecs',
    throttle: 'ThrottlingException',
    server500: 'ServerException',
    server503: 'ServiceUnavailableException',
  },
  tagging: {
    iamPrefix: 'tag',
    throttle: 'ThrottledException',
    server500: 'InternalServiceException',
    server503: 'ServiceUnavailableException',
  },
};

function checkRate(name: string, v: number): void {
  if (!(typeof v === 'number' && v >= 0 && v <= 1)) throw new Error(`faults.${name} must be a number between 0 and 1`);
}

function checkLimit(name: string, v: RateLimit | false | undefined): void {
  if (v === false || v === undefined) return;
  if (!(v.burst >= 1 && v.perSecond >= 0)) throw new Error(`faults.${name} needs burst >= 1 and perSecond >= 0 (or false)`);
}

function isRateLimit(v: RateLimit | EcsRateLimits): v is RateLimit {
  return 'burst' in v || 'perSecond' in v;
}

function checkEcsLimits(v: RateLimit | EcsRateLimits | false): void {
  if (v === false) return;
  if (isRateLimit(v)) return checkLimit('rateLimit', v);
  for (const [category, limit] of Object.entries(v)) {
    if (!(category in ECS_CATEGORY_LIMITS)) throw new Error(`faults.rateLimit.${category} is not an ECS category (${Object.keys(ECS_CATEGORY_LIMITS).join(', ')})`);
    checkLimit(`rateLimit.${category}`, limit);
  }
}

/** The limit of each ECS category that `rateLimit` describes. */
export function ecsLimits(v: RateLimit | EcsRateLimits | false): Record<EcsCategory, RateLimit | false> {
  const out = {} as Record<EcsCategory, RateLimit | false>;
  for (const category of Object.keys(ECS_CATEGORY_LIMITS) as EcsCategory[]) {
    out[category] = v === false ? false : isRateLimit(v) ? v : (v[category] ?? ECS_CATEGORY_LIMITS[category]);
  }
  return out;
}

export function validateFaults(f: Faults): void {
  checkRate('random5xxRate', f.random5xxRate);
  checkRate('throttleRate', f.throttleRate);
  checkEcsLimits(f.rateLimit);
  checkLimit('taggingRateLimit', f.taggingRateLimit);
  if (!(f.latencyMs >= 0)) throw new Error('faults.latencyMs must be >= 0');
  if (!(f.credentialLifetimeSeconds > 0)) throw new Error('faults.credentialLifetimeSeconds must be > 0');
}

export class FaultInjector {
  private current: Faults;
  private rand: Random;
  private readonly ecsBuckets = new Map<EcsCategory, TokenBuckets>();
  private readonly taggingBuckets: TokenBuckets;
  private denied: Set<string>;

  constructor(initial: Partial<Faults> | undefined, clock: () => number) {
    this.current = { ...DEFAULT_FAULTS, ...initial };
    validateFaults(this.current);
    this.rand = mulberry32(this.current.seed);
    this.denied = new Set(this.current.deniedAccounts);
    for (const [category, limit] of Object.entries(ecsLimits(this.current.rateLimit))) {
      this.ecsBuckets.set(category as EcsCategory, new TokenBuckets(limit, clock));
    }
    this.taggingBuckets = new TokenBuckets(this.taggingLimit(), clock);
  }

  get faults(): Readonly<Faults> {
    return this.current;
  }

  set(partial: Partial<Faults>): void {
    const next = { ...this.current, ...partial };
    validateFaults(next);
    this.current = next;
    if ('seed' in partial) this.rand = mulberry32(next.seed);
    if ('deniedAccounts' in partial) this.denied = new Set(next.deniedAccounts);
    if ('rateLimit' in partial) {
      for (const [category, limit] of Object.entries(ecsLimits(next.rateLimit))) this.ecsBuckets.get(category as EcsCategory)!.setLimit(limit);
    }
    if ('rateLimit' in partial || 'taggingRateLimit' in partial) this.taggingBuckets.setLimit(this.taggingLimit());
  }

  /** Throws the service's error if a fault hits this call. */
  check(service: FaultedService, action: string, caller: Caller, region: string): void {
    const f = this.current;
    const e = ERRORS[service];
    if (this.denied.has(caller.accountId)) {
      throw new AwsError(
        'AccessDeniedException',
        `User: ${caller.arn} is not authorized to perform: ${e.iamPrefix}:${action} on resource: * ` +
          `because no identity-based policy allows the ${e.iamPrefix}:${action} action`,
        400,
      );
    }
    for (const fr of f.failingRegions) {
      if (fr.region === region && (fr.accountId === undefined || fr.accountId === caller.accountId)) {
        throw fr.status === 503
          ? new AwsError(e.server503, 'Service Unavailable', 503)
          : new AwsError(e.server500, 'Service encountered an internal error.', 500);
      }
    }
    if (f.throttleRate > 0 && this.rand() < f.throttleRate) throw new AwsError(e.throttle, 'Rate exceeded', 400);
    const buckets = service === 'ecs' ? this.ecsBuckets.get(ecsCategory(action))! : this.taggingBuckets;
    if (!buckets.take(`${caller.accountId}/${region}`)) throw new AwsError(e.throttle, 'Rate exceeded', 400);
    if (f.random5xxRate > 0 && this.rand() < f.random5xxRate) {
      throw new AwsError(e.server500, 'Service encountered an internal error.', 500);
    }
  }

  /**
   * A call from a client outside the emulator's HTTP server (the deploy
   * pipeline) takes its token from the same bucket; false: it was throttled.
   */
  takeEcsToken(accountId: string, region: string, action: string): boolean {
    return this.ecsBuckets.get(ecsCategory(action))!.take(`${accountId}/${region}`);
  }

  static isThrottling(code: string): boolean {
    return code === 'ThrottlingException' || code === 'ThrottledException' || code === 'TooManyRequestsException';
  }

  private taggingLimit(): RateLimit | false {
    const { taggingRateLimit, rateLimit } = this.current;
    if (taggingRateLimit !== undefined) return taggingRateLimit;
    if (rateLimit === false) return false;
    return isRateLimit(rateLimit) ? rateLimit : { ...DEFAULT_TAGGING_LIMIT };
  }
}
