/**
 * What a complete scan of a fleet must read, worked out from the fleet itself
 * (not from what the scanner reports), and the least number of ECS calls that
 * reading it takes with the API's page sizes.
 */
import type { Fleet } from '../emulator/fleet';

/** One account and region as the scanner sees it. */
export interface ShardExpectation {
  accountId: string;
  region: string;
  /** Services ListServices returns (ACTIVE + DRAINING), one entry per cluster. */
  listedPerCluster: number[];
}

/** ListClusters and ListServices return at most 100 per page; DescribeServices takes at most 10. */
export const LIST_PAGE = 100;
export const DESCRIBE_BATCH = 10;

/**
 * Every configured account crossed with every configured region, in the order
 * the scanner starts them (accounts as configured, then regions). An account or
 * region the fleet does not hold is an empty shard: still one ListClusters call.
 */
export function expectShards(fleet: Fleet, accountIds: readonly string[], regions: readonly string[]): ShardExpectation[] {
  const byId = new Map(fleet.accounts.map(a => [a.id, a]));
  const shards: ShardExpectation[] = [];
  for (const accountId of accountIds) {
    const account = byId.get(accountId);
    for (const region of regions) {
      const clusters = account?.regions?.[region]?.clusters ?? [];
      shards.push({
        accountId,
        region,
        listedPerCluster: clusters.map(c => (c.services ?? []).filter(s => (s.status ?? 'ACTIVE') !== 'INACTIVE').length),
      });
    }
  }
  return shards;
}

export interface MinimumCalls {
  listClusters: number;
  listServices: number;
  describeServices: number;
  total: number;
}

/**
 * Per shard: one ListClusters page per 100 clusters (at least one, an empty
 * answer is still a call); per cluster one ListServices page per 100 listed
 * services (at least one) and one DescribeServices per 10 listed services.
 */
export function minimumCalls(shard: ShardExpectation): MinimumCalls {
  const listClusters = Math.max(1, Math.ceil(shard.listedPerCluster.length / LIST_PAGE));
  let listServices = 0;
  let describeServices = 0;
  for (const listed of shard.listedPerCluster) {
    listServices += Math.max(1, Math.ceil(listed / LIST_PAGE));
    describeServices += Math.ceil(listed / DESCRIBE_BATCH);
  }
  return { listClusters, listServices, describeServices, total: listClusters + listServices + describeServices };
}

export function sumMinimumCalls(shards: readonly ShardExpectation[]): MinimumCalls {
  const sum: MinimumCalls = { listClusters: 0, listServices: 0, describeServices: 0, total: 0 };
  for (const shard of shards) {
    const m = minimumCalls(shard);
    sum.listClusters += m.listClusters;
    sum.listServices += m.listServices;
    sum.describeServices += m.describeServices;
    sum.total += m.total;
  }
  return sum;
}

export function listedServices(shard: ShardExpectation): number {
  return shard.listedPerCluster.reduce((a, b) => a + b, 0);
}

/** The minimum calls of a shard by ECS bucket. */
export function minimumCallsByCategory(shard: ShardExpectation): { clusterReads: number; serviceReads: number } {
  const m = minimumCalls(shard);
  return { clusterReads: m.listClusters, serviceReads: m.listServices + m.describeServices };
}
