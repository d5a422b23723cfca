import type { Entity } from '@backstage/catalog-model';
import type { ClaimContext } from '../mapping/mapService';
import type { EcsService } from '../scan/inventory';
import { readClaims } from './claims';
import { matchClaims, type Reconciliation } from './reconcile';

/**
 * What the catalog says about each service, for the mapping: who claims it,
 * the owner it inherits from its first claimant, whether its owner drifts.
 * One function, so the provider's entities and the command line's policies
 * judge ownership the same way.
 */
export function claimContexts(
  services: readonly EcsService[],
  claimingEntities: readonly Entity[],
  reconciliation: Reconciliation,
): (service: EcsService) => ClaimContext {
  const claimants = matchClaims(
    services,
    claimingEntities.flatMap(e => readClaims(e).claims),
  );
  const drifting = new Set(reconciliation.findings.ownerDrift.map(d => d.arn));
  return service => {
    const claimedBy = claimants.get(service.arn) ?? [];
    return {
      claimedBy,
      claimantOwner: claimedBy.length > 0 ? reconciliation.declaredOwners.get(claimedBy[0]) : undefined,
      ownerDrift: drifting.has(service.arn),
    };
  };
}
