import { parseEntityRef } from '@backstage/catalog-model';
import { createHash } from 'node:crypto';

/**
 * Who AWS sees make a change: the owning team's operate role, in a session
 * named after the person who asked. The role's trust policy (see
 * `src/access/operateRoleTrust.ts`) requires the same source identity shape
 * and tag keys, so a session without them is refused by STS itself.
 */

/** STS's shortest session: a change is one or two calls. */
export const OPERATE_SESSION_SECONDS = 900;

export const TAG_TEAM = 'backstage-team';
export const TAG_USER = 'backstage-user';
export const TAG_OPERATION = 'backstage-operation';
export const OPERATE_SESSION_TAG_KEYS = [TAG_TEAM, TAG_USER, TAG_OPERATION] as const;

const STS_NAME_LIMIT = 64;
const STS_TAG_VALUE_LIMIT = 256;

/**
 * `alice@default` for `user:default/alice`: entity names and namespaces never
 * hold `@`, so the form is unambiguous, and it uses only the characters STS
 * takes in a source identity and a session name (`[\w+=,.@-]`). Too long for
 * STS's 64, it keeps the start and a hash of the whole.
 */
export function sourceIdentityFor(userRef: string): string {
  const { name, namespace } = parseEntityRef(userRef);
  const plain = `${name}@${namespace}`.replace(/[^\w+=,.@-]/g, '-');
  if (plain.length <= STS_NAME_LIMIT) return plain;
  const hash = createHash('sha256').update(userRef.toLowerCase()).digest('hex').slice(0, 12);
  return `${plain.slice(0, STS_NAME_LIMIT - hash.length - 1)}-${hash}`;
}

/** The role of the team in the account: the config's template filled in. */
export function operateRoleArn(template: string, accountId: string, team: string): string {
  return template.replace(/\{accountId\}/g, accountId).replace(/\{team\}/g, team);
}

/** The team a group entity ref stands for in role names and tags: the group's name. */
export function teamOf(groupRef: string): string {
  return parseEntityRef(groupRef).name;
}

/** Session tags: the values AWS records with every call the session makes. */
export function operateSessionTags(team: string, userRef: string, operationId: string): Array<{ Key: string; Value: string }> {
  return [
    { Key: TAG_TEAM, Value: tagValue(team) },
    { Key: TAG_USER, Value: tagValue(userRef) },
    { Key: TAG_OPERATION, Value: tagValue(operationId) },
  ];
}

/** STS takes letters, digits, spaces and `_.:/=+-@` in tag values. */
function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, STS_TAG_VALUE_LIMIT);
}
