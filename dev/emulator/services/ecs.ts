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
import type { DeploymentRecord } from './deployments';
import type { ClusterRecord, FleetState, RegionRecord, ServiceRecord, TagPairs } from './state';
import { resolveTaskDefinition, taskDefinitionArnOf } from './taskDefinitions';
import { AwsError } from './wire';

export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';

export interface ScopeContext {
  readonly state: FleetState;
  readonly caller: Caller;
  readonly region: string;
  /** Epoch milliseconds; absent means the wall clock. */
  readonly now?: () => number;
  /** Told of every service an ECS write changed (the event bus listens). */
  readonly serviceUpdated?: (serviceArn: string) => void;
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

/** A service of the cluster by name or by (long or short) ARN. */
export function findService(ctx: ScopeContext, cluster: ClusterRecord, ref: string): ServiceRecord | undefined {
  const s = ref.startsWith('arn:') ? ctx.state.service(ref) : cluster.byName.get(ref);
  return s && s.cluster === cluster ? s : undefined;
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
    deployments: s.status === 'INACTIVE' ? [] : s.deployments.map(d => deploymentJson(d, placement)),
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

function deploymentJson(d: DeploymentRecord, placement: Record<string, unknown>): Record<string, unknown> {
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinitionArn,
    desiredCount: d.desiredCount,
    pendingCount: d.pendingCount,
    runningCount: d.runningCount,
    failedTasks: 0,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...placement,
    ...(d.status === 'PRIMARY' ? { rolloutState: d.rolloutState, rolloutStateReason: 'ECS deployment ' + d.id + ' completed.' } : {}),
  };
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
      ref => findService(ctx, cluster, ref),
      s => serviceJson(s, withTags),
      name => serviceArnFor(ctx.region, ctx.caller.accountId, cluster.name, name),
    );
    return { services, failures };
  },

  UpdateService(ctx, r) {
    const cluster = requireCluster(ctx, r.string('cluster') ?? 'default');
    const ref = r.requiredString('service');
    const desiredCount = r.int('desiredCount', 0, Number.MAX_SAFE_INTEGER, Number.NaN);
    const tdRef = r.string('taskDefinition');
    const force = r.boolean('forceNewDeployment') ?? false;
    const svc = findService(ctx, cluster, ref);
    if (!svc) throw new AwsError('ServiceNotFoundException', 'Service not found.', 400);
    if (svc.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.', 400);
    let taskDefinitionArn: string | undefined;
    if (tdRef !== undefined) {
      const reg = cluster.region;
      taskDefinitionArn = resolveTaskDefinition(reg.taskDefinitions, reg.region, reg.accountId, tdRef);
      if (taskDefinitionArn === undefined) throw new AwsError('ClientException', 'TaskDefinition not found.', 400);
    }
    const now = Math.floor((ctx.now ?? Date.now)() / 1000);
    const updated = ctx.state.updateService(
      svc.arn,
      { desiredCount: Number.isNaN(desiredCount) ? undefined : desiredCount, taskDefinitionArn, forceNewDeployment: force },
      now,
    );
    ctx.serviceUpdated?.(updated.arn);
    return { service: serviceJson(updated, false) };
  },

  DescribeTaskDefinition(ctx, r) {
    const ref = r.requiredString('taskDefinition');
    const reg = regionOf(ctx);
    const arn = reg ? resolveTaskDefinition(reg.taskDefinitions, ctx.region, ctx.caller.accountId, ref) : undefined;
    if (arn === undefined) throw new AwsError('ClientException', 'Unable to describe task definition.', 400);
    const tail = arn.slice(arn.lastIndexOf('/') + 1);
    const colon = tail.lastIndexOf(':');
    const family = tail.slice(0, colon);
    return {
      taskDefinition: {
        taskDefinitionArn: arn,
        family,
        revision: Number(tail.slice(colon + 1)),
        status: 'ACTIVE',
        containerDefinitions: [{ name: family, image: `public.ecr.aws/emulator/${family}:latest`, cpu: 0, essential: true, portMappings: [], environment: [], mountPoints: [], volumesFrom: [] }],
        volumes: [],
        placementConstraints: [],
        compatibilities: ['EC2', 'FARGATE'],
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
      },
      tags: [],
    };
  },

  ListTaskDefinitions(ctx, r) {
    const familyPrefix = r.string('familyPrefix');
    const status = r.string('status') ?? 'ACTIVE';
    if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status)) r.fail(`status must be one of ACTIVE, INACTIVE, DELETE_IN_PROGRESS, got ${status}`);
    const sort = r.string('sort') ?? 'ASC';
    if (sort !== 'ASC' && sort !== 'DESC') r.fail(`sort must be one of ASC, DESC, got ${sort}`);
    const max = r.int('maxResults', 1, 100, 100);
    const reg = regionOf(ctx);
    const arns: string[] = [];
    // Nothing is ever deregistered here, so only ACTIVE lists anything.
    if (reg && status === 'ACTIVE') {
      const families = [...reg.taskDefinitions.keys()].filter(f => familyPrefix === undefined || f.startsWith(familyPrefix)).sort();
      for (const family of families) {
        const revisions = [...(reg.taskDefinitions.get(family) ?? [])].sort((a, b) => a - b);
        for (const rev of revisions) arns.push(taskDefinitionArnOf(ctx.region, ctx.caller.accountId, family, rev));
      }
    }
    if (sort === 'DESC') arns.reverse();
    const scope = `${ctx.caller.accountId}/${ctx.region}|${familyPrefix ?? ''}|${sort}`;
    const token = r.string('nextToken');
    let start = 0;
    if (token !== undefined && token !== '') {
      const last = decodeToken(token, 'taskDefinitions', scope);
      if (last === undefined) throw new AwsError(INVALID, 'Invalid nextToken.', 400);
      start = arns.indexOf(last) + 1;
    }
    const page = arns.slice(start, start + max);
    const more = start + max < arns.length;
    return { taskDefinitionArns: page, nextToken: more ? encodeToken('taskDefinitions', scope, page[page.length - 1] as string) : undefined };
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
