import { parseEntityRef } from '@backstage/catalog-model';
import { createHash } from 'node:crypto';
import { OPERATE_SESSION_TAGS } from '../access/operateRole';

/**
 * Who AWS sees make a change: the owning team's operate role, in a session
 * named after the person who asked. The role's trust policy
 * (`src/access/operateRoleTrust.ts`) requires the same source identity shape
 * and tag keys, so a session without them is refused by STS itself.
 */

export { OPERATE_SESSION_SECONDS } from '../access/operateRole';

const STS_NAME_LIMIT = 64;
const STS_TAG_VALUE_LIMIT = 256;
const HASH_LENGTH = 10;

/**
 * `alice@default` for `user:default/alice`: entity names and namespaces never
 * hold `@`, so the form is unambiguous, and it uses only the characters STS
 * takes in a source identity and a session name (`[\w+=,.@-]`). Too long for
 * STS's 64, the name is shortened and a hash of the whole ref added, keeping
 * `@` and as much of the namespace as fits: the trust policy requires `*@*`.
 */
export function sourceIdentityFor(userRef: string): string {
  const { name, namespace } = parseEntityRef(userRef);
  const safe = (s: string) => s.replace(/[^\w+=,.-]/g, '-');
  const plain = `${safe(name)}@${safe(namespace)}`;
  if (plain.length <= STS_NAME_LIMIT) return plain;
  const hash = createHash('sha256').update(userRef.toLowerCase()).digest('hex').slice(0, HASH_LENGTH);
  const ns = safe(namespace).slice(0, 20);
  const room = STS_NAME_LIMIT - hash.length - 2 - ns.length;
  return `${safe(name).slice(0, room)}-${hash}@${ns}`;
}

/** The team a group entity ref stands for in role names and tags: the group's name. */
export function teamOf(groupRef: string): string {
  return parseEntityRef(groupRef).name;
}

/** Session tags: the values AWS records with every call the session makes. */
export function operateSessionTags(team: string, userRef: string, operationId: string): Array<{ Key: string; Value: string }> {
  return [
    { Key: OPERATE_SESSION_TAGS.team, Value: tagValue(team) },
    { Key: OPERATE_SESSION_TAGS.user, Value: tagValue(userRef) },
    { Key: OPERATE_SESSION_TAGS.operation, Value: tagValue(operationId) },
  ];
}

/** STS takes letters, digits, spaces and `_.:/=+-@` in tag values. */
function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, STS_TAG_VALUE_LIMIT);
}
