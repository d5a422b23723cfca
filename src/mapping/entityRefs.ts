import { type Entity, KubernetesValidatorFunctions } from '@backstage/catalog-model';

/**
 * Turns a tag value such as `team-a`, `Team-A`, `group:team-a` or
 * `group:default/team-a` into a full entity reference, lower-cased (the
 * catalog compares references without case). Returns undefined for values
 * that cannot name an entity, so the caller falls back to a default instead of
 * emitting an entity the catalog would reject.
 */
export function toEntityRef(value: string, defaultKind: string, defaultNamespace: string): string | undefined {
  const trimmed = value.trim().toLowerCase();
  const match = /^(?:([a-z0-9-]+):)?(?:([^/:]+)\/)?([^/:]+)$/.exec(trimmed);
  if (!match) return undefined;
  const [, kind = defaultKind.toLowerCase(), namespace = defaultNamespace, name] = match;
  if (!KubernetesValidatorFunctions.isValidObjectName(name) || !KubernetesValidatorFunctions.isValidNamespace(namespace)) {
    return undefined;
  }
  return `${kind}:${namespace}/${name}`;
}

/** An entity's `spec.owner` as a full lower-case reference (a bare name is a group in the entity's namespace). */
export function specOwnerRef(entity: Entity): string | undefined {
  return typeof entity.spec?.owner === 'string' ? toEntityRef(entity.spec.owner, 'group', entity.metadata.namespace ?? 'default') : undefined;
}
