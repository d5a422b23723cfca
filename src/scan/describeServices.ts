import type { EcsService } from './inventory';
import { toEcsService } from './scanShard';
import type { EcsShardApi } from './shardClient';
import { ShardCallError } from './shardErrors';

/** A service to describe by name: DescribeServices takes it whatever the format of its ARN. */
export interface NamedService {
  clusterArn: string;
  name: string;
}

export interface DescribedServices {
  /** Every status, INACTIVE included. */
  described: EcsService[];
  /** Services ECS does not know (MISSING), or whose cluster is gone. */
  missing: NamedService[];
}

const DESCRIBE_BATCH = 10;

/**
 * Describes named services of one shard, ten per call and cluster, with their
 * tags. Unlike a lookup for a report, a call that fails fails the whole
 * answer: a service that could not be read must not pass for a missing one.
 */
export async function describeServices(api: EcsShardApi, accountId: string, region: string, targets: readonly NamedService[]): Promise<DescribedServices> {
  const byCluster = new Map<string, string[]>();
  for (const t of targets) byCluster.set(t.clusterArn, [...(byCluster.get(t.clusterArn) ?? []), t.name]);
  const result: DescribedServices = { described: [], missing: [] };
  for (const [clusterArn, names] of byCluster) {
    for (let i = 0; i < names.length; i += DESCRIBE_BATCH) {
      const batch = [...new Set(names.slice(i, i + DESCRIBE_BATCH))];
      let answer: Awaited<ReturnType<EcsShardApi['describeServices']>>;
      try {
        answer = await api.describeServices(clusterArn, batch);
      } catch (error) {
        if (error instanceof ShardCallError && error.awsName === 'ClusterNotFoundException') {
          result.missing.push(...batch.map(name => ({ clusterArn, name })));
          continue;
        }
        throw error;
      }
      for (const service of answer.services) result.described.push(toEcsService(service, clusterArn, accountId, region));
      const answered = new Set(answer.services.map(s => s.serviceName));
      for (const failure of answer.failures) {
        if (failure.reason !== 'MISSING') throw new ShardCallError('ecs:DescribeServices', new Error(`${failure.arn ?? '(no ARN)'}: ${failure.reason ?? 'no reason'}`), clusterArn);
        const name = failure.arn?.slice(failure.arn.lastIndexOf('/') + 1);
        if (name && batch.includes(name) && !answered.has(name)) result.missing.push({ clusterArn, name });
      }
    }
  }
  return result;
}
