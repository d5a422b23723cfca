import { type ClaimFindingKind, claimFindings } from './claimFindings';
import type { DriftReport } from './driftReport';

/** The value of the `aws.amazon.com/ecs-claim` label: the worst finding of an entity's claims, or `ok`. */
export type ClaimStatus = ClaimFindingKind | 'ok';

/**
 * Worst first. One value per entity keeps every question one catalog filter
 * (`=phantom`, `=ok`); what a service's owner must fix comes before what only
 * the AWS Labs tab reads otherwise, and a claim that could not be checked
 * comes last among the findings, since nobody can act on it.
 */
export const CLAIM_STATUSES: readonly ClaimStatus[] = ['phantom', 'duplicate', 'malformed', 'owner-drift', 'tab-mismatch', 'not-verified', 'ok'];

/** The values that mean someone must change a claim, a tag or an owner. */
export const BROKEN_CLAIM_STATUSES: readonly ClaimStatus[] = CLAIM_STATUSES.filter(s => s !== 'ok' && s !== 'not-verified');

export function worseClaimStatus(a: ClaimStatus, b: ClaimStatus): ClaimStatus {
  return CLAIM_STATUSES.indexOf(a) <= CLAIM_STATUSES.indexOf(b) ? a : b;
}

/** The worst finding of each claiming entity that has one, by lower-case ref. */
export function claimStatusByEntity(report: DriftReport): Map<string, ClaimStatus> {
  const byRef = new Map<string, ClaimStatus>();
  for (const finding of claimFindings(report)) {
    const ref = finding.entityRef.toLowerCase();
    const known = byRef.get(ref);
    byRef.set(ref, known ? worseClaimStatus(known, finding.kind) : finding.kind);
  }
  return byRef;
}
