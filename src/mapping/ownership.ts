import type { EcsService } from '../scan/inventory';
import type { OwnerSource } from './annotations';
import { toEntityRef } from './entityRefs';
import type { MappingOptions } from './mappingOptions';
import { findRule, type MappingRule } from './rules';
import { findTag } from './tags';

export interface Ownership {
  /** The owner as a full entity reference. */
  owner: string;
  source: OwnerSource;
  /** The owner tag as written, when the service has one (even one that names no valid reference). */
  ownerTag?: string;
  namespace: string;
  rule?: MappingRule;
}

/**
 * Who owns a service according to AWS: its owner tag, else the first matching
 * rule, else the provider's default. One function, so the entities and the
 * drift findings can never disagree about it.
 */
export function ownershipOf(service: EcsService, options: MappingOptions): Ownership {
  // One scan asks for a service's owner in the catalog view, in reconciliation
  // and in the mapping; services are plain data that nothing changes after the
  // scan, so the answer for the same service and options is kept.
  const known = remembered.get(service);
  if (known?.options === options) return known.ownership;
  const ownership = resolveOwnership(service, options);
  remembered.set(service, { options, ownership });
  return ownership;
}

const remembered = new WeakMap<EcsService, { options: MappingOptions; ownership: Ownership }>();

function resolveOwnership(service: EcsService, options: MappingOptions): Ownership {
  const rule = findRule(options.rules, service);
  const namespace = rule?.set.namespace ?? options.defaults.namespace;
  const tag = findTag(service.tags, options.tagKeys.owner);
  const fromTag = tag ? toEntityRef(tag.value, 'group', namespace) : undefined;
  const fromRule = rule?.set.owner ? toEntityRef(rule.set.owner, 'group', namespace) : undefined;
  const owner = fromTag ?? fromRule ?? toEntityRef(options.defaults.owner, 'group', namespace) ?? `group:${namespace}/unknown`;
  const result: Ownership = { owner, source: fromTag ? 'tag' : fromRule ? 'rule' : 'default', namespace };
  if (tag) result.ownerTag = tag.value;
  if (rule) result.rule = rule;
  return result;
}
