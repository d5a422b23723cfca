/**
 * What each access profile allows, and on what. ECS decides which actions take
 * a resource ARN (the Service Authorization Reference); an action that takes
 * none can only be granted on `*`, so it is listed as unscoped and nothing
 * else ever is.
 */
export const ACCESS_PROFILES = ['read', 'operate', 'deploy'] as const;
export type AccessProfile = (typeof ACCESS_PROFILES)[number];

/**
 * - `unscoped`: ECS takes no resource for the action; `*` is the only choice.
 * - `unscopedInClusters`: no resource either, but the `ecs:cluster` condition
 *   key narrows it to the team's clusters.
 * - `cluster`: the cluster ARNs the team's services run in.
 * - `service`: the team's service ARNs, one by one.
 * - `serviceDeployment`: the team's services together with their deployments:
 *   ECS authorizes the request against both, so granting the deployments alone
 *   is denied. Deployment ids are made by ECS, so those ARNs end in a wildcard
 *   under each service.
 * - `taskDefinition`: every revision of the task-definition families the
 *   team's services run; ECS names the revision when it registers one.
 * - `passRole`: the IAM roles the provider config names for the team.
 */
export type ResourceScope = 'unscoped' | 'unscopedInClusters' | 'cluster' | 'service' | 'serviceDeployment' | 'taskDefinition' | 'passRole';

export interface ProfileAction {
  action: string;
  scope: ResourceScope;
  /** The least profile that grants it; every higher profile grants it too. */
  profile: AccessProfile;
  /**
   * The request may name a task definition (condition key
   * `ecs:task-definition` in the Service Authorization Reference): granted
   * without one, or with a revision of a family the team's services run.
   */
  namesTaskDefinition?: true;
}

export const PROFILE_ACTIONS: readonly ProfileAction[] = [
  { action: 'ecs:ListClusters', scope: 'unscoped', profile: 'read' },
  { action: 'ecs:ListServices', scope: 'unscopedInClusters', profile: 'read' },
  { action: 'ecs:DescribeClusters', scope: 'cluster', profile: 'read' },
  { action: 'ecs:DescribeServices', scope: 'service', profile: 'read' },
  { action: 'ecs:ListTagsForResource', scope: 'service', profile: 'read' },
  { action: 'ecs:ListServiceDeployments', scope: 'service', profile: 'read' },
  { action: 'ecs:DescribeServiceDeployments', scope: 'serviceDeployment', profile: 'read' },
  // Restarts (forceNewDeployment), scaling (desiredCount) and deploys (taskDefinition) are all UpdateService.
  { action: 'ecs:UpdateService', scope: 'service', profile: 'operate', namesTaskDefinition: true },
  { action: 'ecs:RegisterTaskDefinition', scope: 'taskDefinition', profile: 'deploy' },
  // A task definition names its task and execution roles; registering it passes them.
  { action: 'iam:PassRole', scope: 'passRole', profile: 'deploy' },
];

const RANK: Record<AccessProfile, number> = { read: 0, operate: 1, deploy: 2 };

/** The actions a profile grants, in the fixed order above. */
export function actionsOf(profile: AccessProfile): ProfileAction[] {
  return PROFILE_ACTIONS.filter(a => RANK[a.profile] <= RANK[profile]);
}

export function isAccessProfile(value: unknown): value is AccessProfile {
  return typeof value === 'string' && (ACCESS_PROFILES as readonly string[]).includes(value);
}

/** The service the roles may be passed to: ECS tasks, and nothing else. */
export const PASS_ROLE_SERVICE = 'ecs-tasks.amazonaws.com';
