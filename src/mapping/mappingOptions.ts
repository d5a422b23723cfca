import type { MappingRule } from './rules';

/** How tags and rules become ownership, and what to use when neither gives a value. */
export interface MappingOptions {
  /** The provider id, recorded in the entities' location annotations. */
  providerId: string;
  /** Ordered tag keys per field, matched without regard to case. */
  tagKeys: {
    owner: string[];
    system: string[];
    lifecycle: string[];
    component: string[];
  };
  defaults: {
    owner: string;
    lifecycle: string;
    system?: string;
    namespace: string;
  };
  /** Tried in order; the first that matches a service applies. */
  rules: MappingRule[];
}

export const DEFAULT_TAG_KEYS: MappingOptions['tagKeys'] = {
  owner: ['owner', 'team'],
  system: ['system'],
  lifecycle: ['environment', 'stage', 'lifecycle'],
  component: ['component'],
};

export const DEFAULT_MAPPING_DEFAULTS: MappingOptions['defaults'] = {
  owner: 'unknown',
  lifecycle: 'production',
  namespace: 'default',
};

export function defaultMappingOptions(providerId: string): MappingOptions {
  return { providerId, tagKeys: DEFAULT_TAG_KEYS, defaults: DEFAULT_MAPPING_DEFAULTS, rules: [] };
}
