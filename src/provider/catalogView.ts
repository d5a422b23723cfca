import type { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_SERVICE_ARN, ANNOTATION_SERVICE_TAGS } from '../mapping/annotations';
import type { MappingOptions } from '../mapping/mappingOptions';
import { ownershipOf } from '../mapping/ownership';
import { ARN_CLAIMING_KINDS } from '../reconcile/claimingEntities';
import type { EcsService } from '../scan/inventory';

export interface CatalogView {
  /** Every entity that carries a claim annotation (the provider's own entities never do). */
  claimingEntities: Entity[];
  /** Which of the owners named by tags exist in the catalog, as lower-case refs. */
  knownOwnerRefs: Set<string>;
}

/** Reads only what reconciliation needs: the claiming entities and the owners the tags name. */
export async function readCatalogView(
  catalog: CatalogService,
  auth: AuthService,
  services: readonly EcsService[],
  mapping: MappingOptions,
): Promise<CatalogView> {
  const credentials = await auth.getOwnServiceCredentials();
  const { items } = await catalog.getEntities(
    {
      filter: [
        { [`metadata.annotations.${ANNOTATION_SERVICE_ARN}`]: CATALOG_FILTER_EXISTS, kind: [...ARN_CLAIMING_KINDS] },
        { [`metadata.annotations.${ANNOTATION_SERVICE_TAGS}`]: CATALOG_FILTER_EXISTS },
      ],
    },
    { credentials },
  );
  const ownerRefs = [...new Set(services.map(s => ownershipOf(s, mapping)).filter(o => o.source === 'tag').map(o => o.owner))].sort();
  const knownOwnerRefs = new Set<string>();
  if (ownerRefs.length > 0) {
    const found = await catalog.getEntitiesByRefs({ entityRefs: ownerRefs, fields: ['kind', 'metadata.name', 'metadata.namespace'] }, { credentials });
    for (const entity of found.items) if (entity) knownOwnerRefs.add(stringifyEntityRef(entity).toLowerCase());
  }
  return { claimingEntities: items, knownOwnerRefs };
}
