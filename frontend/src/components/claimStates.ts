import type { ClaimState, ServiceFinding } from '../api/types';

/** The words a user reads for each state of a claim or finding on a service. */
export const STATE_LABELS: Record<ClaimState | ServiceFinding['state'], string> = {
  matched: 'Matched',
  phantom: 'Phantom',
  ownerDrift: 'Owner drift',
  duplicate: 'Duplicate',
  malformed: 'Malformed',
  notVerified: 'Not verified',
  unclaimed: 'Unclaimed',
};
