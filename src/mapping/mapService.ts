import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, type Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { taskDefinitionFamily, type EcsService } from '../scan/inventory';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_CLUSTER_ARN,
  ANNOTATION_OWNER_SOURCE,
  ANNOTATION_REGION,
  ANNOTATION_REPORTED_SERVICE_ARN,
  ANNOTATION_SERVICE_ARN,
  ANNOTATION_TASK_DEFINITION_FAMILY,
  ENTITY_TYPE,
  LABEL_ACCOUNT,
  LABEL_CLUSTER,
  LABEL_LAUNCH_TYPE,
  LABEL_OWNER_DRIFT,
  LABEL_UNCLAIMED,
  LABEL_REGION,
} from './annotations';
import { consoleUrl } from './consoleLink';
import { isLifecycle } from './lifecycle';
import { providerLocation } from './ecsServiceEntity';
import { entityNameFor } from './entityName';
import { toEntityRef } from './entityRefs';
import { toLabelValue } from './labels';
import type { MappingOptions } from './mappingOptions';
import { ownershipOf } from './ownership';
import { longServiceArn } from './serviceArn';
import { findTag } from './tags';

/** What the catalog says about a service, when the provider knows it. */
export interface ClaimContext {
  /** Entities that claim the service, sorted. */
  claimedBy: string[];
  /** The owner all claimants declare, when they agree: inherited when no tag or rule names one. */
  claimantOwner?: string;
  /** The owner tag disagrees with the claimant or names no entity in the catalog. */
  ownerDrift: boolean;
}

/**
 * One ECS service as a catalog Resource. Pure and deterministic: the same
 * service and options give the same object, keys in a fixed order, with no
 * timestamps or running counts that would make an unchanged fleet look changed.
 * Tag values only ever reach `spec` fields as normalised entity references,
 * never links, titles or descriptions.
 */
export function mapService(service: EcsService, options: MappingOptions, claim?: ClaimContext): Entity {
  const { defaults, tagKeys } = options;
  const ownership = ownershipOf(service, options);
  const { namespace, rule } = ownership;
  // A service nobody tagged takes the owner of the entity that claims it.
  const inherit = ownership.source === 'default' && claim?.claimantOwner !== undefined;
  const owner = inherit ? claim!.claimantOwner! : ownership.owner;
  const ownerSource = inherit ? 'claim' : ownership.source;
  const ref = (value: string | undefined, kind: string) => (value === undefined ? undefined : toEntityRef(value, kind, namespace));
  const fromTag = (keys: string[], kind: string) => ref(findTag(service.tags, keys)?.value, kind);

  // Precedence: the service's own tags, then the first matching rule, then the provider's defaults.
  const system = fromTag(tagKeys.system, 'system') ?? ref(rule?.set.system, 'system') ?? ref(defaults.system, 'system');
  const lifecycle = plainWord(findTag(service.tags, tagKeys.lifecycle)?.value) ?? rule?.set.lifecycle ?? defaults.lifecycle;
  const component = fromTag(tagKeys.component, 'component');

  const location = providerLocation(options.providerId);
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
    // The tab reads this one ARN and takes the cluster from it; the name above still hashes the reported ARN.
    [ANNOTATION_SERVICE_ARN]: longServiceArn(service.arn, service.clusterArn),
    [ANNOTATION_CLUSTER_ARN]: service.clusterArn,
    [ANNOTATION_ACCOUNT_ID]: service.accountId,
    [ANNOTATION_REGION]: service.region,
    [ANNOTATION_OWNER_SOURCE]: ownerSource,
  };
  if (annotations[ANNOTATION_SERVICE_ARN] !== service.arn) annotations[ANNOTATION_REPORTED_SERVICE_ARN] = service.arn;
  const family = taskDefinitionFamily(service);
  if (family) annotations[ANNOTATION_TASK_DEFINITION_FAMILY] = family;
  const labels: Record<string, string> = {};
  const addLabel = (key: string, value: string | undefined) => {
    const cleaned = value === undefined ? undefined : toLabelValue(value);
    if (cleaned) labels[key] = cleaned;
  };
  addLabel(LABEL_ACCOUNT, service.accountId);
  addLabel(LABEL_REGION, service.region);
  addLabel(LABEL_CLUSTER, service.clusterArn.slice(service.clusterArn.lastIndexOf('/') + 1));
  addLabel(LABEL_LAUNCH_TYPE, service.launchType ?? 'capacity-provider');
  if (claim) {
    if (claim.claimedBy.length === 0 && ownership.source === 'default') labels[LABEL_UNCLAIMED] = 'true';
    if (claim.ownerDrift) labels[LABEL_OWNER_DRIFT] = 'true';
  }
  for (const [key, value] of Object.entries(rule?.set.labels ?? {})) {
    if (!(key in labels)) labels[key] = value;
  }

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
  const dependencyOf = [...new Set([...(component ? [component] : []), ...(claim?.claimedBy ?? []).map(ref => ref.toLowerCase())])].sort();
  if (dependencyOf.length > 0) spec.dependencyOf = dependencyOf;

  return { apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata, spec };
}

// A tag that is no lifecycle (spaces, markup, URLs) is not repaired but replaced by the default.
function plainWord(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  return isLifecycle(lower) ? lower : undefined;
}
