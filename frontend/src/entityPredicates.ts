import type { Entity } from '@backstage/catalog-model';
import type { ApiHolder } from '@backstage/core-plugin-api';
import { ecsCatalogSyncApiRef } from './api/EcsCatalogSyncApi';
import type { EntityEcsView } from './api/types';

/** The annotation that claims services by ARN (one or several, separated by commas). */
export const ANNOTATION_SERVICE_ARN = 'aws.amazon.com/amazon-ecs-service-arn';
/** The annotation that claims services by tags: `key=value,key2=value2`. */
export const ANNOTATION_SERVICE_TAGS = 'aws.amazon.com/amazon-ecs-service-tags';
/** The `spec.type` of the ECS service entities the provider emits. */
export const ECS_SERVICE_TYPE = 'ecs-service';

// The kinds whose ARN annotation is a claim, as the backend reads them.
const ARN_CLAIMING_KINDS = ['component', 'system', 'api', 'resource', 'domain'];

/**
 * Whether the entity page has ECS claims to show: the entity claims services
 * by ARN or by tags, or it is an ECS service entity. For `EntitySwitch.Case`
 * and the card's filter.
 */
export function isEcsClaimingEntity(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  if (ANNOTATION_SERVICE_TAGS in annotations) return true;
  return Boolean(annotations[ANNOTATION_SERVICE_ARN]) && ARN_CLAIMING_KINDS.includes(entity.kind.toLowerCase());
}

/** Whether the view holds anything its owner must act on or know. */
export function viewHasFindings(view: EntityEcsView): boolean {
  if (view.kind === 'service') return view.findings.length > 0;
  return view.claims.some(c => c.state !== 'matched') || view.tabMismatches.length > 0;
}

/**
 * Whether the latest drift report has a finding for the entity: for
 * `EntitySwitch.Case if={hasEcsFindings}` around the warning. Asks the drift
 * plugin; an entity it cannot judge (no scan yet, an error) has none.
 */
export async function hasEcsFindings(entity: Entity, context: { apis: ApiHolder }): Promise<boolean> {
  const api = context.apis.get(ecsCatalogSyncApiRef);
  if (!api || !isEcsClaimingEntity(entity)) return false;
  try {
    const view = await api.getEntityView({ kind: entity.kind, namespace: entity.metadata.namespace ?? 'default', name: entity.metadata.name });
    return viewHasFindings(view);
  } catch {
    return false;
  }
}
