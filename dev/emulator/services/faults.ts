/**
 * Fault injection for ECS and Tagging API calls: denied accounts, failing
 * regions, rate limits, random throttling and random 5xx. Every fault is an
 * error in the real service's wire shape, so the SDK's own retry logic and the
 * scanner's error handling see exactly what AWS would send.
 */
import { mulberry32, type Random } from '../prng';
import type { Caller } from './identity';
import { TokenBuckets, type RateLimit } from './tokenBucket';
import { AwsError } from './wire';

export type { RateLimit } from './tokenBucket';

export interface FailingRegion {
  /** Only this account's calls fail; absent = every account in the region. */
  accountId?: string;
  region: string;
  /** 500 → ServerException (default), 503 → ServiceUnavailableException. */
  status?: 500 | 503;
}

export interface Faults {
  /** Token bucket per (account, region) for ECS calls; false disables it. Defaults like ECS: burst 50, 20/s. */
  rateLimit: RateLimit | false;
  /** Separate buckets for the Tagging API; absent = same settings as `rateLimit`. */
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
  rateLimit: { burst: 50, perSecond: 20 },
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

export function validateFaults(f: Faults): void {
  checkRate('random5xxRate', f.random5xxRate);
  checkRate('throttleRate', f.throttleRate);
  checkLimit('rateLimit', f.rateLimit);
  checkLimit('taggingRateLimit', f.taggingRateLimit);
  if (!(f.latencyMs >= 0)) throw new Error('faults.latencyMs must be >= 0');
  if (!(f.credentialLifetimeSeconds > 0)) throw new Error('faults.credentialLifetimeSeconds must be > 0');
}

export class FaultInjector {
  private current: Faults;
  private rand: Random;
  private readonly ecsBuckets: TokenBuckets;
  private readonly taggingBuckets: TokenBuckets;
  private denied: Set<string>;

  constructor(initial: Partial<Faults> | undefined, clock: () => number) {
    this.current = { ...DEFAULT_FAULTS, ...initial };
    validateFaults(this.current);
    this.rand = mulberry32(this.current.seed);
    this.denied = new Set(this.current.deniedAccounts);
    this.ecsBuckets = new TokenBuckets(this.current.rateLimit, clock);
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
    if ('rateLimit' in partial) this.ecsBuckets.setLimit(next.rateLimit);
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
    const buckets = service === 'ecs' ? this.ecsBuckets : this.taggingBuckets;
    if (!buckets.take(`${caller.accountId}/${region}`)) throw new AwsError(e.throttle, 'Rate exceeded', 400);
    if (f.random5xxRate > 0 && this.rand() < f.random5xxRate) {
      throw new AwsError(e.server500, 'Service encountered an internal error.', 500);
    }
  }

  static isThrottling(code: string): boolean {
    return code === 'ThrottlingException' || code === 'ThrottledException' || code === 'TooManyRequestsException';
  }

  private taggingLimit(): RateLimit | false {
    return this.current.taggingRateLimit === undefined ? this.current.rateLimit : this.current.taggingRateLimit;
  }
}
