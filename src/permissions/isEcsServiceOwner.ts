import { type Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { ANNOTATION_SERVICE_ARN, ENTITY_TYPE } from '../mapping/annotations';
import { isEcsServiceEntity } from '../mapping/ecsServiceEntity';
import { toEntityRef } from '../mapping/entityRefs';

export { isEcsServiceEntity };

/** Who owns the entity: the catalog's ownedBy relations once processed, else its spec.owner. */
function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? []).filter(r => r.type === RELATION_OWNED_BY).map(r => r.targetRef.toLowerCase());
  if (related.length > 0) return related;
  const owner = typeof entity.spec?.owner === 'string' ? toEntityRef(entity.spec.owner, 'group', entity.metadata.namespace ?? 'default') : undefined;
  return owner ? [owner] : [];
}

/**
 * True for an ECS service entity whose owner is one of `claims`, usually the
 * user's ownership entity refs (`user.info.ownershipEntityRefs`). Registered
 * with the catalog by this package's module, so a permission policy can use
 * it in a conditional decision on any catalog-entity permission.
 */
export const isEcsServiceOwner = createPermissionRule({
  name: 'IS_ECS_SERVICE_OWNER',
  description: 'Allow ECS service entities (kind Resource, type ecs-service) owned by one of the given entity refs',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('Entity refs to match the owner against, such as the user’s ownership entity refs'),
  }),
  apply(entity, { claims }) {
    if (!isEcsServiceEntity(entity)) return false;
    const wanted = new Set(claims.map(c => c.toLowerCase()));
    return ownersOf(entity).some(owner => wanted.has(owner));
  },
  toQuery({ claims }) {
    return {
      allOf: [
        { key: 'kind', values: ['resource'] },
        { key: 'spec.type', values: [ENTITY_TYPE] },
        { key: `metadata.annotations.${ANNOTATION_SERVICE_ARN}` },
        { key: `relations.${RELATION_OWNED_BY}`, values: claims },
      ],
    };
  },
});

