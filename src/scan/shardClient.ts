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
import { TokenBucket } from './tokenBucket';
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
 * for every call and every scan, paced by the shard's token bucket, bounded
 * in concurrency, retried with backoff, and counted.
 */
export class ShardClient implements EcsShardApi {
  readonly stats: ShardCallStats = { apiCalls: 0, throttled: 0, retries: 0, credentialRefreshes: 0 };
  private readonly ecs: ECSClient;
  private readonly bucket: TokenBucket;
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(
    readonly accountId: string,
    readonly region: string,
    private readonly credentials: CachedCredentials,
    tuning: ScanTuning,
    endpoint?: string,
  ) {
    this.bucket = new TokenBucket(tuning.rateLimit.perSecond, tuning.rateLimit.burst);
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
      next => async args => {
        await this.bucket.take();
        this.stats.apiCalls += 1;
        try {
          return await next(args);
        } catch (error) {
          if (isThrottlingError(error)) {
            this.stats.throttled += 1;
            this.bucket.drain();
          }
          throw error;
        }
      },
      { step: 'deserialize', name: 'ecsShardPacing', priority: 'high' },
    );
  }

  resetStats(): void {
    Object.assign(this.stats, { apiCalls: 0, throttled: 0, retries: 0, credentialRefreshes: 0 });
  }

  /** Resolves the shard's credentials up front, so a denied AssumeRole is reported as such. */
  async checkCredentials(): Promise<void> {
    try {
      await this.credentials.provider();
    } catch (error) {
      throw new ShardCallError('sts:AssumeRole', error);
    }
  }

  async listClusters(nextToken?: string) {
    const out = await this.send('ecs:ListClusters', undefined, () =>
      this.ecs.send(new ListClustersCommand({ maxResults: PAGE_SIZE, nextToken })),
    );
    return { clusterArns: out.clusterArns ?? [], nextToken: out.nextToken || undefined };
  }

  async listServices(clusterArn: string, nextToken?: string) {
    const out = await this.send('ecs:ListServices', clusterArn, () =>
      this.ecs.send(new ListServicesCommand({ cluster: clusterArn, maxResults: PAGE_SIZE, nextToken })),
    );
    return { serviceArns: out.serviceArns ?? [], nextToken: out.nextToken || undefined };
  }

  async describeServices(clusterArn: string, serviceArns: string[]) {
    const out = await this.send('ecs:DescribeServices', clusterArn, () =>
      this.ecs.send(new DescribeServicesCommand({ cluster: clusterArn, services: serviceArns, include: ['TAGS'] })),
    );
    return { services: out.services ?? [], failures: out.failures ?? [] };
  }

  destroy(): void {
    this.ecs.destroy();
  }

  private send<T>(call: string, clusterArn: string | undefined, request: () => Promise<T>): Promise<T> {
    return this.limit(async () => {
      for (let renewals = 0; ; renewals++) {
        const generation = this.credentials.generation;
        try {
          return await request();
        } catch (error) {
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
