import { ANNOTATION_LOCATION, type Entity } from '@backstage/catalog-model';
import { ANNOTATION_SERVICE_ARN, ENTITY_TYPE } from './annotations';

const PROVIDER_LOCATION_PREFIX = 'aws-ecs:';

/** The `backstage.io/managed-by-location` of every entity a provider emits. */
export function providerLocation(providerId: string): string {
  return `${PROVIDER_LOCATION_PREFIX}${providerId}`;
}

/**
 * Emitted by one of this package's providers. The catalog sets the location
 * annotation of entities read from locations itself, so a hand-written entity
 * cannot pass for one.
 */
export function isProviderEntity(entity: Entity): boolean {
  return entity.metadata.annotations?.[ANNOTATION_LOCATION]?.startsWith(PROVIDER_LOCATION_PREFIX) ?? false;
}

/** An ECS service entity of this package: a Resource of type ecs-service, emitted by its provider, naming its service ARN. */
export function isEcsServiceEntity(entity: Entity): boolean {
  return (
    entity.kind.toLowerCase() === 'resource' &&
    entity.spec?.type === ENTITY_TYPE &&
    Boolean(entity.metadata.annotations?.[ANNOTATION_SERVICE_ARN]) &&
    isProviderEntity(entity)
  );
}
