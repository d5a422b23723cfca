import type { Service } from '@aws-sdk/client-ecs';
import type { EcsService, EcsServiceStatus } from './inventory';
import { compareStrings } from './inventory';
import type { EcsShardApi } from './shardClient';
import { ShardCallError } from './shardErrors';

export interface ShardScan {
  clusters: number;
  services: EcsService[];
}

const DESCRIBE_BATCH = 10;
const STATUSES: readonly string[] = ['ACTIVE', 'DRAINING', 'INACTIVE'];

/**
 * Reads one account and region completely: every page of clusters, every page
 * of services per cluster, and their descriptions with tags in batches of ten.
 * It throws on the first call that fails, so a returned value is always a
 * complete picture of the shard.
 */
export async function scanShard(api: EcsShardApi, accountId: string, region: string): Promise<ShardScan> {
  const guard = new FirstFailure();
  const clusterArns = await readAllPages('ecs:ListClusters', undefined, token => guard.run(() => api.listClusters(token)), 'clusterArns');
  const perCluster = await Promise.all(
    clusterArns.map(clusterArn => scanCluster(api, guard, clusterArn, accountId, region)),
  );
  const services = perCluster.flat().sort((a, b) => compareStrings(a.arn, b.arn));
  return { clusters: clusterArns.length, services };
}

async function scanCluster(
  api: EcsShardApi,
  guard: FirstFailure,
  clusterArn: string,
  accountId: string,
  region: string,
): Promise<EcsService[]> {
  let serviceArns: string[];
  try {
    serviceArns = await readAllPages(
      'ecs:ListServices',
      clusterArn,
      token => guard.run(() => api.listServices(clusterArn, token), isClusterGone),
      'serviceArns',
    );
  } catch (error) {
    // A cluster deleted between ListClusters and ListServices has no services left to read.
    if (isClusterGone(error)) return [];
    throw error;
  }
  const batches: string[][] = [];
  for (let i = 0; i < serviceArns.length; i += DESCRIBE_BATCH) batches.push(serviceArns.slice(i, i + DESCRIBE_BATCH));

  const described = await Promise.all(
    batches.map(async batch => {
      const { services, failures } = await guard.run(() => api.describeServices(clusterArn, batch));
      // Every service asked about comes back described or as a failure; a shorter
      // answer would drop services silently from a shard that reads as complete.
      if (services.length + failures.length < batch.length) {
        throw new ShardCallError(
          'ecs:DescribeServices',
          { name: 'UnexpectedResponse', message: `asked about ${batch.length} services, ECS answered for ${services.length + failures.length}` },
          clusterArn,
        );
      }
      for (const failure of failures) {
        // MISSING: deleted after it was listed, so it is simply gone. Any other
        // reason means we do not know the service's state: the shard is incomplete.
        if (failure.reason !== 'MISSING') {
          throw new ShardCallError('ecs:DescribeServices', describeFailure(failure), clusterArn);
        }
      }
      return services.map(service => toEcsService(service, clusterArn, accountId, region));
    }),
  );
  return described.flat();
}

async function readAllPages<K extends string>(
  call: string,
  clusterArn: string | undefined,
  page: (token?: string) => Promise<{ [key in K]: string[] } & { nextToken?: string }>,
  key: K,
): Promise<string[]> {
  const all: string[] = [];
  const seenTokens = new Set<string>();
  let token: string | undefined;
  do {
    const result = await page(token);
    all.push(...result[key]);
    token = result.nextToken;
    if (token !== undefined) {
      if (seenTokens.has(token)) {
        throw new ShardCallError(call, { name: 'PaginationLoop', message: 'AWS returned the same nextToken twice' }, clusterArn);
      }
      seenTokens.add(token);
    }
  } while (token);
  return all;
}

export function toEcsService(service: Service, clusterArn: string, accountId: string, region: string): EcsService {
  const arn = service.serviceArn;
  if (!arn || !service.status || !STATUSES.includes(service.status)) {
    throw new ShardCallError(
      'ecs:DescribeServices',
      { name: 'UnexpectedResponse', message: `service ${arn ?? '(no ARN)'} came back without an ARN or with status ${service.status ?? '(none)'}` },
      clusterArn,
    );
  }
  // Entries, not assignments: a tag keyed `__proto__` must stay a tag.
  const tagEntries = new Map<string, string>();
  for (const tag of service.tags ?? []) {
    if (tag.key !== undefined) tagEntries.set(tag.key, tag.value ?? '');
  }
  const result: EcsService = {
    arn,
    name: service.serviceName ?? arn.slice(arn.lastIndexOf('/') + 1),
    clusterArn: service.clusterArn ?? clusterArn,
    accountId,
    region,
    status: service.status as EcsServiceStatus,
    tags: Object.fromEntries([...tagEntries].sort(([a], [b]) => compareStrings(a, b))),
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    taskDefinition: service.taskDefinition ?? '',
    createdAt: service.createdAt instanceof Date ? service.createdAt.toISOString() : '',
  };
  if (service.launchType) result.launchType = service.launchType;
  return result;
}

function isClusterGone(error: unknown): boolean {
  return error instanceof ShardCallError && error.awsName === 'ClusterNotFoundException';
}

function describeFailure(failure: { arn?: string; reason?: string; detail?: string }): Error {
  const error = new Error(`${failure.arn ?? '(no ARN)'}: ${failure.reason ?? 'no reason'}${failure.detail ? ` (${failure.detail})` : ''}`);
  error.name = 'DescribeServicesFailure';
  return error;
}

/** Once one call of a shard fails the shard is failed: stop sending the calls still queued. */
class FirstFailure {
  private failure: unknown;

  async run<T>(call: () => Promise<T>, expected: (error: unknown) => boolean = () => false): Promise<T> {
    if (this.failure) throw this.failure;
    try {
      return await call();
    } catch (error) {
      if (!expected(error)) this.failure ??= error;
      throw error;
    }
  }
}
