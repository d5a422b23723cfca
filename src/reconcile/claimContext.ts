import type { ClaimContext } from '../mapping/mapService';
import type { EcsService } from '../scan/inventory';
import { matchClaims, type Reconciliation } from './reconcile';

/**
 * What the catalog says about each service, for the mapping: who claims it,
 * the owner it inherits from its first claimant, whether its owner drifts.
 * One function, so the provider's entities and the command line's policies
 * judge ownership the same way.
 */
export function claimContexts(services: readonly EcsService[], reconciliation: Reconciliation): (service: EcsService) => ClaimContext {
  const claimants = matchClaims(services, reconciliation.claims);
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
