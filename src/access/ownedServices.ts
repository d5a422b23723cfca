import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_ACCOUNT_ID, ANNOTATION_CLUSTER_ARN, ANNOTATION_REGION, ANNOTATION_REPORTED_SERVICE_ARN, ANNOTATION_SERVICE_ARN, ANNOTATION_TASK_DEFINITION_FAMILY } from '../mapping/annotations';
import { isEcsServiceEntity } from '../mapping/ecsServiceEntity';
import { specOwnerRef, toEntityRef } from '../mapping/entityRefs';
import { compareStrings, isTaskDefinitionFamily } from '../scan/inventory';

/** One ECS service and the team that owns it, as the reconciled catalog says. */
export interface OwnedService {
  arn: string;
  clusterArn: string;
  accountId: string;
  region: string;
  /** A full, lower-case entity reference such as `group:default/team-a`. */
  owner: string;
  /**
   * The family of the task definition the service runs; absent when it names
   * none, or when its entity was written before the family was recorded.
   */
  taskDefinitionFamily?: string;
}

/**
 * Reads the owned services off the provider's entities: the owner there is
 * the reconciled one (tag, rule, or the claiming entity's), so policies and
 * permission checks follow exactly what the catalog shows. Entities that are
 * not ECS service entities of this package are skipped.
 */
export function ownedServicesOf(entities: readonly Entity[]): OwnedService[] {
  const services: OwnedService[] = [];
  for (const entity of entities) {
    if (!isEcsServiceEntity(entity)) continue;
    const annotations = entity.metadata.annotations ?? {};
    // The ARN ECS reports is the one the scan, the reconciliation and IAM's past policies know the service by.
    const arn = annotations[ANNOTATION_REPORTED_SERVICE_ARN] ?? annotations[ANNOTATION_SERVICE_ARN];
    const clusterArn = annotations[ANNOTATION_CLUSTER_ARN];
    const accountId = annotations[ANNOTATION_ACCOUNT_ID];
    const region = annotations[ANNOTATION_REGION];
    const owner = specOwnerRef(entity);
    if (!arn || !clusterArn || !accountId || !region || !owner) continue;
    const service: OwnedService = { arn, clusterArn, accountId, region, owner };
    // Re-checked here: the annotation is read back from the catalog and becomes part of an IAM ARN.
    const family = annotations[ANNOTATION_TASK_DEFINITION_FAMILY];
    if (family !== undefined && isTaskDefinitionFamily(family)) service.taskDefinitionFamily = family;
    services.push(service);
  }
  return services.sort((a, b) => compareStrings(a.arn, b.arn));
}

/** The team as a full lower-case reference; a bare name is a group in the default namespace. */
export function teamRef(team: string): string | undefined {
  return toEntityRef(team, 'group', 'default');
}
