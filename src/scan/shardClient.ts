import {
  DescribeServicesCommand,
  DescribeServicesResponse$,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  Service,
} from '@aws-sdk/client-ecs';
import pLimit from 'p-limit';
import type { ScanTuning } from './scanScope';
import type { CachedCredentials } from './accountCredentials';
import { BackoffRetryStrategy } from './retryStrategy';
import { callCategory } from './ecsThrottling';
import { ShardPacing } from './shardPacing';
import { isExpiredCredentialsError, isThrottlingError, ShardCallError } from './shardErrors';

/** The three ECS reads a shard scan needs; small enough to fake in a unit test. */
export interface EcsShardApi {
  listClusters(nextToken?: string): Promise<{ clusterArns: string[]; nextToken?: string }>;
  listServices(clusterArn: string, nextToken?: string): Promise<{ serviceArns: string[]; nextToken?: string }>;
  describeServices(
    clusterArn: string,
    serviceArns: string[],
  ): Promise<{ services: Service[]; failures: Array<{ arn?: string; reason?: string; detail?: string }> }>;
}

export interface ShardCallStats {
  apiCalls: number;
  throttled: number;
  retries: number;
  credentialRefreshes: number;
}

const PAGE_SIZE = 100;

skipNoOpJsonReviver(DescribeServicesResponse$);

// AWS sometimes rejects a session before its stated expiry; two renewals per
// call are enough to tell a revoked session from a role we may not assume.
const MAX_CREDENTIAL_RENEWALS = 2;

/**
 * The ECS client of one shard: one SDK client per account and region, reused
 * for every call and every scan, paced by the shard's budget of ECS's buckets
 * (slower for the rest of the scan when someone else is spending them),
 * bounded in concurrency, retried with backoff, and counted.
 */
export class ShardClient implements EcsShardApi {
  readonly stats: ShardCallStats = { apiCalls: 0, throttled: 0, retries: 0, credentialRefreshes: 0 };
  private readonly ecs: ECSClient;
  readonly pacing: ShardPacing;
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(
    readonly accountId: string,
    readonly region: string,
    private readonly credentials: CachedCredentials,
    tuning: ScanTuning,
    endpoint?: string,
  ) {
    this.pacing = new ShardPacing(tuning);
    this.limit = pLimit(tuning.concurrency.callsPerShard);
    this.ecs = new ECSClient({
      region,
      credentials: credentials.provider,
      ...(endpoint ? { endpoint } : {}),
      maxAttempts: tuning.retry.maxAttempts,
      // Resolves the middleware stack once per command class instead of on every
      // call; the stack is complete (pacing included) before the first send.
      cacheMiddleware: true,
      retryStrategy: new BackoffRetryStrategy(tuning.retry.maxAttempts, tuning.retry.maxDelayMs, {
        onRetry: () => {
          this.stats.retries += 1;
        },
      }),
      requestHandler: {
        requestTimeout: tuning.callTimeoutMs,
        connectionTimeout: Math.min(tuning.callTimeoutMs, 10_000),
        throwOnRequestTimeout: true,
      },
    });
    // Runs once per HTTP attempt (inside the retry loop), so retries are paced and counted too.
    this.ecs.middlewareStack.add(
      (next, context) => {
        const category = callCategory(context.commandName);
        return async args => {
          const pace = await this.pacing.take(category);
          this.stats.apiCalls += 1;
          try {
            return await next(args);
          } catch (error) {
            if (isThrottlingError(error)) {
              this.stats.throttled += 1;
              this.pacing.throttled(category, pace);
            }
            throw error;
          }
        };
      },
      { step: 'deserialize', name: 'ecsShardPacing', priority: 'high' },
    );
  }

  resetStats(): void {
    Object.assign(this.stats, { apiCalls: 0, throttled: 0, retries: 0, credentialRefreshes: 0 });
  }

  /** A new scan of the shard: its full budget again, whatever slowed the last one down. */
  resetPacing(): void {
    this.pacing.reset();
  }

  /** Resolves the shard's credentials up front, so a denied AssumeRole is reported as such. */
  async checkCredentials(signal?: AbortSignal): Promise<void> {
    try {
      await abortable(this.credentials.provider(), signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new ShardCallError('sts:AssumeRole', error);
    }
  }

  /**
   * The shard's ECS reads, stopped by `signal`: a queued call never starts, a
   * call in flight is aborted, and one waiting out a retry backoff is given
   * up at once, so a stopping backend releases its scan within moments.
   */
  scoped(signal?: AbortSignal): EcsShardApi {
    return {
      listClusters: nextToken => this.listClusters(nextToken, signal),
      listServices: (clusterArn, nextToken) => this.listServices(clusterArn, nextToken, signal),
      describeServices: (clusterArn, serviceArns) => this.describeServices(clusterArn, serviceArns, signal),
    };
  }

  async listClusters(nextToken?: string, signal?: AbortSignal) {
    const out = await this.send('ecs:ListClusters', undefined, signal, abortSignal =>
      this.ecs.send(new ListClustersCommand({ maxResults: PAGE_SIZE, nextToken }), { abortSignal }),
    );
    return { clusterArns: out.clusterArns ?? [], nextToken: out.nextToken || undefined };
  }

  async listServices(clusterArn: string, nextToken?: string, signal?: AbortSignal) {
    const out = await this.send('ecs:ListServices', clusterArn, signal, abortSignal =>
      this.ecs.send(new ListServicesCommand({ cluster: clusterArn, maxResults: PAGE_SIZE, nextToken }), { abortSignal }),
    );
    return { serviceArns: out.serviceArns ?? [], nextToken: out.nextToken || undefined };
  }

  async describeServices(clusterArn: string, serviceArns: string[], signal?: AbortSignal) {
    const out = await this.send('ecs:DescribeServices', clusterArn, signal, abortSignal =>
      this.ecs.send(new DescribeServicesCommand({ cluster: clusterArn, services: serviceArns, include: ['TAGS'] }), { abortSignal }),
    );
    return { services: out.services ?? [], failures: out.failures ?? [] };
  }

  destroy(): void {
    this.ecs.destroy();
  }

  private send<T>(call: string, clusterArn: string | undefined, signal: AbortSignal | undefined, request: (abortSignal?: AbortSignal) => Promise<T>): Promise<T> {
    return this.limit(async () => {
      for (let renewals = 0; ; renewals++) {
        signal?.throwIfAborted();
        const generation = this.credentials.generation;
        try {
          return await abortable(request(signal), signal);
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          if (isExpiredCredentialsError(error) && renewals < MAX_CREDENTIAL_RENEWALS) {
            this.stats.credentialRefreshes += 1;
            try {
              await this.credentials.renew(generation);
            } catch (renewError) {
              throw new ShardCallError('sts:AssumeRole', renewError);
            }
            continue;
          }
          throw new ShardCallError(call, error, clusterArn);
        }
      }
    });
  }
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it is
 * aborted: the SDK aborts a request in flight, but sleeps out a retry backoff
 * (up to `retry.maxDelay`) before it looks at the signal again. What `work`
 * does after that is ignored.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A DescribeServices response may hold a document (lifecycle hook details), so
 * the SDK parses each one with a JSON.parse reviver that keeps big numbers
 * exact by reading their source text. Where JSON.parse passes no source text
 * (Node 20) that reviver returns every value unchanged, yet calling it for each
 * of the ~1,000 values of a ten-service page made deserialising the page take
 * about twice as long. The SDK remembers per response shape, under this
 * symbol, whether a reviver is needed; answering "no" there, and only on such
 * runtimes, changes nothing but the cost.
 */
function skipNoOpJsonReviver(responseSchema: unknown): void {
  if (!Array.isArray(responseSchema) || jsonParseHasSourceText()) return;
  (responseSchema as unknown as Record<symbol, boolean>)[Symbol.for('@aws-sdk/reviver')] = false;
}

function jsonParseHasSourceText(): boolean {
  let source = false;
  JSON.parse('1', (_key: string, value: unknown, context?: { source?: string }) => {
    source = typeof context?.source === 'string';
    return value;
  });
  return source;
}
