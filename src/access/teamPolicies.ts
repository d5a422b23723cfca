import { parseEntityRef } from '@backstage/catalog-model';
import { compareStrings } from '../scan/inventory';
import type { OwnedService } from './ownedServices';
import { passRolesFor } from './passRoles';
import { MANAGED_POLICY_LIMIT, policySize, type PolicyDocument, type PolicyStatement } from './policyDocument';
import { actionsOf, PASS_ROLE_SERVICE, type AccessProfile, type ResourceScope } from './profiles';

export interface TeamPolicyRequest {
  /** The reconciled fleet; only the team's services are used. */
  services: readonly OwnedService[];
  /** The team as a full entity reference, such as `group:default/team-a`. */
  team: string;
  profile: AccessProfile;
  /** Role ARN templates from `access.passRoles`; `deploy` needs at least one per account. */
  passRoles?: readonly string[];
  /** Only this account. */
  accountId?: string;
  /** Characters per document; IAM's managed-policy limit unless a test asks for less. */
  sizeLimit?: number;
}

export interface AccountPolicy {
  accountId: string;
  /** A managed-policy name: profile, team, account, and the part when split. */
  name: string;
  document: PolicyDocument;
}

export interface TeamPolicies {
  team: string;
  profile: AccessProfile;
  policies: AccountPolicy[];
}

/** A team, profile or config that no valid policy can be made for; the message names which. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/**
 * The least-privilege IAM policies of one team: per account, the profile's
 * actions on exactly the services the team owns (and their clusters,
 * deployments and task-definition families), `*` only for actions ECS cannot
 * scope. A document that would pass the managed policy limit is split into
 * parts, each complete for its services. Pure and deterministic: the same
 * fleet gives the same documents, byte for byte.
 */
export function buildTeamPolicies(request: TeamPolicyRequest): TeamPolicies {
  const { team, profile, accountId } = request;
  const limit = request.sizeLimit ?? MANAGED_POLICY_LIMIT;
  const owned = request.services
    .filter(s => s.owner === team && (accountId === undefined || s.accountId === accountId))
    .sort((a, b) => compareStrings(a.accountId, b.accountId) || compareStrings(a.clusterArn, b.clusterArn) || compareStrings(a.arn, b.arn));

  const byAccount = new Map<string, OwnedService[]>();
  for (const s of owned) {
    const list = byAccount.get(s.accountId);
    if (list) list.push(s);
    else byAccount.set(s.accountId, [s]);
  }

  const policies: AccountPolicy[] = [];
  for (const [account, services] of byAccount) {
    const roles = profile === 'deploy' ? passRolesFor(request.passRoles ?? [], team, account) : [];
    if (profile === 'deploy' && roles.length === 0) {
      throw new PolicyError(
        `profile deploy needs the task roles ${team} may pass in account ${account}: list them in access.passRoles of the provider config, for example arn:aws:iam::{accountId}:role/ecs-task-{team}`,
      );
    }
    if (profile === 'deploy' && !services.some(s => s.taskDefinitionFamily !== undefined)) {
      throw new PolicyError(
        `profile deploy needs the task-definition family of a service ${team} owns in account ${account}, and none names one: the scan records each service's family (entities written by an older version get it at the next scan); a service whose task sets carry its task definition has none`,
      );
    }
    const parts = split(services, part => documentFor(part, profile, roles), limit, account);
    parts.forEach((document, i) => {
      policies.push({ accountId: account, name: policyName(profile, team, account, parts.length > 1 ? `${i + 1}of${parts.length}` : undefined), document });
    });
  }
  return { team, profile, policies };
}

/**
 * Greedy packing in ARN order: each part takes services until the next one
 * would pass the limit. Deterministic, and every service lands in one part.
 */
function split(services: OwnedService[], build: (part: OwnedService[]) => PolicyDocument, limit: number, account: string): PolicyDocument[] {
  const documents: PolicyDocument[] = [];
  let part: OwnedService[] = [];
  let last: PolicyDocument | undefined;
  for (const service of services) {
    const candidate = build([...part, service]);
    if (policySize(candidate) <= limit) {
      part.push(service);
      last = candidate;
      continue;
    }
    if (last) documents.push(last);
    last = build([service]);
    part = [service];
    if (policySize(last) > limit) {
      throw new PolicyError(`the policy for ${service.arn} alone is over ${limit} characters in account ${account}; shorten access.passRoles`);
    }
  }
  if (last) documents.push(last);
  return documents;
}

const SIDS: Record<ResourceScope, string> = {
  unscoped: 'EcsActionsWithoutResource',
  unscopedInClusters: 'EcsListInTeamClusters',
  cluster: 'EcsTeamClusters',
  service: 'EcsTeamServices',
  serviceDeployment: 'EcsTeamServiceDeployments',
  taskDefinition: 'EcsTeamTaskDefinitions',
  passRole: 'PassTeamTaskRoles',
};

function documentFor(services: OwnedService[], profile: AccessProfile, roles: string[]): PolicyDocument {
  const clusters = sortedUnique(services.map(s => s.clusterArn));
  const serviceArns = sortedUnique(services.map(s => s.arn));
  const resources: Record<ResourceScope, string[]> = {
    unscoped: ['*'],
    unscopedInClusters: ['*'],
    cluster: clusters,
    service: serviceArns,
    serviceDeployment: [...serviceArns, ...sortedUnique(services.map(deploymentsOf))],
    taskDefinition: sortedUnique(services.flatMap(s => taskDefinitionsOf(s) ?? [])),
    passRole: roles,
  };
  const actions = actionsOf(profile);
  const statements: PolicyStatement[] = [];
  for (const scope of Object.keys(SIDS) as ResourceScope[]) {
    const inScope = actions.filter(a => a.scope === scope && !a.namesTaskDefinition).map(a => a.action);
    // A part whose services name no task-definition family has none to grant; IAM refuses an empty Resource.
    if (inScope.length > 0 && resources[scope].length > 0) {
      const statement: PolicyStatement = { Sid: SIDS[scope], Effect: 'Allow', Action: inScope, Resource: resources[scope] };
      if (scope === 'unscopedInClusters') statement.Condition = { ArnEquals: { 'ecs:cluster': clusters } };
      if (scope === 'passRole') statement.Condition = { StringEquals: { 'iam:PassedToService': PASS_ROLE_SERVICE } };
      statements.push(statement);
    }
    const changing = actions.filter(a => a.scope === scope && a.namesTaskDefinition).map(a => a.action);
    if (changing.length > 0 && resources[scope].length > 0) statements.push(...changeStatements(changing, resources[scope], resources.taskDefinition));
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * Two statements rather than one `ArnLikeIfExists`: a restart or a scale
 * names no task definition (the key is absent, so `Null` holds), a deploy
 * names one, which must be a revision of the team's own families. Without
 * any family, deploys are not granted at all.
 */
function changeStatements(actions: string[], resources: string[], families: string[]): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    { Sid: 'EcsTeamServiceChanges', Effect: 'Allow', Action: actions, Resource: resources, Condition: { Null: { [TASK_DEFINITION_KEY]: 'true' } } },
  ];
  if (families.length > 0) {
    statements.push({ Sid: 'EcsTeamServiceDeploys', Effect: 'Allow', Action: actions, Resource: resources, Condition: { ArnLike: { [TASK_DEFINITION_KEY]: families } } });
  }
  return statements;
}

/** The ARN of the task definition an UpdateService request names. */
export const TASK_DEFINITION_KEY = 'ecs:task-definition';

/**
 * `arn:...:service-deployment/<cluster>/<service>/*`: ECS names a deployment
 * by an id it makes, so the team can only be given all deployments of its
 * own services. Works for both service ARN formats, since the cluster comes
 * from the cluster ARN.
 */
export function deploymentsOf(service: OwnedService): string {
  const prefix = service.arn.slice(0, service.arn.indexOf(':service/'));
  const cluster = service.clusterArn.slice(service.clusterArn.indexOf(':cluster/') + ':cluster/'.length);
  const name = service.arn.slice(service.arn.lastIndexOf('/') + 1);
  return `${prefix}:service-deployment/${cluster}/${name}/*`;
}

/**
 * `arn:...:task-definition/<family>:*`: every revision of the family the
 * service runs, since ECS numbers the revision it registers. Undefined when
 * the service names no family. The task definition lives in the service's
 * partition, account and region.
 */
export function taskDefinitionsOf(service: OwnedService): string | undefined {
  if (service.taskDefinitionFamily === undefined) return undefined;
  const prefix = service.arn.slice(0, service.arn.indexOf(':service/'));
  return `${prefix}:task-definition/${service.taskDefinitionFamily}:*`;
}

/** IAM policy names take letters, digits and `+=,.@_-`, up to 128 characters. */
function policyName(profile: AccessProfile, team: string, accountId: string, part: string | undefined): string {
  const name = parseEntityRef(team).name.replace(/[^\w+=,.@-]/g, '-');
  const suffix = `-${accountId}${part ? `-${part}` : ''}`;
  return `ecs-${profile}-${name}`.slice(0, 128 - suffix.length) + suffix;
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}
