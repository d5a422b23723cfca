/**
 * The tasks of the emulated services. The fleet describes services by their
 * counts, not tasks, so tasks are derived from them: each ACTIVE or DRAINING
 * service has `runningCount` RUNNING and `pendingCount` PENDING tasks, with
 * ids that depend on the service's ARN and the task's place alone, so the
 * same fleet gives the same task ARNs on every call and every run. Tasks are
 * in the long ARN format (`task/CLUSTER/ID`).
 */
import { createHash } from 'node:crypto';
import { deploymentIdFor, primaryDeployment } from './deployments';
import type { ClusterRecord, ServiceRecord } from './state';

export interface TaskRecord {
  readonly arn: string;
  readonly id: string;
  readonly service: ServiceRecord;
  readonly lastStatus: 'RUNNING' | 'PENDING';
  /** Epoch seconds. */
  readonly createdAt: number;
}

function taskId(service: ServiceRecord, index: number): string {
  return createHash('md5').update(`${service.arn}#${index}`).digest('hex');
}

/** ARN prefix of a cluster's tasks: the cluster ARN with `task/` in place of `cluster/`. */
function taskArnPrefix(cluster: ClusterRecord): string {
  return `${cluster.arn.slice(0, cluster.arn.lastIndexOf(':cluster/'))}:task/${cluster.name}/`;
}

/** A service's tasks, sorted by ARN; none once it is INACTIVE. */
export function tasksOf(service: ServiceRecord): TaskRecord[] {
  if (service.status === 'INACTIVE') return [];
  const prefix = taskArnPrefix(service.cluster);
  const tasks: TaskRecord[] = [];
  const total = service.runningCount + service.pendingCount;
  for (let i = 0; i < total; i++) {
    const id = taskId(service, i);
    tasks.push({ arn: prefix + id, id, service, lastStatus: i < service.runningCount ? 'RUNNING' : 'PENDING', createdAt: service.createdAt + 60 + i });
  }
  return tasks.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/** Every task of a cluster, sorted by ARN. */
export function clusterTasks(cluster: ClusterRecord): TaskRecord[] {
  return cluster.listed.flatMap(tasksOf).sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/** The deployment a service's tasks were started by, as ECS writes it in `startedBy`. */
export function deploymentId(service: ServiceRecord): string {
  return primaryDeployment(service.deployments)?.id ?? deploymentIdFor(service.arn, 0);
}

/** `family:revision` of a task definition ARN. */
function familyAndRevision(taskDefinitionArn: string): [string, string] {
  const tail = taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
  const colon = tail.lastIndexOf(':');
  return colon < 0 ? [tail, '1'] : [tail.slice(0, colon), tail.slice(colon + 1)];
}

export function taskFamily(service: ServiceRecord): string {
  return familyAndRevision(service.taskDefinitionArn)[0];
}

/** A task as DescribeTasks returns it (the fields the SDK models, in ECS's shapes). */
export function taskJson(task: TaskRecord, region: string, withTags: boolean): Record<string, unknown> {
  const s = task.service;
  const running = task.lastStatus === 'RUNNING';
  const container = taskFamily(s);
  const out: Record<string, unknown> = {
    taskArn: task.arn,
    clusterArn: s.cluster.arn,
    taskDefinitionArn: s.taskDefinitionArn,
    group: `service:${s.name}`,
    startedBy: deploymentId(s),
    lastStatus: task.lastStatus,
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    availabilityZone: `${region}a`,
    cpu: '256',
    memory: '512',
    version: running ? 3 : 1,
    createdAt: task.createdAt,
    ...(running ? { pullStartedAt: task.createdAt + 5, pullStoppedAt: task.createdAt + 15, startedAt: task.createdAt + 20, connectivity: 'CONNECTED', connectivityAt: task.createdAt + 2 } : {}),
    containers: [
      {
        containerArn: `${task.arn.replace(':task/', ':container/')}/${createHash('md5').update(`${task.arn}#container`).digest('hex')}`,
        taskArn: task.arn,
        name: container,
        lastStatus: task.lastStatus,
        healthStatus: 'UNKNOWN',
        networkBindings: [],
        networkInterfaces: [],
        cpu: '0',
      },
    ],
    overrides: { containerOverrides: [{ name: container }], inferenceAcceleratorOverrides: [] },
    attachments: [],
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    enableExecuteCommand: false,
    ...(s.launchType ? { launchType: s.launchType } : { capacityProviderName: s.capacityProviders?.[0] ?? 'FARGATE' }),
    ...(s.launchType !== 'EC2' ? { platformVersion: '1.4.0', platformFamily: 'Linux', ephemeralStorage: { sizeInGiB: 20 } } : {}),
  };
  // Services propagate no tags to their tasks (propagateTags NONE), so a task has none of its own.
  if (withTags) out.tags = [];
  return out;
}
