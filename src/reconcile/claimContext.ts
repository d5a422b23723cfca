import type { ClaimContext } from '../mapping/mapService';
import type { EcsService } from '../scan/inventory';
import { matchClaims, type Reconciliation } from './reconcile';

/**
 * What the catalog says about each service, for the mapping: who claims it,
 * the owner it inherits from its claimants, whether its owner drifts.
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
      claimantOwner: agreedOwner(claimedBy.map(ref => reconciliation.declaredOwners.get(ref))),
      ownerDrift: drifting.has(service.arn),
    };
  };
}

/**
 * The one owner every claimant declares. Claimants that disagree pass on no
 * owner (the duplicate claim is reported instead): otherwise whoever registers
 * an entity with a name that sorts first could take the service over, and with
 * it the team's IAM policies and permission checks.
 */
function agreedOwner(owners: Array<string | undefined>): string | undefined {
  const distinct = new Set(owners);
  if (distinct.size !== 1) return undefined;
  const [owner] = distinct;
  return owner;
}
