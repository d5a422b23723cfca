/**
 * ECS's request throttling, as far as the scan is concerned: token buckets per
 * account, region and category of call ("Request throttling for the Amazon
 * ECS API", Amazon ECS API Reference). Deploy pipelines, the console and
 * Terraform draw on the same buckets, so the scan paces itself against a
 * share of them, never against the whole.
 */
export type EcsCallCategory = 'clusterReads' | 'serviceReads';

export interface BucketLimit {
  perSecond: number;
  burst: number;
}

/**
 * The documented defaults (burst = bucket size, perSecond = refill rate):
 * cluster reads (ListClusters, DescribeClusters) 50 and 20/s; service reads
 * (ListServices and DescribeServices share one bucket) 100 and 20/s. Accounts
 * whose limits AWS raised have more; the scan does not assume so.
 */
export const ECS_THROTTLING: Readonly<Record<EcsCallCategory, Readonly<BucketLimit>>> = Object.freeze({
  clusterReads: Object.freeze({ perSecond: 20, burst: 50 }),
  serviceReads: Object.freeze({ perSecond: 20, burst: 100 }),
});

/** The category of each ECS call the scan makes, by the SDK's command name. */
const CATEGORY_OF: Record<string, EcsCallCategory> = {
  ListClustersCommand: 'clusterReads',
  DescribeClustersCommand: 'clusterReads',
  ListServicesCommand: 'serviceReads',
  DescribeServicesCommand: 'serviceReads',
};

export function callCategory(commandName: string | undefined): EcsCallCategory {
  // Anything else the scan might send one day is paced with the stricter reads.
  return (commandName && CATEGORY_OF[commandName]) || 'clusterReads';
}

/** A share of each bucket: `budget` of its burst (rounded down, at least one call) and of its rate. */
export function budgetBuckets(budget: number): Record<EcsCallCategory, BucketLimit> {
  const share = (limit: BucketLimit): BucketLimit => ({ perSecond: limit.perSecond * budget, burst: Math.max(1, Math.floor(limit.burst * budget)) });
  return { clusterReads: share(ECS_THROTTLING.clusterReads), serviceReads: share(ECS_THROTTLING.serviceReads) };
}
