import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, type Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_CLUSTER_ARN, ANNOTATION_REPORTED_SERVICE_ARN, ANNOTATION_SERVICE_ARN, ANNOTATION_TASK_DEFINITION_FAMILY, ENTITY_TYPE } from '../mapping/annotations';
import { isEcsServiceEntity } from '../mapping/ecsServiceEntity';
import { specOwnerRef } from '../mapping/entityRefs';
import { parseServiceArn } from '../reconcile/claims';

/** The ECS service an operation acts on, as its catalog entity describes it. */
export interface OperationTarget {
  /** The ECS service entity. */
  entity: Entity;
  entityRef: string;
  /** The entity the request named: the service entity, or the one entity that claims it. */
  requestedFor: string;
  provider: string;
  /** The ARN ECS knows the service by (short or long). */
  serviceArn: string;
  clusterArn: string;
  serviceName: string;
  accountId: string;
  region: string;
  /** The owning group's entity ref. */
  owner: string;
  lifecycle: string | undefined;
  taskDefinitionFamily: string | null;
}

const PROVIDER_LOCATION = /^aws-ecs:(.+)$/;

/**
 * The ECS service behind an entity ref, read with the caller's credentials:
 * the ref itself when it is one of the providers' service entities, else the
 * one service entity that names it as a claimant (`spec.dependencyOf`). An
 * entity the caller may not see is not found, as in the catalog.
 */
export async function resolveOperationTarget(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
  providers: ReadonlySet<string>,
): Promise<OperationTarget> {
  const ref = stringifyEntityRef(parseEntityRef(entityRef));
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) throw new NotFoundError(`no entity ${ref} in the catalog`);
  if (isEcsServiceEntity(entity)) return targetOf(entity, ref, providers);

  const { items } = await catalog.getEntities(
    { filter: { kind: 'resource', 'spec.type': ENTITY_TYPE, 'spec.dependencyOf': ref } },
    { credentials },
  );
  const services = items.filter(isEcsServiceEntity);
  if (services.length === 0) throw new NotFoundError(`entity ${ref} is no ECS service entity and claims no ECS service the catalog holds`);
  if (services.length > 1) {
    const refs = services.map(s => stringifyEntityRef(s)).sort();
    throw new InputError(`entity ${ref} claims ${services.length} ECS services (${refs.join(', ')}); name the service entity itself as entityRef`);
  }
  return targetOf(services[0], ref, providers);
}

function targetOf(entity: Entity, requestedFor: string, providers: ReadonlySet<string>): OperationTarget {
  const entityRef = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  const provider = PROVIDER_LOCATION.exec(annotations[ANNOTATION_LOCATION] ?? '')?.[1];
  if (provider === undefined || !providers.has(provider)) {
    throw new NotFoundError(`ECS service ${entityRef} belongs to no ECS provider of this backend`);
  }
  const longArn = annotations[ANNOTATION_SERVICE_ARN];
  const parsed = parseServiceArn(longArn);
  const clusterArn = annotations[ANNOTATION_CLUSTER_ARN];
  if (!parsed || 'error' in parsed || !clusterArn) throw new InputError(`ECS service ${entityRef} has no valid service and cluster ARN annotations`);
  const owner = specOwnerRef(entity);
  if (!owner || parseEntityRef(owner).kind.toLowerCase() !== 'group') {
    throw new InputError(`ECS service ${entityRef} is owned by ${owner ?? 'nobody'}, not by a group: operations run as the owning group's role`);
  }
  return {
    entity,
    entityRef,
    requestedFor,
    provider,
    serviceArn: annotations[ANNOTATION_REPORTED_SERVICE_ARN] ?? longArn,
    clusterArn,
    serviceName: longArn.slice(longArn.lastIndexOf('/') + 1),
    accountId: parsed.accountId,
    region: parsed.region,
    owner,
    lifecycle: typeof entity.spec?.lifecycle === 'string' ? entity.spec.lifecycle : undefined,
    taskDefinitionFamily: annotations[ANNOTATION_TASK_DEFINITION_FAMILY] ?? null,
  };
}
