/** How tags become ownership: ordered tag keys per field, and what to use when no tag gives one. */
export interface MappingOptions {
  /** The provider id, recorded in the entities' location annotations. */
  providerId: string;
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
  return { providerId, tagKeys: DEFAULT_TAG_KEYS, defaults: DEFAULT_MAPPING_DEFAULTS };
}
