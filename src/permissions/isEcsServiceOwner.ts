import { ANNOTATION_LOCATION, type Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { ANNOTATION_SERVICE_ARN, ENTITY_TYPE } from '../mapping/annotations';
import { isEcsServiceEntity, providerLocation } from '../mapping/ecsServiceEntity';
import { specOwnerRef } from '../mapping/entityRefs';


/** Who owns the entity: the catalog's ownedBy relations once processed, else its spec.owner. */
function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? []).filter(r => r.type === RELATION_OWNED_BY).map(r => r.targetRef.toLowerCase());
  if (related.length > 0) return related;
  const owner = specOwnerRef(entity);
  return owner ? [owner] : [];
}

/**
 * True for an ECS service entity of one of `providerIds` whose owner is one of
 * `claims`, usually the user's ownership entity refs
 * (`user.info.ownershipEntityRefs`). An entity counts only when one of those
 * providers emitted it (its `backstage.io/managed-by-location`), so nobody can
 * register a look-alike Resource and own someone else's service through it.
 * The module registers this rule with the catalog for the providers it runs.
 */
export function createIsEcsServiceOwnerRule(providerIds: readonly string[]) {
  const locations = [...new Set(providerIds)].sort().map(providerLocation);
  const ours = new Set(locations);
  return createPermissionRule({
    name: 'IS_ECS_SERVICE_OWNER',
    description: 'Allow ECS service entities (kind Resource, type ecs-service) owned by one of the given entity refs',
    resourceRef: catalogEntityPermissionResourceRef,
    paramsSchema: z.object({
      claims: z.array(z.string()).describe('Entity refs to match the owner against, such as the user’s ownership entity refs'),
    }),
    apply(entity, { claims }) {
      if (!isEcsServiceEntity(entity) || !ours.has(entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? '')) return false;
      const wanted = new Set(claims.map(c => c.toLowerCase()));
      return ownersOf(entity).some(owner => wanted.has(owner));
    },
    toQuery({ claims }) {
      return {
        allOf: [
          { key: 'kind', values: ['resource'] },
          { key: 'spec.type', values: [ENTITY_TYPE] },
          { key: `metadata.annotations.${ANNOTATION_SERVICE_ARN}` },
          { key: `metadata.annotations.${ANNOTATION_LOCATION}`, values: locations },
          { key: `relations.${RELATION_OWNED_BY}`, values: claims },
        ],
      };
    },
  });
}

/**
 * The rule's name and parameters, for `createConditionExports` and permission
 * policies. It matches no entity itself: the catalog applies the instance the
 * module registers for its configured providers.
 */
export const isEcsServiceOwner = createIsEcsServiceOwnerRule([]);
