import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_SERVICE_ARN, ANNOTATION_SERVICE_TAGS } from '../mapping/annotations';
import { isProviderEntity } from '../mapping/ecsServiceEntity';

/**
 * The kinds whose ARN annotation is a claim: the kinds that describe software
 * and what it runs on. A Group, User or Location carrying the annotation
 * claims nothing, so a team cannot take a service over by annotating itself.
 */
export const ARN_CLAIMING_KINDS = ['Component', 'System', 'API', 'Resource', 'Domain'] as const;

/** Whether the entity's ARN annotation counts as a claim (the provider's own Resources carry it too, and never claim). */
export function claimsByArn(entity: Entity): boolean {
  return !isProviderEntity(entity) && ARN_CLAIMING_KINDS.some(kind => kind.toLowerCase() === entity.kind.toLowerCase());
}

/**
 * Whether reconciliation reads any claim of the entity: the one rule the
 * provider's catalog query, the command line's entity files and the claims
 * processor all follow, so they judge the same catalog alike.
 */
export function isClaimingEntity(entity: Entity): boolean {
  if (isProviderEntity(entity)) return false;
  const annotations = entity.metadata.annotations ?? {};
  if (ANNOTATION_SERVICE_TAGS in annotations) return true;
  return ANNOTATION_SERVICE_ARN in annotations && claimsByArn(entity);
}
