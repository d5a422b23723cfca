import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_SERVICE_ARN, ENTITY_TYPE } from './annotations';

/** An ECS service entity of this package: a Resource of type ecs-service that names its service ARN. */
export function isEcsServiceEntity(entity: Entity): boolean {
  return entity.kind.toLowerCase() === 'resource' && entity.spec?.type === ENTITY_TYPE && Boolean(entity.metadata.annotations?.[ANNOTATION_SERVICE_ARN]);
}
