import type { EcsService } from '../scan/inventory';
import { findTag } from './tags';

/**
 * A mapping rule: when every given condition matches a service, its `set`
 * values apply. Rules are tried in order and the first match wins.
 */
export interface MappingRule {
  /** How errors and logs refer to the rule: its `name`, or `rules[i]`. */
  label: string;
  match: {
    accountIds?: string[];
    regions?: string[];
    cluster?: RegExp;
    service?: RegExp;
    tag?: { key: string; value?: string };
  };
  set: {
    owner?: string;
    system?: string;
    lifecycle?: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
}

export function findRule(rules: readonly MappingRule[], service: EcsService): MappingRule | undefined {
  const cluster = service.clusterArn.slice(service.clusterArn.lastIndexOf('/') + 1);
  return rules.find(({ match }) => {
    if (match.accountIds && !match.accountIds.includes(service.accountId)) return false;
    if (match.regions && !match.regions.includes(service.region)) return false;
    if (match.cluster && !match.cluster.test(cluster)) return false;
    if (match.service && !match.service.test(service.name)) return false;
    if (match.tag) {
      const tag = findTag(service.tags, [match.tag.key]);
      if (!tag || (match.tag.value !== undefined && tag.value !== match.tag.value)) return false;
    }
    return true;
  });
}
