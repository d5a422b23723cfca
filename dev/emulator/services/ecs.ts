/**
 * Amazon ECS (awsJson1_1, X-Amz-Target AmazonEC2ContainerServiceV20141113.<Op>).
 * Every call is scoped to the caller's account and the region it signed for.
 * Shapes and limits follow the real API: ListServices defaults to 10 per page,
 * lists only ACTIVE/DRAINING services, DescribeServices takes at most 10 and
 * also returns INACTIVE ones, tags come back only with include: ['TAGS'].
 * ListTasks and DescribeTasks serve the tasks derived from each service's
 * counts (tasks.ts).
 */
import { clusterArnFor, serviceArnFor } from '../fleet';
import type { Caller } from './identity';
import { InputReader, type Input } from './input';
import { decodeToken, encodeToken } from './paging';
import { upperBound } from './sorted';
import { clusterTasks, deploymentId, taskFamily, taskJson, tasksOf, type TaskRecord } from './tasks';
import type { ClusterRecord, FleetState, RegionRecord, ServiceRecord, TagPairs } from './state';
import { AwsError } from './wire';

export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';

export interface ScopeContext {
  readonly state: FleetState;
  readonly caller: Caller;
  readonly region: string;
}

type Handler = (ctx: ScopeContext, r: InputReader) => unknown;

const INVALID = 'InvalidParameterException';

function tagsJson(tags: TagPairs): Array<{ key: string; value: string }> {
  return tags.map(([key, value]) => ({ key, value }));
}

function regionOf(ctx: ScopeContext): RegionRecord | undefined {
  return ctx.state.region(ctx.caller.accountId, ctx.region);
}

/** Cluster by name or ARN, only within the caller's account and region. */
function findCluster(ctx: ScopeContext, ref: string): ClusterRecord | undefined {
  const reg = regionOf(ctx);
  if (!reg) return undefined;
  if (ref.startsWith('arn:')) {
    const c = ctx.state.cluster(ref);
    return c && c.region === reg ? c : undefined;
  }
  return reg.clustersByName.get(ref);
}

function requireCluster(ctx: ScopeContext, ref: string): ClusterRecord {
  const c = findCluster(ctx, ref);
  if (!c) throw new AwsError('ClusterNotFoundException', 'Cluster not found.', 400);
  return c;
}

function pageStart(items: readonly { arn: string }[], token: string | undefined, kind: string, scope: string): number {
  if (token === undefined || token === '') return 0;
  const last = decodeToken(token, kind, scope);
  if (last === undefined) throw new AwsError(INVALID, 'Invalid nextToken.', 400);
  return upperBound(items, last);
}

function serviceJson(s: ServiceRecord, withTags: boolean): Record<string, unknown> {
  const placement = s.launchType
    ? { launchType: s.launchType, ...(s.launchType === 'FARGATE' ? { platformVersion: 'LATEST', platformFamily: 'Linux' } : {}) }
    : { capacityProviderStrategy: (s.capacityProviders ?? []).map((p) => ({ capacityProvider: p, weight: 1, base: 0 })) };
  const out: Record<string, unknown> = {
    serviceArn: s.arn,
    serviceName: s.name,
    clusterArn: s.cluster.arn,
    loadBalancers: [],
    serviceRegistries: [],
    status: s.status,
    desiredCount: s.desiredCount,
    runningCount: s.runningCount,
    pendingCount: s.pendingCount,
    ...placement,
    taskDefinition: s.taskDefinitionArn,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments:
      s.status === 'INACTIVE'
        ? []
        : [
            {
              id: `ecs-svc/${Math.floor(s.createdAt * 1000)}`,
              status: 'PRIMARY',
              taskDefinition: s.taskDefinitionArn,
              desiredCount: s.desiredCount,
              pendingCount: s.pendingCount,
              runningCount: s.runningCount,
              failedTasks: 0,
              createdAt: s.createdAt,
              updatedAt: s.createdAt,
              ...placement,
              rolloutState: 'COMPLETED',
            },
          ],
    events: [],
    createdAt: s.createdAt,
    placementConstraints: [],
    placementStrategy: [],
    schedulingStrategy: s.schedulingStrategy,
    deploymentController: { type: 'ECS' },
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
  };
  if (withTags && s.tags.length > 0) out.tags = tagsJson(s.tags);
  return out;
}

function clusterJson(c: ClusterRecord, withTags: boolean): Record<string, unknown> {
  let running = 0;
  let pending = 0;
  for (const s of c.listed) {
    running += s.runningCount;
    pending += s.pendingCount;
  }
  const out: Record<string, unknown> = {
    clusterArn: c.arn,
    clusterName: c.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: c.listed.length,
    statistics: [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
  if (withTags && c.tags.length > 0) out.tags = tagsJson(c.tags);
  return out;
}

const handlers: Record<string, Handler> = {
  ListClusters(ctx, r) {
    const max = r.int('maxResults', 1, 100, 100);
    const clusters = regionOf(ctx)?.clusters ?? [];
    const start = pageStart(clusters, r.string('nextToken'), 'clusters', `${ctx.caller.accountId}/${ctx.region}`);
    const page = clusters.slice(start, start + max);
    const more = start + max < clusters.length;
    return {
      clusterArns: page.map((c) => c.arn),
      nextToken: more ? encodeToken('clusters', `${ctx.caller.accountId}/${ctx.region}`, (page[page.length - 1] as ClusterRecord).arn) : undefined,
    };
  },

  DescribeClusters(ctx, r) {
    const refs = r.stringList('clusters') ?? ['default'];
    if (refs.length > 100) r.fail('clusters can have at most 100 items.');
    const withTags = (r.stringList('include') ?? []).includes('TAGS');
    const { found: clusters, failures } = describeEach(
      refs,
      ref => findCluster(ctx, ref),
      c => clusterJson(c, withTags),
      name => clusterArnFor(ctx.region, ctx.caller.accountId, name),
    );
    return { clusters, failures };
  },

  ListServices(ctx, r) {
    const cluster = requireCluster(ctx, r.string('cluster') ?? 'default');
    const max = r.int('maxResults', 1, 100, 10);
    const launchType = r.string('launchType');
    const scheduling = r.string('schedulingStrategy');
    const items = cluster.listed;
    const start = pageStart(items, r.string('nextToken'), 'services', cluster.arn);
    const arns: string[] = [];
    let i = start;
    for (; i < items.length && arns.length < max; i++) {
      const s = items[i] as ServiceRecord;
      if (launchType !== undefined && s.launchType !== launchType) continue;
      if (scheduling !== undefined && s.schedulingStrategy !== scheduling) continue;
      arns.push(s.arn);
    }
    // The token holds the last ARN *examined*, so filtered-out items are not re-read.
    const more = i < items.length;
    return {
      serviceArns: arns,
      nextToken: more ? encodeToken('services', cluster.arn, (items[i - 1] as ServiceRecord).arn) : undefined,
    };
  },

  DescribeServices(ctx, r) {
    const cluster = requireCluster(ctx, r.string('cluster') ?? 'default');
    const refs = r.stringList('services') ?? [];
    if (refs.length === 0) r.fail('services can not be empty.');
    if (refs.length > 10) r.fail('services can have at most 10 items.');
    const withTags = (r.stringList('include') ?? []).includes('TAGS');
    const { found: services, failures } = describeEach(
      refs,
      ref => {
        const s = ref.startsWith('arn:') ? ctx.state.service(ref) : cluster.byName.get(ref);
        return s && s.cluster === cluster ? s : undefined;
      },
      s => serviceJson(s, withTags),
      name => serviceArnFor(ctx.region, ctx.caller.accountId, cluster.name, name),
    );
    return { services, failures };
  },

  ListTasks(ctx, r) {
    const cluster = requireCluster(ctx, r.string('cluster') ?? 'default');
    const max = r.int('maxResults', 1, 100, 100);
    const serviceName = r.string('serviceName');
    const family = r.string('family');
    const startedBy = r.string('startedBy');
    const launchType = r.string('launchType');
    const desiredStatus = r.string('desiredStatus') ?? 'RUNNING';
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus)) r.fail(`desiredStatus must be one of RUNNING, PENDING, STOPPED, got ${desiredStatus}`);
    if (r.string('containerInstance') !== undefined) r.fail('containerInstance is not supported by the emulator: it runs no container instances.');
    let items: TaskRecord[];
    if (serviceName !== undefined) {
      const service = cluster.byName.get(serviceName);
      if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.', 400);
      items = tasksOf(service);
    } else {
      items = clusterTasks(cluster);
    }
    // Every emulated task wants to run: none is asked for with PENDING or STOPPED.
    if (desiredStatus !== 'RUNNING') items = [];
    const scope = `${cluster.arn}|${serviceName ?? ''}|${family ?? ''}|${startedBy ?? ''}|${launchType ?? ''}|${desiredStatus}`;
    const start = pageStart(items, r.string('nextToken'), 'tasks', scope);
    const arns: string[] = [];
    let i = start;
    for (; i < items.length && arns.length < max; i++) {
      const t = items[i] as TaskRecord;
      if (family !== undefined && taskFamily(t.service) !== family) continue;
      if (startedBy !== undefined && deploymentId(t.service) !== startedBy) continue;
      if (launchType !== undefined && (t.service.launchType ?? 'FARGATE') !== launchType) continue;
      arns.push(t.arn);
    }
    const more = i < items.length;
    return { taskArns: arns, nextToken: more ? encodeToken('tasks', scope, (items[i - 1] as TaskRecord).arn) : undefined };
  },

  DescribeTasks(ctx, r) {
    const cluster = requireCluster(ctx, r.string('cluster') ?? 'default');
    const refs = r.stringList('tasks') ?? [];
    if (refs.length === 0) r.fail('Tasks cannot be empty.');
    if (refs.length > 100) r.fail('tasks can have at most 100 items.');
    const withTags = (r.stringList('include') ?? []).includes('TAGS');
    const byArn = new Map(clusterTasks(cluster).map((t) => [t.arn, t]));
    const byId = new Map([...byArn.values()].map((t) => [t.id, t]));
    const { found: tasks, failures } = describeEach(
      refs,
      ref => (ref.startsWith('arn:') ? byArn.get(ref) : byId.get(ref)),
      t => taskJson(t, ctx.region, withTags),
      id => `${cluster.arn.slice(0, cluster.arn.lastIndexOf(':cluster/'))}:task/${cluster.name}/${id}`,
    );
    return { tasks, failures };
  },

  ListTagsForResource(ctx, r) {
    const arn = r.requiredString('resourceArn');
    const reg = regionOf(ctx);
    const svc = ctx.state.service(arn);
    if (svc && svc.cluster.region === reg) return { tags: tagsJson(svc.tags) };
    const cluster = ctx.state.cluster(arn);
    if (cluster && cluster.region === reg) return { tags: tagsJson(cluster.tags) };
    throw new AwsError(INVALID, 'The specified resource could not be found.', 400);
  },
};

export function isEcsAction(action: string): boolean {
  return Object.prototype.hasOwnProperty.call(handlers, action);
}

export function handleEcs(ctx: ScopeContext, action: string, input: Input): unknown {
  const handler = handlers[action];
  if (!handler) throw new AwsError('UnknownOperationException', `Operation ${action} is not supported by the emulator.`, 400);
  return handler(ctx, new InputReader(input, INVALID));
}

/**
 * The Describe* calls' shape: each reference (an ARN or a name) described, or
 * named in `failures` with reason MISSING, by ARN as ECS reports it.
 */
function describeEach<T>(refs: string[], find: (ref: string) => T | undefined, json: (item: T) => unknown, arnOf: (name: string) => string): { found: unknown[]; failures: unknown[] } {
  const found: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const item = find(ref);
    if (item !== undefined) found.push(json(item));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : arnOf(ref), reason: 'MISSING' });
  }
  return { found, failures };
}
