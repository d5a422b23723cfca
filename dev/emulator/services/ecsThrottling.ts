/**
 * ECS's request throttling as AWS documents it ("Request throttling for the
 * Amazon ECS API", Amazon ECS API Reference): a token bucket per account,
 * region and category of call; `burst` is the bucket's size, `perSecond` its
 * refill rate. Everyone calling ECS in the account and region draws on the
 * same buckets: scanners, deploy pipelines, the console.
 */
import type { RateLimit } from './tokenBucket';

export type EcsCategory = 'clusterReads' | 'serviceReads' | 'serviceWrites' | 'taskReads' | 'tagReads';

export const ECS_CATEGORY_LIMITS: Readonly<Record<EcsCategory, Readonly<RateLimit>>> = Object.freeze({
  // DescribeClusters, ListClusters: 50, 20/s.
  clusterReads: Object.freeze({ burst: 50, perSecond: 20 }),
  // DescribeServices, ListServices share one bucket: 100, 20/s.
  serviceReads: Object.freeze({ burst: 100, perSecond: 20 }),
  // CreateService, UpdateService, DeleteService: 50, 5/s (the emulator serves no writes; kept for completeness).
  serviceWrites: Object.freeze({ burst: 50, perSecond: 5 }),
  // DescribeTasks, ListTasks, and ListTagsForResource below: modelled with
  // the read buckets' shape; compare with the page before relying on them.
  taskReads: Object.freeze({ burst: 100, perSecond: 20 }),
  tagReads: Object.freeze({ burst: 50, perSecond: 20 }),
});

const CATEGORY_OF: Readonly<Record<string, EcsCategory>> = {
  ListClusters: 'clusterReads',
  DescribeClusters: 'clusterReads',
  ListServices: 'serviceReads',
  DescribeServices: 'serviceReads',
  CreateService: 'serviceWrites',
  UpdateService: 'serviceWrites',
  DeleteService: 'serviceWrites',
  ListTasks: 'taskReads',
  DescribeTasks: 'taskReads',
  ListTagsForResource: 'tagReads',
};

export function ecsCategory(action: string): EcsCategory {
  return CATEGORY_OF[action] ?? 'clusterReads';
}
