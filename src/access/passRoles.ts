import { parseEntityRef } from '@backstage/catalog-model';

/**
 * A role a team may pass to its tasks, as written in the provider config:
 * an IAM role ARN in which `{team}` stands for the team's name,
 * `{namespace}` for its namespace and `{accountId}` for the account the
 * policy is for, for example `arn:aws:iam::{accountId}:role/ecs-task-{team}`.
 */
const ROLE_TEMPLATE = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}|\{accountId\}):role\/[\w+=,.@{}\-/*?]+$/;
const PLACEHOLDERS = /\{([^}]*)\}/g;
const KNOWN = new Set(['team', 'namespace', 'accountId']);

/** Why a template cannot name a role, or undefined when it can. */
export function passRoleProblem(template: string): string | undefined {
  if (!ROLE_TEMPLATE.test(template)) {
    return `'${template}' is not an IAM role ARN such as arn:aws:iam::{accountId}:role/ecs-task-{team}`;
  }
  for (const [, name] of template.matchAll(PLACEHOLDERS)) {
    if (!KNOWN.has(name)) return `'${template}' has an unknown placeholder {${name}}; known are {team}, {namespace} and {accountId}`;
  }
  const path = template.slice(template.indexOf(':role/') + ':role/'.length);
  if (template.includes('{team}') && /[*?]/.test(path)) {
    // role/ecs-task-{team}-* gives team-a the roles of team-a-ops as well.
    return `'${template}' puts a wildcard beside {team}, so a team could pass the roles of every team whose name starts with its own; name each team's roles exactly, for example role/ecs-task-{team}`;
  }
  if (/^[*?/]*$/.test(path.replace(PLACEHOLDERS, 'x'))) {
    return `'${template}' would let a team pass every role of the account; name the roles, for example role/ecs-task-{team}`;
  }
  return undefined;
}

/**
 * The role ARNs of the templates for one team in one account. A role of
 * another account can never be passed there, so such templates give nothing.
 */
export function passRolesFor(templates: readonly string[], team: string, accountId: string): string[] {
  const { name, namespace } = parseEntityRef(team);
  const roles = templates
    .map(t => t.replace(/\{team\}/g, name).replace(/\{namespace\}/g, namespace).replace(/\{accountId\}/g, accountId))
    .filter(arn => arn.split(':')[4] === accountId);
  return [...new Set(roles)].sort();
}
