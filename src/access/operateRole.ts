import { parseEntityRef } from '@backstage/catalog-model';

/**
 * The role ECS operations are executed as: one per team and account, assumed
 * by Backstage's own principal for each change, with the requesting user as
 * source identity and the team, user and operation as session tags. The
 * trust policy (`operateRoleTrust.ts`) and the executor share these names.
 */

/** Session tag keys; the trust policy allows these and no other. */
export const OPERATE_SESSION_TAGS = {
  team: 'backstage-team',
  user: 'backstage-user',
  operation: 'backstage-operation',
} as const;
export const OPERATE_SESSION_TAG_KEYS: readonly string[] = [OPERATE_SESSION_TAGS.team, OPERATE_SESSION_TAGS.user, OPERATE_SESSION_TAGS.operation];

/**
 * The shape the trust policy requires of the source identity, as an IAM
 * `StringLike` pattern: `<name>@<namespace>` of the user entity ref. Whatever
 * shortens a long identity to 64 characters must keep an `@` in it.
 */
export const SOURCE_IDENTITY_PATTERN = '*@*';

/** The shortest session STS grants; a change takes one UpdateService and its DescribeServices. */
export const OPERATE_SESSION_SECONDS = 900;

/** The template the docs and the CLI use when config names none. */
export const DEFAULT_OPERATE_ROLE_ARN = 'arn:aws:iam::{accountId}:role/ecs-operate-{team}';

const ROLE_TEMPLATE = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}|\{accountId\}):role\/[\w+=,.@/{}-]+$/;

/** Why a template cannot name one team's operate role, or undefined when it can. */
export function operateRoleProblem(template: string): string | undefined {
  if (!ROLE_TEMPLATE.test(template)) return `'${template}' is not an IAM role ARN such as ${DEFAULT_OPERATE_ROLE_ARN}`;
  const unknown = template.replace(/\{accountId\}|\{team\}/g, '').match(/\{[^}]*\}?/);
  if (unknown) return `'${template}' has an unknown placeholder ${unknown[0]}; known are {team} and {accountId}`;
  // One role for every team would let any team's change act on every team's services.
  if (!template.includes('{team}')) return `'${template}' names no {team}: each team needs its own role, such as ${DEFAULT_OPERATE_ROLE_ARN}`;
  return undefined;
}

/**
 * The operate role of a team in an account. `{team}` is the group's entity
 * name, so teams of two namespaces with one name share a role name: keep
 * group names unique across namespaces, or name `{accountId}` apart.
 */
export function teamOperateRoleArn(template: string, team: string, accountId: string): string {
  const { name } = parseEntityRef(team);
  return template.replace(/\{team\}/g, name).replace(/\{accountId\}/g, accountId);
}
