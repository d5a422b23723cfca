import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, type Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import type { EcsService } from '../scan/inventory';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_CLUSTER_ARN,
  ANNOTATION_REGION,
  ANNOTATION_SERVICE_ARN,
  ENTITY_TYPE,
  LABEL_ACCOUNT,
  LABEL_CLUSTER,
  LABEL_LAUNCH_TYPE,
  LABEL_REGION,
} from './annotations';
import { consoleUrl } from './consoleLink';
import { entityNameFor } from './entityName';
import { toEntityRef } from './entityRefs';
import { toLabelValue } from './labels';
import type { MappingOptions } from './mappingOptions';
import { findTag } from './tags';

/**
 * One ECS service as a catalog Resource. Pure and deterministic: the same
 * service and options give the same object, keys in a fixed order, with no
 * timestamps or running counts that would make an unchanged fleet look changed.
 * Tag values only ever reach `spec` fields as normalised entity references,
 * never links, titles or descriptions.
 */
export function mapService(service: EcsService, options: MappingOptions): Entity {
  const { defaults, tagKeys } = options;
  const namespace = defaults.namespace;
  const refFromTag = (keys: string[], kind: string) => {
    const tag = findTag(service.tags, keys);
    return tag ? toEntityRef(tag.value, kind, namespace) : undefined;
  };
  const owner = refFromTag(tagKeys.owner, 'group') ?? toEntityRef(defaults.owner, 'group', namespace) ?? `group:${namespace}/unknown`;
  const system = refFromTag(tagKeys.system, 'system') ?? (defaults.system ? toEntityRef(defaults.system, 'system', namespace) : undefined);
  const lifecycleTag = findTag(service.tags, tagKeys.lifecycle);
  const lifecycle = (lifecycleTag && plainWord(lifecycleTag.value)) ?? defaults.lifecycle;
  const component = refFromTag(tagKeys.component, 'component');

  const location = `aws-ecs:${options.providerId}`;
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
    [ANNOTATION_SERVICE_ARN]: service.arn,
    [ANNOTATION_CLUSTER_ARN]: service.clusterArn,
    [ANNOTATION_ACCOUNT_ID]: service.accountId,
    [ANNOTATION_REGION]: service.region,
  };
  const labels: Record<string, string> = {};
  const addLabel = (key: string, value: string | undefined) => {
    const cleaned = value === undefined ? undefined : toLabelValue(value);
    if (cleaned) labels[key] = cleaned;
  };
  addLabel(LABEL_ACCOUNT, service.accountId);
  addLabel(LABEL_REGION, service.region);
  addLabel(LABEL_CLUSTER, service.clusterArn.slice(service.clusterArn.lastIndexOf('/') + 1));
  addLabel(LABEL_LAUNCH_TYPE, service.launchType ?? 'capacity-provider');

  const metadata: Entity['metadata'] = {
    name: entityNameFor(service),
    namespace,
    title: service.name,
    annotations,
    labels,
  };
  const url = consoleUrl(service.arn, service.clusterArn);
  if (url) metadata.links = [{ url, title: 'AWS console', icon: 'cloud' }];

  const spec: JsonObject = { type: ENTITY_TYPE, owner, lifecycle };
  if (system) spec.system = system;
  if (component) spec.dependencyOf = [component];

  return { apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata, spec };
}

// A lifecycle is a single word such as `production`; anything else in the tag
// (spaces, markup, URLs) is not repaired but replaced by the default.
function plainWord(value: string): string | undefined {
  const lower = value.toLowerCase();
  return /^[a-z0-9](?:[a-z0-9._-]{0,61}[a-z0-9])?$/.test(lower) ? lower : undefined;
}
