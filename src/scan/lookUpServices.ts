import type { EcsShardApi } from './shardClient';
import { ShardCallError } from './shardErrors';

/** A claimed service the listing did not return, to ask ECS about by ARN. */
export interface LookupTarget {
  arn: string;
  accountId: string;
  region: string;
  /** The cluster name from the ARN; services with old-format ARNs do not name it and cannot be looked up. */
  cluster: string;
}

/**
 * What ECS says of a service it did not list: deleted but still described
 * (`INACTIVE`), unknown (`missing`: deleted long ago, or never created),
 * or in a cluster that does not exist. `listed` means it exists after all:
 * created after the scan read its cluster.
 */
export type ServiceLookup = 'inactive' | 'missing' | 'clusterMissing' | 'listed';

/** What the lookups found, and the ECS calls they took per shard (for the metrics). */
export interface Lookups {
  answers: Map<string, ServiceLookup>;
  calls: Array<{ accountId: string; region: string; apiCalls: number; throttled: number; retries: number }>;
}

const DESCRIBE_BATCH = 10;

/**
 * Describes the targets of one shard, ten at a time per cluster. Only reasons
 * for a report: a call that fails leaves its targets out of the answer
 * instead of failing anything.
 */
export async function lookUpServices(api: EcsShardApi, targets: readonly LookupTarget[]): Promise<Map<string, ServiceLookup>> {
  const byCluster = new Map<string, LookupTarget[]>();
  for (const t of targets) {
    // The service ARN's own partition (aws, aws-cn, aws-us-gov), account and region.
    const clusterArn = `${t.arn.slice(0, t.arn.lastIndexOf(':service/'))}:cluster/${t.cluster}`;
    const inCluster = byCluster.get(clusterArn);
    if (inCluster) inCluster.push(t);
    else byCluster.set(clusterArn, [t]);
  }
  const answers = new Map<string, ServiceLookup>();
  for (const [clusterArn, inCluster] of byCluster) {
    for (let i = 0; i < inCluster.length; i += DESCRIBE_BATCH) {
      const batch = inCluster.slice(i, i + DESCRIBE_BATCH).map(t => t.arn);
      try {
        const { services, failures } = await api.describeServices(clusterArn, batch);
        for (const s of services) if (s.serviceArn) answers.set(s.serviceArn, s.status === 'INACTIVE' ? 'inactive' : 'listed');
        for (const f of failures) if (f.arn && f.reason === 'MISSING') answers.set(f.arn, 'missing');
      } catch (error) {
        if (!(error instanceof ShardCallError && error.awsName === 'ClusterNotFoundException')) continue;
        for (const arn of batch) answers.set(arn, 'clusterMissing');
      }
    }
  }
  return answers;
}
