import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { EcsService } from '../scan/inventory';
import { type ClaimContext, mapService } from './mapService';
import type { MappingOptions } from './mappingOptions';
import { validateEntity } from './validateEntity';

export interface RejectedService {
  arn: string;
  reason: string;
}

export interface MappedServices {
  /** Valid entities in ARN order of their services. */
  entities: Entity[];
  /** Services left out, each with the reason; the rest of the batch is unaffected. */
  rejected: RejectedService[];
}

/**
 * Maps a batch of services and checks every entity as the catalog would. One
 * entity that fails is left out with its reason instead of failing the batch.
 */
export async function mapServices(
  services: readonly EcsService[],
  options: MappingOptions,
  claimContext?: (service: EcsService) => ClaimContext,
): Promise<MappedServices> {
  const entities: Entity[] = [];
  const rejected: RejectedService[] = [];
  const byRef = new Map<string, string>();
  for (const service of services) {
    let entity: Entity;
    try {
      entity = mapService(service, options, claimContext?.(service));
    } catch (error) {
      rejected.push({ arn: service.arn, reason: (error as Error).message });
      continue;
    }
    const problem = await validateEntity(entity);
    if (problem) {
      rejected.push({ arn: service.arn, reason: problem });
      continue;
    }
    // Two ARNs whose hashes collide would overwrite each other; the first ARN keeps the name.
    const ref = stringifyEntityRef(entity).toLowerCase();
    const holder = byRef.get(ref);
    if (holder !== undefined) {
      rejected.push({ arn: service.arn, reason: `its entity name ${ref} is already used by ${holder}` });
      continue;
    }
    byRef.set(ref, service.arn);
    entities.push(entity);
  }
  return { entities, rejected };
}
